"""Restore and damaged databases, from the outside: the CLI on files the test crafts.

A copied database carries its newest answers in its ``-wal``; a restore source with any schema
object qa-tui never creates is refused; a damaged database with a live WAL is refused and left
byte for byte as it was, WAL included.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_cli


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir()
            if p.name.startswith(path.name)}


def _copy_with_live_wal(cli, home: Path, tmp_path: Path) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """A database copied (db and -wal) while a connection holds the WAL open, so the newest
    answer is only in the copied -wal."""
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Wal Trust").out.strip()
    cli("answer", aid, "WL1", "1", "--note", "old answer")
    db = home / "data" / "qa-tui.sqlite3"
    holder = sqlite3.connect(db)  # keeps the WAL from being checkpointed and removed
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("SELECT count(*) FROM assessment").fetchall()
    try:
        assert cli("answer", aid, "WL1", "4", "--note", "newest answer").code == 0
        copy = tmp_path / "copy" / "qa-tui.sqlite3"
        copy.parent.mkdir()
        shutil.copyfile(db, copy)
        shutil.copyfile(db.with_name(db.name + "-wal"), copy.with_name(copy.name + "-wal"))
    finally:
        holder.close()
    assert copy.with_name(copy.name + "-wal").stat().st_size > 0
    return aid, copy


def test_restore_includes_the_copied_wal_and_leaves_the_source_alone(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid, copy = _copy_with_live_wal(cli, home, tmp_path)
    before = _files(copy)
    cli("answer", aid, "WL1", "2", "--note", "after the copy")
    r = cli("restore", str(copy))
    assert r.code == 0, r.err
    shown = json.loads(cli("show", aid, "--json").out)
    assert shown["answers"]["WL1"]["note"] == "newest answer"
    assert _files(copy) == before  # no checkpoint, no -shm, nothing changed


def _add_to(db: Path, statement: str) -> None:
    con = sqlite3.connect(db)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize("statement, named", [
    ("CREATE TRIGGER wipe AFTER INSERT ON answer BEGIN DELETE FROM answer; END", "trigger 'wipe'"),
    ("CREATE VIEW v AS SELECT 1", "view 'v'"),
    ("CREATE TABLE extra (x)", "table 'extra'"),
    ("CREATE INDEX ix_extra ON answer (note)", "index 'ix_extra'"),
    ("DROP TRIGGER event_no_delete", "trigger 'event_no_delete' is missing"),
])
def test_restore_refuses_a_schema_that_is_not_exactly_ours(cli, home: Path, tmp_path: Path, statement: str, named: str) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Schema Trust").out.strip()
    cli("answer", aid, "WL1", "3")
    backup = Path(cli("backup", str(tmp_path / "b.sqlite3")).out.strip())
    _add_to(backup, statement)
    before = cli("show", aid, "--json").out
    backups = home / "data" / "backups"
    kept = sorted(backups.iterdir()) if backups.exists() else []
    r = cli("restore", str(backup))
    assert r.code == 1 and "schema" in r.err and named in r.err and "Traceback" not in r.err
    assert cli("show", aid, "--json").out == before
    assert (sorted(backups.iterdir()) if backups.exists() else []) == kept  # no safety copy


def test_restore_of_a_changed_table_definition_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("new", "--template", "cqc-saf-well-led", "--org", "Schema Trust")
    backup = Path(cli("backup", str(tmp_path / "b.sqlite3")).out.strip())
    _add_to(backup, "ALTER TABLE answer ADD COLUMN sneaky TEXT")
    r = cli("restore", str(backup))
    assert r.code == 1 and "definition of 'answer' differs" in r.err


def test_restore_refuses_a_fifo_without_hanging(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe.sqlite3"
    os.mkfifo(fifo)
    r = cli("restore", str(fifo))
    assert r.code == 1 and "named pipe" in r.err


def test_damaged_database_with_live_wal_is_refused_unchanged(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, copy = _copy_with_live_wal(cli, home, tmp_path)
    data = bytearray(copy.read_bytes())
    page = 4096
    for i in range(2 * page + 16, min(len(data), 5 * page)):  # scribble over b-tree pages
        data[i] = 0xA5
    copy.write_bytes(bytes(data))
    before = _files(copy)
    r = run_cli("--db", str(copy), "list", env={"QA_TUI_HOME": str(home)}, timeout=60)
    assert r.code == 1 and "damaged" in r.err, (r.code, r.err)
    assert _files(copy) == before  # main file and -wal byte for byte; no -shm left behind


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_database_path_that_is_not_a_regular_file_is_refused(tmp_path: Path, home: Path, kind: str) -> None:
    target = tmp_path / "db.sqlite3"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    r = run_cli("--db", str(target), "list", env={"QA_TUI_HOME": str(home)}, timeout=60)
    assert r.code == 1 and "not a regular file" in r.err and "Traceback" not in r.err
