"""The follow-up keys of a return: ``assessment.follows``, ``actions[].carried_from`` and
``action_updates`` (additive to format version 1; see exports/README.md). ``carried_from`` is
written by :meth:`qa_tui.domain.ActionView.to_json`.

Each is written only when it says something (a first visit with no updates writes none of
them), so a return of an assessment without follow-ups keeps its exact bytes, and a return
written before these keys existed reads as "no predecessor, nothing carried, no updates".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from qa_tui.domain import ActionStatus, CarriedFrom, clean_line, clean_note

UPDATE_NOTE_MAX = 2_000
OUTCOMES = ("completed", "partly", "not started", "no longer relevant")


@dataclass(frozen=True)
class ReturnActionUpdate:
    """An update of an action after completion, or the review of a carried action."""

    action_id: str
    at: dt.datetime
    by: str
    status: str
    note: str
    outcome: str | None = None


def updates_json(updates: tuple[ReturnActionUpdate, ...], iso: Any) -> dict[str, Any]:
    if not updates:
        return {}
    return {"action_updates": [
        {"action_id": u.action_id, "at": iso(u.at), "by": u.by, "status": u.status,
         "note": u.note, **({"outcome": u.outcome} if u.outcome else {})}
        for u in updates]}


def read_follows(a: Any) -> str | None:
    """``assessment.follows``: optional; a lower-case UUID when present."""
    if "follows" not in a.value or a.value["follows"] is None:
        return None
    return str(a.uuid("follows"))


def read_carried(x: Any) -> CarriedFrom | None:
    if "carried_from" not in x.value or x.value["carried_from"] is None:
        return None
    c = x.obj("carried_from")
    return CarriedFrom(c.uuid("assessment_id"), c.uuid("action_id"))


def read_updates(doc: Any, action_ids: set[str], bad: Any) -> tuple[ReturnActionUpdate, ...]:
    """``action_updates``: optional; each names an action of this return."""
    if "action_updates" not in doc.value:
        return ()
    out = []
    for u in doc.objs("action_updates"):
        action_id = u.uuid("action_id")
        if action_id not in action_ids:
            raise bad(u.at("action_id"), "names no action of this return")
        outcome = None
        if "outcome" in u.value and u.value["outcome"] is not None:
            outcome = u.choice("outcome", OUTCOMES)
        out.append(ReturnActionUpdate(
            action_id=action_id, at=u.time("at"),
            by=u.clean("by", clean_line, field="updated by", max_len=100),
            status=u.choice("status", [s.value for s in ActionStatus]),
            note=u.clean("note", clean_note, field="update note", max_len=UPDATE_NOTE_MAX),
            outcome=outcome))
    return tuple(out)
