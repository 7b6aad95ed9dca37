"""The evidence note: a multi-line box that saves when the assessor pauses or leaves it.

The widget keeps track of which question its text belongs to and whether it differs from what
was last saved; the screen does the saving. It posts :class:`NoteEditor.Changed` while typing
(so the screen can say "not saved yet") and :class:`NoteEditor.SaveNow` after a pause, on
escape and on losing focus; the screen then calls :meth:`take` and saves through the services.
Escape must not reach the screen (it would leave the assessment), so the editor binds it.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

PAUSE = 1.0
"""Seconds without typing after which a note being written is saved."""


class NoteEditor(TextArea):
    BINDINGS = [
        Binding("escape", "done", "Done (save note)", key_display="esc"),
        Binding("ctrl+s", "done", "Save note", show=False),
    ]

    class Typing(Message):
        """The text now differs from the saved note of ``question_id``."""

        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    class SaveNow(Message):
        """Time to save: the screen calls :meth:`NoteEditor.take`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, soft_wrap=True, tab_behavior="focus", compact=True,
                         show_line_numbers=False, highlight_cursor_line=False)
        self.question_id = ""
        self._saved = ""
        self._timer: Timer | None = None

    def load(self, question_id: str, note: str) -> None:
        """Show the stored note of ``question_id`` (nothing pending afterwards)."""
        self._stop_timer()
        self.question_id = question_id
        self._saved = note
        if self.text != note:
            self.load_text(note)

    def take(self) -> tuple[str, str] | None:
        """(question id, text) when the text differs from the saved note, else None."""
        self._stop_timer()
        if not self.question_id or self.text.strip() == self._saved:
            return None
        return self.question_id, self.text

    def saved(self, question_id: str, note: str) -> None:
        """The service stored ``note``: it is the new baseline."""
        if question_id == self.question_id:
            self._saved = note

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not self.question_id or self.text.strip() == self._saved:
            return
        self.post_message(self.Typing(self.question_id))
        self._stop_timer()
        self._timer = self.set_timer(PAUSE, lambda: self.post_message(self.SaveNow()))

    def action_done(self) -> None:
        self.post_message(self.SaveNow())
        self.screen.set_focus(None)

    def _on_blur(self, event: object) -> None:
        self.post_message(self.SaveNow())
