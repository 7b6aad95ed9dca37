"""Rows of repeating sections on the Assess screen: the stops they add, and what each one is.

No Textual here (like :mod:`qa_tui.ui.navigation`, which walks these stops). A repeating
section (a risk register) has no questions of its own to stand on: it has rows, and each row has
the section's fields, addressed ``GROUP[N].FIELD``. So the screen stands on *stops*:
- an ordinary question, by its id;
- a row field, by its address (``RISK[2].LIKELIHOOD``); computed fields are stops too, shown
  read-only with their value and band;
- a group with no rows yet, by its group id (``RISK``): a read-only placeholder that says how to
  add the first row, so the section can be reached before it has any.

:func:`question_at` gives the :class:`Question` to show at a stop. For a row field it is the
field with its id replaced by the address, so everything the screen keys by ``question.id``
(the answer, the note, the label, the services call) reaches the right row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from qa_tui.domain import QuestionType
from qa_tui.templates import Question, Section, parse_address, row_address
from qa_tui.ui.format import answer_key_rows

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail
    from qa_tui.templates import ComputedValue


@dataclass(frozen=True)
class RowAt:
    """Where a stop sits in a repeating section: its group, row (0 for the placeholder) and
    field id ("" for the placeholder)."""

    section: Section
    group: str
    row: int
    field: str


def row_count(detail: AssessmentDetail, group: str) -> int:
    return detail.rows.get(group, 0)


def section_stops(detail: AssessmentDetail, section: Section) -> list[str]:
    """The stops of one section, in order: visible questions, or rows' fields (or the
    placeholder of a group with no rows)."""
    if section.repeat is None:
        return [q.id for q in section.questions if q.id in detail.report.visible]
    group = section.repeat.group
    count = row_count(detail, group)
    if count == 0:
        return [group]
    return [row_address(group, n, q.id) for n in range(1, count + 1) for q in section.questions]


def all_stops(detail: AssessmentDetail) -> list[str]:
    """Every stop of the assessment, in the template's order, repeating sections included."""
    return [stop for section in detail.template.all_sections
            for stop in section_stops(detail, section)]


def row_at(detail: AssessmentDetail, stop: str) -> RowAt | None:
    """The row a stop is in (or the placeholder it is); None for an ordinary question."""
    section = detail.template.group(stop) if "[" not in stop else None
    if section is not None and section.repeat is not None:
        return RowAt(section, section.repeat.group, 0, "")
    address = parse_address(stop) if "[" in stop else None
    if address is None:
        return None
    section = detail.template.group(address.group)
    if section is None or section.repeat is None:
        return None
    return RowAt(section, section.repeat.group, address.row, address.field)


def section_of(detail: AssessmentDetail, stop: str) -> Section:
    where = row_at(detail, stop)
    return where.section if where is not None else detail.template.section_of(stop)


def question_at(detail: AssessmentDetail, stop: str) -> Question | None:
    """The question to show at ``stop``: a template question, a row field carrying its
    address as id, or the placeholder of an empty group (a read-only computed-like question)."""
    where = row_at(detail, stop)
    if where is None:
        return detail.template.question(stop)
    if where.row == 0:
        return Question(id=where.group, text=placeholder_text(where.section),
                        type=QuestionType.COMPUTED, required=False, weight=0.0)
    field = where.section.field(where.field)
    return replace(field, id=stop) if field is not None else None


def placeholder_text(section: Section) -> str:
    return f"{section.title}: no rows yet. Press + to add the first row."


def is_read_only(question: Question) -> bool:
    """Computed fields and the empty-group placeholder: never answered, noted or cleared."""
    return question.type is QuestionType.COMPUTED


def is_open(detail: AssessmentDetail, stop: str) -> bool:
    """Whether ``n`` (next open) should stop here: unanswered and answerable."""
    question = question_at(detail, stop)
    return question is not None and not is_read_only(question) \
        and not detail.answer(stop).answered


def row_name(detail: AssessmentDetail, section: Section, row: int) -> str:
    """How a row is named in lists: ``Risk 2: Staffing gaps``, as the services name it."""
    assert section.repeat is not None
    return detail.row_name(section.repeat.group, row)


def computed(detail: AssessmentDetail, stop: str) -> ComputedValue | None:
    """A computed field's value, band and trace, as the services compute it."""
    return detail.computed(stop)


def computed_lines(detail: AssessmentDetail, question: Question) -> list[str]:
    """What a read-only stop shows instead of answer keys: the value with its band, then how
    it was worked out (``LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High``)."""
    where = row_at(detail, question.id)
    if where is not None and where.row == 0:
        return ["No rows yet: + adds a row."]
    value = computed(detail, question.id)
    if value is None or value.value is None:
        why = value.trace if value is not None else "its inputs are not answered yet"
        return [f"Computed, read-only: no value yet ({why})."]
    return [f"Computed, read-only: {value.label}.", value.trace]


def computed_text(detail: AssessmentDetail, question: Question) -> str:
    """The same on one line (the status line)."""
    return " ".join(computed_lines(detail, question))


def row_gaps(detail: AssessmentDetail) -> list[tuple[str, str]]:
    """What the repeating sections still need before completion, as (stop to go to, what):
    too few rows, and each required field of an existing row left open."""
    gaps: list[tuple[str, str]] = []
    for section in detail.template.groups:
        assert section.repeat is not None
        group, count = section.repeat.group, row_count(detail, section.repeat.group)
        if count < section.repeat.min_rows:
            gaps.append((section_stops(detail, section)[0],
                         f"{group}: needs at least {section.repeat.min_rows} rows (it has "
                         f"{count}); + adds one"))
        for n in range(1, count + 1):
            for q in section.questions:
                address = row_address(group, n, q.id)
                if q.required and q.compute is None and not detail.answer(address).answered:
                    gaps.append((address, f"{address}: required, not answered"))
    return gaps


def help_rows(detail: AssessmentDetail, question: Question) -> list[tuple[str, str]]:
    """The help's lines for the keys that answer ``question``: none on a read-only stop."""
    if is_read_only(question):
        return [("", f"{question.id}: {computed_text(detail, question)}")]
    return answer_key_rows(question)
