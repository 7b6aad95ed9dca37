"""Raise an action against a question, or change one: what, who, by when, how urgent.

The dialog only collects text; the service validates it (the same rules as the CLI) and the
screen shows its refusal, so there is one set of rules. Editing opens it prefilled.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from qa_tui.domain import Priority, parse_date
from qa_tui.errors import InvalidInput
from qa_tui.ui.literal import Plain
from qa_tui.ui.widgets.identifier_warning import IdentifierWarning


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
    ActionDialog Label { width: 13; }
    ActionDialog Input { width: 1fr; }
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
                 draft: ActionDraft | None = None) -> None:
        """A new action, or with ``draft`` the action being edited, its fields filled in."""
        super().__init__()
        self._question_id = question_id
        self._draft = draft or ActionDraft("", "", default_due, Priority.MEDIUM.value)
        self._editing = draft is not None

    def compose(self) -> ComposeResult:
        about = f" on {self._question_id}" if self._question_id else ""
        draft = self._draft
        with Vertical():
            yield Plain(f"{'Edit' if self._editing else 'New'} action{about}",
                         id="action-title")
            for name, label, placeholder, value in (
                ("description", "What", "what must be done (required)", draft.description),
                ("owner", "Owner", "who will do it", draft.owner),
                ("due", "Due date", "YYYY-MM-DD (optional)", draft.due),
                ("priority", "Priority", "low, medium or high", draft.priority),
            ):
                with Horizontal():
                    yield Label(label)
                    yield Input(value, placeholder=placeholder, id=f"action-{name}",
                                compact=True, select_on_focus=name in ("due", "priority"))
                if name == "description":
                    yield IdentifierWarning("action", id="action-warning")
            yield Plain("", id="action-error")
            yield Plain("enter: next field / save   ctrl+s: save   esc: cancel",
                         id="action-keys")

    def on_mount(self) -> None:
        self.query_one(IdentifierWarning).check(self._draft.description)

    @on(Input.Changed, "#action-description")
    def _description_changed(self, event: Input.Changed) -> None:
        self.query_one(IdentifierWarning).check_later(event.value)

    def _value(self, name: str) -> str:
        return self.query_one(f"#action-{name}", Input).value

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        name = (event.input.id or "").removeprefix("action-")
        index = self.FIELDS.index(name)
        if index + 1 < len(self.FIELDS):
            self.set_focus(self.query_one(f"#action-{self.FIELDS[index + 1]}", Input))
        else:
            self.action_save()

    def _problem(self) -> tuple[str, str] | None:
        """The first obvious slip as (field, sentence), caught here so the dialog stays open."""
        if not self._value("description").strip():
            return "description", "An action needs a description."
        due = self._value("due").strip()
        if due:
            try:
                parse_date(due, field="due date")
            except InvalidInput as exc:
                return "due", str(exc)
        priority = self._value("priority").strip().lower() or Priority.MEDIUM.value
        if priority not in {p.value for p in Priority}:
            return "priority", f"Priority {priority!r} is not low, medium or high."
        return None

    def action_save(self) -> None:
        problem = self._problem()
        if problem:
            field, text = problem
            self.query_one("#action-error", Static).update(text)
            self.set_focus(self.query_one(f"#action-{field}", Input))
            return
        self.dismiss(ActionDraft(
            description=self._value("description"),
            owner=self._value("owner"),
            due=self._value("due").strip(),
            priority=self._value("priority").strip().lower() or Priority.MEDIUM.value,
        ))

    def action_cancel(self) -> None:
        self.dismiss(None)
