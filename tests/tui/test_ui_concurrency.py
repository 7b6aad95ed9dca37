"""The TUI and the CLI on one database at once (issue #7): a script changes answers while an
assessment is open on screen. Nothing is lost, no lock error reaches the screen, and the
screen catches up on ctrl+r, when the terminal regains focus, or with its next save."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator

import pytest
from textual import events

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths, bundled=True)
    yield services
    services.close()


def start_well_led(svc: Services) -> str:
    return svc.assessments.start("cqc-saf-well-led", org_name="St Elsewhere NHS Trust",
                                 org_code="RTD", visit_date="2026-03-02").id


async def cli(*args: str) -> str:
    """``python -m qa_tui ...`` with this test's QA_TUI_HOME, run while the app keeps going."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "qa_tui", *args, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, "QA_TUI_ACTOR": "script"})
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def no_lock_error(text: str) -> bool:
    return not any(word in text.lower() for word in ("locked", "busy", "not saved"))


@pilot_test
async def test_cli_answers_while_the_tui_has_the_assessment_open(svc: Services) -> None:
    aid = start_well_led(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "WL1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen)

        await cli("answer", aid, "WL2", "3")
        assert screen.detail is not None and screen.detail.answer("WL2").value is None
        await pilot.press("4")  # the TUI answers WL1 after the script answered WL2
        shown = screen_text(app)
        assert "✓ saved: WL1 = Exceptional standard" in shown and no_lock_error(shown)
        assert "WL2 Good standard" in shown  # the save brought the script's answer with it
        stored = svc.assessments.get(aid)
        assert (stored.answer("WL1").value, stored.answer("WL2").value) == (4, 3)

        await cli("answer", aid, "WL3", "2")
        await pilot.press("ctrl+r")
        shown = screen_text(app)
        assert "Refreshed: changes saved elsewhere are shown" in shown
        assert "WL3 Some shortfalls" in shown and no_lock_error(shown)

        await cli("answer", aid, "WL4", "1")
        app.post_message(events.AppFocus())  # the assessor clicks back into the terminal
        await pilot.pause()
        assert screen.detail.answer("WL4").value == 1
        assert "WL4 Significant" in screen_text(app)
        await pilot.press("ctrl+r")
        assert "Refreshed: nothing changed elsewhere." in screen_text(app)

    actors = {(e.target, e.actor) for e in svc.assessments.history(aid) if e.kind == "answer"}
    assert actors == {("WL1", "tester"), ("WL2", "script"), ("WL3", "script"),
                      ("WL4", "script")}


@pilot_test
async def test_the_same_question_from_both_the_later_write_wins(svc: Services) -> None:
    aid = start_well_led(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "WL5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        await pilot.press("3")
        await pilot.press("k")  # back to WL5 (auto-advance moved on)
        assert screen.question_id == "WL5"
        await cli("answer", aid, "WL5", "4")
        assert svc.assessments.get(aid).answer("WL5").value == 4
        await pilot.press("ctrl+r")
        assert "4  ● Exceptional standard  (chosen)" in screen_text(app)
        await pilot.press("2", "e", *"Board papers late.", "escape")  # the TUI again: 2 wins
        shown = screen_text(app)
        assert "✓ saved: note on WL5" in shown and no_lock_error(shown)
    stored = svc.assessments.get(aid).answer("WL5")
    assert (stored.value, stored.note) == (2, "Board papers late.")
    wl5 = [(e.actor, e.old, e.new) for e in svc.assessments.history(aid)
           if e.kind == "answer" and e.target == "WL5"]
    assert [(actor, (new or {}).get("value")) for actor, _, new in wl5] == [
        ("tester", 3), ("script", 4), ("tester", 2), ("tester", 2)]
    assert (wl5[1][1] or {}).get("value") == 3 and (wl5[2][1] or {}).get("value") == 4
