"""The provider report from Review, by keys: summary typed and saved, report written, an earlier
report replaced only after a yes, and identifiers refused with their place."""

from __future__ import annotations


from textual.widgets import TextArea

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.confirm import ConfirmDialog
from qa_tui.ui.dialogs.report import ReportDialog
from qa_tui.ui.screens.review import ReviewScreen

from tests.test_ui_support import pilot_test, screen_text, start_ward_check

SMALL = (80, 24)


@pilot_test
async def test_summary_and_report_from_review(paths: Paths, svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", value="yes")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid)
        await pilot.pause()
        await pilot.press("r", "p")
        assert isinstance(app.screen, ReportDialog)
        assert "ctrl+r" in screen_text(app)
        await pilot.press(*"Good <care> seen.")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert svc.assessments.get(aid).record.summary == "Good <care> seen."
        files = sorted(p.suffix for p in paths.export_dir.glob(f"*{aid[:8]}-report.*"))
        assert files == [".docx", ".html"]
        assert "Report written" in screen_text(app)
        html = next(paths.export_dir.glob("*-report.html")).read_text()
        assert "Good &lt;care&gt; seen." in html
        # A changed summary: the earlier report is replaced only after a yes.
        app.screen.query_one(TextArea).text = "Changed summary."
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert "Good &lt;care&gt; seen." in next(
            paths.export_dir.glob("*-report.html")).read_text()  # kept
        assert "the existing one was kept" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        html = next(paths.export_dir.glob("*-report.html")).read_text()
        assert "Changed summary." in html
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@pilot_test
async def test_identifiers_stop_the_report_and_escape_keeps_the_summary(
        paths: Paths, svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", value="yes", note="NHS number 943 476 5919 seen")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid)
        await pilot.pause()
        await pilot.press("r", "p")
        await pilot.press(*"Kept on close")
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = screen_text(app)
        assert "Report not written" in shown and "S1 note: probable NHS number" in shown
        assert "943 476 5919" not in shown
        assert not list(paths.export_dir.glob("*-report.*"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert svc.assessments.get(aid).record.summary == "Kept on close"
