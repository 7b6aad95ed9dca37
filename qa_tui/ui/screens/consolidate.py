"""Consolidate: a folder of returns into one workbook, with progress and every file's outcome.

The quality team's screen: where the returns are, where the workbook (and optionally a
database) goes, ctrl+r to run. The work runs in a thread worker (checking itself uses worker
processes) and only posts messages; this screen owns what is shown. The results table lists
rejected files first, then superseded ones, then the accepted; enter on a row shows its reason
in full.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from qa_tui.config import Paths, resolve_paths, typed_path
from qa_tui.ui.literal import Plain, literal
from qa_tui.ui.screens.base import QaScreen

if TYPE_CHECKING:
    from qa_tui.consolidate import FileOutcome
    from qa_tui.services.consolidation import ConsolidationReport

STAGES = {"checking": "Checking returns", "writing": "Writing the workbook",
          "database": "Loading the database"}
ORDER = {"rejected": 0, "superseded": 1, "accepted": 2}
WORDS = {"rejected": "✗ rejected", "superseded": "↻ superseded", "accepted": "✓ accepted"}


def default_output(paths: Paths, today: dt.date | None = None) -> Path:
    """Beside the export folder, dated, so a new run does not replace last month's."""
    day = (today or dt.date.today()).isoformat()
    return paths.export_dir.parent / f"qa-tui consolidated {day}.xlsx"


