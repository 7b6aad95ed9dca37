"""The Consolidate screen under Pilot: run on a small folder, see every outcome, read a reason,
and find the workbook on disk."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import DataTable, Input

from qa_tui.config import Paths
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.consolidate import ConsolidateScreen, ReasonDialog, default_output

from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until


def _returns(paths: Paths, folder: Path) -> list[str]:
    services = fixed_services(paths)
    try:
        ids = []
        for org in ("St Elsewhere NHS Trust", "Holby City NHS Trust"):
            aid = start_ward_check(services, org=org)
            services.assessments.answer(aid, "S1", "yes")
            services.assessments.answer(aid, "S3", "3")
            services.returns.export(aid, folder)
            ids.append(aid)
    finally:
        services.close()
    (folder / "broken.xlsx").write_text("not a workbook")
    return ids


@pilot_test
async def test_consolidate_a_folder_and_read_a_rejection(paths: Paths, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    ids = _returns(paths, folder)
    out = tmp_path / "out" / "consolidated.xlsx"
    app = build_app(services=fixed_services(paths))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = ConsolidateScreen()
        app.push_screen(screen)
        await pilot.pause()
        assert screen.query_one("#output", Input).value == str(default_output(paths))
        screen.query_one("#source", Input).value = str(folder)
        screen.query_one("#output", Input).value = str(out)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not screen.running, "the consolidation")
        text = screen_text(app)
        assert "2 returns accepted, 0 superseded, 1 rejected" in text
        table = screen.query_one("#results", DataTable)
        assert table.row_count == 3
        first = table.get_row_at(0)
        assert first[0] == "✗ rejected" and str(first[1]) == "returns/broken.xlsx"
        assert {str(table.get_row_at(i)[2]) for i in (1, 2)} == {i[:8] for i in ids}
        await pilot.press("enter")
        assert isinstance(app.screen, ReasonDialog)
        assert "is not an Excel workbook (not a zip file)" in screen_text(app)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is not screen
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[:4] == ["Committee", "Escalations", "Self vs ICB", "Ratings"]


@pilot_test
async def test_a_refused_output_is_said_plainly(paths: Paths, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    _returns(paths, folder)
    target = next(folder.glob("*.xlsx"))
    before = target.read_bytes()
    app = build_app(services=fixed_services(paths))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ConsolidateScreen()
        app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#source", Input).value = str(folder)
        screen.query_one("#output", Input).value = str(target)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not screen.running, "the consolidation")
        assert "is one of the input files" in screen_text(app)
        assert not screen.query_one("#results", DataTable).display
    assert target.read_bytes() == before
