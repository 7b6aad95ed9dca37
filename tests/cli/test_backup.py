"""Backups are consistent copies; restores are checked first and can themselves be undone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def test_backup_then_restore_round_trip(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Backup Trust").out.strip()
    cli("answer", aid, "WL1", "3", "--note", "before backup")
    made = cli("backup")
    assert made.code == 0, made.err
    backup = Path(made.out.strip())
    assert backup.parent == home / "data" / "backups"
    assert backup.stat().st_mode & 0o777 == 0o600
    assert backup.parent.stat().st_mode & 0o777 == 0o700
    cli("answer", aid, "WL1", "1", "--note", "after backup")
    chosen = cli("backup", str(tmp_path / "mine.sqlite3"))
    assert chosen.code == 0 and Path(chosen.out.strip()).exists()

    restored = cli("restore", str(backup))
    assert restored.code == 0, restored.err
    data = json.loads(cli("show", aid, "--json").out)
    assert data["answers"]["WL1"]["note"] == "before backup"
    safety = restored.out.rsplit(" saved as ", 1)[1].strip()
    assert cli("restore", safety).code == 0
    assert json.loads(cli("show", aid, "--json").out)["answers"]["WL1"]["note"] == "after backup"


def test_restore_refuses_bad_files_and_changes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Backup Trust").out.strip()
    cli("answer", aid, "WL1", "3")
    before = cli("show", aid, "--json").out
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 10)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("create table x(y)")
    con.commit()
    con.close()
    for path, reason in ((junk, "not an SQLite file"), (foreign, "another program"),
                         (tmp_path / "missing.sqlite3", "no such backup file")):
        r = cli("restore", str(path))
        assert r.code == 1 and reason in r.err and "Traceback" not in r.err
    assert cli("show", aid, "--json").out == before
    assert cli("backup", str(tmp_path / "junk.sqlite3")).code == 1  # never overwrites a file
