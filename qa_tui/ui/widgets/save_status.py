"""The "saved" indicator: it says saved only after the service has returned from its commit.

States are words with a glyph (never colour alone): nothing changed yet, a change pending
(a note being typed), saved, or not saved with the reason.
"""

from __future__ import annotations

from textual.widgets import Static


class SaveStatus(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._progress = ""
        self._state = "No changes yet."

    def _render_text(self) -> None:
        """One line when both fit, else the progress on a second line: neither is cut."""
        state, progress = self._state, self._progress
        room = self.size.width - 2 or 10_000  # padding; unknown width before the first layout
        if not progress or not state:
            self.update(progress or state)
        elif len(state) + 3 + len(progress) <= room:
            self.update(f"{state}   {progress}")
        else:
            self.update(f"{state}\n{progress}")

    def on_resize(self) -> None:
        self._render_text()

    def progress(self, text: str) -> None:
        self._progress = text
        self._render_text()

    def _set(self, state: str, css: str) -> None:
        self._state = state
        for name in ("-saved", "-pending", "-error", "-info"):
            self.set_class(name == css, name)
        self._render_text()

    def saved(self, what: str) -> None:
        """Call only after the service call returned: the change is on disk."""
        self._set(f"✓ saved: {what}", "-saved")

    def pending(self, what: str) -> None:
        self._set(f"… not saved yet: {what}", "-pending")

    def error(self, why: str) -> None:
        self._set(f"✗ NOT saved: {why}", "-error")

    def info(self, text: str) -> None:
        self._set(text, "-info")

    def clear_error(self) -> None:
        """The next key was pressed: a refusal about the one before is no longer news."""
        if self.has_class("-error"):
            self._set("", "-info")

    @property
    def state(self) -> str:
        return self._state
