"""Snapshots of each screen at 80x24 (pytest-textual-snapshot; ``--snapshot-update`` accepts).

Deterministic by construction: a fixed clock (every time on screen is 2026-03-02), local time
pinned to UTC, the small ``ward-check`` template only (the bundled ones are still changing),
fixed ids nowhere on screen, and no blinking cursors. The tests are synchronous because
``snap_compare`` runs its own event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app

from tests.test_ui_support import fixed_services, start_ward_check, utc_clock

SIZE = (80, 24)
Before = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths)
    with utc_clock():
        yield services
    services.close()


def still(steps: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Before:
    """Run ``steps``, then stop every cursor blinking so the picture is the same each time."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        if steps is not None:
            await steps(pilot)
        await pilot.pause()
        for screen in pilot.app.screen_stack:
            for widget in screen.query("Input, TextArea"):
                assert isinstance(widget, Input | TextArea)
                widget.cursor_blink = False
        await pilot.pause()

    return run


def visit(svc: Services) -> str:
    """One assessment part-way through: answers, a note, an action."""
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", value="no")
    svc.assessments.answer(aid, "S2", "Two bays had bells tied up")
    svc.assessments.answer(aid, "S3", value=1, note="Sluice door propped open; floor stained.")
    svc.assessments.add_action(aid, "Deep clean the sluice and fix the door closer",
                               owner="Ward manager", due="2026-03-16", priority="high",
                               question_id="S3")
    return aid


def test_home_empty(snap_compare: Any, svc: Services) -> None:
    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still())


def test_home_with_assessments(snap_compare: Any, svc: Services) -> None:
    visit(svc)
    start_ward_check(svc, org="Northshire Hospitals NHS Foundation Trust", code="RX1",
                     site="Maternity")
    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still())


def test_new_assessment(snap_compare: Any, svc: Services) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press("n", "enter", *"St Elsewhere NHS Trust", "enter", *"RT!", "enter")

    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still(steps))


def test_assess(snap_compare: Any, svc: Services) -> None:
    aid = visit(svc)

    async def steps(pilot: Pilot[Any]) -> None:
        pilot.app.open_assessment(aid, "S3")  # type: ignore[attr-defined]

    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still(steps))


def test_assess_help(snap_compare: Any, svc: Services) -> None:
    aid = visit(svc)

    async def steps(pilot: Pilot[Any]) -> None:
        pilot.app.open_assessment(aid, "S3")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("question_mark")

    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still(steps))


def test_add_action_dialog(snap_compare: Any, svc: Services) -> None:
    aid = visit(svc)

    async def steps(pilot: Pilot[Any]) -> None:
        pilot.app.open_assessment(aid, "C1")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("a", *"Audit dignity in bay 3", "enter")

    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still(steps))


def test_review_refused(snap_compare: Any, svc: Services) -> None:
    aid = visit(svc)

    async def steps(pilot: Pilot[Any]) -> None:
        pilot.app.open_assessment(aid, "S3")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("r", "c")

    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still(steps))


def test_bin(snap_compare: Any, svc: Services) -> None:
    aid = visit(svc)
    svc.assessments.delete(start_ward_check(svc, org="Westfield Care", code=None))

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press("b")

    assert aid
    assert snap_compare(build_app(services=svc), terminal_size=SIZE, run_before=still(steps))
