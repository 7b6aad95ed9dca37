"""The "saved" indicator: it says saved only after the service has returned from its commit.

States are words with a glyph (never colour alone): nothing changed yet, a change pending
(a note being typed), saved, or not saved with the reason.
"""

from __future__ import annotations

from rich.cells import cell_len

from qa_tui.ui.literal import Plain



class SaveStatus(Plain):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._progress = ""
        self._state = "No changes yet."
        self._alert = ""
        self._rows = 0
        """The most rows the line has needed at the width ``_rows_at``: it keeps them."""
        self._rows_at = -1

    def _render_text(self) -> None:
        """One line when both fit, else the progress on a second line: neither is cut. An
        alert (an escalation) leads whatever else the line says.

        The line keeps the most rows it has needed at this width (``min-height``), so the
        screen above does not jump by a row each time a save's words are longer or shorter;
        and when the rows stay the same, only this line is repainted (no layout)."""
        state = f"{self._alert} │ {self._state}" if self._alert else self._state
        progress = self._progress
        room = self.size.width - 2 or 10_000  # padding; unknown width before the first layout
        if not progress or not state:
            text = progress or state
        elif len(state) + 3 + len(progress) <= room:
            text = f"{state}   {progress}"
        else:
            text = f"{state}\n{progress}"
        lines = text.split("\n")
        rows = len(lines) if all(cell_len(line) <= room for line in lines) else None
        if self.size.width != self._rows_at:  # a new width: start from what this text needs
            self._rows_at, self._rows = self.size.width, 0
            self.styles.min_height = None
        if rows is not None and rows > self._rows:
            self._rows = rows
            self.styles.min_height = rows
        self.update(text, layout=rows is None or self._rows != self.size.height)

    def alert(self, text: str) -> None:
        """A marker that leads the line whatever else it says (an escalation): it is never
        the part cut off at 80 columns."""
        self._alert = text
        self._render_text()

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

    def waiting(self, count: int) -> None:
        """Saves are waiting for another program to release the database (see Saving)."""
        changes = "1 change" if count == 1 else f"{count} changes"
        self._set(f"⧗ waiting for the database (in use by another program): {changes} will "
                  "save when it is free", "-pending")

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
