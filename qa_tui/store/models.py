"""SQLModel table models: how the ORM reads and writes the four tables.

These classes never create tables (``migrations.py`` owns the DDL, frozen per version) and
never leave the store: ``convert.py`` turns them into records. A test checks that every column
here exists in the migrated schema with the same nullability and key.
JSON-valued columns (``assessors``, ``value``, ``old``, ``new``) are plain text here; encoding
is the converter's job so the rows stay dumb.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlmodel import Field, SQLModel

from qa_tui.store.coltypes import IsoDate, UtcDateTime


class AssessmentRow(SQLModel, table=True):
    __tablename__: ClassVar[str] = "assessment"

    id: str = Field(primary_key=True)
    template_id: str
    template_version: str
    template_hash: str
    template_snapshot: str = ""
    """Empty since the snapshots moved to ``template_snapshot`` (kept, not dropped: older
    SQLite cannot drop a column)."""
    snapshot_hash: str | None = Field(default=None, foreign_key="template_snapshot.hash")
    """The key of its template snapshot in ``template_snapshot`` (stored once per content)."""
    org_name: str
    org_code: str | None = None
    site: str
    kind: str
    assessors: str
    visit_date: dt.date = Field(sa_type=IsoDate)
    status: str
    created_at: dt.datetime = Field(sa_type=UtcDateTime)
    updated_at: dt.datetime = Field(sa_type=UtcDateTime, index=True)
    completed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    revision: int
    synced_revision: int | None = None
    origin: str = "local"
    deleted_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    summary: str = ""
    follows: str | None = Field(default=None, index=True)
    perspective: str = "icb"
    review_state: str | None = None
    reviewer: str | None = None
    reviewed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    review_note: str = ""
    row_counts: str = "{}"


class TemplateSnapshotRow(SQLModel, table=True):
    """One template snapshot, keyed by the SHA-256 of its text: many assessments share it."""

    __tablename__: ClassVar[str] = "template_snapshot"

    hash: str = Field(primary_key=True)
    snapshot: str


class AssessmentSummaryRow(SQLModel, table=True):
    """What a listing shows of an assessment's answers, kept on every write (issue 20)."""

    __tablename__: ClassVar[str] = "assessment_summary"

    assessment_id: str = Field(primary_key=True, foreign_key="assessment.id", ondelete="CASCADE")
    template_title: str
    answered: int
    total: int
    progress_pct: int
    rating: str | None = None
    rating_words: str
    escalations: str
    coverage_pct: int
    provisional: bool


class AnswerRow(SQLModel, table=True):
    """Keyed by (assessment_id, question_id): one answer per question, and the key's index
    also serves the foreign key."""

    __tablename__: ClassVar[str] = "answer"

    assessment_id: str = Field(primary_key=True, foreign_key="assessment.id", ondelete="CASCADE")
    question_id: str = Field(primary_key=True)
    value: str | None = None
    na: bool
    note: str
    updated_at: dt.datetime = Field(sa_type=UtcDateTime)
    updated_by: str


class ActionRow(SQLModel, table=True):
    __tablename__: ClassVar[str] = "action"

    id: str = Field(primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", ondelete="CASCADE", index=True)
    question_id: str | None = None
    description: str
    owner: str
    due_date: dt.date | None = Field(default=None, sa_type=IsoDate)
    priority: str
    status: str
    created_at: dt.datetime = Field(sa_type=UtcDateTime)
    updated_at: dt.datetime = Field(sa_type=UtcDateTime)
    closed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    carried_from_assessment: str | None = None
    carried_from_action: str | None = None


class ActionUpdateRow(SQLModel, table=True):
    """One update of an action after completion, or one review of a carried action."""

    __tablename__: ClassVar[str] = "action_update"

    id: str = Field(primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", ondelete="CASCADE", index=True)
    action_id: str
    seq: int
    at: dt.datetime = Field(sa_type=UtcDateTime)
    actor: str
    status: str
    outcome: str | None = None
    note: str


class EventRow(SQLModel, table=True):
    """Append-only: triggers in the schema refuse UPDATE, and DELETE while the assessment lives."""

    __tablename__: ClassVar[str] = "event"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", ondelete="CASCADE", index=True)
    at: dt.datetime = Field(sa_type=UtcDateTime)
    actor: str
    kind: str
    target: str
    old: str | None = None
    new: str | None = None
