"""A yes/no question before anything that moves or erases work."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from qa_tui.ui.literal import Plain


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True on y/enter, False on n/escape. Says what will happen, plainly."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmDialog #confirm-title { text-style: bold; }
    ConfirmDialog #confirm-body { margin: 1 0; }
    ConfirmDialog #confirm-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", key_display="y"),
        Binding("n,escape", "answer(False)", "No", key_display="n"),
    ]

    def __init__(self, title: str, body: str, *, yes: str = "yes") -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self._title, id="confirm-title")
            yield Plain(self._body, id="confirm-body")
            yield Plain(f"y or enter: {self._yes}    n or esc: no, keep it", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
