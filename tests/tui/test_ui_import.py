"""Import from Home (i): a real return exported from another database, a folder with a bad
file in it, and a second import that finds everything up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from qa_tui.config import resolve_paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.import_returns import ImportDialog
from qa_tui.ui.importing import NothingToImport, returns_at
from qa_tui.ui.screens.home import HomeScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until

SMALL = (80, 24)


def exported_elsewhere(tmp_path: Path, folder: Path) -> tuple[str, Path]:
    """A colleague's laptop: its own database, one assessment exported into ``folder``."""
    other = fixed_services(resolve_paths(env={"QA_TUI_HOME": str(tmp_path / "colleague")}))
    try:
        aid = start_ward_check(other, org="Holby City NHS Trust", code="RX1")
        other.assessments.answer(aid, "S1", value="yes")
        other.assessments.answer(aid, "S3", value=3, note="Sluice clean.")
        return aid, other.returns.export(aid, folder).path
    finally:
        other.close()


def test_a_typed_path_means_a_file_or_a_folders_returns(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "returns"
    folder.mkdir()
    for name in ("b.xlsx", "A.XLSX", "~$b.xlsx", ".hidden.xlsx", "notes.txt"):
        (folder / name).write_bytes(b"x")
    (folder / "sub").mkdir()
    (folder / "sub" / "c.xlsx").write_bytes(b"x")
    assert [p.name for p in returns_at("~/returns")] == ["A.XLSX", "b.xlsx"]
    assert returns_at(f"  '{folder / 'b.xlsx'}' ") == [folder / "b.xlsx"]
    with pytest.raises(NothingToImport, match="does not exist"):
        returns_at("~/nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NothingToImport, match="no .xlsx returns"):
        returns_at("~/empty")
    with pytest.raises(NothingToImport, match="type the path"):
        returns_at("  ")


@pilot_test
async def test_import_a_folder_from_home(tmp_path: Path, svc: Services) -> None:
    inbox = tmp_path / "inbox"
    aid, good = exported_elsewhere(tmp_path, inbox)
    (inbox / "broken.xlsx").write_text("not a workbook")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "No assessments yet" in screen_text(app)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        await pilot.press(*"~nobody-here/x", "enter")
        assert "does not exist" in screen_text(app)
        dialog.query_one(Input).value = str(inbox)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert f"✓ {good.name}: added {aid[:8]} (revision" in shown
        assert "✗ broken.xlsx: refused: is not an Excel workbook" in shown
        assert "2 files: 1 added, 0 updated, 0 up to date, 1 refused" in shown
        await pilot.press("enter")  # again: nothing new
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"= {good.name}: already up to date: {aid[:8]}" in screen_text(app)
        assert dialog.changed == 0
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await until(pilot, lambda: "Holby City NHS Trust" in screen_text(app), "the new row")
    [row] = svc.assessments.list()
    detail = svc.assessments.get(row.id)
    assert row.id == aid and detail.answer("S3").note == "Sluice clean."
