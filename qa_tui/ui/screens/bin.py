"""The bin: deleted assessments, restorable; erasing for good is a separate, confirmed step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from qa_tui.errors import QaError
from qa_tui.ui.dialogs.confirm import ConfirmDialog
from qa_tui.ui.literal import Plain
from qa_tui.ui.screens.base import QaScreen
from qa_tui.ui.screens.saving import FIRST_TRY
from qa_tui.ui.widgets.assessment_table import AssessmentTable

if TYPE_CHECKING:
    pass


class BinScreen(QaScreen[None]):
    HELP_TITLE = "Bin (deleted assessments)"
    AUTO_FOCUS = "#binned"
    BINDINGS = [
        Binding("enter,r", "restore", "Restore", key_display="r", priority=True),
        Binding("X", "erase", "Erase for good", key_display="shift+x"),
        Binding("q,escape", "back", "Back", key_display="q"),
    ]

    def compose(self) -> ComposeResult:
        yield Plain("qa-tui · Bin", id="title-bar")
        yield AssessmentTable(id="binned", deleted=True)
        yield Plain("", id="home-message")
        yield Plain("", id="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        assert self.qa.services is not None
        rows = sorted(self.qa.services.assessments.list(deleted=True),
                      key=lambda s: s.deleted_at or s.updated_at, reverse=True)
        table = self.query_one(AssessmentTable)
        table.show(rows)
        table.display = bool(rows)
        message = self.query_one("#home-message", Static)
        message.update("The bin is empty. Assessments deleted from Home (d) come here, and "
                       "can be restored from here.")
        message.display = not rows
        self.query_one("#title-bar", Static).update(f"qa-tui · Bin ({len(rows)})")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore", "erase"):
            return self.query_one(AssessmentTable).selected_id is not None
        return True

    def action_restore(self) -> None:
        row = self.query_one(AssessmentTable).selected
        if row is None or self.qa.services is None:
            return
        try:
            with self.qa.services.store.patience(FIRST_TRY):  # never freeze on another's lock
                self.qa.services.assessments.restore(row.id)
        except QaError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload()
        self.query_one("#status-line", Static).update(
            f"Restored {row.org_name} · {row.template_id}: it is back on Home.")

    def action_erase(self) -> None:
        row = self.query_one(AssessmentTable).selected
        if row is None:
            return

        def decided(yes: bool | None) -> None:
            if yes and self.qa.services is not None:
                try:
                    with self.qa.services.store.patience(FIRST_TRY):
                        self.qa.services.assessments.purge(row.id)
                except QaError as exc:
                    self.notify(str(exc), severity="error")
                self.reload()
                self.query_one("#status-line", Static).update("Erased for good.")

        self.app.push_screen(ConfirmDialog(
            "Erase this assessment for good?",
            f"{row.org_name} · {row.template_id} · {row.visit_date.isoformat()}: every answer, "
            "note and action is erased and cannot be restored. Export it first if in doubt.",
            yes="erase for good"), decided)

    def action_back(self) -> None:
        self.dismiss(None)
