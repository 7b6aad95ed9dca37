"""A second reviewer approves an assessment or returns it: their name, and a note or reason.

The dialog collects text and asks the service; a refusal (the reviewer is one of the assessors,
no reason given) is shown in the dialog, literally, and the dialog stays open so the reviewer
can correct it. Dismisses True when the decision was saved, False when cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qa_tui.errors import QaError
from qa_tui.ui.literal import Plain

if TYPE_CHECKING:
    from qa_tui.services import Services

Decision = Literal["approve", "return"]


class ReviewDialog(ModalScreen[bool]):
    """Enter moves to the next field and saves from the last; ctrl+s saves; escape cancels."""

    DEFAULT_CSS = """
    ReviewDialog { align: center middle; }
    ReviewDialog > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ReviewDialog #review-title { text-style: bold; margin-bottom: 1; }
    ReviewDialog Horizontal { height: 1; margin-bottom: 1; }
    ReviewDialog Label { width: 10; }
    ReviewDialog Input { width: 1fr; }
    ReviewDialog #review-error { color: $error; height: auto; }
    ReviewDialog #review-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, services: Services, assessment_id: str, decision: Decision) -> None:
        super().__init__()
        self._services = services
        self._assessment_id = assessment_id
        self.decision = decision

    def compose(self) -> ComposeResult:
        approve = self.decision == "approve"
        with Vertical():
            yield Plain("Approve this assessment" if approve else
                        "Return this assessment to its assessors (back to draft)",
                        id="review-title")
            with Horizontal():
                yield Label("Reviewer")
                yield Input(placeholder="your name (not one of the assessors)",
                            id="review-reviewer", compact=True)
            with Horizontal():
                yield Label("Note" if approve else "Reason")
                yield Input(placeholder="optional note" if approve else
                            "what should be looked at again (required)",
                            id="review-text", compact=True)
            yield Plain("", id="review-error")
            yield Plain("enter: next field / save   ctrl+s: save   esc: cancel",
                        id="review-keys")

    @on(Input.Submitted, "#review-reviewer")
    def _next(self) -> None:
        self.set_focus(self.query_one("#review-text", Input))

    @on(Input.Submitted, "#review-text")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        reviewer = self.query_one("#review-reviewer", Input).value
        text = self.query_one("#review-text", Input).value
        svc = self._services.assessments
        try:
            if self.decision == "approve":
                svc.approve(self._assessment_id, reviewer=reviewer, note=text)
            else:
                svc.send_back(self._assessment_id, reviewer=reviewer, reason=text)
        except QaError as exc:
            self.query_one("#review-error", Plain).update(f"✗ {exc}")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
