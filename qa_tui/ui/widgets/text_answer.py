"""The answer box of a text question: several lines, wrapped, so a long answer is read whole.

``enter`` saves (as in the one-line box of number and date questions, so the keys stay the
same); ``esc`` leaves without saving. A pasted answer keeps its line breaks. The screen saves
on :class:`TextAnswer.Submitted`.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class TextAnswer(TextArea):
    BINDINGS = [
        Binding("escape", "leave", "Leave the answer box", key_display="esc"),
    ]

    class Submitted(Message):
        """``enter`` in the box: save ``value`` as the answer."""

        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, soft_wrap=True, tab_behavior="focus", compact=True,
                         show_line_numbers=False, highlight_cursor_line=False)

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        if self.text != text:
            self.load_text(text)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":  # save, rather than start a new line
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self.text))

    def action_leave(self) -> None:
        self.screen.set_focus(None)
