"""Follow-up visits and the action lifecycle (issue 12), from the outside: the CLI through its
entry point, returns written and read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .conftest import call_cli


def _complete_visit(cli) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """A completed cqc-saf-well-led visit with two open actions; returns (id, action1, action2)."""
    r = cli("new", "--template", "cqc-saf-well-led", "--org", "Example NHS Trust",
            "--org-code", "RTD", "--site", "Trust board", "--assessor", "A. Assessor",
            "--date", "2026-01-10")
    assert r.code == 0, r.err
    aid = r.out.strip()
    for q in range(1, 9):
        assert cli("answer", aid, f"WL{q}", "3" if q != 2 else "2",
                   "--note", f"evidence {q}").code == 0
    a1 = cli("action", "add", aid, "Refresh the risk register", "--owner", "Head of Risk",
             "--question", "WL2").out.strip()
    a2 = cli("action", "add", aid, "Publish FTSU data").out.strip()
    assert cli("complete", aid).code == 0
    return aid, a1, a2


def test_closing_an_action_on_a_complete_assessment_is_an_audited_update(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid, a1, a2 = _complete_visit(cli)
    before = json.loads(cli("show", aid, "--json").out)
    r = cli("action", "close", aid, a1[:8], "--note", "Register seen at board, March")
    assert r.code == 0, r.err
    r = cli("action", "edit", aid, a2, "--owner", "FTSU Guardian", "--note", "New owner")
    assert r.code == 0, r.err
    after = json.loads(cli("show", aid, "--json").out)
    assert after["status"] == "complete"
    assert after["answers"] == before["answers"]  # answers stay locked
    assert after["revision"] == before["revision"] + 2
    assert {a["id"]: a["status"] for a in after["actions"]} == {a1: "closed", a2: "open"}
    updates = after["action_updates"]
    assert [(u["action_id"], u["status"], u["note"], u["by"]) for u in updates] == [
        (a1, "closed", "Register seen at board, March", "tester"),
        (a2, "open", "New owner", "tester")]
    # answering is still refused
    assert cli("answer", aid, "WL1", "4").code == 1
    kinds = [e["kind"] for e in json.loads(cli("history", aid, "--json").out)]
    assert kinds[-2:] == ["action.update", "action.update"]
    # the return exported afterwards carries the updates, and reads back on another database
    assert cli("export", aid, "--output", str(tmp_path)).code == 0
    [path] = tmp_path.glob("*.xlsx")
    other = tmp_path / "other.sqlite3"
    assert call_cli("--db", str(other), "import", str(path)).code == 0
    shown = json.loads(call_cli("--db", str(other), "show", aid, "--json").out)
    assert shown["action_updates"] == updates
    assert shown["revision"] == after["revision"]


def test_v3_database_migrates_keeping_every_row(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    from qa_tui.store import SCHEMA_VERSION
    from qa_tui.store.migrations import apply_migrations

    aid, a1, _ = _complete_visit(cli)
    db = home / "data" / "qa-tui.sqlite3"
    tables = ("assessment", "answer", "action", "event")
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    conn.close()
    # rebuild as a v3 database holding the same rows
    v3 = home / "v3.sqlite3"
    old = sqlite3.connect(v3, isolation_level=None)
    apply_migrations(old, up_to=3)
    old.execute("PRAGMA foreign_keys = OFF")
    old.execute("ATTACH DATABASE ? AS cur", (str(db),))
    for t in tables:
        cols = [r[1] for r in old.execute(f"PRAGMA main.table_info({t})")]
        names = ", ".join(cols)
        old.execute(f"INSERT INTO main.{t} ({names}) SELECT {names} FROM cur.{t}")
    old.execute("DETACH DATABASE cur")
    assert old.execute("PRAGMA user_version").fetchone()[0] == 3
    old.close()
    r = call_cli("--db", str(v3), "show", aid, "--json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert shown["follows"] is None and shown["followed_by"] == [] and shown["action_updates"] == []
    conn = sqlite3.connect(v3)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables} == counts
    conn.close()
    assert call_cli("--db", str(v3), "action", "close", aid, a1).code == 0
