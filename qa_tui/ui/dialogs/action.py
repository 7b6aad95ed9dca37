"""Raise an action against a question, or change one: what, who, by when, how urgent.

The due date is typed as a person writes it (``31/12/2026``, ``31 Dec``) and the date it was
read as is shown while typing; the priority is a choice. The service still validates what is
saved (the same rules as the CLI) and the screen shows its refusal. Editing opens it prefilled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from qa_tui.domain import Priority
from qa_tui.errors import InvalidInput
from qa_tui.services.dates import SHAPES, read_date, spoken
from qa_tui.ui.literal import Plain
from qa_tui.ui.widgets.identifier_warning import IdentifierWarning
from qa_tui.ui.widgets.priority_choice import PriorityChoice


@dataclass(frozen=True)
class ActionDraft:
    """The fields as typed (``due`` as YYYY-MM-DD or empty)."""

    description: str
    owner: str
    due: str
    priority: str


class ActionDialog(ModalScreen[ActionDraft | None]):
    """Enter moves to the next field and saves from the last; ctrl+s saves; escape cancels."""

    DEFAULT_CSS = """
    ActionDialog { align: center middle; }
    ActionDialog > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ActionDialog #action-title { text-style: bold; margin-bottom: 1; }
    ActionDialog Horizontal { height: 1; margin-bottom: 1; }
    ActionDialog Horizontal.-due { margin-bottom: 0; }
    ActionDialog Label { width: 13; }
    ActionDialog Input { width: 1fr; }
    ActionDialog Input.-invalid { border-left: outer $error; color: $error; }
    ActionDialog #action-due-read { margin: 0 0 1 13; color: $text-muted; }
    ActionDialog #action-due-read.-invalid { color: $error; }
    ActionDialog PriorityChoice { layout: horizontal; width: 1fr; height: 1; border: none;
                                  padding: 0; background: transparent; }
    ActionDialog PriorityChoice RadioButton { margin-right: 2; }
    ActionDialog PriorityChoice:focus { border: none; background: $boost; }
    ActionDialog #action-error { color: $error; height: auto; }
    ActionDialog #action-warning { margin-bottom: 1; }
    ActionDialog #action-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save action"),  # queued behind typing, never ahead of it
        Binding("escape", "cancel", "Cancel"),
    ]
    FIELDS = ("description", "owner", "due", "priority")

    def __init__(self, question_id: str | None, default_due: str = "", *,
                 draft: ActionDraft | None = None, today: dt.date | None = None) -> None:
        """A new action, or with ``draft`` the action being edited, its fields filled in;
        ``today`` reads a date typed without a year (its next occurrence)."""
        super().__init__()
        self._question_id = question_id
        self._draft = draft or ActionDraft("", "", default_due, Priority.MEDIUM.value)
        self._editing = draft is not None
        self._today = today or dt.date.today()
        self._in_error = ""

    def compose(self) -> ComposeResult:
        about = f" on {self._question_id}" if self._question_id else ""
        draft = self._draft
        with Vertical():
            yield Plain(f"{'Edit' if self._editing else 'New'} action{about}",
                         id="action-title")
            for name, label, placeholder, value in (
                ("description", "What", "what must be done (required)", draft.description),
                ("owner", "Owner", "who will do it", draft.owner),
                ("due", "Due date", f"e.g. {SHAPES} (optional)", draft.due),
            ):
                with Horizontal(classes=f"-{name}"):
                    yield Label(label)
                    yield Input(value, placeholder=placeholder, id=f"action-{name}",
                                compact=True, select_on_focus=name == "due")
                if name == "description":
                    yield IdentifierWarning("action", id="action-warning")
            yield Plain("", id="action-due-read")
            with Horizontal():
                yield Label("Priority")
                yield PriorityChoice(draft.priority, id="action-priority")
            yield Plain("", id="action-error")
            yield Plain("enter: next field / save   ← →: priority   ctrl+s: save   "
                        "esc: cancel", id="action-keys")

    def on_mount(self) -> None:
        self.query_one(IdentifierWarning).check(self._draft.description)
        self._read_due()

    @on(Input.Changed, "#action-description")
    def _description_changed(self, event: Input.Changed) -> None:
        self.query_one(IdentifierWarning).check_later(event.value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == "action-due":
            self._read_due()
        if self._in_error:
            problem = self._problem()
            if problem is None or problem[0] != self._in_error:
                self._show_problem(None)  # the field in error is fixed: its message goes

    def _read_due(self) -> dt.date | None:
        """Show the date being typed as it was read (or why it cannot be), and return it."""
        typed = self._value("due").strip()
        shown = self.query_one("#action-due-read", Static)
        if not typed:
            shown.update("no due date")
            shown.set_class(False, "-invalid")
            return None
        try:
            date = read_date(typed, today=self._today, field="due date")
        except InvalidInput:
            shown.update(f"not a date yet: type it as {SHAPES}")
            shown.set_class(True, "-invalid")
            return None
        shown.update(f"→ {spoken(date)}")
        shown.set_class(False, "-invalid")
        return date

    def _value(self, name: str) -> str:
        return self.query_one(f"#action-{name}", Input).value

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        name = (event.input.id or "").removeprefix("action-")
        index = self.FIELDS.index(name)
        self.set_focus(self.query_one(f"#action-{self.FIELDS[index + 1]}"))

    def on_key(self, event: events.Key) -> None:
        """``enter`` on the priority saves (it is the last field)."""
        if event.key == "enter" and isinstance(self.focused, PriorityChoice):
            event.stop()
            event.prevent_default()
            self.action_save()

    def _problem(self) -> tuple[str, str] | None:
        """The first obvious slip as (field, sentence), caught here so the dialog stays open."""
        if not self._value("description").strip():
            return "description", "An action needs a description."
        due = self._value("due").strip()
        if due:
            try:
                read_date(due, today=self._today, field="due date")
            except InvalidInput as exc:
                return "due", str(exc)
        return None

    def _show_problem(self, problem: tuple[str, str] | None) -> None:
        """Mark the field in error and say why; None clears both."""
        field, text = problem or ("", "")
        self._in_error = field
        self.query_one("#action-error", Static).update(text)
        for name in ("description", "due"):
            self.query_one(f"#action-{name}", Input).set_class(name == field, "-invalid")

    def action_save(self) -> None:
        problem = self._problem()
        if problem:
            self._show_problem(problem)
            self.set_focus(self.query_one(f"#action-{problem[0]}", Input))
            return
        due = self._read_due()
        self.dismiss(ActionDraft(
            description=self._value("description"),
            owner=self._value("owner"),
            due=due.isoformat() if due else "",
            priority=self.query_one(PriorityChoice).value,
        ))

    def action_cancel(self) -> None:
        self.dismiss(None)