class ReasonDialog(ModalScreen[None]):
    """One file's outcome in full: the path, what happened, and why."""

    DEFAULT_CSS = """
    ReasonDialog { align: center middle; }
    ReasonDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ReasonDialog #reason-title { text-style: bold; }
    ReasonDialog #reason-body { margin: 1 0; }
    ReasonDialog #reason-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter,q", "close", "Close", key_display="esc")]

    def __init__(self, item: FileOutcome) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        lines = [f"File: {item.file}"]
        if item.return_id:
            lines.append(f"Return: {item.return_id} (revision {item.revision})")
        lines.append(f"Reason: {item.reason}" if item.reason else
                     "Accepted: it is in the workbook.")
        if item.by:
            lines.append(f"Replaced by: {item.by}")
        with Vertical():
            yield Plain(WORDS[item.outcome].split(" ", 1)[1].capitalize(), id="reason-title")
            yield Plain(literal(*lines), id="reason-body")  # each line escaped on its own
            yield Plain("esc or enter: close", id="reason-keys")

    def action_close(self) -> None:
        self.dismiss(None)


class ConsolidateScreen(QaScreen[None]):
    HELP_TITLE = "Consolidate returns"
    AUTO_FOCUS = "#source"
    BINDINGS = [
        # Not a priority binding: it then waits behind keys still on their way to a box, so a
        # path typed (or pasted) just before ctrl+r is read whole.
        Binding("ctrl+r", "run", "Run", tooltip="Check every return and write the workbook"),
        Binding("escape", "back", "Back", tooltip="Back to the assessments"),
    ]

    class Progressed(Message):
        def __init__(self, stage: str, done: int, total: int) -> None:
            super().__init__()
            self.stage, self.done, self.total = stage, done, total

    class Finished(Message):
        def __init__(self, report: ConsolidationReport) -> None:
            super().__init__()
            self.report = report

    class Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self.outcomes: list[FileOutcome] = []

    @property
    def paths(self) -> Paths:
        services = self.qa.services
        return services.paths if services else (self.qa.paths or resolve_paths())

    def compose(self) -> ComposeResult:
        paths = self.paths
        yield Plain("qa-tui · Consolidate returns", id="title-bar")
        yield Plain("Returns: a folder (searched with its sub-folders) or files; separate "
                     "several with ;", classes="field-label")
        yield Input(str(paths.export_dir), id="source", compact=True)
        yield Plain("Workbook to write (.xlsx)", classes="field-label")
        yield Input(str(default_output(paths)), id="output", compact=True)
        yield Plain("Database to load as well (optional, .sqlite3)", classes="field-label")
        yield Input("", placeholder="leave empty for the workbook only", id="db", compact=True)
        yield Plain("Press ctrl+r to run.", id="run-message")
        yield ProgressBar(id="progress", show_eta=False)
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns("Outcome", "File", "Return", "Reason")
        table.display = False

    # -- running ---------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        if self.running:
            return
        typed = self.query_one("#source", Input).value.split(";")
        sources = [typed_path(s) for s in typed if s.strip()]
        output_text = self.query_one("#output", Input).value.strip()
        db_text = self.query_one("#db", Input).value.strip()
        if not sources or not output_text:
            self._status("Give a folder of returns and a workbook to write.", ok=False)
            return
        output = typed_path(output_text)
        if output.suffix.lower() != ".xlsx":
            self._status("The workbook name must end in .xlsx.", ok=False)
            return
        db = typed_path(db_text) if db_text else None
        self._set_running(True)
        self._status("")
        self.run_worker(lambda: self._work(sources, output, db), thread=True,
                        exclusive=True, group="consolidate")

    def _work(self, sources: list[Path], output: Path, db: Path | None) -> None:
        """Thread worker: never touches widgets; progress and the result come as messages."""
        from qa_tui.errors import QaError
        from qa_tui.services import build_consolidation

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(self.Progressed(stage, done, total))

        service = build_consolidation(self.paths)
        try:
            report = service.run(sources, output, db=db, progress=progress)
        except QaError as exc:
            self.post_message(self.Failed(str(exc)))
        except Exception as exc:  # a failed run must not take the app down
            self.post_message(self.Failed(f"Consolidation failed ({type(exc).__name__}): {exc}"))
        else:
            self.post_message(self.Finished(report))

    def on_consolidate_screen_progressed(self, message: Progressed) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        self._say(f"{STAGES.get(message.stage, message.stage)}: {message.done} of "
                  f"{message.total}")

    def on_consolidate_screen_finished(self, message: Finished) -> None:
        self._set_running(False)
        report = message.report
        self.outcomes = sorted(report.result.files,
                               key=lambda f: (ORDER[f.outcome], f.file))
        self._show_results()
        r = report.result
        said = f"Written: {r.output}"
        c = r.counts
        said += (f"\nCommittee: {c.drafts_excluded} draft(s) left out of ratings, "
                 f"{c.escalations} escalation(s) (Escalations sheet)")
        if c.self_vs_icb_pairs:
            said += (f"\nSelf vs ICB: {c.self_vs_icb_pairs} pair(s), {c.overconfident} "
                     "over-confident")
        if report.database is not None:
            said += f"\nDatabase: {report.database.message()}"
        self._say(said)
        self._status(f"{len(r.accepted)} returns accepted, {len(r.superseded)} superseded, "
                     f"{len(r.rejected)} rejected (enter on a row: its reason)",
                     ok=not report.failed)

    def on_consolidate_screen_failed(self, message: Failed) -> None:
        self._set_running(False)
        self._say(message.reason, error=True)
        self._status("Nothing was written.", ok=False)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#run-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def _set_running(self, running: bool) -> None:
        self.running = running
        for box in self.query(Input):
            box.disabled = running
        if running:
            self.query_one("#progress", ProgressBar).update(total=None, progress=0)
            self._say("Starting…")
        self.refresh_bindings()

    def _show_results(self) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for i, item in enumerate(self.outcomes):
            path = Path(item.file)
            table.add_row(WORDS[item.outcome], literal(f"{path.parent.name}/{path.name}"),
                          literal((item.return_id or "")[:8]), literal(item.reason or ""),
                          key=str(i))
        table.display = bool(self.outcomes)
        if self.outcomes:
            table.move_cursor(row=0)
            self.set_focus(table)

    def _status(self, text: str, *, ok: bool = True) -> None:
        shown = text if not text else ("✓ " if ok else "✗ ") + text
        self.query_one("#status-line", Static).update(shown)

    # -- results -----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#results")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.outcomes):
            self.app.push_screen(ReasonDialog(self.outcomes[index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run", "back"):
            return not self.running
        return True

    def action_back(self) -> None:
        if not self.running:
            self.dismiss(None)

    def help_extra(self) -> list[tuple[str, str]]:
        return [("enter", "in a box: run; on a result: its reason in full"),
                ("tab", "next box")]
