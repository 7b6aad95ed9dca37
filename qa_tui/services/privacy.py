"""Scan an assessment's free text for probable patient identifiers (see :mod:`qa_tui.identifiers`).

Export and the provider report refuse while any remain (unless explicitly allowed), so a return
or a report never carries an NHS number by accident. Every free-text field that leaves the
laptop is scanned: organisation, site, assessors, text answers, evidence notes, action
descriptions and owners, the report summary, and the export file name. Findings name the place
and the kind; only ``scan --json`` adds a masked form (the last two characters), never the value.
The same scan serves an assessment in the database and a return file being reported on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qa_tui.domain import AnswerState, QuestionType
from qa_tui.identifiers import scan_text
from qa_tui.returns import ReturnData, return_filename
from qa_tui.returns import rows as return_rows
from qa_tui.services.views import AssessmentDetail
from qa_tui.templates import Template


@dataclass(frozen=True)
class IdentifierHit:
    place: str
    question_id: str | None
    field: str
    kind: str
    masked: str

    def describe(self) -> str:
        """Place and kind only: refusals and warnings never repeat the value."""
        return f"{self.place}: probable {self.kind}"

    def to_json(self) -> dict[str, Any]:
        return {"place": self.place, "question_id": self.question_id, "field": self.field,
                "kind": self.kind, "masked": self.masked}


@dataclass(frozen=True)
class _Carried:
    """The free text one return carries, whether it comes from the database or a file."""

    return_id: str
    org_name: str
    org_code: str | None
    site: str
    assessors: Iterable[str]
    template_id: str
    visit_date: dt.date
    answers: Mapping[str, AnswerState]
    actions: Iterable[tuple[str, str | None, str, str]]
    """(action id, question id, description, owner)"""
    summary: str


def _scan(hits: list[IdentifierHit], place: str, field: str, text: str | None,
          question_id: str | None = None) -> None:
    for f in scan_text(text or ""):
        hits.append(IdentifierHit(place, question_id, field, f.kind, f.masked))


def _scan_carried(template: Template, c: _Carried) -> list[IdentifierHit]:
    hits: list[IdentifierHit] = []
    _scan(hits, "organisation", "organisation", c.org_name)
    _scan(hits, "site", "site", c.site)
    for i, assessor in enumerate(c.assessors, start=1):
        _scan(hits, f"assessor {i}", "assessor", assessor)
    for q in template.questions:
        a = c.answers.get(q.id)
        if a is None:
            continue
        if q.type is QuestionType.TEXT and isinstance(a.value, str):
            _scan(hits, f"{q.id} answer", "answer", a.value, q.id)
        _scan(hits, f"{q.id} note", "note", a.note, q.id)
    for key, a in c.answers.items():  # rows of repeating groups: RISK[2].DESC
        field = template.question(key) if "[" in key else None
        if field is None:
            continue
        if field.type is QuestionType.TEXT and isinstance(a.value, str):
            _scan(hits, f"{key} answer", "answer", a.value, key)
        _scan(hits, f"{key} note", "note", a.note, key)
    for action_id, question_id, description, owner in c.actions:
        _scan(hits, f"action {action_id[:8]} description", "action", description, question_id)
        _scan(hits, f"action {action_id[:8]} owner", "action owner", owner, question_id)
    _scan(hits, "report summary", "summary", c.summary)
    _scan(hits, "export file name", "file name", return_filename(
        org_code=c.org_code, org_name=c.org_name, template_id=c.template_id,
        visit_date=c.visit_date, return_id=c.return_id))
    return hits


def scan_detail(detail: AssessmentDetail) -> list[IdentifierHit]:
    """Every probable identifier in what a return of ``detail`` would carry, by place."""
    rec = detail.record
    return _scan_carried(detail.template, _Carried(
        rec.id, rec.org_name, rec.org_code, rec.site, rec.assessors, rec.template_id,
        rec.visit_date, detail.answers,
        ((a.id, a.question_id, a.description, a.owner) for a in detail.actions), rec.summary))


def scan_return(data: ReturnData, template: Template) -> list[IdentifierHit]:
    """The same, in a return's data (a file being reported on without importing it)."""
    answers = return_rows.states(data)  # ordinary answers and rows' fields
    return _scan_carried(template, _Carried(
        data.id, data.org_name, data.org_code, data.site, data.assessors, data.template_id,
        data.visit_date, answers,
        ((a.id, a.question_id, a.description, a.owner) for a in data.actions), data.summary))


def identifiers_summary(hits: list[IdentifierHit]) -> dict[str, Any]:
    """What a return exported with ``--allow-identifiers`` records about itself: the kinds and
    places (never the values), so every later reader can see it was let through."""
    return {"kinds": sorted({h.kind for h in hits}), "places": sorted({h.place for h in hits})}
