"""Plain, frozen values the store hands out and takes in.

Services never hold ORM rows: a row is only valid inside its session, while a record can cross
threads, outlive the transaction and be compared with ``==`` in tests. ``dataclasses.replace``
is the way to change one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qa_tui.domain import JsonValue


@dataclass(frozen=True)
class AssessmentRecord:
    """One assessment. ``revision`` grows on every change; ``synced_revision`` is the revision
    last exported or imported, so "changed since export" is ``revision != synced_revision``."""

    id: str
    template_id: str
    template_version: str
    template_hash: str
    template_snapshot: str
    org_name: str
    org_code: str | None
    site: str
    kind: str
    assessors: tuple[str, ...]
    visit_date: dt.date
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None = None
    revision: int = 1
    synced_revision: int | None = None
    origin: str = "local"
    deleted_at: dt.datetime | None = None
    summary: str = ""
    """The assessor's one-paragraph summary for the provider report ('' until written)."""
    perspective: str = "icb"
    """Whose view this is: ``self`` (the provider), ``icb`` (the commissioner) or ``peer``."""
    review_state: str | None = None
    """The second reviewer's decision: ``approved``, ``returned`` or None (not reviewed)."""
    reviewer: str | None = None
    reviewed_at: dt.datetime | None = None
    review_note: str = ""
    """The approval note, or the reason an assessment was returned."""


@dataclass(frozen=True)
class AnswerRecord:
    """What is recorded for one question; ``value`` None means no value (N/A or unanswered)."""

    assessment_id: str
    question_id: str
    value: JsonValue
    na: bool
    note: str
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class ActionRecord:
    """An improvement action, optionally tied to the question that raised it."""

    id: str
    assessment_id: str
    question_id: str | None
    description: str
    owner: str
    due_date: dt.date | None
    priority: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None


@dataclass(frozen=True)
class EventRecord:
    """One entry of the append-only audit log; ``id`` is None until the store assigns it."""

    id: int | None
    assessment_id: str
    at: dt.datetime
    actor: str
    kind: str
    target: str
    old: JsonValue = None
    new: JsonValue = None
