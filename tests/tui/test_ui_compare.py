"""The Compare screen through Textual Pilot at 80x24, keys only: mark one assessment on Home
with ``space``, highlight another, ``ctrl+k`` compares them.

Hand-computed (ward-check, score scale Poor 1 .. Excellent 4):
A (Alpha): S1 yes, S3 Excellent (note "Spotless [b]bold?[/b]"), C1 Good.
B (Beta):  S1 no,  S3 Fair (note "Dusty"),                        C1 Good.
Ordinal questions answered by both: S3 (-2 steps) and C1 (same): n = 2, exact 50%, within one
step 50%. Linear-weighted kappa, k = 4: observed |3-1|/3 = 2/3; chance: A ranks {3, 2},
B ranks {1, 2}: (2 + 1 + 1 + 0)/3 / 2 = 2/3, so kappa = 1 - 1 = 0. Blank on a side: S2 (shown on
B only, by S1 = no), C2, C3 -> 3; N/A 0. Safe: A 100% Outstanding, B 50% Requires improvement,
gap -50 points, -2 steps. Answered differently: S1 and S3 of 6; S3 (two steps apart) first.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.compare import CompareScreen
from qa_tui.ui.screens.home import HomeScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths, bundled=True)
    yield services
    services.close()


def two_visits(svc: Services) -> tuple[str, str]:
    a = start_ward_check(svc, org="Alpha Ward Trust")
    b = start_ward_check(svc, org="Beta Ward Trust")
    for aid, answers, note in ((a, ("yes", "4", "3"), "Spotless [b]bold?[/b]"),
                               (b, ("no", "2", "3"), "Dusty")):
        for qid, value in zip(("S1", "S3", "C1"), answers, strict=True):
            svc.assessments.answer(aid, qid, value)
        svc.assessments.set_note(aid, "S3", note)
    return a, b


@pilot_test
async def test_mark_and_compare_shows_the_figures(svc: Services) -> None:
    a, b = two_visits(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        # newest change first: Beta at the top, Alpha below it
        await pilot.press("down", "space")
        assert "Marked A: Alpha Ward Trust" in screen_text(app)
        await pilot.press("up", "ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "the Compare screen")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.compared.a.id, screen.compared.b.id) == (a, b)
        text = screen_text(app)
        assert "Compare · ward-check" in text
        assert "A: Alpha Ward Trust" in text and "B: Beta Ward Trust" in text
        assert "Exact agreement 50% · within one step 50% · weighted kappa 0.000" in text
        assert "n = 2 questions" in text
        assert "0 N/A on either side · 3 blank on either side" in text
        assert "s Swap A and B" in text and "q Back" in text  # the footer
        assert "q back · ? every key" in text  # help on the screen
        table = screen.query_one("#compare-sections")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["Overall", "87.5% Outstanding", "62.5% Good", "-25 pts", "-1"],
            ["Safe", "100% Outstanding", "50% Requires improvement", "-50 pts", "-2"],
            ["Caring", "75% Good", "75% Good", "0 pts", "0"],
        ]
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "Answered differently: 2 of 6" in text
        s3 = text.index("S3 · Safe")
        assert s3 < text.index("S1 · Safe")  # more than one step apart comes first
        assert "Spotless [b]bold?[/b]" in text  # a person's note, literally
        assert "note: Dusty" in text
        assert "B − A: -2 points, -2 steps (more than one step apart)" in text
        await pilot.press("s")  # the other way round
        assert (screen.compared.a.id, screen.compared.b.id) == (b, a)
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)


@pilot_test
async def test_different_templates_and_no_mark_are_refused_plainly(svc: Services) -> None:
    start_ward_check(svc, org="Alpha Ward Trust")
    svc.assessments.start("cqc-saf-well-led", org_name="Gamma Board", org_code="RGG",
                          assessors=["B. Board"], visit_date="2026-03-02")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        assert "Mark one assessment with space first" in screen_text(app)
        await pilot.press("space", "ctrl+k")
        assert "Highlight a different assessment" in screen_text(app)
        await pilot.press("down", "ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Cannot compare different templates: A cqc-saf-well-led, B ward-check" in text
        await pilot.press("slash", "w", "space", "t")  # in the filter box, space is a space
        assert app.screen.query_one("#filter", Input).value == "w t"


def test_readme_lists_the_compare_keys() -> None:
    from pathlib import Path

    from textual.binding import Binding

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Keys", 1)[1]
    shown = {"escape": "esc"}
    for binding in CompareScreen.BINDINGS:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            assert f"`{shown.get(key, key)}`" in section, key
    assert "| Compare |" in section and "`space`, then `ctrl+k`" in section
