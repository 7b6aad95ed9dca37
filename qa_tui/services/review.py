"""The rules of a second reviewer's decision: who may review, and what approve and return do.

Pure functions over records, so the service keeps one transaction per change and these rules
can be tested and reused (import writes the same fields) without a database.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from qa_tui.domain import ReviewState, Status, clean_line, clean_note, same_person
from qa_tui.errors import InvalidInput, Refused

if TYPE_CHECKING:
    from qa_tui.services.views import AssessmentHeader
    from qa_tui.store import AssessmentRecord

NOTE_MAX = 2_000
"""Longest approval note or return reason, in characters."""


def review_json(rec: AssessmentRecord | AssessmentHeader) -> dict[str, Any] | None:
    """``{state, reviewer, at, note}`` as ``show --json`` and the return carry it; None when
    the assessment has no review."""
    if rec.review_state is None:
        return None
    at = rec.reviewed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") \
        if rec.reviewed_at else None
    return {"state": rec.review_state, "reviewer": rec.reviewer, "at": at,
            "note": rec.review_note}


def cleared_if(rec: AssessmentRecord | AssessmentHeader, state: ReviewState) -> dict[str, Any]:
    """Field changes that remove the review when it is in ``state`` (else none)."""
    if rec.review_state != state.value:
        return {}
    return {"review_state": None, "reviewer": None, "reviewed_at": None, "review_note": ""}


def check_reviewer(rec: AssessmentRecord | AssessmentHeader, reviewer: str) -> str:
    """The reviewer's cleaned name; refused when they are one of the assessment's assessors
    (a second reviewer moderates someone else's judgement, never their own)."""
    name = clean_line(reviewer, field="reviewer name", max_len=100)
    for assessor in rec.assessors:
        if same_person(assessor, name):
            raise Refused(f"{name} is one of this assessment's assessors; a second reviewer "
                          "must be someone else", code="reviewer-is-assessor")
    return name


def approval(rec: AssessmentRecord | AssessmentHeader, reviewer: str, note: str,
             now: dt.datetime) -> dict[str, Any]:
    if rec.status != Status.COMPLETE.value:
        raise Refused("only a complete assessment can be approved; complete it first",
                      code="not-complete")
    name = check_reviewer(rec, reviewer)
    if rec.review_state == ReviewState.APPROVED.value:
        raise Refused(f"already approved by {rec.reviewer}", code="already-approved")
    return {"review_state": ReviewState.APPROVED.value, "reviewer": name, "reviewed_at": now,
            "review_note": clean_note(note, field="note", max_len=NOTE_MAX)}


def returned(rec: AssessmentRecord | AssessmentHeader, reviewer: str, reason: str,
             now: dt.datetime) -> dict[str, Any]:
    if rec.status != Status.COMPLETE.value:
        raise Refused("only a complete assessment can be returned (this one is a draft)",
                      code="not-complete")
    name = check_reviewer(rec, reviewer)
    text = clean_note(reason, field="reason", max_len=NOTE_MAX)
    if not text:
        raise InvalidInput("a return needs a reason (what the assessors should look at again)")
    return {"review_state": ReviewState.RETURNED.value, "reviewer": name, "reviewed_at": now,
            "review_note": text}


def review_words(rec: AssessmentRecord | AssessmentHeader) -> str:
    """The review in one line for people: ``approved by Sam Lee on 2026-03-04: note``,
    ``returned by ... : reason``, or ``not reviewed``."""
    if rec.review_state is None:
        return "awaiting review" if rec.status == Status.COMPLETE.value else "not reviewed"
    day = f" on {rec.reviewed_at:%Y-%m-%d}" if rec.reviewed_at else ""
    words = f"{rec.review_state} by {rec.reviewer}{day}"
    return f"{words}: {rec.review_note}" if rec.review_note else words
