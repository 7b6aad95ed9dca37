"""The provider report from Review: write the summary paragraph, then the Word and HTML report.

The summary is saved through the service (one transaction, like every edit) before a report is
written and when the dialog closes, so typed text is never lost. Refusals (probable patient
identifiers, a report already there that may have been edited in Word) are shown with their
reasons; replacing an existing report needs a yes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from qa_tui.errors import QaError, ReasonCode, Refused
from qa_tui.ui.contract import ScreenHooks
from qa_tui.ui.dialogs.confirm import ConfirmDialog

if TYPE_CHECKING:
    from qa_tui.services import Services

IDENTIFIERS_HINT = ", or make the report with --allow-identifiers if they are not about patients"
FORCE_HINT = " (use --force to replace it)"


def _worded(exc: Refused) -> str:
    """The service's plain refusal with this dialog's words after it (the command-line
    override: the dialog itself offers replacing a report, not writing one with identifiers)."""
    if any(r.code is ReasonCode.IDENTIFIER for r in exc.reasons):
        return exc.message + IDENTIFIERS_HINT
    if exc.code == ReasonCode.FILE_EXISTS:
        return exc.message + FORCE_HINT
    return exc.message


class ReportDialog(ScreenHooks, ModalScreen[None]):
    """ctrl+s saves the summary; ctrl+r saves it and writes the report (Word and HTML)."""

    DEFAULT_CSS = """
    ReportDialog { align: center middle; }
    ReportDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ReportDialog #report-title { text-style: bold; }
    ReportDialog #report-help { color: $text-muted; margin-bottom: 1; }
    ReportDialog TextArea { height: 8; }
    ReportDialog #report-status { height: auto; margin-top: 1; }
    ReportDialog #report-status.-error { color: $error; }
    ReportDialog #report-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+r", "write", "Write report"),
        Binding("ctrl+s", "save", "Save summary"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, services: Services, assessment_id: str) -> None:
        super().__init__()
        self.services = services
        self.assessment_id = assessment_id
        self._saved = services.assessments.get(assessment_id).record.summary

    def export_target(self) -> str | None:
        return self.assessment_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Provider report", id="report-title", markup=False)
            yield Static("Summary for the provider (one paragraph; it opens the report):",
                         id="report-help", markup=False)
            yield TextArea(self._saved, id="report-summary", soft_wrap=True,
                           show_line_numbers=False)
            yield Static("", id="report-status", markup=False)
            yield Static("ctrl+r: write the report (Word and HTML)   ctrl+s: save summary   "
                         "esc: close (summary kept)", id="report-keys", markup=False)

    def _status(self, text: str, ok: bool) -> None:
        status = self.query_one("#report-status", Static)
        status.update(("✓ " if ok else "✗ ") + text)
        status.set_class(not ok, "-error")

    def _save(self) -> bool:
        text = self.query_one("#report-summary", TextArea).text
        if text.strip() == self._saved:
            return True
        try:
            detail = self.services.assessments.set_summary(self.assessment_id, text)
        except QaError as exc:
            self._status(f"Summary not saved: {exc}", False)
            return False
        self._saved = detail.record.summary
        return True

    def action_save(self) -> None:
        if self._save():
            self._status("Summary saved.", True)

    def action_write(self, replace: bool = False) -> None:
        if not self._save():
            return
        written = []
        for fmt in ("docx", "html"):
            try:
                result = self.services.reports.write(self.assessment_id, fmt=fmt, force=replace)
            except Refused as exc:
                from qa_tui.services.reports import ReportFileExists

                if isinstance(exc, ReportFileExists) and not replace:
                    self._ask_replace(exc)
                    return
                reasons = "".join(f"\n  • {r}" for r in exc.reasons)
                hint = ("\nRemove them, or use qa-tui report --allow-identifiers if they are not "
                        "about patients." if exc.reasons else "")
                self._status(f"Report not written: {_worded(exc)}.{reasons}{hint}", False)
                return
            except QaError as exc:
                self._status(f"Report not written: {exc}", False)
                return
            written.append(str(result.path))
        self._status("Report written:\n  " + "\n  ".join(written), True)

    def _ask_replace(self, exc: Refused) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.action_write(replace=True)
            else:
                self._status("Report not written: the existing one was kept.", False)

        self.app.push_screen(ConfirmDialog(
            "Replace the earlier report?",
            f"A different report is already at\n{exc.where}\n(it may have been edited in Word)."
            "\n\nReplace it with this revision?", yes="replace"), answered)

    def action_close(self) -> None:
        if self._save():
            self.dismiss(None)
