"""Plain, frozen values the store hands out and takes in.

Services never hold ORM rows: a row is only valid inside its session, while a record can cross
threads, outlive the transaction and be compared with ``==`` in tests. ``dataclasses.replace``
is the way to change one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

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
    follows: str | None = None
    """The id of the visit this one follows up (None: a first visit)."""
    perspective: str = "icb"
    """Whose view this is: ``self`` (the provider), ``icb`` (the commissioner) or ``peer``."""
    review_state: str | None = None
    """The second reviewer's decision: ``approved``, ``returned`` or None (not reviewed)."""
    reviewer: str | None = None
    reviewed_at: dt.datetime | None = None
    review_note: str = ""
    """The approval note, or the reason an assessment was returned."""
    row_counts: tuple[tuple[str, int], ...] = ()
    """Rows per repeating group, sorted by group id (a group never added to is absent)."""

    @property
    def rows(self) -> dict[str, int]:
        """Rows per repeating group: ``{"RISK": 3}``."""
        return dict(self.row_counts)


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
    carried_from_assessment: str | None = None
    """Set on an action carried forward from the previous visit: that visit's id ..."""
    carried_from_action: str | None = None
    """... and the action's id there (so one action's life can be followed across visits)."""

    @property
    def carried(self) -> bool:
        return self.carried_from_action is not None


@dataclass(frozen=True)
class ActionUpdateRecord:
    """An update of an action made after its assessment was completed, or the review of a
    carried action (``outcome`` set): what the return's ``action_updates`` lists."""

    id: str
    assessment_id: str
    action_id: str
    seq: int
    at: dt.datetime
    actor: str
    status: str
    outcome: str | None
    note: str


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


@dataclass(frozen=True)
class SummaryRecord:
    """What a listing shows of an assessment's answers, as ``score`` computed it."""

    template_title: str
    answered: int
    total: int
    progress_pct: int
    rating: str | None
    rating_words: str
    escalations: tuple[str, ...]
    coverage_pct: int
    provisional: bool


@dataclass(frozen=True)
class ListedAssessment:
    """One row of a listing: the assessment's own columns a list shows, and its stored
    summary (None when there is none: its snapshot does not compile)."""

    id: str
    org_name: str
    org_code: str | None
    site: str
    template_id: str
    template_version: str
    status: str
    visit_date: dt.date
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    perspective: str
    review_state: str | None
    summary: SummaryRecord | None


LISTED_COLUMNS = tuple(f.name for f in fields(ListedAssessment) if f.name != "summary")
"""The assessment columns of a ``ListedAssessment``, in its order (both read paths select
them: ``repo.UnitOfWork.listing`` and ``lite.LiteReader.listing``)."""
