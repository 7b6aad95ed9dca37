"""Scan an assessment's free text for probable patient identifiers (see :mod:`qa_tui.identifiers`).

Export and the provider report refuse while any remain (unless explicitly allowed), so a return
or a report never carries an NHS number by accident. Findings name the place and the kind,
never the value in full.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qa_tui.domain import AnswerState, QuestionType
from qa_tui.identifiers import scan_text
from qa_tui.returns import ReturnData
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
        return f"{self.place}: probable {self.kind} ({self.masked})"

    def to_json(self) -> dict[str, Any]:
        return {"place": self.place, "question_id": self.question_id, "field": self.field,
                "kind": self.kind, "masked": self.masked}


def _scan(template: Template, answers: Mapping[str, AnswerState],
          actions: Iterable[tuple[str, str | None, str]], summary: str) -> list[IdentifierHit]:
    hits: list[IdentifierHit] = []
    for q in template.questions:
        a = answers.get(q.id)
        if a is None:
            continue
        texts = [("note", a.note)]
        if q.type is QuestionType.TEXT and isinstance(a.value, str):
            texts.insert(0, ("answer", a.value))
        for field, text in texts:
            for f in scan_text(text or ""):
                hits.append(IdentifierHit(f"{q.id} {field}", q.id, field, f.kind, f.masked))
    for action_id, question_id, description in actions:
        for f in scan_text(description):
            hits.append(IdentifierHit(f"action {action_id[:8]} description", question_id,
                                      "action", f.kind, f.masked))
    for f in scan_text(summary):
        hits.append(IdentifierHit("report summary", None, "summary", f.kind, f.masked))
    return hits


def scan_detail(detail: AssessmentDetail) -> list[IdentifierHit]:
    """Hits in an assessment in the database."""
    return _scan(detail.template, detail.answers,
                 ((a.id, a.question_id, a.description) for a in detail.actions),
                 detail.record.summary)


def scan_return(data: ReturnData, template: Template) -> list[IdentifierHit]:
    """Hits in a return's data (a file being reported on without importing it)."""
    answers = {a.question_id: AnswerState(a.value, a.na, a.note) for a in data.answers}
    return _scan(template, answers,
                 ((a.id, a.question_id, a.description) for a in data.actions), data.summary)
