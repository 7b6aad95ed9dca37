"""The CLI through its real entry point (``python -m qa_tui``), as a script would call it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CliResult, run_cli


def assert_clean_failure(result: CliResult, code: int, fragment: str) -> None:
    assert result.code == code, (result.out, result.err)
    assert fragment in result.err
    assert "Traceback" not in result.err + result.out
    for line in filter(None, result.err.strip().splitlines()):
        assert line.startswith(("qa-tui:", "Usage:", "Try ", "Error:")), line


def new_assessment(cli) -> str:  # type: ignore[no-untyped-def]
    r = cli("new", "--template", "cqc-saf-well-led", "--org", "Example NHS Trust",
            "--org-code", "RTD", "--site", "Trust board", "--assessor", "A. Assessor",
            "--date", "2026-03-01")
    assert r.code == 0, r.err
    return r.out.strip()


def test_templates_lists_bundled_from_any_directory(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("templates", cwd=tmp_path)
    assert r.code == 0 and "cqc-saf-well-led" in r.out
    data = json.loads(cli("templates", "--json", cwd=tmp_path).out)
    saf = next(t for t in data if t["id"] == "cqc-saf-well-led")
    assert set(saf) >= {"id", "version", "title", "kind", "questions"} and saf["questions"] == 8


def test_templates_does_not_create_a_database(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("templates").code == 0
    assert not (home / "data" / "qa-tui.sqlite3").exists()


def test_done_when_flow(cli) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    r = cli("answer", aid[:8], "WL1", "3", "--note", "Board minutes March; FTSU report")
    assert r.code == 0 and "WL1 = Good standard" in r.out
    data = json.loads(cli("show", aid, "--json").out)
    assert data["answers"]["WL1"]["value"] == 3
    assert data["answers"]["WL1"]["note"] == "Board minutes March; FTSU report"
    assert data["sections"][0]["score_pct"] == 75.0 and data["sections"][0]["rating"] == "Good"
    assert data["overall"] == {"score_pct": 75.0, "rating": "Good", "band": "63-87",
                               "trace": "3 of 4 (75%) -> Good, band 63-87"}
    listing = json.loads(cli("list", "--json").out)
    assert listing[0]["id"] == aid and listing[0]["progress_pct"] == 12
    assert set(listing[0]) >= {"id", "organisation", "template", "status", "progress_pct",
                               "updated_at"}
    human = cli("show", aid[:6])
    assert human.code == 0 and "3 of 4 (75%) -> Good, band 63-87" in human.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("WL9", "3"), "no question 'WL9'"),
        (("WL1", "7"), "'7' is not an answer here"),
        (("WL1", "excellent"), "choose one of 1=Significant shortfalls"),
        (("WL1", "2026-01-01"), "is not an answer here"),
    ],
)
def test_bad_answers_exit_1_and_change_nothing(cli, args: tuple[str, ...], fragment: str) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    before = json.loads(cli("show", aid, "--json").out)
    assert_clean_failure(cli("answer", aid, *args), 1, fragment)
    assert json.loads(cli("show", aid, "--json").out) == before


def test_bad_new_inputs(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_failure(cli("new", "--template", "nope", "--org", "X Trust"), 1,
                         "no template 'nope'")
    assert_clean_failure(cli("new", "--template", "cqc-saf-well-led", "--org", "X Trust",
                             "--date", "tomorrow"), 1, "not a date in the form YYYY-MM-DD")
    assert_clean_failure(cli("new", "--template", "cqc-saf-well-led", "--org", "X Trust",
                             "--org-code", "!!"), 1, "ODS code")
    assert json.loads(cli("list", "--json").out) == []


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("no-such-command").code == 2
    assert cli("new", "--org", "X").code == 2
    aid = new_assessment(cli)
    assert_clean_failure(cli("answer", aid, "WL1"), 2, "give a VALUE")
    assert_clean_failure(cli("answer", aid, "WL1", "3", "--na"), 2, "not both")


def test_unknown_and_ambiguous_ids(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_failure(cli("show", "ffffffff"), 1, "no assessment with id 'ffffffff'")


def test_complete_refusal_lists_each_reason(cli) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    r = cli("complete", aid)
    assert r.code == 1
    lines = r.err.strip().splitlines()
    assert len(lines) == 8 and lines[0] == "qa-tui: cannot complete yet: WL1 is required and not answered"
    for q in range(1, 9):
        assert cli("answer", aid, f"WL{q}", "4").code == 0
    done = cli("complete", aid)
    assert done.code == 0 and "Outstanding" in done.out


def test_actions_history_undo(cli) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    action_id = cli("action", "add", aid, "Refresh the risk register", "--owner", "Head of Risk",
                    "--due", "2026-06-30", "--question", "WL5").out.strip()
    assert len(action_id) == 36
    assert cli("action", "close", aid, action_id[:8]).code == 0
    assert_clean_failure(cli("action", "add", aid, "x", "--due", "someday"), 1, "due date")
    cli("answer", aid, "WL2", "2")
    assert "WL2: back to unanswered" in cli("undo", aid).out
    hist = cli("history", aid)
    assert hist.code == 0
    kinds = [json.loads(cli("history", aid, "--json").out)[i]["kind"] for i in range(5)]
    assert kinds == ["start", "action.add", "action.edit", "answer", "undo"]


def test_templates_check_reports_every_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\nversion = "1"\ntitle = "Bad"\nkind = "visit"\n'
                   'description = "d"\nsource = "s"\n[[sections]]\nid = "A"\ntitle = "A"\n'
                   '[[sections.questions]]\nid = "Q1"\ntext = "t"\nscale = "missing"\n'
                   '[[sections]]\nid = "B"\ntitle = "B"\n', encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    r = cli("templates", "check", str(bad), str(root / "assessments" / "cqc-saf-well-led.toml"))
    assert r.code == 1
    assert "ok   " in r.out and "cqc-saf-well-led" in r.out
    assert f"{bad}: sections[0].questions[0].scale: unknown scale 'missing'" in r.err
    assert f"{bad}: sections[1].questions: an empty section" in r.err


def test_templates_show_outline(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("templates", "show", "cqc-saf-well-led")
    assert r.code == 0
    assert "WL8" in r.out and "63-87" in r.out and "Exceptional standard" in r.out


def test_db_option_and_env(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "elsewhere" / "visits.sqlite3"
    r = cli("--db", str(db), "new", "--template", "cqc-saf-well-led", "--org", "Org A")
    assert r.code == 0 and db.exists()
    assert (db.stat().st_mode & 0o777) == 0o600
    assert len(json.loads(run_cli("list", "--json", env={"QA_TUI_DB": str(db)}).out)) == 1


def test_unusable_database_path_is_a_clear_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = cli("--db", str(blocker / "inside" / "db.sqlite3"), "list")
    assert_clean_failure(r, 1, "cannot be created or opened")
    assert "internal error" not in r.err


def test_refuses_foreign_database_untouched(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("create table t(x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    r = cli("--db", str(other), "list")
    assert_clean_failure(r, 1, "not a qa-tui database")
    assert other.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["other.sqlite3"]


def test_no_command_without_a_terminal_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(input="")
    assert r.code == 2 and "the app needs a terminal" in r.err
