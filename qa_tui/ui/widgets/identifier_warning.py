"""A warning line under a box of free text when it seems to hold a patient identifier.

Export refuses a return with an NHS number in it, but by then the assessor has left the ward;
saying so while the note is written lets them fix it from memory. The scan is
:func:`qa_tui.identifiers.scan_text` (regular expressions, microseconds), run a moment after
typing stops so it never competes with keystrokes. The line names the kinds found, never the
value: a screen can be seen over a shoulder. It is hidden while nothing is found.
"""

from __future__ import annotations

from textual.timer import Timer

from qa_tui.identifiers import scan_text
from qa_tui.ui.format import identifier_warning
from qa_tui.ui.literal import Plain

DELAY = 0.3
"""Seconds after the last keystroke before the text is scanned."""


class IdentifierWarning(Plain):
    def __init__(self, where: str, *, id: str | None = None) -> None:
        """``where`` names the box in the sentence: "note", "answer", "action"."""
        super().__init__("", id=id, markup=False, classes="identifier-warning")
        self.where = where
        self.kinds: tuple[str, ...] = ()
        self._timer: Timer | None = None
        self.display = False

    @property
    def pending(self) -> bool:
        """True while a scan waits for typing to pause (tests wait on this, not on a clock)."""
        return self._timer is not None

    def check_later(self, text: str) -> None:
        """Scan ``text`` once typing pauses (each call restarts the wait)."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DELAY, lambda: self.check(text))

    def check(self, text: str) -> None:
        """Scan ``text`` now and show or hide the warning."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.kinds = tuple(dict.fromkeys(f.kind for f in scan_text(text)))
        self.update(identifier_warning(self.kinds, self.where))
        self.display = bool(self.kinds)
