"""Where keys move to in an assessment: pure functions over an ``AssessmentDetail``.

No Textual here. Only visible questions are reachable (a hidden conditional question is skipped
until its condition holds), and order is the template's. A repeating section contributes its
rows' fields (or, with no rows, one placeholder): see :mod:`qa_tui.ui.rows` for these stops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_tui.ui import rows

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail


def visible_ids(detail: AssessmentDetail) -> list[str]:
    """Every stop in order: visible questions and the fields of every row."""
    return rows.all_stops(detail)


def first_open(detail: AssessmentDetail) -> str | None:
    return next((q for q in visible_ids(detail) if rows.is_open(detail, q)), None)


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
    section = next(s for s in detail.template.all_sections if s.id == section_id)
    ids = rows.section_stops(detail, section)
    return next((q for q in ids if rows.is_open(detail, q)), ids[0] if ids else None)


def section_step(detail: AssessmentDetail, current: str, delta: int) -> str | None:
    """Entry question of the section ``delta`` sections away (sections with nothing visible
    are skipped), or None past either end."""
    sections = [s for s in detail.template.all_sections if rows.section_stops(detail, s)]
    here = rows.section_of(detail, current).id
    index = next(i for i, s in enumerate(sections) if s.id == here) + delta
    return section_entry(detail, sections[index].id) if 0 <= index < len(sections) else None


def next_open(detail: AssessmentDetail, current: str) -> tuple[str | None, bool]:
    """The next unanswered question after ``current`` (wrapping); failing that, the next answer
    still owing its evidence note. Returns (question, owes_note); (None, False) when done."""
    visible = visible_ids(detail)
    start = visible.index(current) if current in visible else -1
    order = visible[start + 1:] + visible[:start + 1]
    for qid in order:
        if rows.is_open(detail, qid):
            return qid, False
    for qid in order:
        if qid in detail.report.notes_owed:
            return qid, True
    return None, False


def position(detail: AssessmentDetail, current: str) -> str:
    """"3 of 8" (one section) or "2 of 5 in Safe": where this question sits."""
    where = rows.row_at(detail, current)
    if where is not None:
        count = rows.row_count(detail, where.group)
        if where.row == 0:
            return f"no rows yet in {where.section.title}"
        fields = [q.id for q in where.section.questions]
        return (f"row {where.row} of {count}, field {fields.index(where.field) + 1} of "
                f"{len(fields)} in {where.section.title}")
    section = detail.template.section_of(current)
    if len(detail.template.all_sections) > 1:
        ids = [q.id for q in section.questions if q.id in detail.report.visible]
        return f"{ids.index(current) + 1} of {len(ids)} in {section.title}"
    visible = visible_ids(detail)
    return f"{visible.index(current) + 1} of {len(visible)}"
