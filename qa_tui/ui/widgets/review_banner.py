"""Whose view an assessment is, and its second reviewer's decision, in one or two lines.

On Assess it shows only while the assessment is back with its assessors (the reviewer's
reason, at the top, until it is completed again); on Review it always shows. Names and
reasons are data: shown literally (``Plain``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_tui.services.review import review_words
from qa_tui.ui.literal import Plain

if TYPE_CHECKING:
    from qa_tui.services import AssessmentHeader


def returned_words(rec: AssessmentHeader) -> str | None:
    """The return's reason as the assessors should read it, or None when not returned."""
    if rec.review_state != "returned" or rec.status != "draft":
        return None
    day = f" on {rec.reviewed_at:%Y-%m-%d}" if rec.reviewed_at else ""
    return (f"↩ Returned by {rec.reviewer}{day}: {rec.review_note}  "
            "(complete it again once dealt with)")


class ReviewBanner(Plain):
    """``always``: the perspective and review line (Review); else only a return's reason."""

    def __init__(self, *, always: bool = False, **kwargs: object) -> None:
        super().__init__("", **kwargs)
        self._always = always

    def show(self, rec: AssessmentHeader) -> None:
        returned = returned_words(rec)
        if self._always:
            text = f"Perspective: {rec.perspective} · Review: {review_words(rec)}"
            if returned:
                text = f"{returned}\n{text}"
        else:
            text = returned or ""
        self.set_class(returned is not None, "-returned")
        self.display = bool(text)
        self.update(text)
