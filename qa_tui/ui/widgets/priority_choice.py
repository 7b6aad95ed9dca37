"""Low, medium or high, as a row of radio buttons: a choice, never free text.

Arrow keys (and the letters l, m, h) choose at once, so there is no separate "press" step to
forget; :attr:`value` is always the choice on screen. ``enter`` belongs to the dialog (save).
"""

from __future__ import annotations

from textual import events
from textual.widgets import RadioButton, RadioSet

from qa_tui.domain import Priority

CHOICES = tuple(p.value for p in Priority)


class PriorityButton(RadioButton):
    """A radio button that is empty when not chosen: the choice shows without colour."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "●" if self.value else " "


class PriorityChoice(RadioSet):
    def __init__(self, value: str, *, id: str | None = None) -> None:
        self.value = value if value in CHOICES else Priority.MEDIUM.value
        super().__init__(*(PriorityButton(p, value=p == self.value, id=f"priority-{p}")
                           for p in CHOICES), id=id)

    def choose(self, value: str) -> None:
        """Make ``value`` the choice, on screen and in :attr:`value`."""
        self.value = value
        index = CHOICES.index(value)
        self._selected = index  # the highlight follows the choice
        button = self.query_one(f"#priority-{value}", PriorityButton)
        if not button.value:
            button.value = True  # RadioSet releases the others

    def action_next_button(self) -> None:
        if self._selected is None:  # RadioSet's mount: highlight the choice, keep it
            self._selected = CHOICES.index(self.value)
            return
        self.choose(CHOICES[(CHOICES.index(self.value) + 1) % len(CHOICES)])

    def action_previous_button(self) -> None:
        self.choose(CHOICES[(CHOICES.index(self.value) - 1) % len(CHOICES)])

    def _on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """A click chose: keep :attr:`value` in step."""
        if event.pressed.id:
            self.value = event.pressed.id.removeprefix("priority-")

    def on_key(self, event: events.Key) -> None:
        chosen = next((p for p in CHOICES if p[0] == event.character), None)
        if chosen is not None:
            event.stop()
            event.prevent_default()
            self.choose(chosen)
