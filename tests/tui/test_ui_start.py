"""The app's start path (issue 20): Home shows its rows from the plain-sqlite3 reader while the
full services (SQLAlchemy, the template library, the return writers) open behind it, and a key
pressed before they are open waits under a visible line and is then applied, in order, to the
row it was pressed on. No timing is asserted (the figures are in ``bench/ui.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from qa_tui.config import Paths
from qa_tui.services import build_services
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.home import HomeScreen
from qa_tui.ui.widgets.assessment_table import AssessmentTable
from tests.test_ui_support import pilot_test, screen_text, start_ward_check, until, write_ward_check

ROOT = Path(__file__).resolve().parents[2]

#: Run in a fresh interpreter: start the app headless under Pilot, hold the full services back
#: until Home shows its rows, and report which heavy modules were loaded at that moment.
CHILD = r"""
import asyncio, json, sys, threading
import qa_tui.services as services_package
from qa_tui.ui.app import build_app
from qa_tui.ui.widgets.assessment_table import AssessmentTable
from tests.test_ui_support import until

gate = threading.Event()
real_build = services_package.build_services

def gated_build(*args, **kwargs):
    gate.wait()
    return real_build(*args, **kwargs)

services_package.build_services = gated_build
HEAVY = ("sqlalchemy", "sqlmodel", "openpyxl", "xlsxwriter", "docx", "qa_tui.store.db")

async def main():
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query(AssessmentTable)
                    and app.screen.query(AssessmentTable).first().row_count == 2, "Home's rows")
        loaded = [name for name in HEAVY if name in sys.modules]
        library = app.services is not None
        gate.set()
        await until(pilot, lambda: app.services is not None, "the services")
    print(json.dumps({"loaded": loaded, "services_at_home": library,
                      "later": "sqlalchemy" in sys.modules}))

asyncio.run(main())
"""


def _two_assessments(paths: Paths) -> list[str]:
    write_ward_check(paths)
    services = build_services(paths, actor="tester")
    try:
        return [start_ward_check(services, org=f"Trust {n}") for n in (1, 2)]
    finally:
        services.close()


def test_first_home_render_imports_no_orm_and_no_workbook_library(paths: Paths,
                                                                   home: Path) -> None:
    _two_assessments(paths)
    env = {**os.environ, "QA_TUI_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"loaded": [], "services_at_home": False, "later": True}


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The full services open only once the test sets this event."""
    import qa_tui.services as services_package

    gate = threading.Event()
    real = services_package.build_services

    def gated_build(*args: Any, **kwargs: Any) -> Any:
        gate.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(services_package, "build_services", gated_build)
    return gate


def _rows_shown(app: Any, count: int) -> bool:
    tables = app.screen.query(AssessmentTable)
    return bool(tables) and tables.first().display and tables.first().row_count == count


@pilot_test
async def test_keys_before_the_services_open_wait_then_apply_in_order(
        paths: Paths, gated: threading.Event) -> None:
    _two_assessments(paths)
    app = build_app(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: _rows_shown(app, 2), "Home's rows from the light reader")
        assert app.services is None
        home_screen = app.screen
        table = home_screen.query_one(AssessmentTable)
        await pilot.press("down")  # moving the highlight needs no services: it works now
        await until(pilot, lambda: table.cursor_row == 1, "the highlight on the second row")
        chosen = table.selected_id
        assert chosen is not None
        await pilot.press("enter", "up")  # held: enter opens the row highlighted when pressed
        await until(pilot, lambda: "Loading…" in screen_text(app), "the loading line")
        assert isinstance(app.screen, HomeScreen) and table.cursor_row == 1
        gated.set()
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "Assess")
        assert app.screen.assessment_id == chosen
        assert "Loading…" not in str(home_screen.query_one("#status-line").render())


@pilot_test
async def test_quit_before_the_services_open_is_not_held(paths: Paths,
                                                          gated: threading.Event) -> None:
    _two_assessments(paths)
    app = build_app(paths)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: _rows_shown(app, 2), "Home's rows")
            await pilot.press("ctrl+q")
            await until(pilot, lambda: not app.is_running, "the app to quit")
    finally:
        gated.set()
