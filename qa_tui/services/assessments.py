"""Use cases on one assessment: start, answer, note, complete, review, bin (actions and undo
are in :mod:`qa_tui.services.actions` and :mod:`qa_tui.services.undo`).

Every change is one short write transaction holding exactly one event row, committed before the
method returns: when the caller shows the result as saved, it is on disk. Callers get read
models back (:mod:`qa_tui.services.views`), never database rows to mutate.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from qa_tui.domain import (
    ActionView,
    AnswerState,
    JsonValue,
    Priority,
    ReviewState,
    Status,
    clean_line,
    clean_note,
    clean_ods_code,
    clean_org_name,
    clean_perspective,
    default_perspective,
    parse_date,
    utc_now,
)
from qa_tui.errors import Ambiguous, InvalidInput, NotFound, Reason, ReasonCode, Refused
from qa_tui.services.changes import answer_json, iso_or_none, state_of
from qa_tui.services import review as review_rules
from qa_tui.services import rows as row_rules
from qa_tui.services.views import (
    AssessmentDetail,
    AssessmentHeader,
    AssessmentSummary,
    HistoryEntry,
    action_view,
    summarise,
    update_view,
)
from qa_tui.store import (
    AnswerRecord,
    AssessmentRecord,
    EventRecord,
    ListedAssessment,
    summary_of,
)
from qa_tui.templates import (
    Question,
    Template,
    TemplateLibrary,
    canonical_json,
    check_value,
    compile_template,
    parse_answer,
    score,
    template_hash,
)

if TYPE_CHECKING:  # a read command's store (lite.py) never loads SQLAlchemy: keep it so here
    from qa_tui.services.actions import ActionChanges, ActionService
    from qa_tui.services.undo import Undone
    from qa_tui.store import LiteStore, Store
    from qa_tui.store.repo import UnitOfWork

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class _Unset:
    pass


UNSET: Any = _Unset()


class AssessmentService:
    def __init__(self, store: Store | LiteStore, library: TemplateLibrary, *, actor: str,
                 clock: Clock = utc_now) -> None:
        self.store = store
        self.library = library
        self.actor = actor
        self.clock = clock
        self._templates: dict[str, Template] = {}
        self._details: dict[str, AssessmentDetail] = {}
        """The detail last built of a few assessments: ``answer`` updates it in place."""
        self._details_lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------

    def template_of(self, rec: AssessmentRecord) -> Template:
        """The template an assessment started with, compiled from its snapshot (cached by hash)."""
        cached = self._templates.get(rec.template_hash)
        if cached is None:
            cached = compile_template(json.loads(rec.template_snapshot),
                                      file=f"snapshot of {rec.template_id} {rec.template_version}",
                                      snapshot=True)
            self._templates[rec.template_hash] = cached
        return cached

    def resolve_id(self, text: str, *, deleted: bool | None = False) -> str:
        """A full id from an unambiguous prefix (``3f2a`` for ``3f2a9c...``)."""
        prefix = text.strip().lower()
        if not prefix:
            raise InvalidInput("an assessment id is required")
        with self.store.read() as tx:
            matches = tx.find_assessment_ids(prefix, deleted=deleted)
        if prefix in matches:
            return prefix
        if not matches:
            where = " in the bin" if deleted else ""
            raise NotFound(f"no assessment{where} with id {text.strip()!r}")
        if len(matches) > 1:
            shown = ", ".join(m[:8] for m in matches[:5])
            raise Ambiguous(f"id {text.strip()!r} matches {len(matches)} assessments ({shown}); "
                            "type more of it")
        return matches[0]

    def get(self, assessment_id: str) -> AssessmentDetail:
        with self.store.read() as tx:
            return self._detail(tx, self._require(tx, assessment_id, allow_deleted=True))

    def list(self, *, deleted: bool = False) -> builtins.list[AssessmentSummary]:
        """Every assessment with its stored summary: one plain query, no answer read and
        nothing rescored (issue 20); one without a stored summary (its snapshot does not
        compile) is scored as before."""
        with self.store.read() as tx:
            return [self._listed(tx, row) for row in tx.listing(deleted=deleted)]

    def _listed(self, tx: UnitOfWork, row: ListedAssessment) -> AssessmentSummary:
        stored = row.summary
        if stored is None:
            return self._summary(self._require(tx, row.id, allow_deleted=True),
                                 tx.get_answers(row.id))
        return AssessmentSummary(
            id=row.id, org_name=row.org_name, org_code=row.org_code, site=row.site,
            template_id=row.template_id, template_title=stored.template_title,
            template_version=row.template_version, status=row.status,
            visit_date=row.visit_date, updated_at=row.updated_at, answered=stored.answered,
            total=stored.total, progress_pct=stored.progress_pct, rating=stored.rating,
            deleted_at=row.deleted_at, escalations=stored.escalations,
            coverage_pct=stored.coverage_pct, provisional=stored.provisional,
            rating_words=stored.rating_words, perspective=row.perspective,
            review_state=row.review_state)

    def _summary(self, rec: AssessmentRecord,
                 answers: dict[str, AnswerRecord]) -> AssessmentSummary:
        template = self.template_of(rec)
        states = {k: state_of(v) for k, v in answers.items()}
        return summarise(rec, template, score(template, states))

    def history(self, assessment_id: str) -> builtins.list[HistoryEntry]:
        with self.store.read() as tx:
            self._require(tx, assessment_id, allow_deleted=True)
            return [HistoryEntry.of(e) for e in tx.events(assessment_id)]

    # -- starting and lifecycle -------------------------------------------------------------

    def start(self, template_id: str, *, org_name: str, org_code: str | None = None,
              site: str = "", assessors: Sequence[str] = (),
              visit_date: dt.date | str | None = None, template: Template | None = None,
              follows: str | None = None, perspective: str | None = None,
              then: Callable[[UnitOfWork, AssessmentRecord, dt.datetime], None] | None = None
              ) -> AssessmentDetail:
        """Start an assessment. ``template`` (a follow-up of a visit whose template is not in
        the library any more) starts from that compiled template instead of the library's;
        ``follows`` links the new visit to the one it follows up, and ``then`` runs in the
        same transaction (carrying its open actions), so a follow-up is whole or absent.
        ``perspective`` (self, icb, peer) defaults from the template kind."""
        template = template or self.library.get(template_id)
        view = (clean_perspective(perspective) if perspective
                else default_perspective(template.kind.value))
        now = self.clock()
        people = tuple(clean_line(a, field="assessor name", max_len=100) for a in assessors
                       if a.strip())
        snapshot = canonical_json(dict(template.data))
        rec = AssessmentRecord(
            id=str(uuid.uuid4()),
            template_id=template.id,
            template_version=template.version,
            template_hash=template_hash(dict(template.data)),
            template_snapshot=snapshot,
            org_name=clean_org_name(org_name),
            org_code=clean_ods_code(org_code),
            site=clean_line(site, field="site or service", required=False),
            kind=template.kind.value,
            assessors=people,
            visit_date=parse_date(visit_date, field="visit date") if visit_date else now.date(),
            status=Status.DRAFT.value,
            created_at=now,
            updated_at=now,
            completed_at=None,
            revision=1,
            synced_revision=None,
            origin="local",
            deleted_at=None,
            follows=follows,
            perspective=view.value,
        )
        with self.store.write() as tx:
            tx.insert_assessment(rec)
            self._event(tx, rec.id, "start", "", None,
                        {"template": template.id, "version": template.version,
                         "organisation": rec.org_name, "perspective": rec.perspective,
                         **({"follows": follows} if follows else {})}, now)
            if then is not None:
                then(tx, rec, now)
            return self._detail(tx, rec)

    def complete(self, assessment_id: str) -> AssessmentDetail:
        with self._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            if rec.status == Status.COMPLETE:
                return self._detail(tx, rec)
            detail = self._detail(tx, rec)
            reasons = self.completion_blockers(detail)
            if reasons:
                raise Refused("cannot complete yet", reasons)
            # Completing again answers a return: its reason has been dealt with.
            rec = self._save(tx, rec, now, status=Status.COMPLETE.value, completed_at=now,
                             **review_rules.cleared_if(rec, ReviewState.RETURNED))
            self._event(tx, rec.id, "status", "", Status.DRAFT.value, Status.COMPLETE.value, now)
            return self._detail(tx, rec)

    def completion_blockers(self, detail: AssessmentDetail) -> builtins.list[Reason]:
        """Everything that stops completion, as sentences a person can act on, each with the
        question to open."""
        reasons = []
        for qid in detail.report.required_open:
            reasons.append(Reason(ReasonCode.REQUIRED_OPEN, f"{qid} is required and not answered",
                                  question_id=qid))
        reasons.extend(row_rules.blockers(detail.template, detail.rows, detail.answers))
        unrecorded = detail.report.escalations_unrecorded
        for qid in detail.report.notes_owed:
            if qid not in unrecorded:
                reasons.append(Reason(ReasonCode.NOTE_OWED,
                                      f"{qid} needs an evidence note for the answer "
                                      f"{detail.label(qid)!r}", question_id=qid))
        for qid in unrecorded:
            reasons.append(Reason(ReasonCode.ESCALATION_UNRECORDED,
                                  f"{qid} is escalated ({detail.label(qid)!r} on a critical "
                                  "question) and needs its escalation record as the evidence "
                                  "note: who was told, when, and what was agreed",
                                  question_id=qid))
        return reasons

    def reopen(self, assessment_id: str) -> AssessmentDetail:
        with self._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            if rec.status != Status.COMPLETE:
                return self._detail(tx, rec)
            approval = review_rules.review_json(rec) \
                if rec.review_state == ReviewState.APPROVED else None
            rec = self._save(tx, rec, now, status=Status.DRAFT.value, completed_at=None,
                             **review_rules.cleared_if(rec, ReviewState.APPROVED))
            self._event(tx, rec.id, "status", "", Status.COMPLETE.value, Status.DRAFT.value, now)
            if approval is not None:  # an approval covers what was approved, not later edits
                self._event(tx, rec.id, "review", "cleared", approval, None, now)
            return self._detail(tx, rec)

    def approve(self, assessment_id: str, *, reviewer: str,
                note: str = "") -> AssessmentDetail:
        """A second reviewer, not one of the assessors, approves a completed assessment."""
        with self._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            new = review_rules.approval(rec, reviewer, note, now)
            saved = self._save(tx, rec, now, **new)
            self._event(tx, rec.id, "review", ReviewState.APPROVED.value,
                        review_rules.review_json(rec), review_rules.review_json(saved), now)
            return self._detail(tx, saved)

    def send_back(self, assessment_id: str, *, reviewer: str,
                  reason: str) -> AssessmentDetail:
        """A second reviewer returns a completed assessment to draft, with the reason shown
        to the assessors until they complete it again."""
        with self._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            new = review_rules.returned(rec, reviewer, reason, now)
            saved = self._save(tx, rec, now, status=Status.DRAFT.value, completed_at=None,
                               **new)
            self._event(tx, rec.id, "review", ReviewState.RETURNED.value,
                        review_rules.review_json(rec),
                        {**(review_rules.review_json(saved) or {}), "status": saved.status},
                        now)
            return self._detail(tx, saved)

    def delete(self, assessment_id: str) -> AssessmentDetail:
        """Move to the bin: hidden from the list, restorable, nothing erased."""
        with self._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            binned = replace(rec, deleted_at=now)
            tx.update_assessment(binned)
            self._event(tx, rec.id, "bin", "", None, iso_or_none(now), now)
            return self._detail(tx, binned)

    def restore(self, assessment_id: str) -> AssessmentDetail:
        now = self.clock()
        with self.store.write() as tx:
            rec = self._require(tx, assessment_id, allow_deleted=True)
            if rec.deleted_at is None:
                return self._detail(tx, rec)
            restored = replace(rec, deleted_at=None)
            tx.update_assessment(restored)
            self._event(tx, rec.id, "restore", "", iso_or_none(rec.deleted_at), None, now)
            return self._detail(tx, restored)

    def purge(self, assessment_id: str) -> None:
        """Erase for good; only from the bin, so one key press can never destroy work."""
        with self.store.write() as tx:
            rec = self._require(tx, assessment_id, allow_deleted=True)
            if rec.deleted_at is None:
                raise Refused("only assessments in the bin can be erased; delete it first")
            tx.purge_assessment(rec.id)

    # -- answering -----------------------------------------------------------------------------

    def answer(self, assessment_id: str, question_id: str, raw: str | None = None, *,
               value: JsonValue = UNSET, na: bool = False,
               note: str | None = None, copied_from: str | None = None) -> AssessmentDetail:
        """Record an answer (typed text, or an already-typed value) and optionally its note.
        ``copied_from``: the previous visit whose answer the assessor copied (nothing changed
        since); the audit log records it as such."""
        with self._edit(assessment_id) as (tx, rec, now):
            question = self._question(rec, question_id)
            old = self._current(tx, rec.id, question.id)
            if na or raw is not None:
                parsed = parse_answer(question, raw or "", na=na)
                new = AnswerState(parsed.value, parsed.na, old.note)
            elif value is not UNSET:
                new = AnswerState(check_value(question, value), False, old.note)
            else:
                new = old
            if note is not None:
                new = replace(new, note=clean_note(note))
            return self._put(tx, rec, question.id, old, new, now, copied_from=copied_from)

    def set_note(self, assessment_id: str, question_id: str, note: str) -> AssessmentDetail:
        with self._edit(assessment_id) as (tx, rec, now):
            question = self._question(rec, question_id)
            old = self._current(tx, rec.id, question.id)
            return self._put(tx, rec, question.id, old, replace(old, note=clean_note(note)), now)

    def clear(self, assessment_id: str, question_id: str) -> AssessmentDetail:
        """Remove the answer but keep the evidence note: a note is work too."""
        with self._edit(assessment_id) as (tx, rec, now):
            question = self._question(rec, question_id)
            old = self._current(tx, rec.id, question.id)
            return self._put(tx, rec, question.id, old, AnswerState(None, False, old.note), now)

    def set_summary(self, assessment_id: str, text: str) -> AssessmentDetail:
        """Write the one-paragraph summary that opens the provider report ('' removes it).

        Allowed on a complete assessment too: the report is written after the visit is done,
        and the change still bumps the revision, so the next export carries it.
        """
        with self._edit(assessment_id, allow_complete=True) as (tx, rec, now):
            # here, not at the top: a read command (list, show) has no need of the returns package
            from qa_tui.returns.document import SUMMARY_MAX

            new = clean_note(text, field="summary", max_len=SUMMARY_MAX)
            if new == rec.summary:
                return self._detail(tx, rec)
            saved = self._save(tx, rec, now, summary=new)
            self._event(tx, rec.id, "summary", "report", rec.summary or None, new or None, now)
            return self._detail(tx, saved)

    # -- rows of repeating groups (qa_tui/services/rows.py) ----------------------------------

    def add_row(self, assessment_id: str, group: str) -> AssessmentDetail:
        """Add a row at the end of ``group``; audited and undoable."""
        return row_rules.add_row(self, assessment_id, group)

    def remove_row(self, assessment_id: str, group: str, row: int) -> AssessmentDetail:
        """Remove row ``row`` (answers and all), renumbering later rows; undo puts it back."""
        return row_rules.remove_row(self, assessment_id, group, row)

    # -- actions and undo (their own modules; kept here for callers of the old API) --------

    def add_action(self, assessment_id: str, description: str, *, owner: str = "",
                   due: dt.date | str | None = None, priority: str = Priority.MEDIUM.value,
                   question_id: str | None = None) -> ActionView:
        """The new action; :meth:`ActionService.add` also returns the fresh detail."""
        return self._actions().add(assessment_id, description, owner=owner, due=due,
                                   priority=priority, question_id=question_id).action

    def edit_action(self, assessment_id: str, action_id: str,
                    changes: ActionChanges) -> ActionView:
        return self._actions().edit(assessment_id, action_id, changes).action

    def close_action(self, assessment_id: str, action_id: str, *,
                     note: str = "") -> ActionView:
        return self._actions().close(assessment_id, action_id, note=note).action

    def review_action(self, assessment_id: str, action_id: str, outcome: str,
                      note: str) -> ActionView:
        return self._actions().review(assessment_id, action_id, outcome, note).action

    def undo(self, assessment_id: str) -> Undone | None:
        """See :meth:`UndoService.undo`."""
        from qa_tui.services.undo import UndoService

        return UndoService(self).undo(assessment_id)

    def _actions(self) -> ActionService:
        from qa_tui.services.actions import ActionService

        return ActionService(self)

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _edit(self, assessment_id: str, *, allow_complete: bool = False
              ) -> Iterator[tuple[UnitOfWork, AssessmentRecord, dt.datetime]]:
        now = self.clock()
        with self.store.write() as tx:
            rec = self._require(tx, assessment_id)
            if rec.status == Status.COMPLETE and not allow_complete:
                raise Refused("this assessment is complete; reopen it to make changes")
            yield tx, rec, now

    def _require(self, tx: UnitOfWork, assessment_id: str, *,
                 allow_deleted: bool = False) -> AssessmentRecord:
        rec = tx.get_assessment(assessment_id)
        if rec is None or (rec.deleted_at is not None and not allow_deleted):
            raise NotFound(f"no assessment with id {assessment_id!r}")
        return rec

    def _question(self, rec: AssessmentRecord, question_id: str) -> Question:
        """The question (or ``GROUP[N].FIELD``, its address as id) to write; computed refused."""
        return row_rules.resolve(self.template_of(rec), rec, question_id)

    def _current(self, tx: UnitOfWork, assessment_id: str, question_id: str) -> AnswerState:
        row = tx.get_answer(assessment_id, question_id)
        return state_of(row) if row is not None else AnswerState()

    def _put(self, tx: UnitOfWork, rec: AssessmentRecord, question_id: str, old: AnswerState,
             new: AnswerState, now: dt.datetime, *,
             copied_from: str | None = None) -> AssessmentDetail:
        if new == old:
            return self._detail(tx, rec)
        before = self._known_detail(rec)
        self._write_answer(tx, rec.id, question_id, new, now)
        rec = self._save(tx, rec, now)
        after = answer_json(new)
        if copied_from and after is not None:
            after = {**after, "copied_from": copied_from}
        self._event(tx, rec.id, "answer", question_id, answer_json(old), after, now)
        if before is None:
            return self._remember(tx, self._detail(tx, rec))
        # One answer changed and nothing else did (the revision says so): update the detail
        # this service last built rather than re-read every answer and action (issue 20).
        answers, answered_at = dict(before.answers), dict(before.answered_at)
        if new == AnswerState():
            answers.pop(question_id, None)
            answered_at.pop(question_id, None)
        else:
            answers[question_id], answered_at[question_id] = new, now
        return self._remember(tx, replace(
            before, record=AssessmentHeader.of(rec), answers=answers, answered_at=answered_at,
            report=score(before.template, answers), followed_by=tuple(tx.followers(rec.id))))

    def _known_detail(self, rec: AssessmentRecord) -> AssessmentDetail | None:
        """The detail last built of ``rec`` if it is still current: same revision and time
        of change (every change to answers, actions or updates bumps the revision)."""
        with self._details_lock:
            known = self._details.get(rec.id)
        if known is None or (known.record.revision, known.record.updated_at) != (
                rec.revision, rec.updated_at):
            return None
        return known

    def _remember(self, tx: UnitOfWork | None, detail: AssessmentDetail) -> AssessmentDetail:
        """Keep the latest detail per assessment (a few), and, inside a write, store its
        summary in the same transaction so listings never rescore."""
        if tx is not None:
            tx.put_summary(detail.id, summary_of(detail.template, detail.report))
        with self._details_lock:  # the app's workers share this service
            self._details.pop(detail.id, None)
            if len(self._details) >= 16:
                self._details.pop(next(iter(self._details)))
            self._details[detail.id] = detail
        return detail

    def _write_answer(self, tx: UnitOfWork, assessment_id: str, question_id: str,
                      state: AnswerState, now: dt.datetime) -> None:
        if state == AnswerState():
            tx.delete_answer(assessment_id, question_id)
        else:
            tx.put_answer(AnswerRecord(assessment_id, question_id, state.value, state.na,
                                       state.note, now, self.actor))

    def _save(self, tx: UnitOfWork, rec: AssessmentRecord, now: dt.datetime,
              **changes: Any) -> AssessmentRecord:
        new = replace(rec, revision=rec.revision + 1, updated_at=now, **changes)
        tx.update_assessment(new)
        return new

    def _event(self, tx: UnitOfWork, assessment_id: str, kind: str, target: str, old: Any,
               new: Any, now: dt.datetime) -> None:
        tx.add_event(EventRecord(None, assessment_id, now, self.actor, kind, target, old, new))

    def _detail(self, tx: UnitOfWork, rec: AssessmentRecord) -> AssessmentDetail:
        template = self.template_of(rec)
        rows = tx.get_answers(rec.id)
        answers = {qid: state_of(row) for qid, row in rows.items()}
        detail = AssessmentDetail(
            record=AssessmentHeader.of(rec), template=template, answers=answers,
            answered_at={qid: row.updated_at for qid, row in rows.items()},
            actions=tuple(map(action_view, tx.get_actions(rec.id))),
            report=score(template, answers), followed_by=tuple(tx.followers(rec.id)),
            action_updates=tuple(map(update_view, tx.action_updates(rec.id))))
        return self._remember(None, detail)
