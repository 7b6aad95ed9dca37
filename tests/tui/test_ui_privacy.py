"""Patient identifiers in free text: warned about while typing, and an export refusal that
lists every place so the assessor can go and fix each one."""

from __future__ import annotations



from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.action import ActionDialog
from qa_tui.ui.dialogs.export_refused import ExportRefusedDialog
from qa_tui.ui.format import identifier_warning
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.widgets.identifier_warning import IdentifierWarning

from tests.test_ui_support import (
    accept_draft_export,
    pilot_test,
    screen_text,
    start_ward_check,
    until,
)

SMALL = (80, 24)
VALID, INVALID = "943 476 5919", "943 476 5918"  # the second fails the Modulus 11 check
WARNING = "Probable NHS number in this note — patient identifiers must not go in a return"


def test_the_warning_names_kinds_never_values() -> None:
    assert identifier_warning([], "note") == ""
    assert identifier_warning(["NHS number"], "note") == "⚠ " + WARNING
    assert identifier_warning(["NHS number", "postcode", "email address"], "answer") == (
        "⚠ Probable NHS number, postcode and email address in this answer — patient "
        "identifiers must not go in a return")


@pilot_test
async def test_a_valid_nhs_number_in_a_note_is_warned_about_until_fixed(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        warning = app.screen.query_one("#note-warning", IdentifierWarning)
        await pilot.press("e", *VALID)
        await until(pilot, lambda: not warning.pending, "the scan after typing pauses")
        assert warning.display and warning.kinds == ("NHS number",)
        assert str(warning.render()) == "⚠ " + WARNING  # the kind, never the value
        assert "⚠ Probable NHS number in this note" in screen_text(app)
        await pilot.press("ctrl+u")  # the whole line goes
        await until(pilot, lambda: not warning.pending, "the scan after typing pauses")
        assert not warning.display
        assert "Probable NHS number" not in screen_text(app)
        await pilot.press(*INVALID)  # ten digits failing Modulus 11: not an NHS number
        await until(pilot, lambda: not warning.pending, "the scan after typing pauses")
        assert not warning.display
        await pilot.press("escape")
    assert svc.assessments.get(aid).answer("S3").note == INVALID


@pilot_test
async def test_a_stored_note_is_checked_when_its_question_is_shown(svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.set_note(aid, "C1", f"Spoke to patient, DOB 01/02/1950, {VALID}")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        warning = app.screen.query_one("#note-warning", IdentifierWarning)
        assert not warning.display
        await pilot.press("right_square_bracket")  # to Caring: C1
        assert isinstance(app.screen, AssessScreen) and app.screen.question_id == "C1"
        assert warning.display and set(warning.kinds) == {"NHS number", "date of birth"}


@pilot_test
async def test_free_text_answer_and_action_description_are_checked(svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", value="no")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen) and screen.question_id == "S2"
        await pilot.press("enter", *"a@b.uk")
        answer_warning = screen.query_one("#answer-warning", IdentifierWarning)
        await until(pilot, lambda: not answer_warning.pending, "the scan after typing pauses")
        assert answer_warning.kinds == ("email address",)
        assert "Probable email address in this answer" in screen_text(app)
        await pilot.press("escape", "a", *VALID)
        await until(pilot, lambda: isinstance(app.screen, ActionDialog) and not any(
            w.pending for w in app.screen.query(IdentifierWarning)), "the action's scan")
        assert "Probable NHS number in this action" in screen_text(app)
        await pilot.press("escape")


@pilot_test
async def test_a_refused_export_lists_each_place_and_opens_it(paths: Paths,
                                                              svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.set_note(aid, "C1", f"NHS no {VALID}")
    svc.assessments.answer(aid, "S3", value=2, note="Sluice clean; see NE1 4LP")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await accept_draft_export(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ExportRefusedDialog)
        shown = screen_text(app)
        assert "Not exported" in shown and "Probable patient identifiers" in shown
        assert "• S3 note: probable postcode" in shown
        assert "• C1 note: probable NHS number" in shown
        assert VALID not in shown
        assert not list(paths.export_dir.glob("*.xlsx"))
        await pilot.press("down", "enter")  # the second reason: C1
        await pilot.pause()
        assert isinstance(app.screen, AssessScreen)
        assert app.screen.assessment_id == aid and app.screen.question_id == "C1"


@pilot_test
async def test_an_other_refusal_still_reads_as_a_sentence(svc: Services) -> None:
    """Not every refusal has reasons: a file in the way that is not a return (so not one to
    offer replacing) is said on the status line."""
    aid = start_ward_check(svc)
    first = svc.returns.export(aid)
    first.path.write_bytes(b"someone else's spreadsheet")  # same name, not a return
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await accept_draft_export(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportRefusedDialog)
        assert "✗ Not exported: a different file already exists" in screen_text(app)
