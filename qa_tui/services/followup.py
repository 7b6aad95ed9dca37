"""Follow-up visits: start one from the last visit, see what it found, walk the chain of visits.

A follow-up is a new assessment of the same organisation, code and site with the same template
(or the library's newer version of it: questions are matched by id, and the ones removed or
added are reported), linked to its predecessor by ``follows``. The predecessor's open actions
are carried into the new register with ``carried_from``, so one action keeps its identity
across visits; the assessor then reviews each (see ``AssessmentService.review_action``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from qa_tui.domain import ActionStatus, ActionView
from qa_tui.errors import NotFound, Refused
from qa_tui.services.assessments import AssessmentService
from qa_tui.services.views import AssessmentDetail, action_view
from qa_tui.store import AssessmentRecord, EventRecord
from qa_tui.store.repo import UnitOfWork
from qa_tui.templates import Template, answer_label
from qa_tui.templates.address import is_row_address


@dataclass(frozen=True)
class FollowUpStarted:
    """The new visit and what changed on the way: template versions, questions, carried actions."""

    detail: AssessmentDetail
    previous_version: str
    version: str
    removed: tuple[str, ...]
    """Question ids of the previous visit's template that the new one no longer has."""
    added: tuple[str, ...]
    carried: tuple[ActionView, ...]

    def lines(self) -> list[str]:
        """What the CLI prints after the new id."""
        rec = self.detail.record
        out = [f"follows {rec.follows}"]
        if self.version != self.previous_version:
            out.append(f"template {rec.template_id} {self.previous_version} -> {self.version}")
        if self.removed:
            out.append("questions removed: " + ", ".join(self.removed))
        if self.added:
            out.append("questions added: " + ", ".join(self.added))
        out.append(f"actions carried forward: {len(self.carried)}")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"id": self.detail.id, "follows": self.detail.record.follows,
                "template": {"id": self.detail.template.id, "from": self.previous_version,
                             "to": self.version},
                "questions_removed": list(self.removed), "questions_added": list(self.added),
                "carried": [a.id for a in self.carried]}


@dataclass(frozen=True)
class PreviousAnswer:
    """The previous visit's answer to one question, as the Assess screen shows it."""

    label: str
    note: str
    answered_at: dt.datetime | None
    visit_date: dt.date


@dataclass(frozen=True)
class ChainVisit:
    """One visit of a chain; ``missing`` when only its id is known here (not imported)."""

    id: str
    visit_date: dt.date | None = None
    status: str | None = None
    rating: str | None = None
    open_actions: tuple[ActionView, ...] = ()
    missing: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "visit_date": self.visit_date.isoformat() if self.visit_date
                else None, "status": self.status, "rating": self.rating,
                "open_actions": [{"id": a.id, "description": a.description,
                                  "carried_from": a.carried_from.action_id
                                  if a.carried_from else None} for a in
                                 self.open_actions],
                "missing": self.missing}


