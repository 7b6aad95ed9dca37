"""Actions: every action of one assessment in a table, to edit, close or reopen any of them.

Before completing or exporting, an assessor checks the actions as a whole (are they all owned,
dated, still open?); on Assess only one question's actions are in view. Changes go through the
same dialog and service calls as on Assess. Dismisses with a question id to go to, or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from qa_tui.errors import QaError
from qa_tui.ui.action_edits import ActionEditing
from qa_tui.ui.literal import Plain, literal
from qa_tui.ui.screens.base import QaScreen

if TYPE_CHECKING:
    from qa_tui.domain import ActionView
    from qa_tui.services import AssessmentDetail


class ActionsScreen(ActionEditing, QaScreen[str | None]):
    HELP_TITLE = "Actions (every action of this assessment)"
    AUTO_FOCUS = "#all-actions"
    BINDINGS = [
        Binding("enter", "edit", "Edit", tooltip="Edit the highlighted action", priority=True),
        Binding("c", "close_action", "Close", tooltip="Close the highlighted action"),
        Binding("o", "reopen_action", "Reopen", tooltip="Reopen the highlighted action"),
        Binding("a", "add", "Add", tooltip="Add an action on the whole assessment"),
        Binding("v", "review", "Review", tooltip="Review an action carried from the previous "
                "visit: completed, partly, not started or no longer relevant, with evidence"),
        Binding("g", "go", "Go to question", tooltip="Go to the question of this action"),
        Binding("q,escape", "back", "Back", tooltip="Back to where you were"),
    ]

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.detail: AssessmentDetail | None = None

    def compose(self) -> ComposeResult:
        yield Plain("", id="title-bar")
        yield DataTable(id="all-actions", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="home-message")
        yield Plain("", id="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in (("Status", "status"), ("Question", "question"), ("What", "what"),
                           ("Owner", "owner"), ("Due", "due"), ("Priority", "priority")):
            table.add_column(label, key=key)
        self.reload()

    def reload(self) -> None:
        try:
            detail = self.services.assessments.get(self.assessment_id)
        except QaError as exc:
            self.query_one("#status-line", Static).update(f"✗ {exc}")
            return
        self.show_detail(detail)

    def show_detail(self, detail: AssessmentDetail) -> None:
        """Show ``detail`` (just read, or as a change returned it)."""
        self.detail = detail
        rec = detail.record
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for a in sorted(detail.actions, key=lambda a: (a.status == "closed", a.created_at)):
            what = a.description if len(a.description) <= 40 else a.description[:39] + "…"
            table.add_row(("✓ closed" if a.status == "closed" else "○ open")
                          + (" ↻" if a.carried else ""),
                          a.question_id or "(all)", literal(what), literal(a.owner or "—"),
                          a.due_date.isoformat() if a.due_date else "—", a.priority, key=a.id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        opened = sum(a.status != "closed" for a in detail.actions)
        self.query_one("#title-bar", Static).update(
            f"Actions · {rec.org_name} · {detail.template.id} · {opened} open of "
            f"{len(detail.actions)}")
        message = self.query_one("#home-message", Static)
        message.update("No actions yet. Press a to add one on the whole assessment, or a on "
                       "a question in Assess to add one on that question.")
        message.display = not table.row_count
        table.display = bool(table.row_count)
        self.refresh_bindings()

    @property
    def selected(self) -> ActionView | None:
        table = self.query_one(DataTable)
        if self.detail is None or not table.row_count or not table.display:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((a for a in self.detail.actions if a.id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        chosen = self.selected if self.is_mounted else None
        if action in ("edit", "go"):
            return chosen is not None and (action == "edit" or chosen.question_id is not None)
        if action == "close_action":
            return None if chosen is None or chosen.status == "closed" else True
        if action == "review":
            return None if chosen is None or not chosen.carried else True
        if action == "reopen_action":
            return None if chosen is None or chosen.status != "closed" else True
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def actions_changed(self, what: str, detail: AssessmentDetail) -> None:
        self.show_detail(detail)
        self.query_one("#status-line", Static).update(f"✓ saved: {what}")

    def actions_refused(self, why: str) -> None:
        self.query_one("#status-line", Static).update(f"✗ NOT saved: {why}")

    def action_edit(self) -> None:
        if (chosen := self.selected) is not None:
            self.edit_action(chosen)

    def action_close_action(self) -> None:
        if (chosen := self.selected) is not None:
            self.close_action(chosen)

    def action_reopen_action(self) -> None:
        if (chosen := self.selected) is not None:
            self.reopen_action(chosen)

    def action_review(self) -> None:
        if (chosen := self.selected) is not None and chosen.carried:
            self.review_action(chosen)

    def action_add(self) -> None:
        self.add_action_on(None)

    def action_go(self) -> None:
        if (chosen := self.selected) is not None and chosen.question_id:
            self.dismiss(chosen.question_id)

    def action_back(self) -> None:
        self.dismiss(None)

    def export_target(self) -> str | None:
        return self.assessment_id
