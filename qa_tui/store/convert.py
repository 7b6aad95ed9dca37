"""Rows to records and back: the only place that knows how JSON columns are encoded.

JSON is written compactly with non-ASCII kept as is (notes and answers are read by people in
the database too) and NaN refused, so every stored value is standard JSON another tool can read.
``None`` is stored as SQL NULL, not the text ``null``: "no value" stays queryable as IS NULL.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from qa_tui.domain import JsonValue
from qa_tui.store.records import (
    ActionRecord,
    ActionUpdateRecord,
    AnswerRecord,
    AssessmentRecord,
    EventRecord,
)

if TYPE_CHECKING:  # the plain sqlite3 read path (lite.py) passes look-alike rows, not these
    from qa_tui.store.models import ActionRow, ActionUpdateRow, AnswerRow, AssessmentRow, EventRow


def dump_json(value: JsonValue) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def load_json(text: str | None) -> JsonValue:
    return None if text is None else json.loads(text)


def assessment_values(rec: AssessmentRecord, snapshot_hash: str) -> dict[str, Any]:
    """Column values for an INSERT or UPDATE of ``assessment``; the snapshot itself is stored
    once in ``template_snapshot`` under ``snapshot_hash``."""
    return {
        "id": rec.id,
        "template_id": rec.template_id,
        "template_version": rec.template_version,
        "template_hash": rec.template_hash,
        "template_snapshot": "",  # the text lives once in template_snapshot (the table)
        "snapshot_hash": snapshot_hash,
        "org_name": rec.org_name,
        "org_code": rec.org_code,
        "site": rec.site,
        "kind": rec.kind,
        "assessors": json.dumps(list(rec.assessors), ensure_ascii=False),
        "visit_date": rec.visit_date,
        "status": rec.status,
        "created_at": rec.created_at,
        "updated_at": rec.updated_at,
        "completed_at": rec.completed_at,
        "revision": rec.revision,
        "synced_revision": rec.synced_revision,
        "origin": rec.origin,
        "deleted_at": rec.deleted_at,
        "summary": rec.summary,
        "follows": rec.follows,
        "perspective": rec.perspective,
        "review_state": rec.review_state,
        "reviewer": rec.reviewer,
        "reviewed_at": rec.reviewed_at,
        "review_note": rec.review_note,
        "row_counts": json.dumps({g: n for g, n in rec.row_counts if n}, sort_keys=True),
    }


def assessment_record(row: AssessmentRow | Any, snapshot: str) -> AssessmentRecord:
    """A record from an ``assessment`` row (ORM or plain) and its snapshot's text."""
    return AssessmentRecord(
        id=row.id,
        template_id=row.template_id,
        template_version=row.template_version,
        template_hash=row.template_hash,
        template_snapshot=snapshot,
        org_name=row.org_name,
        org_code=row.org_code,
        site=row.site,
        kind=row.kind,
        assessors=tuple(str(name) for name in json.loads(row.assessors)),
        visit_date=row.visit_date,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
        revision=row.revision,
        synced_revision=row.synced_revision,
        origin=row.origin,
        deleted_at=row.deleted_at,
        summary=row.summary,
        follows=row.follows,
        perspective=row.perspective,
        review_state=row.review_state,
        reviewer=row.reviewer,
        reviewed_at=row.reviewed_at,
        review_note=row.review_note,
        row_counts=row_counts(row.row_counts),
    )


def row_counts(text: str | None) -> tuple[tuple[str, int], ...]:
    """The ``row_counts`` column read back: only whole positive counts, sorted by group."""
    data = json.loads(text) if text else {}
    if not isinstance(data, dict):
        return ()
    return tuple(sorted((str(g), n) for g, n in data.items()
                        if isinstance(n, int) and not isinstance(n, bool) and n > 0))


def answer_values(rec: AnswerRecord) -> dict[str, Any]:
    return {
        "assessment_id": rec.assessment_id,
        "question_id": rec.question_id,
        "value": dump_json(rec.value),
        "na": bool(rec.na),
        "note": rec.note,
        "updated_at": rec.updated_at,
        "updated_by": rec.updated_by,
    }


def answer_record(row: AnswerRow) -> AnswerRecord:
    return AnswerRecord(
        assessment_id=row.assessment_id,
        question_id=row.question_id,
        value=load_json(row.value),
        na=bool(row.na),
        note=row.note,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def action_values(rec: ActionRecord) -> dict[str, Any]:
    return {
        "id": rec.id,
        "assessment_id": rec.assessment_id,
        "question_id": rec.question_id,
        "description": rec.description,
        "owner": rec.owner,
        "due_date": rec.due_date,
        "priority": rec.priority,
        "status": rec.status,
        "created_at": rec.created_at,
        "updated_at": rec.updated_at,
        "closed_at": rec.closed_at,
        "carried_from_assessment": rec.carried_from_assessment,
        "carried_from_action": rec.carried_from_action,
    }


def action_record(row: ActionRow) -> ActionRecord:
    return ActionRecord(
        id=row.id,
        assessment_id=row.assessment_id,
        question_id=row.question_id,
        description=row.description,
        owner=row.owner,
        due_date=row.due_date,
        priority=row.priority,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
        carried_from_assessment=row.carried_from_assessment,
        carried_from_action=row.carried_from_action,
    )


def action_update_values(rec: ActionUpdateRecord) -> dict[str, Any]:
    return {"id": rec.id, "assessment_id": rec.assessment_id, "action_id": rec.action_id,
            "seq": rec.seq, "at": rec.at, "actor": rec.actor, "status": rec.status,
            "outcome": rec.outcome, "note": rec.note}


def action_update_record(row: ActionUpdateRow) -> ActionUpdateRecord:
    return ActionUpdateRecord(id=row.id, assessment_id=row.assessment_id,
                              action_id=row.action_id, seq=row.seq, at=row.at, actor=row.actor,
                              status=row.status, outcome=row.outcome, note=row.note)


def event_values(rec: EventRecord) -> dict[str, Any]:
    """Column values for a new event; ``id`` is left to SQLite (AUTOINCREMENT never reuses)."""
    return {
        "assessment_id": rec.assessment_id,
        "at": rec.at,
        "actor": rec.actor,
        "kind": rec.kind,
        "target": rec.target,
        "old": dump_json(rec.old),
        "new": dump_json(rec.new),
    }


def event_record(row: EventRow) -> EventRecord:
    return EventRecord(
        id=row.id,
        assessment_id=row.assessment_id,
        at=row.at,
        actor=row.actor,
        kind=row.kind,
        target=row.target,
        old=load_json(row.old),
        new=load_json(row.new),
    )