def _version_key(version: str) -> tuple[Any, ...]:
    """``1.10`` after ``1.9``: numeric parts compare as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-+]", version))


class FollowUpService:
    def __init__(self, assessments: AssessmentService) -> None:
        self.assessments = assessments

    def _template_for(self, previous: AssessmentDetail) -> Template:
        """The library's version when it is the same or newer, else the previous snapshot."""
        try:
            current = self.assessments.library.get(previous.record.template_id)
        except NotFound:  # not in the library (a retired template, or an imported return's)
            return previous.template
        if _version_key(current.version) >= _version_key(previous.template.version):
            return current
        return previous.template

    def start(self, predecessor_id: str, *, visit_date: dt.date | str | None = None,
              assessors: Sequence[str] = ()) -> FollowUpStarted:
        """Start the follow-up of ``predecessor_id`` (a local visit or an imported return)."""
        svc = self.assessments
        previous = svc.get(predecessor_id)
        if previous.record.deleted_at is not None:
            raise Refused("that assessment is in the bin; restore it to follow it up")
        rec = previous.record
        template = self._template_for(previous)
        carried: list[ActionView] = []

        def carry(tx: UnitOfWork, new: AssessmentRecord, now: dt.datetime) -> None:
            for old in tx.get_actions(rec.id):
                if old.status != ActionStatus.OPEN.value:
                    continue
                # a row field's address is not carried: the new visit starts with no rows
                qid = old.question_id if old.question_id and template.question(
                    old.question_id) and not is_row_address(old.question_id) else None
                action = replace(old, id=str(uuid.uuid4()), assessment_id=new.id,
                                 question_id=qid, created_at=now, updated_at=now,
                                 closed_at=None, carried_from_assessment=rec.id,
                                 carried_from_action=old.id)
                tx.put_action(action)
                view = action_view(action)
                tx.add_event(EventRecord(None, new.id, now, svc.actor, "action.carry",
                                         action.id, None,
                                         {**view.state_json(), "carried_from": {
                                             "assessment_id": rec.id, "action_id": old.id,
                                             **({"question_id": old.question_id}
                                                if old.question_id != qid else {})}}))
                carried.append(view)

        detail = svc.start(template.id, org_name=rec.org_name, org_code=rec.org_code,
                           site=rec.site, assessors=assessors or rec.assessors,
                           visit_date=visit_date, template=template, follows=rec.id,
                           perspective=rec.perspective, then=carry)
        old_ids = [q.id for q in previous.template.questions]
        new_ids = [q.id for q in template.questions]
        return FollowUpStarted(
            detail=detail, previous_version=previous.template.version,
            version=template.version,
            removed=tuple(q for q in old_ids if q not in set(new_ids)),
            added=tuple(q for q in new_ids if q not in set(old_ids)), carried=tuple(carried))

    def predecessor(self, detail: AssessmentDetail) -> AssessmentDetail | None:
        """The visit ``detail`` follows, when it is in this database (and not erased)."""
        if not detail.record.follows:
            return None
        try:
            return self.assessments.get(detail.record.follows)
        except NotFound:
            return None

    def previous_answers(self, detail: AssessmentDetail) -> dict[str, PreviousAnswer]:
        """The previous visit's answers by question id (only questions both templates share)."""
        before = self.predecessor(detail)
        if before is None:
            return {}
        out = {}
        for q in before.template.questions:
            a = before.answers.get(q.id)
            if a is None or detail.template.question(q.id) is None:
                continue
            out[q.id] = PreviousAnswer(answer_label(q, a.value, a.na) if a.answered else "",
                                       a.note, before.answered_at.get(q.id),
                                       before.record.visit_date)
        return out

    def copy_previous(self, assessment_id: str, question_id: str) -> AssessmentDetail:
        """Copy the previous visit's answer (not its note) to ``question_id``: for where
        nothing changed. Recorded in the audit log with ``copied_from``."""
        detail = self.assessments.get(assessment_id)
        before = self.predecessor(detail)
        question = detail.template.find_question(question_id)
        if before is None or question is None:
            raise NotFound("no previous answer to copy (this is not a follow-up here)")
        prev = before.answers.get(question.id)
        if prev is None or not prev.answered:
            raise NotFound(f"the previous visit has no answer to {question.id}")
        if prev.na:
            return self.assessments.answer(assessment_id, question.id, na=True,
                                           copied_from=before.id)
        return self.assessments.answer(assessment_id, question.id, value=prev.value,
                                       copied_from=before.id)

    def chain(self, assessment_id: str) -> list[ChainVisit]:
        """Every visit linked to this one by ``follows``, oldest first."""
        svc = self.assessments
        first = svc.get(assessment_id)
        missing: list[ChainVisit] = []
        walked = {first.id}
        while first.record.follows and first.record.follows not in walked:
            try:
                first = svc.get(first.record.follows)
            except NotFound:  # followed up from an imported return whose predecessor is not here
                missing.append(ChainVisit(first.record.follows, missing=True))
                break
            walked.add(first.id)
        visits: dict[str, ChainVisit] = {}
        todo = [first]
        while todo:
            detail = todo.pop()
            if detail.id in visits:
                continue
            visits[detail.id] = self._visit(detail)
            todo.extend(svc.get(n) for n in detail.followed_by if n not in visits)
        ordered = sorted(visits.values(), key=lambda v: (v.visit_date or dt.date.min, v.id))
        return missing + ordered

    @staticmethod
    def _visit(detail: AssessmentDetail) -> ChainVisit:
        rec = detail.record
        return ChainVisit(rec.id, rec.visit_date, rec.status, detail.report.overall.rating,
                          tuple(a for a in detail.actions if a.status == "open"))


def chain_rows(visits: Sequence[ChainVisit]) -> list[str]:
    """The chain as the CLI prints it."""
    out = []
    for n, v in enumerate(visits, start=1):
        if v.missing:
            out.append(f"{n}. {v.id[:8]}  (not in this database)")
            continue
        out.append(f"{n}. {v.id[:8]}  {v.visit_date}  {v.status}  "
                   f"{v.rating or 'not rated'}  open actions: {len(v.open_actions)}")
        for a in v.open_actions:
            out.append(f"     - {a.id[:8]} {a.description.splitlines()[0][:60]}")
    return out


__all__ = ["ChainVisit", "FollowUpService", "FollowUpStarted", "PreviousAnswer", "chain_rows"]
