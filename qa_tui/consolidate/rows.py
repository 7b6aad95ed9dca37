"""One verified return reduced to the compact rows the consolidated sheets need.

This runs in the worker processes: the full return (template snapshot, JSON, every answer) stays
there, and only a small :class:`ReturnKey` (for deciding which copy of a return wins) and the
rows themselves (pickled, per sheet) travel back. So the parent's memory does not grow with the
size of the returns, and the rows can be spooled to disk untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from dataclasses import dataclass
from typing import Any

from qa_tui.consolidate.columns import Rated
from qa_tui.consolidate.lineage import lineage_rows
from qa_tui.consolidate.summary import Summary, escalation_rows, summarise
from qa_tui.domain import AnswerState, JsonValue, naive_utc
from qa_tui.returns import ReturnData, VerifiedReturn
from qa_tui.returns.content import content_hash
from qa_tui.returns.layout import rating_fill
from qa_tui.returns import rows as return_rows
from qa_tui.templates import (
    Question,
    Template,
    answer_label,
    computed_values,
    row_address,
    scored_value,
)
from qa_tui.templates import visible_questions as shown_questions

Row = tuple[Any, ...]
SHEETS = ("returns", "ratings", "responses", "actions", "exceptions", "summary", "escalations",
          "answers", "lineage")
"""The per-return row blocks each accepted file contributes (in this order). ``answers`` is
``(question id, value, na)`` of a completed return, for the Self vs ICB pairing (empty for a
draft, which is never paired)."""


@dataclass(frozen=True)
class Shape:
    """What a template block of the Ratings sheet needs: its sections and rating orders."""

    title: str
    sections: tuple[tuple[str, str], ...]
    """(id, title) of each section, in template order."""
    ratings: tuple[str, ...]
    """Section rating names, worst to best (empty when the template does not rate)."""
    overall: tuple[str, ...]
    groups: tuple[str, ...] = ()
    """Ids of the template's repeating groups (unrated: their rows are on Responses only)."""


@dataclass(frozen=True, slots=True)
class ReturnKey:
    """Everything the parent keeps about one accepted file: enough to decide and to sort."""

    path: str
    return_id: str
    revision: int
    sha256: str
    content: str
    """The return's content hash (qa_tui.returns.content): equal contents are copies, even
    when exported by different qa-tui versions."""
    template_id: str
    template_version: str
    template_hash: str
    org_name: str
    site: str
    visit_date: dt.date
    status: str
    org_code: str = ""
    identifiers: str | None = None
    """Set when the return says it was exported with ``--allow-identifiers`` (kinds, places)."""
    follows: str = ""
    """The return id of the visit this one follows up ('' for a first visit)."""
    review: str | None = None
    """The second reviewer's decision the return carries (approved, returned) or None."""

    @property
    def sort_key(self) -> tuple[str, str, dt.date, str, str]:
        return (self.org_name.casefold(), self.site.casefold(), self.visit_date,
                self.template_id, self.return_id)


@dataclass(frozen=True)
class Reduced:
    """An accepted file: its key, its template's shape, and its rows pickled per sheet."""

    key: ReturnKey
    shape: Shape
    blobs: dict[str, bytes]
    counts: dict[str, int]


def reduce_return(verified: VerifiedReturn, *, as_of: dt.date) -> Reduced:
    """The key, shape and rows of one verified return (``as_of`` judges overdue actions)."""
    data, template = verified.data, verified.template
    key = ReturnKey(str(verified.path), data.id, data.revision, verified.sha256,
                    content_hash(verified.document), data.template_id, data.template_version,
                    data.template_hash, data.org_name, data.site, data.visit_date, data.status,
                    data.org_code or "",
                    data.identifiers.describe() if data.identifiers else None,
                    data.follows or "",
                    data.review.state if data.review else None)
    summary = summarise(verified, as_of=as_of)
    shape = Shape(data.template_title,
                  tuple((s.id, s.title) for s in data.scores.sections),
                  template.scoring.section.ratings(),
                  template.scoring.overall.ratings() or template.scoring.section.ratings(),
                  groups=tuple(s.repeat.group for s in template.groups if s.repeat))
    blocks: dict[str, list[Row]] = {
        "returns": [_returns_row(verified, summary)],
        "ratings": [_ratings_row(data, shape, summary)],
        "responses": _responses(data, template),
        "actions": _actions(data, template, as_of),
        "exceptions": _exceptions(verified, template),
        "summary": [summary],
        "escalations": escalation_rows(verified),
        "answers": [(a.question_id, a.value, a.na) for a in data.answers]
        if data.status == "complete" else [],
        "lineage": lineage_rows(data),
    }
    return Reduced(key, shape,
                   {k: pickle.dumps(v, pickle.HIGHEST_PROTOCOL) for k, v in blocks.items()},
                   {k: len(v) for k, v in blocks.items()})


def rated(names: tuple[str, ...], rating: str | None) -> Rated | None:
    """A rating cell coloured like the return's own sheets (worst red .. best blue)."""
    if rating is None:
        return None
    fill = rating_fill(names.index(rating), len(names)) if rating in names else None
    return Rated(rating, fill)


