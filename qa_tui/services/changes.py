"""The shapes of changes in the event log, and how undo reads them back.

An answer event holds the whole answer state (value, N/A, note) before and after, an action
event the action's fields, so undo can restore exactly what was there; pure functions only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from qa_tui.domain import ActionStatus, AnswerState, Priority, clean_note, parse_date
from qa_tui.errors import InvalidInput
from qa_tui.store import ActionRecord, AnswerRecord, EventRecord

UNDOABLE = frozenset({"answer", "action.add", "action.edit", "summary", "row.add",
                      "row.remove"})


def state_of(row: AnswerRecord) -> AnswerState:
    return AnswerState(row.value, row.na, row.note)


def answer_json(state: AnswerState) -> dict[str, Any] | None:
    if state == AnswerState():
        return None
    return {"value": state.value, "na": state.na, "note": state.note}


def state_from(data: Any) -> AnswerState:
    if not isinstance(data, dict):
        return AnswerState()
    return AnswerState(data.get("value"), bool(data.get("na")), str(data.get("note") or ""))


def describe_state(state: AnswerState) -> str:
    if state == AnswerState():
        return "unanswered"
    if state.na:
        return "N/A"
    return "no answer" if state.value is None else repr(state.value)


def action_state(action: ActionRecord) -> dict[str, Any]:
    return {"description": action.description, "owner": action.owner,
            "due_date": action.due_date.isoformat() if action.due_date else None,
            "priority": action.priority, "status": action.status,
            "question_id": action.question_id}


def action_from(current: ActionRecord, data: Any, now: dt.datetime) -> ActionRecord:
    data = data if isinstance(data, dict) else {}
    status = str(data.get("status", current.status))
    return replace(
        current, description=str(data.get("description", current.description)),
        owner=str(data.get("owner", current.owner)),
        due_date=parse_date(data["due_date"]) if data.get("due_date") else None,
        priority=str(data.get("priority", current.priority)), status=status,
        closed_at=(current.closed_at or now) if status == ActionStatus.CLOSED.value else None,
        updated_at=now)


def last_undoable(events: Sequence[EventRecord]) -> EventRecord | None:
    undone: set[int] = set()
    for event in reversed(events):
        if event.kind == "undo" and isinstance(event.new, dict):
            undone.add(int(event.new.get("undone_event", -1)))
            continue
        if event.kind in ("status", "start", "review"):
            return None  # never undo across completion, a review or the start
        if event.kind in UNDOABLE and event.id not in undone:
            return event
    return None


def clean_description(text: str) -> str:
    value = clean_note(text, field="action description", max_len=2_000)
    if not value:
        raise InvalidInput("an action needs a description")
    return value


def clean_priority(text: str) -> str:
    try:
        return Priority(text.strip().lower()).value
    except ValueError:
        raise InvalidInput(f"priority {text!r} is not low, medium or high") from None


def iso_or_none(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
