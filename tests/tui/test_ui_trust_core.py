"""Issue 10 in the app, by Pilot: the keys that answer, exclusive options, escalations on every
screen, coverage beside every rating and a confirmed draft export. Each checks the screen and what
was stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text, until

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths, bundled=True)
    yield services
    services.close()


def start_visit(svc: Services) -> str:
    return svc.assessments.start("qa-visit", org_name="Riverside Care Home", org_code="ZCC",
                                 visit_date="2026-03-01").id


@pilot_test
async def test_yes_partly_no_answer_by_letter_and_a_digit_says_why_not(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "V1.2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen) and screen.question_id == "V1.2"
        await pilot.press("2")  # the value of Yes, but not a key here: refused, with the keys
        assert svc.assessments.get(aid).answer("V1.2").value is None
        assert screen.question_id == "V1.2"
        assert "V1.2: answer with y p n" in screen_text(app)
        await pilot.press("y")
        assert svc.assessments.get(aid).answer("V1.2").value == 2
        assert screen.question_id == "V1.3"
        await pilot.press("n")  # n answers No where an option is keyed n
        assert svc.assessments.get(aid).label("V1.3") == "No"


@pilot_test
async def test_none_of_these_clears_the_others(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "V2.1")
        await pilot.pause()
        await pilot.press("2", "3")
        assert svc.assessments.get(aid).answer("V2.1").value == ["long-stays", "dependent"]
        await pilot.press("9")
        assert svc.assessments.get(aid).answer("V2.1").value == ["none"]
        await pilot.press("1")
        assert svc.assessments.get(aid).answer("V2.1").value == ["far-from-home"]


@pilot_test
async def test_a_critical_concern_shows_on_assess_home_and_review_at_80x24(svc: Services) -> None:
    from textual.widgets import Static

    from qa_tui.ui.screens.home import HomeScreen
    from qa_tui.ui.screens.review import ReviewScreen

    aid = start_visit(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "V2.5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        await pilot.press("n")  # No on a critical question
        assert svc.assessments.get(aid).report.escalations == ("V2.5",)
        shown = screen_text(app)
        # the status bar leads with the escalation (it wraps rather than cutting anything)
        assert str(screen.status.render()).startswith("⚠ ESCALATE: V2.5")
        assert "⚠ ESCALATE: V2.5" in shown
        assert screen.question_id == "V2.5"  # stays: the escalation record is owed
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        top = "\n".join(screen_text(app).splitlines()[:4])
        assert "⚠ ESCALATE: V2.5" in top and "record owed: V2.5" in top
        overall = str(app.screen.query_one("#overall", Static).render())
        # qa-visit 1.2: assurance levels; 1 of 31 scored questions answered
        assert overall.startswith("Overall rating: No assurance (provisional, 3% answered)")
        await pilot.press("c")
        await pilot.pause()
        assert not svc.assessments.get(aid).is_complete
        outcome = str(app.screen.query_one("#outcome", Static).render())
        assert "V2.5 is escalated ('No' on a critical question)" in outcome
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # Home reads the list again in a worker: wait for the fresh row, never a fixed time
        await until(pilot, lambda: any(
            line.lstrip("│▕ ").startswith("⚠") for line in screen_text(app).splitlines()
            if "Riverside Care Home" in line), "the escalated row")
        home = screen_text(app)
        row = next(line for line in home.splitlines() if "Riverside Care Home" in line)
        assert row.lstrip("│▕ ").startswith("⚠"), row
        assert "No assurance (provisional, 3%)" in home


@pilot_test
async def test_exporting_a_draft_asks_first(paths: Paths, svc: Services) -> None:
    from textual.widgets import Static

    from qa_tui.returns import read_return
    from qa_tui.ui.dialogs.confirm import ConfirmDialog

    aid = start_visit(svc)
    svc.assessments.answer(aid, "V2.2", "y")  # scored (the 15 Steps V1 questions weigh 0)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert "not complete: 1 of 52 questions answered" in body
        assert "(provisional, 3% answered)" in body and "Cover will say DRAFT" in body
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not list(paths.export_dir.glob("*.xlsx"))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [written] = list(paths.export_dir.glob("*.xlsx"))
        assert read_return(written).data.id == aid
