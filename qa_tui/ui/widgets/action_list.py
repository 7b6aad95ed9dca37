"""The actions raised on the question on screen, to choose one and edit, close or reopen it.

It takes focus only when asked (``A`` on Assess), so the question keys keep working while it
is just being read. Focused, its keys show in the footer; a choice goes up as
:class:`ActionList.Chosen` and the screen changes the action through the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList

from qa_tui.ui.format import action_line
from qa_tui.ui.literal import literal
from qa_tui.ui.widgets.option_rows import fill_options

if TYPE_CHECKING:
    from qa_tui.domain import ActionView


class ActionList(OptionList):
    BINDINGS = [
        Binding("enter", "choose('edit')", "Edit", tooltip="Edit the highlighted action"),
        Binding("c", "choose('close')", "Close", tooltip="Close the highlighted action"),
        Binding("o", "choose('reopen')", "Reopen", tooltip="Reopen the highlighted action"),
        Binding("escape", "leave", "Done", key_display="esc",
                tooltip="Leave the actions (the question keys work again)"),
    ]

    class Chosen(Message):
        """``what`` (edit, close or reopen) the assessor chose to do to ``action_id``."""

        def __init__(self, action_id: str, what: str) -> None:
            super().__init__()
            self.action_id = action_id
            self.what = what

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.actions: tuple[ActionView, ...] = ()
        self._last = ""
        """The action last highlighted: still chosen after an edit or a blur (a dialog)."""

    def show(self, actions: tuple[ActionView, ...]) -> None:
        """List ``actions``; the highlight shows only while the list has focus."""
        had = bool(self.actions)
        self.actions = actions
        fill_options(self, [(a.id, literal(action_line(a))) for a in actions])
        self.highlighted = self._remembered() if self.has_focus else None
        self.display = bool(actions)
        if self.has_focus or had != bool(actions):  # else the footer shows the same keys
            self.screen.refresh_bindings()

    def _remembered(self) -> int | None:
        if not self.actions:
            return None
        return next((i for i, a in enumerate(self.actions) if a.id == self._last), 0)

    @property
    def selected(self) -> ActionView | None:
        if self.highlighted is None or not self.actions:
            return None
        return self.actions[min(self.highlighted, len(self.actions) - 1)]

    def on_focus(self) -> None:
        self.highlighted = self._remembered()
        self.screen.refresh_bindings()

    def on_blur(self) -> None:
        self.highlighted = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Close only an open action, reopen only a closed one (dimmed otherwise)."""
        if action == "choose" and parameters != ("edit",):
            chosen = self.selected
            if chosen is None:
                return False
            closed = chosen.status == "closed"
            return None if closed == (parameters == ("close",)) else True
        return True

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._last = event.option.id or self._last
        self.screen.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id, "edit"))

    def action_choose(self, what: str) -> None:
        chosen = self.selected
        if chosen is not None:
            self.post_message(self.Chosen(chosen.id, what))

    def action_leave(self) -> None:
        self.screen.set_focus(None)
