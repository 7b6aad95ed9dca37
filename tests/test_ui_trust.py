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

from .test_ui_support import fixed_services, pilot_test, screen_text

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
