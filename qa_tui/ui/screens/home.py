"""Home: every assessment on this laptop, newest change first, with a type-to-filter box.

Enter opens the highlighted one at its first unanswered question. The screen shows a loading
line until the app's services are open, and a refused database as a message, never a crash.

The list is read in a thread worker (issue 20): with thousands of assessments the read takes
seconds, and on the UI thread every return to Home froze the keyboard for that long. The rows
come back as a message; a newer load makes an older one's result stale, and "Loading…" shows
only when a load takes longer than :data:`LOADING_AFTER`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from qa_tui.errors import QaError
from qa_tui.ui.dialogs.confirm import ConfirmDialog
from qa_tui.ui.format import filter_words, matches
from qa_tui.ui.literal import Plain
from qa_tui.ui.messages import ExportRequested, OpenAssessment
from qa_tui.ui.screens.base import QaScreen
from qa_tui.ui.screens.saving import FIRST_TRY
from qa_tui.ui.widgets.assessment_table import AssessmentTable

if TYPE_CHECKING:
    from qa_tui.services import AssessmentSummary, Services

#: Seconds a list load may take before the title says it is loading (quick loads never flicker).
LOADING_AFTER = 0.3

EMPTY = (
    "No assessments yet.\n\n"
    "Press n to start one from a template: choose the template, type the organisation, "
    "and press enter through the form.\n"
    "Press ? for every key, ctrl+p for commands, q to quit."
)


class HomeScreen(QaScreen[None]):
    HELP_TITLE = "Home (assessments)"
    AUTO_FOCUS = "#assessments"
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True,
                tooltip="Open the highlighted assessment at its first unanswered question"),
        Binding("n", "new", "New", tooltip="Start a new assessment from a template"),
        Binding("e", "export", "Export",
                tooltip="Write the Excel return of the highlighted assessment"),
        Binding("i", "import", "Import",
                tooltip="Import returns (.xlsx) from a file or a folder"),
        Binding("d", "delete", "Delete",
                tooltip="Move the highlighted assessment to the bin (it can be restored)"),
        Binding("b", "bin", "Bin", show=False,
                tooltip="Deleted assessments: restore or erase for good"),
        Binding("c", "consolidate", "Consolidate",
                tooltip="Consolidate a folder of returns into one workbook"),
        # Not letters: a letter typed on the list filters it (see on_key).
        Binding("space", "mark", "Mark to compare", show=False,
                tooltip="Mark the highlighted assessment (A) to compare with another"),
        Binding("ctrl+k", "compare", "Compare", show=False,
                tooltip="Compare the marked assessment (A) with the highlighted one (B)"),
        Binding("f", "follow_up", "Follow-up", show=False,
                tooltip="Follow-up visit of the highlighted assessment: same organisation and "
                        "template, its open actions carried forward"),
        # Shown on screen above the list ("Type to filter (/)"), so the footer keeps its room.
        Binding("slash", "filter", "Filter", show=False, tooltip="Filter the list by any words"),
        Binding("escape", "clear_filter", "Clear the filter", show=False),
        Binding("down", "to_table", "From the filter to the list", show=False),
        Binding("q", "quit", "Quit"),
    ]

    @dataclass
    class ListLoaded(Message):
        """The list a worker read (or the error it met), for load number ``generation``."""

        generation: int
        rows: list[AssessmentSummary] | None
        error: str | None
        select: str | None

    def __init__(self) -> None:
        super().__init__()
        self._all: list[AssessmentSummary] = []
        self._marked: str | None = None
        self._generation = 0  # the newest load asked for; older results are stale
        self._loaded_generation = 0
        self._loading_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Plain("qa-tui · Assessments", id="title-bar")
        yield Input(placeholder="Type to filter (/): organisation, template, status, date",
                    id="filter", compact=True, select_on_focus=False)
        yield AssessmentTable(id="assessments")
        yield Plain("Opening the database…", id="home-message")
        yield Plain("", id="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Hidden until the first list arrives, so a letter typed meanwhile is a command (n, q),
        # never text for the filter box that focus would fall to when an empty list hides.
        self.query_one(AssessmentTable).display = False
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- data ---------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read the list (after the services open), or read it again (coming back from another
        screen, or when the terminal regains focus) in a thread worker so keys keep working
        while it loads."""
        services = self.qa.services
        if services is None:
            first = self.qa.first_rows
            if first is not None and self._loaded_generation == 0:
                # Read over plain sqlite3 while the full services open (issue 20).
                self._generation += 1
                self._list_loaded(self._sorted(list(first), self._generation, select))
            elif first is None or self.qa.load_error is not None:
                self._message(self.qa.load_error, error=self.qa.load_error is not None)
            return
        self._generation += 1
        generation = self._generation
        if self._loaded_generation == 0:
            # The first list is read at once, as the screen first shows: a key pressed as Home
            # appears (enter, say) finds the rows there. Coming back to Home later, the rows
            # already shown stay while a worker reads the list again, so keys never wait.
            self._list_loaded(self._read(services, generation, select))
            return
        if self._loading_timer is None:
            self._loading_timer = self.set_timer(LOADING_AFTER, self._show_loading)
        # An unexpected error (a bug, not a QaError) still ends the app with its traceback,
        # as it did when the list was read on the UI thread, rather than loading for ever.
        self.run_worker(lambda: self._load(services, generation, select), thread=True,
                        group="home-list")

    @property
    def list_loading(self) -> bool:
        """True while a list load is still on its way (tests wait for this to clear)."""
        return self._loaded_generation < self._generation

    def _read(self, services: Services, generation: int, select: str | None) -> ListLoaded:
        """The list as a message; touches no widget (it also runs in the worker thread)."""
        try:
            rows = services.assessments.list()
        except QaError as exc:
            return self.ListLoaded(generation, None, str(exc), select)
        return self._sorted(rows, generation, select)

    def _sorted(self, rows: list[AssessmentSummary], generation: int,
                select: str | None) -> ListLoaded:
        rows.sort(key=lambda s: s.updated_at, reverse=True)
        return self.ListLoaded(generation, rows, None, select)

    def show_waiting(self, waiting: bool) -> None:
        """Keys typed before the services are open wait (the app holds them): say so."""
        self.query_one("#status-line", Static).update(
            "Loading… the keys typed apply in a moment." if waiting else "")

    def _load(self, services: Services, generation: int, select: str | None) -> None:
        """Worker thread: read the list and post it back."""
        self.post_message(self._read(services, generation, select))

    @on(ListLoaded)
    def _list_loaded(self, message: ListLoaded) -> None:
        if message.generation < self._generation:
            return  # a newer load is on its way: its result wins
        self._loaded_generation = message.generation
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        self._show_count()
        if message.rows is None:
            self._message(message.error, error=True)
            return
        self._all = message.rows
        self._apply_filter(message.select)

    def _show_loading(self) -> None:
        self._loading_timer = None
        if self.list_loading:
            self.query_one("#title-bar", Static).update("qa-tui · Assessments (loading…)")

    def refresh_from_store(self) -> None:
        """Called by the app when the terminal regains focus: the CLI may have changed things."""
        self.reload(select=self.selected_id)

    def _message(self, text: str | None, *, error: bool = False) -> None:
        message = self.query_one("#home-message", Static)
        if error:
            message.update(f"The database could not be opened.\n\n{text}\n\n"
                           "Nothing was changed. Check the path (QA_TUI_DB or --db), "
                           "then press q to quit.")
        else:
            message.update(text or "Opening the database…")
        message.set_class(error, "-error")
        message.display = True
        self.query_one(AssessmentTable).display = False
        self.call_after_refresh(self._settle_focus)

    def _apply_filter(self, select: str | None = None) -> None:
        words = filter_words(self.query_one("#filter", Input).value)
        shown = [s for s in self._all if matches(words, (
            s.org_name, s.org_code or "", s.site, s.template_id, s.template_title, s.status,
            s.visit_date.isoformat()))]
        table = self.query_one(AssessmentTable)
        table.show(shown)
        if select:
            table.select(select)
        message = self.query_one("#home-message", Static)
        message.remove_class("-error")
        if not self._all:
            message.update(EMPTY)
        elif not shown:
            message.update("No assessment matches the filter. Press escape to clear it.")
        message.display = not shown
        table.display = bool(shown)
        if shown and self.focused is None:
            self.set_focus(table)
        if not self._all:
            self.call_after_refresh(self._settle_focus)
        self._show_count()
        self.refresh_bindings()

    def _show_count(self) -> None:
        words = filter_words(self.query_one("#filter", Input).value)
        shown = self.query_one(AssessmentTable).row_count
        count = f"{shown} of {len(self._all)}" if words else f"{len(self._all)}"
        self.query_one("#title-bar", Static).update(f"qa-tui · Assessments ({count})")

    def _settle_focus(self) -> None:
        """With no list to show, focus nothing rather than the empty filter box, so letters
        stay commands (n, b, q); Textual would otherwise move focus there."""
        table = self.query_one(AssessmentTable)
        if not table.display and not self.query_one("#filter", Input).value:
            self.set_focus(None)

    @property
    def selected_id(self) -> str | None:
        table = self.query_one(AssessmentTable)
        return table.selected_id if table.display else None

    def export_target(self) -> str | None:
        return self.selected_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "export", "delete"):
            return self.selected_id is not None
        if action in ("new", "bin", "import"):
            return self.qa.services is not None
        return True

    # -- filter ---------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply_filter()

    def on_key(self, event: events.Key) -> None:
        """Typing on the list starts filtering, except keys that are commands here; once the
        filter has the keyboard, letters still queued for the list (typed fast) go there too,
        never to a command (q would quit, d delete)."""
        table = self.query_one(AssessmentTable)
        box = self.query_one("#filter", Input)
        if not event.is_printable or not event.character:
            return
        if self.focused is box:  # the box types its own keys: this one was queued before
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
            return
        if self.focused is not table:
            return
        if event.key in self.active_bindings or event.character == " ":
            return
        self.set_focus(box)
        box.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.set_focus(self.query_one(AssessmentTable))

    def action_to_table(self) -> None:
        self.set_focus(self.query_one(AssessmentTable))

    # -- commands -------------------------------------------------------------------------------

    def action_open(self) -> None:
        if self.selected_id:
            self.post_message(OpenAssessment(self.selected_id))

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_new(self) -> None:
        from qa_tui.ui.screens.new import NewAssessmentScreen

        def started(assessment_id: str | None) -> None:
            if assessment_id:
                self.post_message(OpenAssessment(assessment_id))

        self.app.push_screen(NewAssessmentScreen(), started)

    def action_export(self) -> None:
        if self.selected_id:
            self.post_message(ExportRequested(self.selected_id))

    def action_import(self) -> None:
        from qa_tui.ui.dialogs.import_returns import ImportDialog

        services = self.qa.services
        if services is None:
            return

        def done(changed: int | None) -> None:
            self.reload()
            if changed:
                self.query_one("#status-line", Static).update(
                    f"✓ Imported: {changed} assessment{'s' if changed != 1 else ''} added or "
                    "updated.")

        self.app.push_screen(ImportDialog(services), done)

    def show_export(self, text: str, ok: bool) -> None:
        self.query_one("#status-line", Static).update(("✓ " if ok else "✗ ") + text)

    def action_consolidate(self) -> None:
        from qa_tui.ui.screens.consolidate import ConsolidateScreen

        self.app.push_screen(ConsolidateScreen())

    def action_bin(self) -> None:
        from qa_tui.ui.screens.bin import BinScreen

        self.app.push_screen(BinScreen())

    def action_delete(self) -> None:
        row = self.query_one(AssessmentTable).selected
        if row is None:
            return
        body = (f"{row.org_name} · {row.template_id} · {row.visit_date.isoformat()} "
                f"({row.status}, {row.progress_pct}% answered) goes to the bin. "
                "Nothing is erased: press b to see the bin and restore it.")

        def decided(yes: bool | None) -> None:
            if yes:
                self._delete(row.id)

        self.app.push_screen(ConfirmDialog("Move this assessment to the bin?", body,
                                           yes="move to the bin"), decided)

    def _delete(self, assessment_id: str) -> None:
        services = self.qa.services
        if services is None:
            return
        try:
            with services.store.patience(FIRST_TRY):  # never freeze on another's lock
                services.assessments.delete(assessment_id)
        except QaError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload()
        self.query_one("#status-line", Static).update(
            "Moved to the bin. Press b to see the bin and restore it.")

    def action_mark(self) -> None:
        row = self.query_one(AssessmentTable).selected
        if row is None:
            return
        self._marked = row.id
        self.query_one("#status-line", Static).update(
            f"Marked A: {row.org_name} · {row.template_id} · {row.visit_date.isoformat()}. "
            "Highlight another and press ctrl+k to compare.")

    def action_compare(self) -> None:
        from qa_tui.ui.screens.compare import open_compare

        why = open_compare(self.app, self.qa.services, self._marked, self.selected_id)
        if why:
            self.query_one("#status-line", Static).update("✗ " + why)

    def action_follow_up(self) -> None:
        """Start the follow-up visit of the highlighted assessment and open it."""
        services = self.qa.services
        if services is None or not self.selected_id:
            return
        try:
            with services.store.patience(FIRST_TRY):  # never freeze on another's lock
                started = services.followups.start(self.selected_id)
        except QaError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.post_message(OpenAssessment(started.detail.id))

    def action_quit(self) -> None:
        self.app.exit(0)

    def help_extra(self) -> list[tuple[str, str]]:
        return [("a-z", "typing on the list filters it"), ("↑ ↓", "move in the list")]
