"""The assessor's app as a Windows laptop runs it (Pilot, in-process, see conftest): it mounts
with signal handling asked for, opens a brand-new database, exports, saves a setting, and
consolidates a batch big enough to start worker processes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook
from textual.widgets import Input

from qa_tui.config import Paths
from qa_tui.consolidate.pool import SMALL_BATCH
from qa_tui.services.demo import create_demo
from qa_tui.services.settings import settings_path
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.consolidate import ConsolidateScreen

from ..test_ui_support import pilot_test, screen_text, until

pytestmark = pytest.mark.windows_sim


@pilot_test
async def test_the_app_starts_exports_and_saves_settings(winsim: ModuleType, paths: Paths) -> None:
    import signal

    assert not hasattr(signal, "SIGHUP")
    app = build_app(paths, handle_signals=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.services is not None or app.load_error, "the database")
        assert app.load_error is None
        assert app.services is not None
        assert paths.db_path.stat().st_size > 0
        aid = next(iter(create_demo(app.services, count=1, seed=3).created))
        app.export(aid, draft_ok=True)  # a demo assessment may be a draft: no question asked
        await app.workers.wait_for_complete()
        await until(pilot, lambda: list(paths.export_dir.glob("*.xlsx")), "the return")
        exported = list(paths.export_dir.glob("*.xlsx"))
        assert len(exported) == 1 and exported[0].stat().st_size > 0
        app.action_toggle_theme()
        assert settings_path(paths.config_dir).is_file()
        await pilot.press("ctrl+q")


@pilot_test
async def test_consolidate_screen_with_worker_processes(winsim: ModuleType, paths: Paths,
                                                        tmp_path: Path) -> None:
    app = build_app(paths)
    folder = tmp_path / "returns"
    out = tmp_path / "out" / "all.xlsx"
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.services is not None, "the database")
        assert app.services is not None
        for aid in create_demo(app.services, count=SMALL_BATCH + 1, seed=5).created:
            app.services.returns.export(aid, folder)
        screen = ConsolidateScreen()
        app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#source", Input).value = f'"{folder}"'
        screen.query_one("#output", Input).value = f'"{out}"'
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not screen.running, "the consolidation")
        assert f"{SMALL_BATCH + 1} returns accepted" in screen_text(app)
    assert load_workbook(out, read_only=True).sheetnames[0] == "Committee"
