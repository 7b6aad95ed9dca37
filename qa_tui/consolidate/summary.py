"""What the committee sheets need of one return: a one-row summary and its escalations.

Runs in the worker beside :mod:`qa_tui.consolidate.rows`: the coverage of a rating comes from
re-scoring the return's answers against its own template snapshot (the same scoring the app
used), so a return exported before coverage existed still gets it. Only these small rows
travel back to the parent and wait in the spool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from qa_tui.domain import AnswerState
from qa_tui.returns import VerifiedReturn
from qa_tui.templates import answer_label, score

Row = tuple[Any, ...]
PERSPECTIVES = ("self", "icb", "peer")


class Summary(NamedTuple):
    """One return as the Committee and Trend sheets use it (pickled into the spool)."""

    return_id: str
    org_name: str
    org_code: str | None
    template_id: str
    template_title: str
    visit_date: dt.date
    completed_at: dt.datetime | None
    status: str
    perspective: str
    rating: str | None
    coverage_pct: int
    provisional: bool
    escalations: int
    open_high: int
    overdue_high: int
    review: str | None = None
    """The second reviewer's decision (approved, returned) or None: ``--approved-only``."""


def perspective_of(document: Mapping[str, Any], kind: str) -> str:
    """Whose view a return gives: the return's own ``perspective`` key when it has one (added
    by later versions), else from the template kind (self-assessment: self; a visit: icb)."""
    for holder in (document.get("assessment"), document):
        if isinstance(holder, Mapping):
            value = holder.get("perspective")
            if isinstance(value, str) and value.strip().casefold() in PERSPECTIVES:
                return value.strip().casefold()
    return "self" if kind == "self-assessment" else "icb"


def summarise(verified: VerifiedReturn, *, as_of: dt.date) -> Summary:
    data, template = verified.data, verified.template
    states = {a.question_id: AnswerState(a.value, a.na, a.note) for a in data.answers}
    report = score(template, states)
    high = [x for x in data.actions if x.priority == "high" and x.status != "closed"]
    overdue = [x for x in high if x.due_date is not None and x.due_date < as_of]
    return Summary(data.id, data.org_name, data.org_code, data.template_id,
                   data.template_title, data.visit_date, data.completed_at, data.status,
                   perspective_of(verified.document, data.kind), data.scores.overall.rating,
                   report.coverage_pct, data.scores.overall.rating is not None
                   and report.coverage_pct < report.provisional_below,
                   len(data.scores.escalations), len(high), len(overdue),
                   data.review.state if data.review else None)


def escalation_rows(verified: VerifiedReturn) -> list[Row]:
    """One row a critical concern: the question, the answer and the evidence note on it (the
    escalation record). The organisation is filled in by the parent (register name)."""
    data, template = verified.data, verified.template
    answers = {a.question_id: a for a in data.answers}
    rows: list[Row] = []
    for qid in data.scores.escalations:
        q, a = template.question(qid), answers.get(qid)
        label = answer_label(q, a.value, a.na) if q and a else None
        rows.append((data.org_name, data.org_code, data.template_id, data.visit_date,
                     data.status, qid, q.text if q else None, label or None,
                     (a.note if a else "") or "(no evidence note recorded)", data.id))
    return rows
