"""One read-only line on a follow-up's question: what the previous visit found.

``Previous 2026-01-10 (g, P): Good standard · Board minutes March``: the answer,
its note and the previous visit's date, cut to one line so the question keeps its room at
80x24; ``g`` (which opens the guidance too) expands it to the whole note, and ``P`` is shift+p.
Hidden on a first visit, and on a question the
previous visit did not answer or whose template had no such question. Nothing here is ever an
answer: ``shift+p`` on Assess copies it, and only when the assessor asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_tui.ui.literal import Plain

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail
    from qa_tui.services.followup import PreviousAnswer
    from qa_tui.templates import Question


class PreviousFinding(Plain):
    DEFAULT_CSS = """
    PreviousFinding {
        height: 1; width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    PreviousFinding.-expanded { height: auto; text-wrap: wrap; }
    """

    _for: tuple[str, str | None] | None = None
    _previous: dict[str, PreviousAnswer]

    def show(self, detail: AssessmentDetail, question: Question) -> None:
        """Show the previous visit's finding on ``question`` (loaded once per assessment)."""
        key = (detail.id, detail.record.follows)
        if self._for != key:
            self._for = key
            self._previous = {}
            if detail.record.follows:
                services = getattr(self.screen, "services", None)
                if services is not None:
                    self._previous = services.followups.previous_answers(detail)
        self._found = self._previous.get(question.id)
        self._draw()

    def _draw(self) -> None:
        found = getattr(self, "_found", None)
        self.display = found is not None
        if found is None:
            self.update("")
            return
        expanded = self.has_class("-expanded")
        note = found.note.strip() if expanded else " ".join(found.note.split())
        parts = [found.label or "(note only)"] + ([note] if note else [])
        self.update(f"Previous {found.visit_date.isoformat()} (g, P): "
                    + (" · " if not expanded else "\n").join(parts))

    def expand(self, on: bool) -> None:
        """The whole previous note, wrapped (with the guidance), or one line again."""
        if self.has_class("-expanded") != on:
            self.set_class(on, "-expanded")
            self._draw()
