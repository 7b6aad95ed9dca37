"""What the visible sheets hold, computed from the document alone.

The writer renders these models and the verifier compares a workbook's cells against the very
same models, so "the visible sheets agree with the JSON" is checked cell by cell with no second
implementation to drift. Pure functions: no I/O, no openpyxl.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qa_tui.domain import AnswerState, naive_utc
from qa_tui.returns.document import FORMAT, FORMAT_VERSION, ReturnData
from qa_tui.returns import rows as return_rows
from qa_tui.templates import (
    ComputedValue,
    Question,
    Section,
    Template,
    answer_label,
    computed_values,
    rating_words,
    row_address,
    scored_value,
    visible_questions,
)

Value = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    style: str = "text"
    """How the writer formats it: text, wrap, int, number, pct, date or datetime."""


@dataclass
class SheetModel:
    name: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]
    """Every row from row 1, header (or title) included."""
    keys: list[str]
    """For each row, what names it in a message (a question id, a Cover label...)."""
    first_data_row: int = 2
    table: str | None = None
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row index, column index), both 0-based into ``rows``, to a fill colour (RRGGBB)."""
    extra_rows_allowed: bool = False
    """Cover only: rows a later 1.x version adds below the known ones are ignored."""


COVER = (Column("Item", 30), Column("Value", 80, "wrap"))
SUMMARY = (Column("Section id", 14), Column("Section", 40, "wrap"), Column("Answered", 10, "int"),
           Column("Questions", 10, "int"), Column("Required unanswered", 12, "int"),
           Column("Score %", 9, "pct"), Column("Rating", 22),
           Column("How the rating was reached", 70, "wrap"))
SUMMARY_TRUST = (Column("Rating with coverage", 40, "wrap"), Column("Escalations", 16, "wrap"))
"""Added at the right of Summary by returns that carry coverage (issue 10)."""
RESPONSES = (Column("Section id", 12), Column("Section", 24, "wrap"),
             Column("Question id", 11), Column("Question", 60, "wrap"),
             Column("Answer", 24, "wrap"), Column("Answer value", 14, "number"),
             Column("N/A", 6), Column("Score", 8, "number"),
             Column("Evidence note", 60, "wrap"), Column("Answered at (UTC)", 17, "datetime"),
             Column("Status", 24, "wrap"))
ROW = Column("Row", 6, "int")
"""Added at the right of Responses (the format only ever adds columns there) for a template with
repeating sections: the row number of a row field, blank for an ordinary question."""
ACTIONS = (Column("Action id", 38), Column("Question id", 11), Column("Description", 60, "wrap"),
           Column("Owner", 20, "wrap"), Column("Due date", 12, "date"), Column("Priority", 9),
           Column("Status", 9))

# Light fills with the default dark text: readable, printable, and never the only signal
# (the rating word is always in the cell).
RED, AMBER, GREEN, BLUE = "F4CCCC", "FCE5CD", "D9EAD3", "CFE2F3"


def rating_fill(position: int, levels: int) -> str | None:
    """Fill for the ``position``-th of ``levels`` ratings, worst (0) to best."""
    if levels < 2 or not 0 <= position < levels:
        return None
    share = position / (levels - 1)
    return RED if share < 0.25 else AMBER if share < 0.5 else GREEN if share < 0.85 else BLUE


excel_time = naive_utc
"""Excel has no time zones: naive UTC, whole seconds (the header says UTC)."""


def _fill_for(names: Sequence[str], rating: str | None) -> str | None:
    if rating is None or rating not in names:
        return None
    return rating_fill(list(names).index(rating), len(names))


def _section_ratings(template: Template) -> tuple[str, ...]:
    return template.scoring.section.ratings()


def _overall_ratings(template: Template) -> tuple[str, ...]:
    return template.scoring.overall.ratings() or template.scoring.section.ratings()


