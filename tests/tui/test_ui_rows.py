"""Rows of a repeating section in the Assess screen, by keyboard at 80x24 (issue #17 item 1):
the risk register of the bundled ``system-eqia``. Add a row (+), answer its fields with the usual
keys, see the computed score and band read-only, move between rows ({ }), remove a row (-)
after a confirmation, and undo the removal (u)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App
from textual.widgets import OptionList

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.confirm import ConfirmDialog
from qa_tui.ui.dialogs.help import HelpScreen
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.review import ReviewScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text, until

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths, bundled=True)
    yield services
    services.close()


def start_eqia(svc: Services) -> str:
    return svc.assessments.start("system-eqia", org_name="Northshire ICB", org_code="QHM",
                                 site="Urgent care review", assessors=["Quality lead"],
                                 visit_date="2026-03-02").id


async def opened(pilot: Any, app: App[Any]) -> AssessScreen:
    """The Assess screen once it shows its first question."""
    await until(pilot, lambda: isinstance(app.screen, AssessScreen) and app.screen.question_id,
                "Assess to show a question")
    await pilot.pause()
    assert isinstance(app.screen, AssessScreen)
    return app.screen


def nav_ids(screen: AssessScreen) -> list[str]:
    nav = screen.query_one("#nav-questions", OptionList)
    return [str(nav.get_option_at_index(i).id) for i in range(nav.option_count)]


@pilot_test
async def test_add_rows_answer_fields_and_see_the_computed_score(svc: Services) -> None:
    aid = start_eqia(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK")  # the register has no rows yet: its placeholder
        screen = await opened(pilot, app)
        assert isinstance(screen, AssessScreen) and screen.question_id == "RISK"
        shown = screen_text(app)
        assert "no rows yet" in shown and "+ adds" in shown
        assert "+/- Row" in shown  # the footer offers the keys here, at 80 columns
        await pilot.press("plus")
        assert svc.assessments.get(aid).rows["RISK"] == 1
        assert screen.question_id == "RISK[1].DESC"
        await pilot.press("enter", *"Clinic moves: no bus route", "enter")
        detail = svc.assessments.get(aid)
        assert detail.answer("RISK[1].DESC").value == "Clinic moves: no bus route"
        assert screen.question_id == "RISK[1].LIKELIHOOD"  # auto-advance within the row
        assert "Risk 1: Clinic" in screen_text(app)  # the row is named by its title
        await pilot.press("3")
        assert screen.question_id == "RISK[1].CONSEQUENCE"
        await pilot.press("4")
        assert screen.question_id == "RISK[1].SCORE"
        detail = svc.assessments.get(aid)
        assert (detail.answer("RISK[1].LIKELIHOOD").value,
                detail.answer("RISK[1].CONSEQUENCE").value) == (3, 4)
        score = detail.computed("RISK[1].SCORE")
        assert score is not None and (score.value, score.band) == (12, "High")
        shown = screen_text(app)
        assert "12 (High)" in shown and "LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High" in shown
        assert "read-only" in shown
        await pilot.press("plus")
        assert svc.assessments.get(aid).rows["RISK"] == 2
        assert screen.question_id == "RISK[2].DESC"
        assert "row 2 of 2" in screen_text(app)


@pilot_test
async def test_a_computed_field_refuses_answers_and_notes(svc: Services) -> None:
    aid = start_eqia(svc)
    svc.assessments.add_row(aid, "RISK")
    svc.assessments.answer(aid, "RISK[1].LIKELIHOOD", value=5)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK[1].SCORE")
        screen = await opened(pilot, app)
        assert isinstance(screen, AssessScreen) and screen.question_id == "RISK[1].SCORE"
        assert "no value yet" in screen_text(app)  # CONSEQUENCE is not answered
        for key in ("3", "x", "e", "enter"):
            await pilot.press(key)
            assert screen.focused is None, key  # no answer box, no note editor
            assert "read-only" in screen_text(app), key
        detail = svc.assessments.get(aid)
        assert not detail.answer("RISK[1].SCORE").answered
        assert detail.answer("RISK[1].SCORE").note == ""
        await pilot.press("k", "5")  # CONSEQUENCE 5: the score appears, Extreme
        assert screen.question_id == "RISK[1].SCORE"
        assert "25 (Extreme)" in screen_text(app)


@pilot_test
async def test_move_between_rows_and_remove_one_with_confirmation_and_undo(svc: Services) -> None:
    aid = start_eqia(svc)
    for n, (desc, likelihood) in enumerate([("Staffing gaps", 2), ("Interpreters", 4),
                                            ("Digital only", 3)], start=1):
        svc.assessments.add_row(aid, "RISK")
        svc.assessments.answer(aid, f"RISK[{n}].DESC", desc)
        svc.assessments.answer(aid, f"RISK[{n}].LIKELIHOOD", value=likelihood)
    svc.assessments.add_action(aid, "Book interpreters", question_id="RISK[2].DESC")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK[1].LIKELIHOOD")
        screen = await opened(pilot, app)
        assert isinstance(screen, AssessScreen)
        assert "q:RISK[3].REVIEW" in nav_ids(screen)  # every row's fields are listed
        await pilot.press("right_curly_bracket")
        assert screen.question_id == "RISK[2].LIKELIHOOD"  # same field, next row
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert screen.question_id == "RISK[3].LIKELIHOOD"
        assert "No row after this one" in screen_text(app)
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert screen.question_id == "RISK[1].LIKELIHOOD"
        await pilot.press("right_curly_bracket")
        # remove row 2, but first say no: nothing changes
        await pilot.press("minus")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Remove Risk 2: Interpreters?" in screen_text(app)
        assert "Its 1 action stays, no longer on a question." in " ".join(screen_text(app).split())
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen, "back to Assess")
        assert svc.assessments.get(aid).rows["RISK"] == 3
        await pilot.press("minus")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: svc.assessments.get(aid).rows["RISK"] == 2, "the removal")
        detail = svc.assessments.get(aid)
        assert detail.answer("RISK[2].DESC").value == "Digital only"  # row 3 moved up
        assert screen.question_id == "RISK[2].LIKELIHOOD"
        assert "removed" in screen_text(app)
        await pilot.press("u")
        detail = svc.assessments.get(aid)
        assert detail.rows["RISK"] == 3
        assert [detail.answer(f"RISK[{n}].DESC").value for n in (1, 2, 3)] == [
            "Staffing gaps", "Interpreters", "Digital only"]
        assert detail.answer("RISK[2].LIKELIHOOD").value == 4  # its answers came back too
        assert "undone" in screen_text(app)


@pilot_test
async def test_removing_the_last_row_leaves_the_placeholder(svc: Services) -> None:
    aid = start_eqia(svc)
    svc.assessments.add_row(aid, "RISK")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK[1].DESC")
        screen = await opened(pilot, app)
        assert isinstance(screen, AssessScreen)
        await pilot.press("minus")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: svc.assessments.get(aid).rows["RISK"] == 0, "the removal")
        assert screen.question_id == "RISK"
        assert "no rows yet" in screen_text(app)
        await pilot.press("minus")  # nothing left to remove: the key says so, changes nothing
        assert svc.assessments.get(aid).rows["RISK"] == 0
        assert "'-' does nothing here: No rows yet: + adds a row." in screen_text(app)


@pilot_test
async def test_row_keys_only_in_a_repeating_section_and_listed_in_help(svc: Services) -> None:
    aid = start_eqia(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "EQ2.1")
        screen = await opened(pilot, app)
        assert isinstance(screen, AssessScreen)
        assert "+/- Row" not in screen_text(app)
        await pilot.press("plus")  # nothing to add a row to here
        assert svc.assessments.get(aid).rows.get("RISK", 0) == 0
        # sections step into the register (its placeholder) and out again
        for _ in range(3):
            await pilot.press("right_square_bracket")
        assert screen.question_id == "RISK"
        assert "Rows" in screen_text(app)
        await pilot.press("plus")
        assert screen.question_id == "RISK[1].DESC"
        shown = screen_text(app)
        assert "+/- Row" in shown and "q Back" in shown  # the footer still fits 80 columns
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for words in ("Add a row", "Remove the row on screen", "Next row (same field)",
                      "Previous row (same field)"):
            assert words in shown, words
        await pilot.press("escape")
        await pilot.press("right_square_bracket")
        assert screen.question_id == "EQ6.1"  # on past the register to engagement


@pilot_test
async def test_system_eqia_opens_answers_and_reviews_in_the_app(svc: Services) -> None:
    """The Pilot smoke test of the bundled template: answer an impact by key, see the
    follow-up a Negative brings, and open Review."""
    aid = start_eqia(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "EQ2.1")
        screen = await opened(pilot, app)
        assert isinstance(screen, AssessScreen)
        assert "Age: what is the impact" in screen_text(app)
        await pilot.press("1")  # Negative: it needs a note, and its follow-up appears
        assert svc.assessments.get(aid).answer("EQ2.1").value == 1
        assert "needs an evidence note" in screen_text(app)
        assert "EQ2.1M" in screen._visible()
        await pilot.press("j")
        assert screen.question_id == "EQ2.1M"
        await pilot.press("3")  # Not mitigated: escalation
        assert svc.assessments.get(aid).report.escalations == ("EQ2.1M",)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "Review")
        assert "Northshire ICB" in screen_text(app)


@pilot_test
async def test_review_lists_open_row_fields_and_goes_to_them(svc: Services) -> None:
    aid = start_eqia(svc)
    svc.assessments.add_row(aid, "RISK")
    for field, value in (("DESC", "Staffing gaps"), ("LIKELIHOOD", 2), ("CONSEQUENCE", 3),
                         ("OWNER", "Head of Quality"), ("REVIEW", "2026-06-01")):
        svc.assessments.answer(aid, f"RISK[1].{field}", value=value)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK[1].DESC")
        screen = await opened(pilot, app)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "Review")
        todo = app.screen.query_one("#todo", OptionList)
        ids = [todo.get_option_at_index(i).id for i in range(todo.option_count)]
        assert "RISK[1].MITIGATION" in ids and "RISK[1].SCORE" not in ids  # computed: never open
        todo.highlighted = ids.index("RISK[1].MITIGATION")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "back to Assess")
        assert screen.question_id == "RISK[1].MITIGATION"


@pilot_test
async def test_a_completed_register_is_read_only(svc: Services) -> None:
    from qa_tui.templates import bundled_dir, load_template_file

    from tests.cli.test_system_eqia import _token

    aid = start_eqia(svc)
    template = load_template_file(bundled_dir() / "system-eqia.toml")
    for q in template.questions:
        if not q.id.endswith("M") and q.id != "EQ6.5":
            svc.assessments.answer(aid, q.id, _token(template, q.id))
    svc.assessments.add_row(aid, "RISK")
    for field, value in (("DESC", "Staffing gaps"), ("LIKELIHOOD", "2"), ("CONSEQUENCE", "3"),
                         ("MITIGATION", "Bank staff"), ("OWNER", "Head of Quality"),
                         ("REVIEW", "2026-06-01")):
        svc.assessments.answer(aid, f"RISK[1].{field}", value)
    svc.assessments.complete(aid)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK[1].DESC")
        screen = await opened(pilot, app)
        assert "+/- Row" not in screen_text(app)
        for key in ("plus", "minus"):
            await pilot.press(key)
            assert isinstance(app.screen, AssessScreen), key  # no confirmation to remove
            assert "read-only" in screen_text(app), key
        assert svc.assessments.get(aid).rows["RISK"] == 1
        await pilot.press("right_curly_bracket")  # moving is still fine
        assert "No row after this one" in screen_text(app) and screen.question_id == "RISK[1].DESC"


@pilot_test
async def test_help_on_a_computed_field_and_a_full_register(svc: Services) -> None:
    aid = start_eqia(svc)
    for _ in range(30):  # system-eqia allows 30 risks
        svc.assessments.add_row(aid, "RISK")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "RISK[30].SCORE")
        screen = await opened(pilot, app)
        await pilot.press("plus")
        assert "RISK already has 30 rows, the most this template allows" in screen_text(app)
        assert svc.assessments.get(aid).rows["RISK"] == 30
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        for _ in range(4):  # the current question's lines come last
            await pilot.press("pagedown")
        shown = screen_text(app)
        assert "RISK[30].SCORE: Computed, read-only: no value yet" in shown
        assert "type the answer to RISK[30].SCORE" not in shown
        await pilot.press("escape")
        assert app.screen is screen
