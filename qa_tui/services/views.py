"""Read models the TUI and CLI display: plain frozen values, never live database rows.

``AssessmentDetail.to_json`` is the contract of ``qa-tui show ID --json`` (DESIGN §7): keys may be
added, never removed or renamed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from qa_tui.domain import ActionView, AnswerState, CarriedFrom, Status
from qa_tui.returns.lineage import ReturnActionUpdate
from qa_tui.services.review import review_json
from qa_tui.store import ActionRecord, ActionUpdateRecord, AssessmentRecord, EventRecord
from qa_tui.services.rows import computed_json, groups_json, row_name
from qa_tui.templates import (
    ComputedValue,
    Question,
    ScoreOutcome,
    ScoreReport,
    Template,
    answer_label,
    computed_values,
    overall_words,
    row_address,
)


@dataclass(frozen=True)
class AssessmentHeader:
    """One assessment's own fields (who, where, when, state, review), as the front ends read
    them: a frozen copy of the store's record, so the TUI and the CLI never import the store."""

    id: str
    template_id: str
    template_version: str
    template_hash: str
    template_snapshot: str
    """The template as the assessment started with it (canonical JSON): what a return carries."""
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
    follows: str | None = None
    perspective: str = "icb"
    review_state: str | None = None
    reviewer: str | None = None
    reviewed_at: dt.datetime | None = None
    review_note: str = ""
    row_counts: tuple[tuple[str, int], ...] = ()
    """Rows per repeating group, sorted by group id (a group never added to is absent)."""

    @property
    def rows(self) -> dict[str, int]:
        """Rows per repeating group: ``{"RISK": 3}``."""
        return dict(self.row_counts)

    @classmethod
    def of(cls, rec: AssessmentRecord) -> AssessmentHeader:
        """The header of a stored assessment (every field is the record's own)."""
        return cls(**{f.name: getattr(rec, f.name) for f in fields(cls)})


def action_view(rec: ActionRecord) -> ActionView:
    """The store's action as everyone above the store sees it (the one conversion that way)."""
    carried = (CarriedFrom(rec.carried_from_assessment or "", rec.carried_from_action)
               if rec.carried_from_action is not None else None)
    return ActionView(rec.id, rec.question_id, rec.description, rec.owner, rec.due_date,
                      rec.priority, rec.status, rec.created_at, rec.updated_at, rec.closed_at,
                      carried)


def action_record(view: ActionView, assessment_id: str) -> ActionRecord:
    """An action to store on ``assessment_id`` (the one conversion back)."""
    carried = view.carried_from
    return ActionRecord(view.id, assessment_id, view.question_id, view.description, view.owner,
                        view.due_date, view.priority, view.status, view.created_at,
                        view.updated_at, view.closed_at,
                        carried.assessment_id if carried else None,
                        carried.action_id if carried else None)


