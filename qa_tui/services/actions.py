"""Use cases on an assessment's improvement actions: add, edit, close, review a carried one.

Each change is one write transaction with one event (like every change in
:mod:`qa_tui.services.assessments`, whose transaction helpers it uses) and returns the fresh
detail with the action as saved, so a screen shows the result without reading again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from qa_tui.domain import (
    ActionStatus,
    ActionView,
    Priority,
    Status,
    clean_line,
    clean_note,
    parse_date,
)
from qa_tui.errors import Ambiguous, InvalidInput, NotFound, Refused
from qa_tui.services.assessments import AssessmentService
from qa_tui.services.changes import clean_description, clean_priority
from qa_tui.services.lifecycle import parse_outcome, record_update, status_after
from qa_tui.services.views import AssessmentDetail, action_record, action_view

if TYPE_CHECKING:  # the ORM loads when a write opens its unit of work, not at import
    from qa_tui.store.repo import UnitOfWork


@dataclass(frozen=True)
class ActionChanges:
    """What an edit changes: a field left None stays as it is; ``due=""`` removes the due
    date. ``note`` says why (kept with the update on a complete assessment)."""

    description: str | None = None
    owner: str | None = None
    due: dt.date | str | None = None
    priority: str | None = None
    status: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ActionSaved:
    """An action change as saved: the action as it is now, and the assessment around it."""

    action: ActionView
    detail: AssessmentDetail


class ActionService:
    """Stateless: built on the assessment service, whose store, clock and actor it shares."""

    def __init__(self, assessments: AssessmentService) -> None:
        self.assessments = assessments

    def add(self, assessment_id: str, description: str, *, owner: str = "",
            due: dt.date | str | None = None, priority: str = Priority.MEDIUM.value,
            question_id: str | None = None) -> ActionSaved:
        svc = self.assessments
        with svc._edit(assessment_id) as (tx, rec, now):
            qid = svc._question(rec, question_id).id if question_id else None
            action = ActionView(
                id=str(uuid.uuid4()), question_id=qid,
                description=clean_description(description),
                owner=clean_line(owner, field="owner", max_len=100, required=False),
                due_date=parse_date(due, field="due date") if due else None,
                priority=clean_priority(priority), status=ActionStatus.OPEN.value,
                created_at=now, updated_at=now, closed_at=None)
            tx.put_action(action_record(action, rec.id))
            rec = svc._save(tx, rec, now)
            svc._event(tx, rec.id, "action.add", action.id, None, action.state_json(), now)
            return ActionSaved(action, svc._detail(tx, rec))

    def edit(self, assessment_id: str, action_id: str, changes: ActionChanges) -> ActionSaved:
        """Change an action. Allowed on a complete assessment too (its answers stay locked):
        actions live past the visit, so there each change is also an action update (with
        ``changes.note``) that the next export carries, and the revision still grows."""
        svc = self.assessments
        with svc._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            old = self._action(tx, rec.id, action_id)
            new = old
            if changes.description is not None:
                new = replace(new, description=clean_description(changes.description))
            if changes.owner is not None:
                new = replace(new, owner=clean_line(changes.owner, field="owner", max_len=100,
                                                    required=False))
            if changes.due is not None:
                new = replace(new, due_date=parse_date(changes.due, field="due date")
                              if changes.due else None)
            if changes.priority is not None:
                new = replace(new, priority=clean_priority(changes.priority))
            if changes.status is not None:
                try:
                    state = ActionStatus(changes.status.strip().lower())
                except ValueError:
                    raise InvalidInput(f"action status {changes.status!r} is not open or "
                                       "closed") from None
                new = replace(new, status=state.value,
                              closed_at=now if state is ActionStatus.CLOSED else None)
            after_completion = rec.status == Status.COMPLETE
            note = clean_note(changes.note, field="update note", max_len=2_000)
            if new == old and not (after_completion and note):
                return ActionSaved(old, svc._detail(tx, rec))
            new = replace(new, updated_at=now)
            tx.put_action(action_record(new, rec.id))
            rec = svc._save(tx, rec, now)
            if after_completion:
                record_update(tx, rec.id, new, actor=svc.actor, at=now, note=note)
            svc._event(tx, rec.id, "action.update" if after_completion else "action.edit",
                       new.id, old.state_json(),
                       {**new.state_json(), **({"note": note} if note else {})}, now)
            return ActionSaved(new, svc._detail(tx, rec))

    def close(self, assessment_id: str, action_id: str, *, note: str = "") -> ActionSaved:
        return self.edit(assessment_id, action_id,
                         ActionChanges(status=ActionStatus.CLOSED.value, note=note))

    def review(self, assessment_id: str, action_id: str, outcome: str,
               note: str) -> ActionSaved:
        """Review an action carried from the previous visit: ``completed``, ``partly``, ``not
        started`` or ``no longer relevant``, with the evidence. Completed and no longer relevant
        close it. Allowed on a complete assessment too (answers stay locked); audited, and
        listed in ``action_updates`` with its outcome."""
        svc = self.assessments
        found = parse_outcome(outcome)
        evidence = clean_note(note, field="review note", max_len=2_000)
        if not evidence:
            raise InvalidInput("a review needs an evidence note (what was seen)")
        with svc._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            old = self._action(tx, rec.id, action_id)
            if not old.carried:
                raise Refused(f"action {old.id[:8]} was raised on this visit, not carried "
                              "from the previous one; edit or close it instead")
            status = status_after(found)
            new = replace(old, status=status, updated_at=now,
                          closed_at=(old.closed_at or now) if status == "closed" else None)
            tx.put_action(action_record(new, rec.id))
            rec = svc._save(tx, rec, now)
            record_update(tx, rec.id, new, actor=svc.actor, at=now, note=evidence,
                          outcome=found)
            svc._event(tx, rec.id, "action.review", new.id, old.state_json(),
                       {**new.state_json(), "outcome": found.value, "note": evidence}, now)
            return ActionSaved(new, svc._detail(tx, rec))

    @staticmethod
    def _action(tx: UnitOfWork, assessment_id: str, action_id: str) -> ActionView:
        """The action whose id starts with ``action_id`` (a prefix is enough when unique)."""
        prefix = action_id.strip().lower()
        matches = [a for a in tx.get_actions(assessment_id) if a.id.startswith(prefix)]
        if not prefix or not matches:
            raise NotFound(f"no action {action_id!r} on this assessment")
        if len(matches) > 1:
            raise Ambiguous(f"action id {action_id!r} matches {len(matches)} actions")
        return action_view(matches[0])


__all__ = ["ActionChanges", "ActionSaved", "ActionService"]
