"""One read-only line on a follow-up's question: what the previous visit found.

``Previous 2026-01-10 (P copies): Good standard · Board minutes March``: the answer, its
note and the previous visit's date, cut to one line so the question keeps its room at 80x24
(the full note is in ``qa-tui show`` of the previous visit; ``P`` is shift+p). Hidden on a first visit, and on a question the
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
        found = self._previous.get(question.id)
        self.display = found is not None
        if found is None:
            self.update("")
            return
        note = " ".join(found.note.split())
        parts = [found.label or "(note only)"] + ([note] if note else [])
        self.update(f"Previous {found.visit_date.isoformat()} (P copies): "
                    + " · ".join(parts))