@dataclass(frozen=True)
class AssessmentSummary:
    id: str
    org_name: str
    org_code: str | None
    site: str
    template_id: str
    template_title: str
    template_version: str
    status: str
    visit_date: dt.date
    updated_at: dt.datetime
    answered: int
    total: int
    progress_pct: int
    rating: str | None
    deleted_at: dt.datetime | None = None
    escalations: tuple[str, ...] = ()
    """Critical questions answered with a concern: shown on every list, never hidden."""
    coverage_pct: int = 100
    provisional: bool = False
    rating_words: str = ""
    """The rating as people read it, with its coverage (``Good (provisional, 37% answered)``)."""
    perspective: str = "icb"
    review_state: str | None = None
    """``approved``, ``returned`` or None (not reviewed)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organisation": self.org_name,
            "organisation_code": self.org_code,
            "site": self.site,
            "template": self.template_id,
            "template_version": self.template_version,
            "status": self.status,
            "visit_date": self.visit_date.isoformat(),
            "progress_pct": self.progress_pct,
            "answered": self.answered,
            "total": self.total,
            "rating": self.rating,
            "updated_at": iso(self.updated_at),
            "escalations": list(self.escalations),
            "coverage_pct": self.coverage_pct,
            "provisional": self.provisional,
            "perspective": self.perspective,
            "review": self.review_state,
        }


@dataclass(frozen=True)
class AssessmentDetail:
    record: AssessmentHeader
    template: Template
    answers: Mapping[str, AnswerState]
    answered_at: Mapping[str, dt.datetime]
    actions: tuple[ActionView, ...]
    report: ScoreReport
    followed_by: tuple[str, ...] = ()
    """Ids of the visits that follow this one up (``record.follows`` is the one before)."""
    action_updates: tuple[ReturnActionUpdate, ...] = ()
    """Action updates after completion and reviews of carried actions, oldest first."""

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def status(self) -> Status:
        return Status(self.record.status)

    @property
    def is_complete(self) -> bool:
        return self.status is Status.COMPLETE

    def answer(self, question_id: str) -> AnswerState:
        return self.answers.get(question_id, AnswerState())

    def label(self, question_id: str) -> str:
        q = self.template.question(question_id)
        if q is not None and q.compute is not None:
            c = self.computed(question_id)
            return c.label if c is not None else ""
        a = self.answer(question_id)
        return answer_label(q, a.value, a.na) if q is not None else ""

    @property
    def rows(self) -> Mapping[str, int]:
        """Rows per repeating group of the template (0 for a group with none yet)."""
        have = self.record.rows
        return {s.repeat.group: have.get(s.repeat.group, 0) for s in self.template.groups
                if s.repeat is not None}

    @cached_property
    def computed_values(self) -> Mapping[str, ComputedValue]:
        """Every computed value, by question id or ``GROUP[N].FIELD``; never stored."""
        return computed_values(self.template, self.answers, self.rows)

    def computed(self, question_id: str) -> ComputedValue | None:
        """A computed question's value, band and trace (None: not a computed question here)."""
        return self.computed_values.get(question_id)

    def row_fields(self, group: str, row: int) -> list[tuple[str, Question]]:
        """One row's fields as (address, field), in order; computed ones included."""
        section = self.template.group(group)
        if section is None or section.repeat is None \
                or not 1 <= row <= self.rows.get(section.repeat.group, 0):
            return []
        return [(row_address(section.repeat.group, row, q.id), q) for q in section.questions]

    def row_name(self, group: str, row: int) -> str:
        """``Risk 2: Staffing gaps``: the row's number and its ``row_title`` answer."""
        section = self.template.group(group)
        return row_name(section, row, self.answers) if section is not None else f"{group} {row}"

    def summary(self) -> AssessmentSummary:
        return summarise(self.record, self.template, self.report)

    def to_json(self) -> dict[str, Any]:
        rec, report = self.record, self.report
        answers: dict[str, Any] = {}
        for q in self.template.questions:
            a = self.answers.get(q.id)
            if a is None:
                continue
            answers[q.id] = {
                "value": a.value,
                "label": answer_label(q, a.value, a.na),
                "na": a.na,
                "note": a.note,
                "visible": q.id in report.visible,
                "answered_at": iso(self.answered_at.get(q.id)),
            }
        return {
            "id": rec.id,
            "revision": rec.revision,
            "status": rec.status,
            "organisation": {"name": rec.org_name, "code": rec.org_code},
            "site": rec.site,
            "assessors": list(rec.assessors),
            "visit_date": rec.visit_date.isoformat(),
            "kind": rec.kind,
            "perspective": rec.perspective,
            "review": review_json(rec),
            "summary": rec.summary,
            "template": {"id": self.template.id, "version": self.template.version,
                         "title": self.template.title, "hash": rec.template_hash},
            "answers": answers,
            "groups": groups_json(self.template, self.rows, self.answers, self.computed_values),
            "computed": {qid: computed_json(c) for qid, c in self.computed_values.items()
                         if "[" not in qid},
            "sections": [
                {"id": s.id, "title": s.title, "answered": s.answered, "total": s.total,
                 "required_open": list(s.required_open), **outcome_json(s.outcome)}
                for s in report.sections
            ],
            "overall": outcome_json(report.overall),
            "progress_pct": report.progress_pct,
            "required_open": list(report.required_open),
            "notes_owed": list(report.notes_owed),
            "escalations": list(report.escalations),
            "escalations_unrecorded": list(report.escalations_unrecorded),
            "coverage_pct": report.coverage_pct,
            "provisional": report.provisional,
            "actions": [action_json(a) for a in self.actions],
            "follows": rec.follows,
            "followed_by": list(self.followed_by),
            "action_updates": [update_json(u) for u in self.action_updates],
            "created_at": iso(rec.created_at),
            "updated_at": iso(rec.updated_at),
            "completed_at": iso(rec.completed_at),
        }


def outcome_json(outcome: ScoreOutcome) -> dict[str, Any]:
    return {"score_pct": outcome.score_pct, "rating": outcome.rating, "band": outcome.band,
            "trace": outcome.trace}


def action_json(action: ActionView) -> dict[str, Any]:
    """An action as ``show --json`` lists it: its JSON form to the second, without
    ``updated_at``, and ``carried_from`` always present (null on an action raised here)."""
    out = action.to_json(iso)
    del out["updated_at"]
    return {**out, "carried_from": out.get("carried_from")}


def update_view(update: ActionUpdateRecord) -> ReturnActionUpdate:
    """A stored action update as the detail and the return carry it."""
    return ReturnActionUpdate(update.action_id, update.at, update.actor, update.status,
                              update.note, update.outcome)


def update_json(update: ReturnActionUpdate) -> dict[str, Any]:
    """One action update as ``show --json`` lists it."""
    out: dict[str, Any] = {"action_id": update.action_id, "at": iso(update.at),
                           "by": update.by, "status": update.status, "note": update.note}
    if update.outcome is not None:
        out["outcome"] = update.outcome
    return out


def summarise(rec: AssessmentRecord | AssessmentHeader, template: Template,
              report: ScoreReport) -> AssessmentSummary:
    return AssessmentSummary(
        id=rec.id, org_name=rec.org_name, org_code=rec.org_code, site=rec.site,
        template_id=rec.template_id, template_title=template.title,
        template_version=rec.template_version, status=rec.status, visit_date=rec.visit_date,
        updated_at=rec.updated_at, answered=report.answered, total=report.total,
        progress_pct=report.progress_pct, rating=report.overall.rating,
        deleted_at=rec.deleted_at, escalations=report.escalations,
        coverage_pct=report.coverage_pct, provisional=report.provisional,
        rating_words=overall_words(report), perspective=rec.perspective,
        review_state=rec.review_state,
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One audit-log line as a person reads it."""

    id: int
    at: dt.datetime
    actor: str
    kind: str
    target: str
    old: Any
    new: Any

    @classmethod
    def of(cls, event: EventRecord) -> HistoryEntry:
        return cls(event.id or 0, event.at, event.actor, event.kind, event.target, event.old,
                   event.new)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": iso(self.at), "actor": self.actor, "kind": self.kind,
                "target": self.target, "old": self.old, "new": self.new}


def iso(value: dt.datetime | None) -> str | None:
    """UTC timestamps as ISO 8601 with a Z, to the second, for people and JSON alike."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
