"""Import returns: type a file or folder, see what happened to each file.

Colleagues' returns arrive by email into a folder; importing them one command at a time is
slow. The path may start with ``~``; a folder means its ``.xlsx`` files. The imports run in a
thread worker (reading a workbook takes a moment) that only posts messages; this dialog shows
each file's outcome as it arrives: added, updated, already up to date, or refused and why.
Dismisses with the number of assessments added or updated, so Home can say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Static

from qa_tui.ui.importing import FileOutcome, NothingToImport, import_one, returns_at, summary
from qa_tui.ui.literal import Plain

if TYPE_CHECKING:
    from pathlib import Path

    from qa_tui.services import Services


class ImportDialog(ModalScreen[int]):
    """Enter imports what the path names; escape closes (once the files are done)."""

    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    ImportDialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ImportDialog #import-title { text-style: bold; margin-bottom: 1; }
    ImportDialog Horizontal { height: 1; }
    ImportDialog Label { width: 6; }
    ImportDialog Input { width: 1fr; }
    ImportDialog #import-state { margin-top: 1; height: auto; }
    ImportDialog #import-state.-error { color: $text-error; }
    ImportDialog #import-results { height: auto; max-height: 12; }
    ImportDialog #import-progress { display: none; margin-top: 1; }
    ImportDialog #import-progress.-running { display: block; }
    ImportDialog #import-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", key_display="esc"),
    ]

    class FileDone(Message):
        """One file imported (or refused): posted by the worker thread."""

        def __init__(self, outcome: FileOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class AllDone(Message):
        """The worker has finished every file."""

    def __init__(self, services: Services, initial: str = "") -> None:
        super().__init__()
        self._services = services
        self._initial = initial
        self.outcomes: list[FileOutcome] = []
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain("Import returns (.xlsx)", id="import-title")
            with Horizontal():
                yield Label("From")
                yield Input(self._initial, placeholder="a return, or a folder of returns "
                            "(~ for your home folder)", id="import-path", compact=True)
            yield Plain("Type the path, then enter. A folder imports every .xlsx in it.",
                         id="import-state")
            yield ProgressBar(show_eta=False, id="import-progress")
            with VerticalScroll(id="import-results"):
                yield Plain("", id="import-lines")
            yield Plain("enter: import   esc: close", id="import-keys")

    def _state(self, text: str, *, error: bool = False) -> None:
        state = self.query_one("#import-state", Static)
        state.update(text)
        state.set_class(error, "-error")

    @on(Input.Submitted, "#import-path")
    def _start(self, event: Input.Submitted) -> None:
        if self.running:
            return
        try:
            files = returns_at(event.value)
        except NothingToImport as exc:
            self._state(f"✗ {exc.message[:1].upper()}{exc.message[1:]}.", error=True)
            return
        self.outcomes = []
        self.query_one("#import-lines", Static).update("")
        self.running = True
        many = f"{len(files)} files" if len(files) != 1 else "1 file"
        self._state(f"Importing {many}…")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=len(files), progress=0)
        bar.add_class("-running")
        self._import(files)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, files: list[Path]) -> None:
        """Thread worker: one short transaction per file; never touches widgets."""
        for path in files:
            self.post_message(self.FileDone(import_one(self._services, path)))
        self.post_message(self.AllDone())

    def on_import_dialog_file_done(self, message: FileDone) -> None:
        self.outcomes.append(message.outcome)
        self.query_one("#import-progress", ProgressBar).advance(1)
        lines = self.query_one("#import-lines", Static)
        lines.update("\n".join(o.line() for o in self.outcomes))

    def on_import_dialog_all_done(self) -> None:
        self.running = False
        self.query_one("#import-progress", ProgressBar).remove_class("-running")
        refused = any(o.outcome == "refused" for o in self.outcomes)
        self._state(("Done. " if not refused else "Done, with refusals. ")
                    + summary(self.outcomes) + ".", error=refused)

    @property
    def changed(self) -> int:
        return sum(o.outcome in ("added", "updated") for o in self.outcomes)

    def action_close(self) -> None:
        if self.running:
            self._state("Still importing: esc closes when the files are done.")
            return
        self.dismiss(self.changed)
