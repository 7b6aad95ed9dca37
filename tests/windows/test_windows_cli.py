"""The real CLI as a Windows laptop runs it: first run, every export, backup, restore, import,
verify and consolidate path, and a file held open by Excel (see conftest for what is removed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.windows_sim


def _demo(wcli, count: int = 3) -> list[str]:  # type: ignore[no-untyped-def]
    made = wcli("demo", "--assessments", str(count), "--seed", "7")
    assert made.code == 0, made.err
    listed = wcli("list", "--json")
    assert listed.code == 0, listed.err
    return [row["id"] for row in json.loads(listed.out)]


def test_shim_really_removes_what_windows_lacks(wcli) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from .conftest import winsim_env

    probe = ("import os, signal, sys\n"
             "missing = [not hasattr(os, 'fchmod'), not hasattr(signal, 'SIGHUP')]\n"
             "try:\n    import fcntl\nexcept ImportError:\n    missing.append(True)\n"
             "print(all(missing))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env={**__import__("os").environ, **winsim_env()}, check=True)
    assert out.stdout.strip() == "True"


def test_first_run_export_backup_restore_verify_import(wcli, home: Path,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    ids = _demo(wcli)
    db = home / "data" / "qa-tui.sqlite3"
    assert db.stat().st_size > 0
    out = tmp_path / "returns"
    exported = wcli("export", "--all", "-o", str(out))
    assert exported.code == 0, exported.err
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == len(ids) and all(f.stat().st_size > 0 for f in files)
    assert not list(out.glob(".*.tmp"))
    as_json = wcli("export", ids[0], "--format", "json", "-o", str(tmp_path / "json"))
    assert as_json.code == 0, as_json.err
    assert ids[0] in Path(as_json.out.strip()).read_text(encoding="utf-8")
    # the same revision again: unchanged; --force over a different file: replaced
    assert wcli("export", "--all", "-o", str(out)).code == 0
    files[0].write_bytes(b"something else")
    forced = wcli("export", "--all", "-o", str(out), "--force")
    assert forced.code == 0, forced.err
    verified = wcli("verify", str(out))
    assert verified.code == 0, verified.err
    assert verified.out.count(": ok") == len(ids)

    backup = wcli("backup")
    assert backup.code == 0, backup.err
    copy = Path(backup.out.strip())
    assert copy.stat().st_size > 0
    named = wcli("backup", str(tmp_path / "named.sqlite3"))
    assert named.code == 0, named.err
    restored = wcli("restore", str(copy))
    assert restored.code == 0, restored.err
    assert len(json.loads(wcli("list", "--json").out)) == len(ids)

    other = tmp_path / "other.sqlite3"
    imported = wcli("--db", str(other), "import", str(out))
    assert imported.code == 0, imported.err
    assert len(json.loads(wcli("--db", str(other), "list", "--json").out)) == len(ids)


def test_consolidate_small_and_large_batches(wcli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Over 24 files the checks go to worker processes (spawn only, no resource tracker)."""
    from qa_tui.consolidate.pool import SMALL_BATCH

    ids = _demo(wcli, SMALL_BATCH + 2)
    out = tmp_path / "returns"
    assert wcli("export", "--all", "-o", str(out)).code == 0
    book, db = tmp_path / "c" / "all.xlsx", tmp_path / "c" / "all.sqlite3"
    done = wcli("consolidate", str(out), "-o", str(book), "--db", str(db), "--json")
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert report["accepted"] == len(ids) and report["rejected"] == []
    assert load_workbook(book, read_only=True).sheetnames[0] == "Committee"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM assessment").fetchone()[0] == len(ids)
    small = wcli("consolidate", str(sorted(out.glob("*.xlsx"))[0]), "-o", str(tmp_path / "one.xlsx"))
    assert small.code == 0, small.err


def test_a_return_open_in_excel_is_named_and_the_rest_still_go(wcli,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    ids = _demo(wcli)
    out = tmp_path / "returns"
    assert wcli("export", "--all", "-o", str(out)).code == 0
    for path in out.glob("*.xlsx"):
        path.write_bytes(b"an older copy")
    locked = ids[1][:8]
    result = wcli("export", "--all", "-o", str(out), "--force",
                  env={"QA_TUI_WINSIM_LOCKED": locked})
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "warning: " not in line]
    assert len(lines) == 1 and locked in lines[0]
    assert "is it open in Excel?" in lines[0] and "internal error" not in lines[0]
    written = [p for p in out.glob("*.xlsx") if p.read_bytes() != b"an older copy"]
    assert len(written) == len(ids) - 1
    assert not list(out.glob(".*.tmp")), "the temporary file is cleaned up"


def test_quoted_paths_as_explorer_copies_them(wcli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _demo(wcli, 1)
    out = tmp_path / "my returns"
    done = wcli("export", ids[0], "-o", f'"{out}"')
    assert done.code == 0, done.err
    assert Path(done.out.strip()).parent == out
    db = tmp_path / "quoted.sqlite3"
    assert wcli("import", f'"{out}"', env={"QA_TUI_DB": f'"{db}"'}).code == 0
    assert db.is_file()
    # cmd.exe turns "C:\my returns\" into C:\my returns" (the \" is an escaped quote)
    assert wcli("verify", f'{out}"').code == 0


def test_doctor_and_the_log_work_there(wcli, home: Path) -> None:  # type: ignore[no-untyped-def]
    _demo(wcli, 1)
    done = wcli("doctor", "--json", env={"QA_TUI_LOG": "1"})
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert report["ok"] and report["database"]["integrity"] == "ok"
    assert "command=doctor exit=0" in (home / "logs" / "qa-tui.log").read_text("utf-8")
