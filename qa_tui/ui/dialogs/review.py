"""Review an action carried from the previous visit: what was found, and the evidence seen.

Only collects text: the outcome may be typed as its number (1-4) or its words; the service
checks it with the same rule as ``qa-tui action review``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qa_tui.services.lifecycle import ReviewOutcome
from qa_tui.ui.literal import Plain

_BY_NUMBER = {str(n): o.value for n, o in enumerate(ReviewOutcome, start=1)}
CHOICES = "  ".join(f"{n} {o}" for n, o in _BY_NUMBER.items())


class ReviewDialog(ModalScreen[tuple[str, str] | None]):
    """Enter moves from the outcome to the note and saves from the note; escape cancels."""

    DEFAULT_CSS = """
    ReviewDialog { align: center middle; }
    ReviewDialog > Vertical {
        width: 74; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ReviewDialog #review-title { text-style: bold; }
    ReviewDialog Horizontal { height: 1; margin-top: 1; }
    ReviewDialog Label { width: 10; }
    ReviewDialog Input { width: 1fr; }
    ReviewDialog #review-error { color: $error; height: auto; }
    ReviewDialog #review-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save review"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, description: str) -> None:
        super().__init__()
        self._description = description

    def compose(self) -> ComposeResult:
        with Vertical():
            what = self._description.splitlines()[0][:60] if self._description else ""
            yield Plain(f"Review carried action: {what}", id="review-title")
            yield Plain(CHOICES, id="review-choices")
            with Horizontal():
                yield Label("Outcome")
                yield Input(placeholder="1-4 or the words", id="review-outcome", compact=True)
            with Horizontal():
                yield Label("Evidence")
                yield Input(placeholder="what was seen (required)", id="review-note",
                            compact=True)
            yield Plain("", id="review-error")
            yield Plain("enter: next / save   ctrl+s: save   esc: cancel", id="review-keys")

    @on(Input.Submitted, "#review-outcome")
    def _to_note(self) -> None:
        self.set_focus(self.query_one("#review-note", Input))

    @on(Input.Submitted, "#review-note")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        typed = self.query_one("#review-outcome", Input).value.strip()
        outcome = _BY_NUMBER.get(typed, typed)
        note = self.query_one("#review-note", Input).value
        if not outcome:
            self.query_one("#review-error", Plain).update("Choose an outcome (1-4).")
            self.set_focus(self.query_one("#review-outcome", Input))
            return
        if not note.strip():
            self.query_one("#review-error", Plain).update("A review needs an evidence note.")
            self.set_focus(self.query_one("#review-note", Input))
            return
        self.dismiss((outcome, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
