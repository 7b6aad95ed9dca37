"""Scan an assessment's free text for probable patient identifiers (see :mod:`qa_tui.identifiers`).

Export refuses while any remain (unless explicitly allowed), so a return never carries an NHS
number by accident. Findings name the place and the kind, never the value in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_tui.domain import QuestionType
from qa_tui.identifiers import scan_text
from qa_tui.services.views import AssessmentDetail


@dataclass(frozen=True)
class IdentifierHit:
    place: str
    question_id: str | None
    field: str
    kind: str
    masked: str

    def describe(self) -> str:
        return f"{self.place}: probable {self.kind} ({self.masked})"

    def to_json(self) -> dict[str, Any]:
        return {"place": self.place, "question_id": self.question_id, "field": self.field,
                "kind": self.kind, "masked": self.masked}


def scan_detail(detail: AssessmentDetail) -> list[IdentifierHit]:
    hits: list[IdentifierHit] = []
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
        for f in scan_text(action.description):
            hits.append(IdentifierHit(f"action {action.id[:8]} description", action.question_id,
                                      "action", f.kind, f.masked))
    return hits
