"""Review lists computed values with their band: the computed questions of ordinary sections
and, per repeating group, each row's computed fields (``Risk 2: ... · SCORE 25 (Extreme)``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.computed_summary import computed_summary
from qa_tui.ui.screens.review import ReviewScreen
from tests.groups_support import risk_services, walked_risk_visit

from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = risk_services(paths)
    yield services
    services.close()


@pilot_test
async def test_review_lists_computed_values_with_their_band(svc: Services) -> None:
    aid = walked_risk_visit(svc, complete=False)
    svc.assessments.add_row(aid, "RISK")  # a fifth row, nothing answered: no value yet
    app = build_app(services=svc)
    async with app.run_test(size=(150, 60)) as pilot:
        await pilot.pause()
        app.push_screen(ReviewScreen(aid))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the Review screen")
        await pilot.pause()
        text = screen_text(app)
        assert "Computed from the answers (value and band):" in text
        assert "NOS Checks answered No: 1" in text
        assert "Risk register (RISK, 5 rows)" in text
        assert "Risk 1: Staffing gaps on nights: two registered nurse vacancies cove" in text
        assert "· SCORE 12 (High)" in text and "· SCORE 25 (Extreme)" in text
        assert "Risk 3: Resuscitation trolley checks missed on two days in the last" in text
        assert "· SCORE 2 (Low)" in text and "· SCORE 6 (Moderate)" in text
        assert "Risk 5 · SCORE no value yet" in text


def test_the_summary_says_nothing_without_computed_questions(paths: Paths) -> None:
    services = fixed_services(paths)
    try:
        aid = start_ward_check(services)
        assert computed_summary(services.assessments.get(aid)) == ""
    finally:
        services.close()


def test_an_empty_group_says_so(svc: Services) -> None:
    aid = svc.assessments.start("risk-test", org_name="Example Trust").id
    text = computed_summary(svc.assessments.get(aid))
    assert text.splitlines() == ["Computed from the answers (value and band):",
                                 "  NOS Checks answered No: 0",
                                 "  Risk register (RISK, 0 rows): no rows yet"]