def _returns_row(verified: VerifiedReturn, summary: Summary) -> Row:
    d, s = verified.data, verified.data.scores
    overall = overall_cell(_overall_names(verified.template), summary)
    return (d.org_name, d.org_code, d.site or None, d.template_title, d.template_id,
            d.template_version, d.visit_date, "; ".join(d.assessors) or None, d.status,
            d.revision, s.answered, s.total, s.overall.score_pct,
            overall, len(s.required_open),
            ", ".join(s.escalations) or None, naive_utc(d.completed_at), d.id, str(verified.path),
            verified.sha256, d.review.words() if d.review else None)


def _overall_names(template: Template) -> tuple[str, ...]:
    return template.scoring.overall.ratings() or template.scoring.section.ratings()


def overall_cell(names: tuple[str, ...], summary: Summary) -> Rated | None:
    """The overall rating cell: from fewer scored answers than the template's threshold it
    reads as provisional, never as a plain rating."""
    cell = rated(names, summary.rating)
    if cell is not None and summary.provisional:
        return Rated(f"{cell.text} (provisional: {summary.coverage_pct}% of scored questions "
                     "answered)", cell.fill)
    return cell


def _ratings_row(data: ReturnData, shape: Shape, summary: Summary) -> Row:
    by_id = {s.id: s.result.rating for s in data.scores.sections}
    cells = tuple(rated(shape.ratings, by_id.get(sid)) for sid, _ in shape.sections)
    overall = data.scores.overall
    return (data.org_name, data.org_code, data.site or None, data.visit_date, data.status,
            *cells, overall_cell(shape.overall, summary), overall.score_pct, data.id[:8])


def _value_cell(question: Question, value: JsonValue) -> Any:
    """The value as Excel should hold it: numbers as numbers, dates as dates, lists joined."""
    if value is None:
        return None
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        if question.type.value == "date":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        return "; ".join(v if isinstance(v, str) else json.dumps(v) for v in value)
    return json.dumps(value)


def _responses(data: ReturnData, template: Template) -> list[Row]:
    states = {a.question_id: AnswerState(a.value, a.na, a.note) for a in data.answers}
    shown = shown_questions(template, states)
    site = data.site or None
    rows: list[Row] = []
    for a in data.answers:
        q = template.question(a.question_id)
        if q is None:  # the reader refuses these; kept safe for a hand-made ReturnData
            continue
        value = scored_value(q, a.value, a.na) if q.id in shown else None
        points = value * q.weight if value is not None else None
        rows.append((data.org_name, site, data.template_id, template.section_of(q.id).title,
                     q.id, None, q.text, answer_label(q, a.value, a.na) or None,
                     _value_cell(q, a.value), "Yes" if a.na else None, points, a.note or None,
                     data.id))
    return rows + group_rows(data, template)


def group_rows(data: ReturnData, template: Template) -> list[Row]:
    """Rows of repeating groups (field, row number) and every computed value, recomputed from
    the answers: a return's own figures for them are never read."""
    computed = computed_values(template, return_rows.states(data), data.row_counts())
    head = (data.org_name, data.site or None, data.template_id)
    rows: list[Row] = []
    for section in template.all_sections:
        if section.repeat is None:
            rows.extend((*head, section.title, q.id, None, q.text, c.label or None, c.value,
                         None, None, None, data.id)
                        for q in section.questions
                        if (c := computed.get(q.id)) is not None and c.value is not None)
            continue
        gid = section.repeat.group
        for n, row in enumerate(dict(data.groups or ()).get(gid, ()), start=1):
            given = {a.question_id: a for a in row}
            for q in section.questions:
                c = computed.get(row_address(gid, n, q.id))
                if c is not None and c.value is not None:
                    rows.append((*head, section.title, q.id, n, q.text, c.label, c.value, None,
                                 None, None, data.id))
                elif (a := given.get(q.id)) is not None:
                    rows.append((*head, section.title, q.id, n, q.text,
                                 answer_label(q, a.value, a.na) or None, _value_cell(q, a.value),
                                 "Yes" if a.na else None, None, a.note or None, data.id))
    return rows


def _actions(data: ReturnData, template: Template, as_of: dt.date) -> list[Row]:
    rows: list[Row] = []
    for x in data.actions:
        q = template.question(x.question_id) if x.question_id else None
        late = x.status != "closed" and x.due_date is not None and x.due_date < as_of
        days = (as_of - x.due_date).days if late and x.due_date else None
        rows.append((data.org_name, data.site or None, data.template_id, x.question_id,
                     q.text if q else None, x.description, x.owner or None, x.due_date,
                     x.priority, x.status, "Overdue" if late else None, days, data.id, x.id))
    return rows


def _exceptions(verified: VerifiedReturn, template: Template) -> list[Row]:
    """Data-quality rows of this return: blanks and notes owed (escalations are not data
    quality: they have their own sheet, see :mod:`qa_tui.consolidate.summary`)."""
    d, s = verified.data, verified.data.scores
    head = (d.org_name, d.template_id, d.id, d.revision, d.status)
    path = str(verified.path)
    rows: list[Row] = []
    if s.required_open:
        marked = "the return is marked complete" if d.status == "complete" else \
            "the return is a draft"
        rows.append(("Required unanswered", *head,
                     f"{len(s.required_open)} required question(s) left blank ({marked}): "
                     f"{', '.join(s.required_open)}", path, None))
    if d.identifiers is not None:
        rows.append(("Identifiers allowed", *head,
                     f"{d.identifiers.describe()}; check before sharing further", path, None))
    if s.notes_owed:
        rows.append(("Evidence note owed", *head,
                     f"answers that need an evidence note have none: {', '.join(s.notes_owed)}",
                     path, None))
    return rows
