"""Follow-up visits and the action lifecycle (issue 12), from the outside: the CLI through its
entry point, returns written and read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import call_cli
from tests.test_return_support import schema_errors


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
        # since the snapshot table (issue 20) each snapshot is stored once, by its hash
        picked = ", ".join("(SELECT s.snapshot FROM cur.template_snapshot s WHERE s.hash = "
                           f"cur.{t}.snapshot_hash)" if c == "template_snapshot" else c
                           for c in cols)
        old.execute(f"INSERT INTO main.{t} ({names}) SELECT {picked} FROM cur.{t}")
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


def test_follow_up_links_visits_and_carries_open_actions(cli) -> None:  # type: ignore[no-untyped-def]
    aid, a1, a2 = _complete_visit(cli)
    assert cli("action", "close", aid, a2, "--note", "Published").code == 0
    r = cli("new", "--follow-up", aid[:8], "--date", "2026-03-01")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    fid = lines[0]
    assert f"follows {aid}" in lines and "actions carried forward: 1" in lines
    new = json.loads(cli("show", fid, "--json").out)
    old = json.loads(cli("show", aid, "--json").out)
    assert new["follows"] == aid and new["followed_by"] == []
    assert old["follows"] is None and old["followed_by"] == [fid]
    assert (new["organisation"], new["site"], new["template"]) == (
        old["organisation"], old["site"], old["template"])
    assert new["answers"] == {} and new["visit_date"] == "2026-03-01"
    [carried] = new["actions"]
    assert carried["carried_from"] == {"assessment_id": aid, "action_id": a1}
    assert carried["id"] != a1 and carried["status"] == "open"
    assert carried["description"] == "Refresh the risk register"
    # review: partly keeps it open, completed closes it; each an audited update
    cid = carried["id"]
    assert cli("action", "review", fid, cid[:8], "--outcome", "partly",
               "--note", "Draft register seen").code == 0
    r = cli("action", "review", fid, cid, "--outcome", "completed", "--note", "Board minutes")
    assert r.code == 0 and "completed (closed)" in r.out
    shown = json.loads(cli("show", fid, "--json").out)
    assert shown["actions"][0]["status"] == "closed"
    assert [(u["outcome"], u["status"], u["note"]) for u in shown["action_updates"]] == [
        ("partly", "open", "Draft register seen"), ("completed", "closed", "Board minutes")]
    kinds = [e["kind"] for e in json.loads(cli("history", fid, "--json").out)]
    assert kinds == ["start", "action.carry", "action.review", "action.review"]
    # bad reviews change nothing
    before = cli("show", fid, "--json").out
    assert cli("action", "review", fid, cid, "--outcome", "done", "--note", "x").code == 2
    assert cli("action", "review", fid, cid, "--outcome", "partly", "--note", " ").code == 1
    own = cli("action", "add", fid, "New action").out.strip()
    r = cli("action", "review", fid, own, "--outcome", "partly", "--note", "x")
    assert r.code == 1 and "not carried" in r.err
    assert json.loads(cli("show", fid, "--json").out)["action_updates"] == json.loads(
        before)["action_updates"]
    # the chain, oldest first
    chain = json.loads(cli("chain", fid, "--json").out)
    assert [v["id"] for v in chain] == [aid, fid]
    assert chain[0]["rating"] == old["overall"]["rating"] and chain[0]["status"] == "complete"
    assert [a["id"] for a in chain[0]["open_actions"]] == [a1]
    assert [a["id"] for a in chain[1]["open_actions"]] == [own]
    human = cli("chain", aid)
    assert human.code == 0 and "2026-01-10" in human.out and "2026-03-01" in human.out


def test_follow_up_usage_errors(cli) -> None:  # type: ignore[no-untyped-def]
    aid, _, _ = _complete_visit(cli)
    assert cli("new", "--follow-up", aid, "--org", "Other").code == 2
    assert cli("new", "--org", "Other").code == 2
    r = cli("new", "--follow-up", "ffffffff")
    assert r.code == 1 and "no assessment" in r.err
    assert json.loads(cli("list", "--json").out)[0]["id"] == aid  # nothing was started
    r = cli("new", "--follow-up", aid, "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["follows"] == aid and data["follow_up"]["follows"] == aid
    assert data["follow_up"]["questions_removed"] == [] and len(data["follow_up"]["carried"]) == 2


def test_follow_up_of_an_imported_return_round_trips_with_the_chain(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid, a1, a2 = _complete_visit(cli)
    out = tmp_path / "out"
    assert cli("export", aid, "--output", str(out)).code == 0
    [first] = out.glob("*.xlsx")
    other = tmp_path / "other.sqlite3"

    def there(*args: str):  # type: ignore[no-untyped-def]
        return call_cli("--db", str(other), *args)

    assert there("import", str(first)).code == 0
    r = there("new", "--follow-up", aid, "--date", "2026-03-01")
    assert r.code == 0, r.err
    fid = r.out.splitlines()[0]
    carried = json.loads(there("show", fid, "--json").out)["actions"]
    assert len(carried) == 2
    assert there("action", "review", fid, carried[0]["id"], "--outcome", "not started",
                 "--note", "Nothing yet").code == 0
    out2 = tmp_path / "out2"
    assert there("export", fid, "--output", str(out2)).code == 0
    [second] = out2.glob("*.xlsx")
    assert cli("verify", str(second)).code == 0
    assert there("export", fid, "--format", "json", "--output", str(tmp_path / "json")).code == 0
    document = json.loads(next((tmp_path / "json").glob("*.json")).read_text("utf-8"))
    assert document["assessment"]["follows"] == aid
    assert {a["carried_from"]["assessment_id"] for a in document["actions"]} == {aid}
    assert [u["outcome"] for u in document["action_updates"]] == ["not started"]
    schema = json.loads((EXAMPLES.parent / "return-v1.schema.json").read_text("utf-8"))
    assert schema_errors(document, schema, schema) == []
    assert cli("import", str(second)).code == 0
    shown = json.loads(cli("show", fid, "--json").out)
    assert shown["follows"] == aid
    assert {a["carried_from"]["action_id"] for a in shown["actions"]} == {a1, a2}
    assert shown["action_updates"][0]["outcome"] == "not started"
    assert json.loads(cli("show", aid, "--json").out)["followed_by"] == [fid]
    assert [v["id"] for v in json.loads(cli("chain", fid, "--json").out)] == [aid, fid]
    assert "already up to date" in cli("import", str(second)).out  # the same content
    # a database holding only the follow-up knows its predecessor by id
    third = tmp_path / "third.sqlite3"
    assert call_cli("--db", str(third), "import", str(second)).code == 0
    chain = json.loads(call_cli("--db", str(third), "chain", fid, "--json").out)
    assert [(v["id"], v["missing"]) for v in chain] == [(aid, True), (fid, False)]


def test_follow_up_moves_to_the_newer_template_version_and_lists_the_changes(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    source = (Path(__file__).resolve().parents[2] / "assessments" / "cqc-saf-well-led.toml"
              ).read_text(encoding="utf-8")
    source = source.replace('id = "cqc-saf-well-led"', 'id = "fu-test"', 1)
    folder = home / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "fu-test.toml").write_text(source.replace('version = "1.2"', 'version = "1.9"', 1),
                                         encoding="utf-8")
    r = cli("new", "--template", "fu-test", "--org", "Example NHS Trust", "--date", "2026-01-10")
    assert r.code == 0, r.err
    aid = r.out.strip()
    assert cli("answer", aid, "WL8", "3", "--note", "Green plan").code == 0
    assert cli("action", "add", aid, "Measure travel", "--question", "WL8").code == 0
    newer = source.replace('version = "1.2"', 'version = "1.10"', 1).replace(
        'id = "WL8"', 'id = "WL9"', 1)
    (folder / "fu-test.toml").write_text(newer, encoding="utf-8")
    r = cli("new", "--follow-up", aid)
    assert r.code == 0, r.err
    assert "template fu-test 1.9 -> 1.10" in r.out
    assert "questions removed: WL8" in r.out and "questions added: WL9" in r.out
    fid = r.out.splitlines()[0]
    shown = json.loads(cli("show", fid, "--json").out)
    assert shown["template"]["version"] == "1.10"
    [carried] = shown["actions"]
    assert carried["question_id"] is None  # its question is gone; the action is kept


EXAMPLES = Path(__file__).resolve().parents[2] / "exports" / "examples"


def test_v1_example_returns_without_the_new_keys_still_verify_import_and_consolidate(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from tests.test_consolidate_support import table_rows

    examples = sorted(EXAMPLES.glob("*.xlsx"))
    assert len(examples) == 3
    for path in examples:
        assert cli("verify", str(path)).code == 0
        assert cli("import", str(path)).code == 0
        rid = json.loads(cli("list", "--json").out)[0]["id"]
        shown = json.loads(cli("show", rid, "--json").out)
        assert shown["follows"] is None and shown["action_updates"] == []
    out = tmp_path / "book.xlsx"
    r = cli("consolidate", str(EXAMPLES), "--output", str(out))
    assert r.code == 0, r.err
    wb = load_workbook(out)
    assert len(table_rows(wb["Visits"])) == 3  # three first visits, each a chain of one
    for row in table_rows(wb["Actions"]):
        assert row["Visits"] == 1 and row["Still open"] is None
        assert "raised at visit" in row["History"]


def test_consolidated_register_lists_one_row_per_action_with_its_history(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from tests.test_consolidate_support import table_rows

    aid, a1, a2 = _complete_visit(cli)
    fid = cli("new", "--follow-up", aid, "--date", "2026-03-01").out.splitlines()[0]
    carried = {a["carried_from"]["action_id"]: a["id"]
               for a in json.loads(cli("show", fid, "--json").out)["actions"]}
    assert cli("action", "review", fid, carried[a1], "--outcome", "completed",
               "--note", "Register seen").code == 0
    assert cli("action", "review", fid, carried[a2], "--outcome", "partly",
               "--note", "Half published").code == 0
    for q in range(1, 9):
        assert cli("answer", fid, f"WL{q}", "3", "--note", f"seen {q}").code == 0
    assert cli("complete", fid).code == 0
    returns = tmp_path / "returns"
    for x in (aid, fid):
        assert cli("export", x, "--output", str(returns)).code == 0
    out = tmp_path / "book.xlsx"
    r = cli("consolidate", str(returns), "--output", str(out), "--as-of", "2026-03-02")
    assert r.code == 0, r.err
    wb = load_workbook(out)
    rows = table_rows(wb["Actions"])
    assert sorted(r["Action id"] for r in rows) == sorted(carried.values())  # no duplicates
    by_id = {r["Action id"]: r for r in rows}
    done, half = by_id[carried[a1]], by_id[carried[a2]]
    assert done["Visits"] == 2 and done["Status"] == "closed" and done["Still open"] is None
    assert "raised at visit 2026-01-10" in done["History"]
    assert "carried to visit 2026-03-01" in done["History"]
    assert "reviewed: completed: Register seen" in done["History"]
    assert half["Still open"] == "Open after 2 visits"
    assert "reviewed: partly: Half published" in half["History"]
    [chain] = table_rows(wb["Visits"])
    assert chain["Visits"] == 2 and chain["Latest return id"] == fid
    assert chain["First visit"].date().isoformat() == "2026-01-10"
    assert chain["Latest visit"].date().isoformat() == "2026-03-01"
    # only the follow-up in the batch: the earlier visit still counts for the flag
    alone = tmp_path / "alone"
    alone.mkdir()
    [follow] = [p for p in returns.glob("*.xlsx") if fid[:8] in p.name]
    (alone / follow.name).write_bytes(follow.read_bytes())
    out2 = tmp_path / "alone.xlsx"
    assert cli("consolidate", str(alone), "--output", str(out2)).code == 0
    rows = {r["Action id"]: r for r in table_rows(load_workbook(out2)["Actions"])}
    assert rows[carried[a2]]["Still open"] == "Open after 2 visits"
    assert "carried in at visit 2026-03-01" in rows[carried[a2]]["History"]
