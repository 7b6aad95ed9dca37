"""Returns as use cases: export an assessment, verify a file, import a file.

Export maps an :class:`AssessmentDetail` to the return document and hands it to
:mod:`qa_tui.returns`; import maps a verified return back to store records. openpyxl is loaded
only when a workbook is actually written, so other commands start quickly.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from qa_tui import __version__
from qa_tui.config import Paths
from qa_tui.domain import default_perspective
from qa_tui.errors import (
    InvalidInput,
    NotFound,
    QaError,
    Reason,
    ReasonCode,
    Refused,
    ReturnInvalid,
    StorageError,
    file_problem,
)
from qa_tui.returns import (
    IdentifiersAllowed,
    ReturnAnswer,
    ReturnData,
    ReturnRating,
    ReturnReview,
    SaveOutcome,
    Scores,
    SectionResult,
    VerifiedReturn,
    identifiers_json,
    read_return,
    return_filename,
    save_file,
)
from qa_tui.services.assessments import AssessmentService, Clock
from qa_tui.services.privacy import identifiers_summary, scan_detail
from qa_tui.services.rows import return_groups
from qa_tui.returns.rows import row_answers
from qa_tui.services.views import AssessmentDetail, AssessmentHeader, action_record
from qa_tui.returns.content import content_text
from qa_tui.store import (
    ActionUpdateRecord,
    AnswerRecord,
    AssessmentRecord,
    EventRecord,
)
from qa_tui.templates import ScoreOutcome
from qa_tui.templates import canonical_json, sha256_hex

if TYPE_CHECKING:  # verifying a return needs no database code: SQLAlchemy loads on first use
    from qa_tui.store import Store
    from qa_tui.store.repo import UnitOfWork

FORMATS = ("xlsx", "json")


@dataclass(frozen=True)
class ExportResult:
    assessment_id: str
    path: Path
    outcome: SaveOutcome
    """``written``, ``unchanged`` (identical file already there) or ``replaced`` (--force)."""
    revision: int
    sha256: str
    status: str = "complete"
    coverage_pct: int = 100
    provisional: bool = False

    @property
    def draft(self) -> bool:
        return self.status != "complete"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.assessment_id, "path": str(self.path), "outcome": self.outcome,
                "revision": self.revision, "sha256": self.sha256, "status": self.status,
                "coverage_pct": self.coverage_pct, "provisional": self.provisional}


@dataclass(frozen=True)
class ImportResult:
    path: Path
    assessment_id: str
    outcome: Literal["added", "updated", "unchanged"]
    revision: int
    previous_revision: int | None = None
    identifiers: IdentifiersAllowed | None = None
    """Set when the return was exported with ``--allow-identifiers``."""

    def message(self) -> str:
        rid = self.assessment_id[:8]
        if self.outcome == "added":
            return f"added {rid} (revision {self.revision})"
        if self.outcome == "updated":
            return f"updated {rid} (revision {self.previous_revision} -> {self.revision})"
        return f"already up to date: {rid} (revision {self.revision})"

    def to_json(self) -> dict[str, Any]:
        return {"file": str(self.path), "id": self.assessment_id, "outcome": self.outcome,
                "revision": self.revision, "previous_revision": self.previous_revision,
                **identifiers_json(self.identifiers)}


def _result(outcome: ScoreOutcome) -> ReturnRating:
    return ReturnRating(outcome.score_pct, outcome.rating, outcome.band, outcome.trace)


def return_data(detail: AssessmentDetail) -> ReturnData:
    """The return of one assessment at its current revision (answers in template order)."""
    rec, template, report = detail.record, detail.template, detail.report
    answers = tuple(
        ReturnAnswer(q.id, a.value, a.na, a.note, detail.answered_at[q.id])
        for q in template.questions if (a := detail.answers.get(q.id)) is not None)
    scores = Scores(
        sections=tuple(SectionResult(s.id, s.title, s.answered, s.total, s.required_open,
                                     _result(s.outcome), s.coverage_pct, s.provisional)
                       for s in report.sections),
        overall=_result(report.overall), answered=report.answered, total=report.total,
        progress_pct=report.progress_pct, required_open=report.required_open,
        notes_owed=report.notes_owed, escalations=report.escalations,
        coverage_pct=report.coverage_pct, provisional=report.provisional,
        escalations_unrecorded=report.escalations_unrecorded)
    return ReturnData(
        id=rec.id, revision=rec.revision, status=rec.status, org_name=rec.org_name,
        org_code=rec.org_code, site=rec.site, kind=rec.kind, assessors=rec.assessors,
        visit_date=rec.visit_date, created_at=rec.created_at, updated_at=rec.updated_at,
        completed_at=rec.completed_at, template_id=rec.template_id,
        template_version=rec.template_version, template_title=template.title,
        template_hash=rec.template_hash, template_snapshot=json.loads(rec.template_snapshot),
        answers=answers, actions=detail.actions, scores=scores, generator_version=__version__,
        summary=rec.summary, follows=rec.follows, action_updates=detail.action_updates,
        perspective=rec.perspective,
        review=ReturnReview(rec.review_state, rec.reviewer or "", rec.reviewed_at or
                            rec.updated_at, rec.review_note) if rec.review_state else None,
        groups=return_groups(detail))


_content = content_text  # what two copies must share to be the same revision


class ReturnService:
    """Export, verify and import returns; every database change is one short transaction."""

    def __init__(self, store: Store, assessments: AssessmentService, paths: Paths, *,
                 actor: str, clock: Clock) -> None:
        self.store = store
        self.assessments = assessments
        self.paths = paths
        self.actor = actor
        self.clock = clock

    # -- export ------------------------------------------------------------------------------

    def document(self, assessment_id: str) -> dict[str, Any]:
        """The canonical return document of an assessment (what ``--format json`` writes)."""
        return return_data(self.assessments.get(assessment_id)).to_document()

    def before_export(self, detail: AssessmentDetail, *,
                      allow_identifiers: bool = False) -> IdentifiersAllowed | None:
        """The one gate every export passes. Raise :class:`Refused` to stop it.

        A return travels by email: probable patient identifiers in its free text stop the
        export (each named by place and kind, never by value) unless explicitly allowed; then
        the kinds and places are returned, for the return to say so in its own data.
        """
        if detail.record.deleted_at is not None:
            raise Refused("this assessment is in the bin; restore it to export it",
                          where=detail.id[:8])
        hits = scan_detail(detail)
        if hits and not allow_identifiers:
            raise Refused("probable patient identifiers; remove them",
                          [hit.reason() for hit in hits], where=detail.id[:8],
                          code=ReasonCode.IDENTIFIER)
        if not hits:
            return None
        summary = identifiers_summary(hits)
        return IdentifiersAllowed(tuple(summary["kinds"]), tuple(summary["places"]))

    def export(self, assessment_id: str, out_dir: Path | None = None, *, fmt: str = "xlsx",
               force: bool = False, allow_identifiers: bool = False) -> ExportResult:
        """Write the return of ``assessment_id`` into ``out_dir`` (default: the export folder)
        and record the exported revision. Same revision, same bytes."""
        if fmt not in FORMATS:
            raise InvalidInput(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        detail = self.assessments.get(assessment_id)
        allowed = self.before_export(detail, allow_identifiers=allow_identifiers)
        data = replace(return_data(detail), identifiers=allowed)
        document = data.to_document()
        text = canonical_json(document)
        rec = detail.record
        path = Path(out_dir or self.paths.export_dir) / return_filename(
            org_code=rec.org_code, org_name=rec.org_name, template_id=rec.template_id,
            visit_date=rec.visit_date, return_id=rec.id, extension=fmt)
        if fmt == "json":
            payload = text.encode("utf-8")
        else:
            from qa_tui.returns.writer import write_return

            try:  # the workbook is built in temporary files: a full disk shows here first
                payload = write_return(document, detail.template)
            except OSError as exc:
                raise file_problem(exc, path) from None
        try:
            outcome = save_file(path, payload, force=force)
        except Refused as exc:
            holds = _describe_file(path, rec.id, fmt)
            raise ExportFileExists(exc.message, [Reason(ReasonCode.FILE_EXISTS,
                                                        f"it holds {holds}", file=str(path))],
                                   where=str(path),
                                   same_return_older=holds.startswith("revision ")
                                   and _older_revision(path, rec.revision)) from None
        digest = sha256_hex(text)
        try:
            self._mark_exported(rec, path, fmt, digest, outcome)
        except QaError as exc:
            if outcome != "written":
                raise
            # The file is whole but the database could not record it (a disk full after the
            # file took the last space, say): a return nobody knows was sent must not be left
            # looking exported, so it goes, and the assessor exports again once fixed.
            path.unlink(missing_ok=True)
            raise StorageError(f"{exc.message}; the return was not kept (export again once "
                               "this is fixed)", where=exc.where, code=exc.code) from None
        report = detail.report
        return ExportResult(rec.id, path, outcome, rec.revision, digest, rec.status,
                            report.coverage_pct, report.provisional)

    def _mark_exported(self, exported: AssessmentHeader, path: Path, fmt: str, digest: str,
                       outcome: SaveOutcome) -> None:
        with self.store.write() as tx:
            rec = tx.get_assessment(exported.id)
            if rec is None or rec.revision != exported.revision:
                return  # changed while writing: that revision is not the one on disk
            if rec.synced_revision == rec.revision and outcome == "unchanged":
                return
            if rec.synced_revision != rec.revision:
                tx.update_assessment(replace(rec, synced_revision=rec.revision))
            tx.add_event(EventRecord(None, rec.id, self.clock(), self.actor, "export", path.name,
                                     None, {"revision": rec.revision, "format": fmt,
                                            "sha256": digest, "outcome": outcome}))

    # -- verify and import -------------------------------------------------------------------

    def verify(self, path: Path) -> VerifiedReturn:
        """Check a return without importing it; :class:`ReturnInvalid` says why it fails."""
        return read_return(path)

    def import_file(self, path: Path) -> ImportResult:
        """Add or update the assessment a return carries. Refused (with the reason) when the
        return is older, forks the copy here, or would overwrite changes not yet exported."""
        return self.import_verified(read_return(path))

    def import_verified(self, verified: VerifiedReturn) -> ImportResult:
        """:meth:`import_file` for a return already read and verified.

        Another program (a second analyst on a shared store) may import the same return between
        our read and our write: the write then sees a different revision and we decide again on
        the fresh state (usually "unchanged"), a few times, before saying "try again"."""
        for _ in range(_IMPORT_ATTEMPTS - 1):
            try:
                return self._import_once(verified)
            except ChangedWhileImporting:
                continue
        return self._import_once(verified)

    def _import_once(self, verified: VerifiedReturn) -> ImportResult:
        path = verified.path
        data = verified.data
        try:
            local: AssessmentDetail | None = self.assessments.get(data.id)
        except NotFound:
            local = None
        if local is not None:
            same = _content(return_data(local).to_document()) == _content(verified.document)
            if _decide(local.record, data, same, where=str(path)) == "unchanged":
                return ImportResult(Path(path), data.id, "unchanged", data.revision,
                                    identifiers=data.identifiers)
        with self.store.write() as tx:
            current = tx.get_assessment(data.id)
            seen = local.record.revision if local else None
            if (current.revision if current else None) != seen:
                raise ChangedWhileImporting("the assessment changed while importing; try again",
                                            where=str(path))
            self._check_action_ids(tx, data, str(path))
            self._store(tx, verified, current)
        outcome: Literal["added", "updated"] = "updated" if current else "added"
        return ImportResult(Path(path), data.id, outcome, data.revision,
                            current.revision if current else None, data.identifiers)

    def _check_action_ids(self, tx: UnitOfWork, data: ReturnData, where: str) -> None:
        for action in data.actions:
            other = tx.get_action(action.id)
            if other is not None and other.assessment_id != data.id:
                raise Refused(f"action {action.id[:8]} belongs to another assessment here",
                              where=where)

    def _store(self, tx: UnitOfWork, verified: VerifiedReturn,
               current: AssessmentRecord | None) -> None:
        data = verified.data
        rec = AssessmentRecord(
            id=data.id, template_id=data.template_id, template_version=data.template_version,
            template_hash=data.template_hash,
            template_snapshot=canonical_json(data.template_snapshot), org_name=data.org_name,
            org_code=data.org_code, site=data.site, kind=data.kind, assessors=data.assessors,
            visit_date=data.visit_date, status=data.status, created_at=data.created_at,
            updated_at=data.updated_at, completed_at=data.completed_at, revision=data.revision,
            synced_revision=data.revision, origin=current.origin if current else "import",
            deleted_at=None, summary=data.summary, follows=data.follows,
            perspective=data.perspective or default_perspective(data.kind).value,
            row_counts=tuple(sorted((g, n) for g, n in data.row_counts().items() if n)),
            **_review_fields(data.review))
        if current is None:
            tx.insert_assessment(rec)
        else:
            tx.update_assessment(rec)
            keep = {a.question_id for a in (*data.answers, *row_answers(data))}
            for qid in tx.get_answers(data.id):
                if qid not in keep:
                    tx.delete_answer(data.id, qid)
            kept_actions = {a.id for a in data.actions}
            for action in tx.get_actions(data.id):
                if action.id not in kept_actions:
                    tx.delete_action(action.id)
        answers = [AnswerRecord(data.id, a.question_id, a.value, a.na, a.note, a.answered_at,
                                self.actor) for a in (*data.answers, *row_answers(data))]
        actions = [action_record(x, data.id) for x in data.actions]
        if current is None:  # a new assessment: one statement per table
            tx.insert_answers(answers)
            tx.insert_actions(actions)
        else:
            for answer in answers:
                tx.put_answer(answer)
            for act in actions:
                tx.put_action(act)
            tx.delete_action_updates(data.id)
        for seq, u in enumerate(data.action_updates, start=1):
            tx.add_action_update(ActionUpdateRecord(
                str(uuid.uuid4()), data.id, u.action_id, seq, u.at, u.by, u.status, u.outcome,
                u.note))
        tx.add_event(EventRecord(
            None, data.id, self.clock(), self.actor, "import", verified.path.name,
            {"revision": current.revision} if current else None,
            {"revision": data.revision, "sha256": verified.sha256}))


def _review_fields(review: ReturnReview | None) -> dict[str, Any]:
    if review is None:
        return {}
    return {"review_state": review.state, "reviewer": review.reviewer,
            "reviewed_at": review.at, "review_note": review.note}


def _decide(local: AssessmentHeader, data: ReturnData, same: bool, *, where: str) -> str:
    """``unchanged`` or ``update``; :class:`Refused` with the reason otherwise."""
    if local.deleted_at is not None:
        raise Refused(f"assessment {local.id[:8]} is in the bin here; restore it first "
                      "(qa-tui restore-deleted)", where=where)
    if data.revision < local.revision:
        raise Refused(f"older than the copy here (return revision {data.revision}; this "
                      f"database has revision {local.revision})", where=where)
    if data.revision == local.revision:
        if same:
            return "unchanged"
        raise Refused(f"differs from the copy here at the same revision {data.revision} "
                      "(it was changed in two places)", where=where)
    if local.synced_revision is None or local.revision > local.synced_revision:
        synced = f"revision {local.synced_revision}" if local.synced_revision else "never"
        raise Refused(f"the copy here has changes not yet exported (revision {local.revision}; "
                      f"last exported or imported: {synced}); refused so they are not "
                      "overwritten", where=where)
    return "update"


_IMPORT_ATTEMPTS = 5


class ChangedWhileImporting(Refused):
    """The assessment changed between an import's read and its write (another import won)."""


class ExportFileExists(Refused):
    """A different file already has the return's name. ``same_return_older``: it is an older
    revision of this very return (the usual case after more answers), which a person may choose
    to replace; anything else (another return, a newer revision, not a return) stays refused.
    The one reason says what the file holds."""

    code = ReasonCode.FILE_EXISTS
    reasons_joiner = "; "

    def __init__(self, message: str, reasons: Iterable[Reason], *, where: str,
                 same_return_older: bool) -> None:
        super().__init__(message, reasons, where=where)
        self.same_return_older = same_return_older


def _older_revision(path: Path, revision: int) -> bool:
    try:
        return read_return(path).data.revision < revision
    except ReturnInvalid:
        return False


def _describe_file(path: Path, return_id: str, fmt: str) -> str:
    if fmt != "xlsx":
        return "other content"
    try:
        other = read_return(path).data
    except ReturnInvalid:
        return "a file that is not a valid return"
    if other.id == return_id:
        return f"revision {other.revision} of this return"
    return f"another return ({other.id[:8]})"
