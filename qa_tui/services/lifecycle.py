"""The action lifecycle past "complete": updates after completion and reviews of carried actions.

An action outlives the visit that raised it. Once an assessment is complete its answers are
locked, but its actions can still be updated or closed; each such change (and each review of an
action carried over from the previous visit) is kept as an :class:`ActionUpdateRecord`, which
the return's ``action_updates`` list carries to whoever consolidates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import TYPE_CHECKING

from qa_tui.domain import ActionStatus, ActionView
from qa_tui.errors import InvalidInput
from qa_tui.store import ActionUpdateRecord

if TYPE_CHECKING:  # the ORM loads only when a write needs it
    from qa_tui.store.repo import UnitOfWork


class ReviewOutcome(StrEnum):
    """What the assessor found of a carried action at the follow-up visit."""

    COMPLETED = "completed"
    PARTLY = "partly"
    NOT_STARTED = "not started"
    NO_LONGER_RELEVANT = "no longer relevant"

    @property
    def closes(self) -> bool:
        """Done, or moot: either way the action is no longer open."""
        return self in (ReviewOutcome.COMPLETED, ReviewOutcome.NO_LONGER_RELEVANT)


def parse_outcome(text: str) -> ReviewOutcome:
    """``completed``, ``partly``, ``not started`` or ``no longer relevant`` (``-``/``_`` for
    the spaces too, so a script can write ``not-started``)."""
    key = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    try:
        return ReviewOutcome(key)
    except ValueError:
        allowed = ", ".join(o.value for o in ReviewOutcome)
        raise InvalidInput(f"review outcome {text!r} is not one of: {allowed}") from None


def status_after(outcome: ReviewOutcome) -> str:
    return ActionStatus.CLOSED.value if outcome.closes else ActionStatus.OPEN.value


def record_update(tx: UnitOfWork, assessment_id: str, action: ActionView, *, actor: str,
                  at: dt.datetime, note: str, outcome: ReviewOutcome | None = None) -> None:
    """Append one update of ``action`` (its status after the change) to the assessment's list."""
    seq = len(tx.action_updates(assessment_id)) + 1
    tx.add_action_update(ActionUpdateRecord(
        id=str(uuid.uuid4()), assessment_id=assessment_id, action_id=action.id, seq=seq, at=at,
        actor=actor, status=action.status, outcome=outcome.value if outcome else None,
        note=note))
