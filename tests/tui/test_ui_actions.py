"""Actions changed from the TUI: choose one on Assess (shift+a), edit it in the prefilled
dialog, close and reopen it; and the list of every action, from Review."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input

from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.action import ActionDialog
from qa_tui.ui.screens.actions import ActionsScreen
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.widgets.action_list import ActionList

from tests.test_ui_support import pilot_test, screen_text, start_ward_check

SMALL = (80, 24)


def _actions(svc: Services, aid: str) -> dict[str, tuple[str, str, str, dt.date | None, str]]:
    return {a.description: (a.status, a.owner, a.priority, a.due_date, a.question_id or "")
            for a in svc.assessments.get(aid).actions}


@pilot_test
async def test_edit_close_and_reopen_an_action_on_assess(svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.add_action(aid, "Deep clean the sluice", owner="Ward manager",
                               due="2026-03-16", priority="high", question_id="S3")
    svc.assessments.add_action(aid, "Fix the door closer", question_id="S3")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        listed = screen.query_one(ActionList)
        assert "○ open: Fix the door closer (medium)" in screen_text(app)
        await pilot.press("A")
        assert listed.has_focus
        shown = screen_text(app)
        assert "⏎ Edit c Close o Reopen esc Done" in shown  # the footer says how
        await pilot.press("down", "enter")  # the second action, in the dialog filled in
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#action-description", Input).value == "Fix the door closer"
        assert "Edit action on S3" in screen_text(app)
        await pilot.press(*" by Friday", "enter", *"Estates", "enter", "enter", "enter")
        assert isinstance(app.screen, AssessScreen)
        assert _actions(svc, aid)["Fix the door closer by Friday"] == (
            "open", "Estates", "medium", None, "S3")
        assert "✓ saved: action edited" in screen_text(app)
        assert listed.has_focus and listed.selected is not None
        assert listed.selected.description == "Fix the door closer by Friday"
        await pilot.press("c")
        assert _actions(svc, aid)["Fix the door closer by Friday"][0] == "closed"
        assert "✓ closed: Fix the door closer by Friday" in screen_text(app)
        await pilot.press("c")  # already closed: the key does nothing
        await pilot.press("o")
        assert _actions(svc, aid)["Fix the door closer by Friday"][0] == "open"
        await pilot.press("up", "enter", "escape")  # the dialog cancelled: nothing changes
        assert _actions(svc, aid)["Deep clean the sluice"] == (
            "open", "Ward manager", "high", dt.date(2026, 3, 16), "S3")
        await pilot.press("escape")  # leaves the list; the question keys work again
        assert app.focused is None
        await pilot.press("3")
        assert svc.assessments.get(aid).answer("S3").value == 3
    history = [e.kind for e in svc.assessments.history(aid)]
    assert history.count("action.edit") == 3


@pilot_test
async def test_choosing_needs_actions_and_closing_after_completion_is_saved(svc: Services) -> None:
    aid = start_ward_check(svc)
    action = svc.assessments.add_action(aid, "Audit dignity", question_id="C1")
    for qid, value in (("S1", "yes"), ("S3", 3), ("C1", 4)):
        svc.assessments.answer(aid, qid, value=value)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        await pilot.press("A")  # no actions on S3: nothing to choose
        assert app.focused is None
        svc.assessments.complete(aid)  # elsewhere: this screen has not seen it yet
        await pilot.press("right_square_bracket", "k")
        assert isinstance(app.screen, AssessScreen) and app.screen.question_id == "C1"
        await pilot.press("A", "c")  # actions live past completion: closing is saved ...
        assert "NOT saved" not in screen_text(app)
        assert svc.assessments.get(aid).actions[0].status == "closed"
        assert svc.assessments.get(aid).actions[0].id == action.id
        await pilot.press("escape", "3")  # ... while the answers stay locked
        shown = screen_text(app)
        assert "press o to reopen" in shown or "reopen it to make changes" in shown
        assert svc.assessments.get(aid).answer("C1").value == 4


@pilot_test
async def test_every_action_from_review(svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.add_action(aid, "Deep clean the sluice", question_id="S3")
    closed = svc.assessments.add_action(aid, "Audit dignity", question_id="C1")
    svc.assessments.close_action(aid, closed.id)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S1")
        await pilot.pause()
        await pilot.press("r")
        assert "Actions: 1 open, 1 closed (a lists them)" in screen_text(app)
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        table = screen.query_one(DataTable)
        assert [[str(c) for c in table.get_row_at(i)[:3]] for i in range(table.row_count)] == [
            ["○ open", "S3", "Deep clean the sluice"], ["✓ closed", "C1", "Audit dignity"]]
        await pilot.press("c")
        assert all(a.status == "closed" for a in svc.assessments.get(aid).actions)
        await pilot.press("a", *"Share the report with the board", "ctrl+s")
        assert "Share the report with the board" in _actions(svc, aid)
        assert _actions(svc, aid)["Share the report with the board"][4] == ""
        assert "1 open of 3" in screen_text(app)
        table.move_cursor(row=[table.get_row_at(i)[1] for i in range(3)].index("C1"))
        await pilot.press("g")  # to its question, through Review, on Assess
        assess = app.screen
        assert isinstance(assess, AssessScreen) and assess.question_id == "C1"
        titles = [c.title for c in app.get_system_commands(assess)]
        assert "Actions: every action of this assessment" in titles  # also from ctrl+p
        assess.action_all_actions()
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        await pilot.press("q")
        assert app.screen is assess and assess.question_id == "C1"
