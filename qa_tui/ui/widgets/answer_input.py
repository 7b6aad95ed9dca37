"""The answer box for text, number and date questions.

Enter submits (the screen saves it through the service); escape hands focus back without
saving, so the question keys work again.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class AnswerInput(Input):
    BINDINGS = [
        Binding("escape", "leave", "Leave the answer box", key_display="esc"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True, select_on_focus=False)

    def action_leave(self) -> None:
        self.screen.set_focus(None)