def cover(data: ReturnData, template: Template, digest: str) -> SheetModel:
    overall = data.scores.overall
    s = data.scores
    items: list[tuple[str, Value]] = [
        ("Return id", data.id),
        ("Revision", data.revision),
        ("Template", data.template_title),
        ("Template id", data.template_id),
        ("Template version", data.template_version),
        ("Organisation", data.org_name),
        ("ODS code", data.org_code),
        ("Site or service", data.site or None),
        ("Kind", data.kind),
        ("Assessors", "; ".join(data.assessors) or None),
        ("Visit date", data.visit_date),
        ("Status", data.status),
        ("Overall score %", overall.score_pct),
        ("Overall rating", overall.rating),
        ("Progress", f"{s.answered} of {s.total} answered ({s.progress_pct}%)"),
        ("Escalation flags", ", ".join(s.escalations) or None),
        ("Started (UTC)", excel_time(data.created_at)),
        ("Completed (UTC)", excel_time(data.completed_at)),
        ("Revision saved at (UTC)", excel_time(data.updated_at)),
        ("App", f"qa-tui {data.generator_version}"),
        ("Format", f"{FORMAT} version {FORMAT_VERSION}"),
        ("Content hash (SHA-256)", digest),
    ]
    if s.has_coverage:  # rows a later 1.x adds go at the bottom: earlier readers ignore them
        items += _trust_rows(data)
    if data.perspective is not None or data.review is not None:  # issue 13, at the bottom too
        items += [("Perspective", data.perspective),
                  ("Review", data.review.words() if data.review else None)]
    rows: list[tuple[Value, ...]] = [("Quality assessment return", None), (None, None)]
    rows += [(label, value) for label, value in items]
    model = SheetModel("Cover", COVER, rows, ["title", "blank"] + [i[0] for i in items],
                       first_data_row=3, extra_rows_allowed=True)
    labels = [i[0] for i in items]
    fill = _fill_for(_overall_ratings(template), overall.rating)
    if fill:
        model.fills[(2 + labels.index("Overall rating"), 1)] = fill
    if s.has_coverage:  # fills are not compared: prominence without changing a checked cell
        for label, colour, on in (("Status", AMBER, data.status != "complete"),
                                  ("Draft or final", AMBER, data.status != "complete"),
                                  ("Escalation flags", RED, bool(s.escalations)),
                                  ("Escalation record", RED, bool(s.escalations_unrecorded))):
            if on:
                model.fills[(2 + labels.index(label), 0)] = colour
                model.fills[(2 + labels.index(label), 1)] = colour
    return model


def _trust_rows(data: ReturnData) -> list[tuple[str, Value]]:
    """Cover rows of a return that knows its coverage: the rating with the share of answers it
    rests on ("provisional" in words), DRAFT in words, and the escalation record."""
    s = data.scores
    coverage = rating_words(s.overall.rating, s.overall.score_pct, s.coverage_pct or 0,
                            bool(s.provisional))
    draft = ("DRAFT: not complete; the answers and rating may still change"
             if data.status != "complete" else "Final: marked complete")
    owed = s.escalations_unrecorded or ()
    if not s.escalations:
        record = "no escalations"
    elif owed:
        record = (f"⚠ ESCALATE {', '.join(s.escalations)}: record owed on {', '.join(owed)} "
                  "(who was told, when, what was agreed)")
    else:
        record = f"⚠ ESCALATE {', '.join(s.escalations)}: recorded in the evidence notes"
    return [("Rating with coverage", coverage), ("Draft or final", draft),
            ("Escalation record", record)]


def summary(data: ReturnData, template: Template) -> SheetModel:
    wider = data.scores.has_coverage  # columns a later 1.x adds go at the right
    columns = SUMMARY + SUMMARY_TRUST if wider else SUMMARY
    rows: list[tuple[Value, ...]] = [tuple(c.header for c in columns)]
    model = SheetModel("Summary", columns, rows, ["header"])
    names = _section_ratings(template)
    flagged = set(data.scores.escalations)
    for s in data.scores.sections:
        r = s.result
        row: tuple[Value, ...] = (s.id, s.title, s.answered, s.total, len(s.required_open),
                                  r.score_pct, r.rating, r.trace)
        if wider:
            section = next((x for x in template.sections if x.id == s.id), None)
            here = [q.id for q in section.questions if q.id in flagged] if section else []
            row += (rating_words(r.rating, r.score_pct, s.coverage_pct or 0,
                                 bool(s.provisional)),
                    f"⚠ {', '.join(here)}" if here else None)
            if here:
                model.fills[(len(rows), 9)] = RED
        rows.append(row)
        model.keys.append(s.id)
        fill = _fill_for(names, r.rating)
        if fill:
            model.fills[(len(rows) - 1, 6)] = fill
    return model


