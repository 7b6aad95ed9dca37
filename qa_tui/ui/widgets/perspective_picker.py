"""The New screen's choice of whose view an assessment gives: self, icb or peer.

It follows the highlighted template (self for a self-assessment, icb for a visit) until the
person picks one themselves; from then on their choice stays.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Select

from qa_tui.domain import Perspective, default_perspective

CHOICES: tuple[tuple[str, str], ...] = (
    ("self: the provider's view", Perspective.SELF.value),
    ("icb: the commissioner's", Perspective.ICB.value),
    ("peer: peer, lay or expert", Perspective.PEER.value),
)


class PerspectivePicker(Select[str]):
    """A keyboard select (enter opens it, up/down, enter picks) of the three perspectives."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(CHOICES, allow_blank=False, value=Perspective.ICB.value,
                         compact=True, **kwargs)  # type: ignore[arg-type]
        self._automatic: str | None = Perspective.ICB.value
        """The value the template set; None once the person chose for themselves."""
        self._echoes: list[str] = []
        """Values ``follow`` set whose Changed message has not arrived yet: moving quickly
        through the templates sends several, and none of them is the person's choice."""

    def follow(self, kind: str) -> None:
        """Take the template kind's default, unless the person already chose."""
        if self._automatic is None:
            return
        self._automatic = default_perspective(kind).value
        if self.value != self._automatic:
            self._echoes.append(self._automatic)
            self.value = self._automatic

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.value in self._echoes:
            self._echoes.remove(str(event.value))  # our own change, arriving late
            return
        if self._automatic is not None and event.value != self._automatic:
            self._automatic = None
