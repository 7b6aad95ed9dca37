"""A follow-up visit walked in the TUI at 80x24: f on Home, the previous finding on each
question, p to copy it, and the carried action reviewed on the Actions screen."""

from __future__ import annotations



from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.review import ReviewDialog
from qa_tui.ui.screens.actions import ActionsScreen
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.widgets.previous_finding import PreviousFinding

from tests.test_ui_support import pilot_test, screen_text, start_ward_check, until

SMALL = (80, 24)


@pilot_test
async def test_follow_up_visit_walk(svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", "yes")
    svc.assessments.answer(aid, "S3", "3", note="Floors clean; sluice cluttered")
    svc.assessments.answer(aid, "C1", "4")
    svc.assessments.add_action(aid, "Deep clean the sluice", question_id="S3")
    svc.assessments.complete(aid)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "the follow-up")
        screen = app.screen
        assert isinstance(screen, AssessScreen) and screen.detail is not None
        fid = screen.detail.id
        assert fid != aid and screen.detail.record.follows == aid
        assert screen.question_id == "S1"
        line = screen.query_one(PreviousFinding)
        assert line.display and line.size.height == 1
        assert "Previous 2026-03-02 (g, P): Yes" in screen_text(app)
        await pilot.press("P")  # nothing changed: copy the previous answer, audited as such
        await until(pilot, lambda: svc.assessments.get(fid).answer("S1").value is not None,
                    "the copy")
        assert svc.assessments.get(fid).answer("S1").value == "yes"
        copied = [e for e in svc.assessments.history(fid) if e.kind == "answer"]
        assert copied[-1].new["copied_from"] == aid
        screen.go_to("S3")
        await pilot.pause()
        assert "Previous 2026-03-02 (g, P): Good · Floors clean" in screen_text(app)
        assert line.size.height == 1  # a long note is cut to the one line
        assert "sluice cluttered" not in screen_text(app)
        await pilot.press("g")  # expanded, with the guidance: the whole previous note
        await pilot.pause()
        assert line.size.height > 1 and "\nFloors clean; sluice cluttered" in str(line.render())
        await pilot.press("g")
        await pilot.pause()
        assert line.size.height == 1
        assert svc.assessments.get(fid).answer("S3").value is None  # never copied unasked
        await pilot.press("r", "a")  # Review, then every action
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen), "the actions")
        assert "↻" in screen_text(app)  # the carried action is marked
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewDialog), "the review dialog")
        await pilot.press("2", "enter", *"Half cleared", "enter")
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen), "the review saved")
        assert "✓ saved: action reviewed: partly" in screen_text(app)
    detail = svc.assessments.get(fid)
    [update] = detail.action_updates
    assert (update.outcome, update.status, update.note) == ("partly", "open", "Half cleared")
    [carried] = detail.actions
    assert carried.carried_from is not None and carried.carried_from.assessment_id == aid