def _value_cell(question: Question, value: object) -> Value:
    if value is None:
        return None
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return value
    if question.type.value == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return "; ".join(v if isinstance(v, str) else json.dumps(v) for v in value)
    return value if isinstance(value, str) else json.dumps(value)


def _status(question: Question, state: AnswerState, shown: bool) -> str:
    if not shown:
        return "Not asked (condition not met)"
    if state.na:
        return "N/A"
    if state.value is not None:
        return "Answered"
    return "Required, not answered" if question.required else "Not answered"


def responses(data: ReturnData, template: Template) -> SheetModel:
    with_rows = bool(template.groups)
    columns = RESPONSES + (ROW,) if with_rows else RESPONSES
    rows: list[tuple[Value, ...]] = [tuple(c.header for c in columns)]
    model = SheetModel("Responses", columns, rows, ["header"], table="ResponsesTable")
    given = {a.question_id: a for a in data.answers}
    states = {qid: AnswerState(a.value, a.na, a.note) for qid, a in given.items()}
    shown = visible_questions(template, states)
    computed = computed_values(template, return_rows.states(data), data.row_counts())
    for section in template.all_sections:
        if section.repeat is not None:
            group_responses(model, data, section, computed)
            continue
        for q in section.questions:
            if q.compute is not None:
                model.rows.append(computed_row(section, q, q.id, None, computed, with_rows))
                model.keys.append(q.id)
                continue
            a = given.get(q.id)
            state = states.get(q.id, AnswerState())
            value = scored_value(q, state.value, state.na) if q.id in shown else None
            scored = value is not None
            points = value * q.weight if value is not None else None
            rows.append((
                section.id, section.title, q.id, q.text,
                answer_label(q, state.value, state.na) or None, _value_cell(q, state.value),
                "Yes" if state.na else None, points, state.note or None,
                excel_time(a.answered_at) if a else None, _status(q, state, q.id in shown),
                *((None,) if with_rows else ())))
            model.keys.append(q.id)
            if scored and q.scale is not None:
                order = sorted(q.scale.options, key=lambda o: float(o.value))
                position = [o.value for o in order].index(state.value)
                fill = rating_fill(position, len(order))
                if fill:
                    model.fills[(len(rows) - 1, 4)] = fill
    return model


def group_responses(model: SheetModel, data: ReturnData, section: Section,
                    computed: Mapping[str, ComputedValue]) -> None:
    """One Responses row per field per row of a repeating section (none while it has no rows)."""
    assert section.repeat is not None
    gid = section.repeat.group
    for n, row in enumerate(dict(data.groups or ()).get(gid, ()), start=1):
        given = {a.question_id: a for a in row}
        for q in section.questions:
            key = row_address(gid, n, q.id)
            model.keys.append(key)
            if q.compute is not None:
                model.rows.append(computed_row(section, q, key, n, computed, True))
                continue
            a = given.get(q.id)
            state = AnswerState(a.value, a.na, a.note) if a else AnswerState()
            model.rows.append((
                section.id, section.title, q.id, q.text,
                answer_label(q, state.value, state.na) or None, _value_cell(q, state.value),
                "Yes" if state.na else None, None, state.note or None,
                excel_time(a.answered_at) if a else None, _status(q, state, True), n))


def computed_row(section: Section, q: Question, key: str, n: int | None,
                 computed: Mapping[str, ComputedValue], with_rows: bool) -> tuple[Value, ...]:
    """A computed field's Responses row: the value the reader computes, never one it reads."""
    c = computed.get(key)
    value = c.value if c is not None else None
    return (section.id, section.title, q.id, q.text,
            (c.label or None) if c is not None else None, value, None, None, None, None,
            f"Computed: {c.trace}" if c is not None and value is not None else "Computed",
            *((n,) if with_rows else ()))


def actions(data: ReturnData) -> SheetModel:
    rows: list[tuple[Value, ...]] = [tuple(c.header for c in ACTIONS)]
    model = SheetModel("Actions", ACTIONS, rows, ["header"], table="ActionsTable")
    for a in data.actions:
        rows.append((a.id, a.question_id, a.description, a.owner or None, a.due_date,
                     a.priority, a.status))
        model.keys.append(a.id[:8])
    return model


def visible_sheets(data: ReturnData, template: Template, digest: str) -> list[SheetModel]:
    """The four visible sheets, in workbook order."""
    return [cover(data, template, digest), summary(data, template), responses(data, template),
            actions(data)]
