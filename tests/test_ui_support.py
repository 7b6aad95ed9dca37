"""Helpers for the TUI tests (no tests here): a small fixed template, services on a fixed
clock with a library the other teams' template edits cannot change, and the screen as text.

The bundled templates keep changing while the app is built, so snapshot and layout tests use
``ward-check`` below; the whole-visit test uses the bundled ``cqc-saf-well-led`` as the issue asks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import os
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App

from qa_tui.config import Paths
from qa_tui.services import Services, build_services
from qa_tui.templates import TemplateLibrary, bundled_dir

WARD_CHECK = """
id = "ward-check"
version = "1.0"
title = "Ward check (test template)"
kind = "visit"
description = "A small ward visit used by the UI tests: a yes/no with a follow-up, scores, a number and a date."
source = "qa-tui tests"

[scales.score]
title = "Score"
allow_na = true
note_required_for = [1]
options = [
  { value = 1, label = "Poor", description = "Clear shortfalls." },
  { value = 2, label = "Fair", description = "Some shortfalls." },
  { value = 3, label = "Good", description = "As expected." },
  { value = 4, label = "Excellent", description = "Better than expected." },
]

[scoring]
method = "percent_bands"
bands = [
  { low = 25, high = 38, rating = "Inadequate" },
  { low = 39, high = 62, rating = "Requires improvement" },
  { low = 63, high = 87, rating = "Good" },
  { low = 88, high = 100, rating = "Outstanding" },
]

[[sections]]
id = "safe"
title = "Safe"
description = "Safety on the ward."

[[sections.questions]]
id = "S1"
text = "Are call bells within reach of every patient?"
type = "yes_no"
guidance = "Walk every bay; check side rooms too."

[[sections.questions]]
id = "S2"
text = "Why were call bells out of reach?"
type = "text"
required = true
show_if = { question = "S1", equals = "no" }

[[sections.questions]]
id = "S3"
text = "How clean is the ward?"
scale = "score"
guidance = "Look at floors, bed spaces and the sluice."
evidence_prompt = "What did you see?"

[[sections]]
id = "caring"
title = "Caring"
description = "How people are treated."

[[sections.questions]]
id = "C1"
text = "Are patients treated with dignity?"
scale = "score"

[[sections.questions]]
id = "C2"
text = "How many patients were on the ward?"
type = "number"
min = 0
max = 60
required = false

[[sections.questions]]
id = "C3"
text = "When was the last fire drill?"
type = "date"
required = false
"""

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class FixedClock:
    """One second per call from 2026-03-02 09:00 UTC: times on screen never change."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def write_ward_check(paths: Paths) -> Path:
    """Put ``ward-check`` in the user templates folder (as an assessor would add their own)."""
    paths.templates_dir.mkdir(parents=True, exist_ok=True)
    target = paths.templates_dir / "ward-check.toml"
    target.write_text(WARD_CHECK, encoding="utf-8")
    return target


def fixed_services(paths: Paths, *, bundled: bool = False) -> Services:
    """Services on a fixed clock. Without ``bundled``, the library is only ``ward-check``."""
    write_ward_check(paths)
    if bundled:
        library = TemplateLibrary.load(user_dir=paths.templates_dir, bundled=bundled_dir())
    else:
        empty = paths.config_dir / "no-bundled"
        empty.mkdir(parents=True, exist_ok=True)
        library = TemplateLibrary.load(user_dir=paths.templates_dir, bundled=empty)
    return build_services(paths, actor="tester", clock=FixedClock(), library=library)


def start_ward_check(services: Services, org: str = "St Elsewhere NHS Trust",
                     code: str | None = "RTD", site: str = "Ward 7") -> str:
    detail = services.assessments.start("ward-check", org_name=org, org_code=code, site=site,
                                        assessors=["A. Tester"], visit_date="2026-03-02")
    return detail.id


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text (for asserting words on screen)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      record=True, force_terminal=True, color_system=None,
                      legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


@contextmanager
def utc_clock() -> Iterator[None]:
    """Local time is UTC while the block runs, so times on screen match on every machine."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


async def until(pilot: Any, condition: Callable[[], object], what: str = "the condition",
                limit: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds: a wait for an event, never a fixed sleep, so
    a slow machine only makes the test slower. ``limit`` is a safety net against a hang."""
    waited = 0.0
    while not condition():
        if waited >= limit:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
        waited += 0.05


def palette_offers(app: App[Any], text: str) -> bool:
    """True once the command palette lists a hit containing ``text``."""
    from textual.widgets import OptionList

    lists = app.screen.query(OptionList)
    return any(text.casefold() in str(o.prompt).casefold()
               for ol in lists for o in ol.options)


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on its own event loop (no asyncio plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def accept_draft_export(app: App[Any], pilot: Any) -> None:
    """Exporting a draft asks first (issue 10): answer yes, as an assessor who means it would."""
    from textual.widgets import Static

    from qa_tui.ui.dialogs.confirm import ConfirmDialog

    await pilot.pause()
    screen = app.screen
    if isinstance(screen, ConfirmDialog) and \
            "DRAFT" in str(screen.query_one("#confirm-title", Static).render()):
        await pilot.press("y")
        await pilot.pause()
