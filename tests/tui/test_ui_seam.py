"""Assess shows the detail that action changes and undo return: it never reads the assessment
again for that (issue 18, item 3)."""

from __future__ import annotations

from qa_tui.config import Paths
from qa_tui.services import AssessmentDetail
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.action import ActionDialog
from qa_tui.ui.screens.assess import AssessScreen
from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until


@pilot_test
async def test_assess_shows_what_action_changes_and_undo_return(paths: Paths) -> None:
    """After adding, editing and closing an action, and after undo, the screen shows the detail
    the change returned: it never reads the assessment again for that."""
    svc = fixed_services(paths)
    try:
        aid = start_ward_check(svc)
        svc.actions.add(aid, "Fix the door closer", question_id="S3")
        app = build_app(services=svc)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_assessment(aid, "S3")
            await until(pilot, lambda: isinstance(app.screen, AssessScreen), "Assess")
            await pilot.pause()
            reads: list[str] = []
            real_get = svc.assessments.get

            def counted(assessment_id: str) -> AssessmentDetail:
                reads.append(assessment_id)
                return real_get(assessment_id)

            svc.assessments.get = counted  # type: ignore[method-assign]
            await pilot.press("A", "enter")  # edit the one action, in the dialog
            await until(pilot, lambda: isinstance(app.screen, ActionDialog), "the dialog")
            await pilot.press(*" today", "enter", *"Estates", "enter", "enter", "enter")
            await until(pilot, lambda: "✓ saved: action edited" in screen_text(app), "saved")
            assert "Fix the door closer today" in screen_text(app)
            await pilot.press("c")
            await until(pilot, lambda: "✓ closed: Fix the door closer today" in
                        screen_text(app), "closed")
            await pilot.press("escape", "u")  # undo the close
            await until(pilot, lambda: "undone" in screen_text(app), "undone")
            assert "○ open: Fix the door closer today" in screen_text(app)
            assert reads == []
            svc.assessments.get = real_get  # type: ignore[method-assign]
        [action] = svc.assessments.get(aid).actions
        assert (action.description, action.owner, action.status) == (
            "Fix the door closer today", "Estates", "open")
    finally:
        svc.close()
