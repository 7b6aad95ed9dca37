"""Undo: take back the latest change to an assessment that is not yet undone.

Driven by the event log (see :mod:`qa_tui.services.changes` for the shapes it reads back): each
undo is itself an event naming the event it reverses, so repeated undo walks further back and
the audit trail keeps everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from qa_tui.domain import ActionStatus
from qa_tui.services import rows as row_rules
from qa_tui.services.assessments import AssessmentService
from qa_tui.services.changes import answer_json, describe_state, last_undoable, state_from
from qa_tui.services.views import AssessmentDetail, action_record, action_view


@dataclass(frozen=True)
class Undone:
    """What an undo reversed: a sentence for people, the question or action it touched, and
    the assessment as it is after the undo (so a screen shows it without reading again)."""

    description: str
    question_id: str | None = None
    action_id: str | None = None
    detail: AssessmentDetail | None = field(default=None, compare=False, repr=False)
    """Always set on what :meth:`UndoService.undo` returns."""

    def __str__(self) -> str:
        return self.description


class UndoService:
    """Stateless: built on the assessment service, whose store, clock and actor it shares."""

    def __init__(self, assessments: AssessmentService) -> None:
        self.assessments = assessments

    def undo(self, assessment_id: str) -> Undone | None:
        """Undo the latest change not yet undone; say what was undone, with the fresh detail
        (None: nothing to undo)."""
        svc = self.assessments
        with svc._edit(assessment_id) as (tx, rec, now):
            target = last_undoable(tx.events(rec.id))
            if target is None:
                return None
            if target.kind == "answer":
                current = svc._current(tx, rec.id, target.target)
                restored = state_from(target.old)
                svc._write_answer(tx, rec.id, target.target, restored, now)
                what = Undone(f"{target.target}: back to {describe_state(restored)}",
                              question_id=target.target)
                old, new = answer_json(current), answer_json(restored)
            elif target.kind in row_rules.ROW_EVENTS:
                rec, words, old, new = row_rules.undo_row(svc, tx, rec, target, now)
                what = Undone(words)
            elif target.kind == "summary":
                restored_summary = str(target.old or "")
                old, new = rec.summary or None, restored_summary or None
                rec = replace(rec, summary=restored_summary)
                what = Undone("report summary: back to "
                              + (f"{restored_summary[:40]!r}" if restored_summary else "none"))
            else:
                stored = tx.get_action(target.target)
                if stored is None:
                    return None
                current_action = action_view(stored)
                if target.kind == "action.add":
                    restored_action = replace(current_action, status=ActionStatus.CLOSED.value,
                                              closed_at=now, updated_at=now)
                    what = Undone(f"action {target.target[:8]} withdrawn",
                                  question_id=current_action.question_id, action_id=target.target)
                else:
                    restored_action = current_action.with_state(target.old, now)
                    what = Undone(f"action {target.target[:8]} restored",
                                  question_id=current_action.question_id, action_id=target.target)
                tx.put_action(action_record(restored_action, stored.assessment_id))
                old, new = current_action.state_json(), restored_action.state_json()
            rec = svc._save(tx, rec, now)
            svc._event(tx, rec.id, "undo", target.target, old,
                       {"undone_event": target.id, "state": new}, now)
            return replace(what, detail=svc._detail(tx, rec))


__all__ = ["UndoService", "Undone"]
