"""Exporting again after more answers: the app asks before replacing the earlier revision."""

from __future__ import annotations


from textual.widgets import Static

from qa_tui.config import Paths
from qa_tui.returns import read_return
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.confirm import ConfirmDialog

from tests.test_ui_support import (
    accept_draft_export,
    pilot_test,
    screen_text,
    start_ward_check,
)


async def _export(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    await accept_draft_export(app, pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()


@pilot_test
async def test_export_again_asks_then_replaces_the_older_revision(paths: Paths,
                                                                  svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _export(app, pilot)
        first = next(paths.export_dir.glob("*.xlsx"))
        first_revision = read_return(first).data.revision
        svc.assessments.answer(aid, "S3", "4")
        await _export(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert f"revision {first_revision} of this return" in body and "--force" not in body
        await pilot.press("n")  # keep the earlier file
        await pilot.pause()
        assert read_return(first).data.revision == first_revision
        await _export(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert read_return(first).data.revision > first_revision
        assert [p.name for p in paths.export_dir.glob("*.xlsx")] == [first.name]
        assert "Return replaced" in screen_text(app)
