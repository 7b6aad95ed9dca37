"""The app shows progress while it imports a folder (a bar counting the files) and while it
writes a return (a notice at once, the result when done)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual.widgets import Input, ProgressBar

from qa_tui.config import Paths
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs import import_returns
from qa_tui.ui.dialogs.import_returns import ImportDialog

from tests.tui.test_ui_import import exported_elsewhere
from tests.test_ui_support import fixed_services, pilot_test, start_ward_check


@pilot_test
async def test_import_shows_a_bar_while_it_runs(tmp_path: Path, paths: Paths,
                                                monkeypatch: Any) -> None:
    inbox = tmp_path / "inbox"
    exported_elsewhere(tmp_path, inbox)
    (inbox / "broken.xlsx").write_text("not a workbook")
    release = threading.Event()
    real = import_returns.import_one

    def held(services: Any, path: Path) -> Any:
        release.wait(30)
        return real(services, path)

    monkeypatch.setattr(import_returns, "import_one", held)
    svc = fixed_services(paths)
    app = build_app(services=svc)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            dialog = app.screen
            assert isinstance(dialog, ImportDialog)
            bar = dialog.query_one("#import-progress", ProgressBar)
            assert not bar.display
            dialog.query_one(Input).value = str(inbox)
            await pilot.press("enter")
            await pilot.pause()
            assert bar.display and bar.total == 2 and bar.progress == 0
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert bar.progress == 2 and not bar.display
    finally:
        release.set()
        svc.close()


def _notices(app: Any, monkeypatch: Any) -> list[str]:
    """Every notification the app shows from now on, in order."""
    said: list[str] = []
    real = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        said.append(message)
        real(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return said


@pilot_test
async def test_export_says_it_has_started(paths: Paths, monkeypatch: Any) -> None:
    svc = fixed_services(paths)
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    said = _notices(app, monkeypatch)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.export(aid, draft_ok=True)  # a draft: the question it asks is tested elsewhere
            assert said == ["Writing the Excel return…"]
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(said) == 2 and said[1].startswith("Return written to")
    finally:
        svc.close()


@pilot_test
async def test_export_into_a_synced_folder_warns_once(paths: Paths, monkeypatch: Any) -> None:
    monkeypatch.setenv("OneDrive", str(paths.export_dir.parent))
    svc = fixed_services(paths)
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    said = _notices(app, monkeypatch)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for _ in range(2):
                app.export(aid, draft_ok=True)
                await app.workers.wait_for_complete()
                await pilot.pause()
            warned = [m for m in said if "synced to OneDrive" in m]
            assert len(warned) == 1 and "leave this laptop" in warned[0]
    finally:
        svc.close()


@pilot_test
async def test_the_app_logs_an_export_and_not_its_text(paths: Paths, monkeypatch: Any) -> None:
    from qa_tui.eventlog import log_file, open_log

    monkeypatch.setenv("QA_TUI_LOG", "1")
    svc = fixed_services(paths)
    aid = start_ward_check(svc, org="Quokkaville Infirmary")
    svc.assessments.set_note(aid, "S3", "Marmoset droppings by the sluice")
    log = open_log(paths)
    app = build_app(services=svc, event_log=log)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.export(aid, draft_ok=True)  # a draft: the question it asks is tested elsewhere
            await app.workers.wait_for_complete()
            await pilot.pause()
    finally:
        log.close()
        svc.close()
    text = log_file(paths).read_text(encoding="utf-8")
    assert "app.export ok=true reasons=0 seconds=" in text
    for planted in ("Quokkaville", "Marmoset", "sluice", aid[:8]):
        assert planted not in text
