"""Scan an assessment's free text for probable patient identifiers (see :mod:`qa_tui.identifiers`).

Export refuses while any remain (unless explicitly allowed), so a return never carries an NHS
number by accident. Every free-text field that leaves the laptop is scanned: organisation, site,
assessors, text answers, evidence notes, action descriptions and owners, and the export file
name. Findings name the place and the kind; only ``scan --json`` adds a masked form (the last
two characters), never the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_tui.domain import QuestionType
from qa_tui.identifiers import scan_text
from qa_tui.returns import return_filename
from qa_tui.services.views import AssessmentDetail


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


def _scan(hits: list[IdentifierHit], place: str, field: str, text: str | None,
          question_id: str | None = None) -> None:
    for f in scan_text(text or ""):
        hits.append(IdentifierHit(place, question_id, field, f.kind, f.masked))


def scan_detail(detail: AssessmentDetail) -> list[IdentifierHit]:
    """Every probable identifier in what a return of ``detail`` would carry, by place."""
    hits: list[IdentifierHit] = []
    rec = detail.record
    _scan(hits, "organisation", "organisation", rec.org_name)
    _scan(hits, "site", "site", rec.site)
    for i, assessor in enumerate(rec.assessors, start=1):
        _scan(hits, f"assessor {i}", "assessor", assessor)
    for q in detail.template.questions:
        a = detail.answers.get(q.id)
        if a is None:
            continue
        texts = [("note", a.note)]
        if q.type is QuestionType.TEXT and isinstance(a.value, str):
            texts.insert(0, ("answer", a.value))
        for field, text in texts:
            for f in scan_text(text or ""):
                hits.append(IdentifierHit(f"{q.id} {field}", q.id, field, f.kind, f.masked))
    for action in detail.actions:
        _scan(hits, f"action {action.id[:8]} description", "action", action.description,
              action.question_id)
        _scan(hits, f"action {action.id[:8]} owner", "action owner", action.owner,
              action.question_id)
    _scan(hits, "export file name", "file name", return_filename(
        org_code=rec.org_code, org_name=rec.org_name, template_id=rec.template_id,
        visit_date=rec.visit_date, return_id=rec.id))
    return hits


def identifiers_summary(hits: list[IdentifierHit]) -> dict[str, Any]:
    """What a return exported with ``--allow-identifiers`` records about itself: the kinds and
    places (never the values), so every later reader can see it was let through."""
    return {"kinds": sorted({h.kind for h in hits}), "places": sorted({h.place for h in hits})}
