"""Where keys move to in an assessment: pure functions over an ``AssessmentDetail``.

No Textual here. Only visible questions are reachable (a hidden conditional question is skipped
until its condition holds), and order is the template's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail


def visible_ids(detail: AssessmentDetail) -> list[str]:
    return [q.id for q in detail.template.questions if q.id in detail.report.visible]


def first_open(detail: AssessmentDetail) -> str | None:
    return next((q for q in visible_ids(detail) if not detail.answer(q).answered), None)


def start_at(detail: AssessmentDetail, requested: str | None) -> str:
    """The question to open on: the requested one if visible, else the first unanswered."""
    visible = visible_ids(detail)
    if requested in visible:
        return requested
    return first_open(detail) or (visible[0] if visible else "")


def step(detail: AssessmentDetail, current: str, delta: int) -> str | None:
    """The visible question ``delta`` places away, or None past either end."""
    visible = visible_ids(detail)
    index = visible.index(current) + delta if current in visible else 0
    return visible[index] if 0 <= index < len(visible) else None


def section_entry(detail: AssessmentDetail, section_id: str) -> str | None:
    """Where entering a section lands: its first unanswered visible question, else its first."""
    section = next(s for s in detail.template.sections if s.id == section_id)
    ids = [q.id for q in section.questions if q.id in detail.report.visible]
    return next((q for q in ids if not detail.answer(q).answered), ids[0] if ids else None)


def section_step(detail: AssessmentDetail, current: str, delta: int) -> str | None:
    """Entry question of the section ``delta`` sections away (sections with nothing visible
    are skipped), or None past either end."""
    sections = [s for s in detail.template.sections
                if any(q.id in detail.report.visible for q in s.questions)]
    here = detail.template.section_of(current).id
    index = next(i for i, s in enumerate(sections) if s.id == here) + delta
    return section_entry(detail, sections[index].id) if 0 <= index < len(sections) else None


def next_open(detail: AssessmentDetail, current: str) -> tuple[str | None, bool]:
    """The next unanswered question after ``current`` (wrapping); failing that, the next answer
    still owing its evidence note. Returns (question, owes_note); (None, False) when done."""
    visible = visible_ids(detail)
    start = visible.index(current) if current in visible else -1
    order = visible[start + 1:] + visible[:start + 1]
    for qid in order:
        if not detail.answer(qid).answered:
            return qid, False
    for qid in order:
        if qid in detail.report.notes_owed:
            return qid, True
    return None, False


def position(detail: AssessmentDetail, current: str) -> str:
    """"3 of 8" (one section) or "2 of 5 in Safe": where this question sits."""
    section = detail.template.section_of(current)
    if len(detail.template.sections) > 1:
        ids = [q.id for q in section.questions if q.id in detail.report.visible]
        return f"{ids.index(current) + 1} of {len(ids)} in {section.title}"
    visible = visible_ids(detail)
    return f"{visible.index(current) + 1} of {len(visible)}"
