"""The unit of work: every query the project runs, inside one short transaction.

Reads select SQLModel rows and turn them into records at once; writes are Core statements on
the tables, so the session's identity map never holds a stale copy of something just written
(every select also asks for ``populate_existing``). Nothing ORM leaves this module.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, func, insert, select as core_select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from qa_tui.domain import AnswerState
from qa_tui.errors import NotFound
from qa_tui.store import convert, summaries
from qa_tui.store.models import ActionRow, ActionUpdateRow, AnswerRow, AssessmentRow, EventRow
from qa_tui.store.records import (
    ActionRecord,
    ActionUpdateRecord,
    AnswerRecord,
    AssessmentRecord,
    LISTED_COLUMNS,
    EventRecord,
    ListedAssessment,
    SummaryRecord,
)

_M = TypeVar("_M", bound=SQLModel)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _select(model: type[_M]) -> SelectOfScalar[_M]:
    return select(model).execution_options(populate_existing=True)


def _listed(table: Table, deleted: bool) -> Any:
    return table.c.deleted_at.is_not(None) if deleted else table.c.deleted_at.is_(None)




def state_of(rec: AnswerRecord) -> AnswerState:
    return AnswerState(rec.value, rec.na, rec.note)


_KEYS = {"answer": ("assessment_id", "question_id"), "action": ("id",),
         "assessment_summary": ("assessment_id",), "template_snapshot": ("hash",)}


def _upsert_of(dialect: str, name: str) -> Any:
    """Insert or update on the table's key; the values come with each execution."""
    table, key = _table(name), _KEYS[name]
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    if name == "template_snapshot":  # a key names its content: nothing ever to update
        return statement.on_conflict_do_nothing(index_elements=list(key))
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={c.name: statement.excluded[c.name] for c in table.c if c.name not in key})


_BUILDERS: dict[str, Callable[[], Any]] = {
    "get_assessment": lambda: core_select(_table("assessment")).where(
        _table("assessment").c.id == bindparam("id")),
    "snapshot_hash": lambda: core_select(_table("assessment").c.snapshot_hash).where(
        _table("assessment").c.id == bindparam("id")),
    "update_assessment": lambda: update(_table("assessment")).where(
        _table("assessment").c.id == bindparam("b_id")),
    "get_answer": lambda: core_select(_table("answer")).where(
        _table("answer").c.assessment_id == bindparam("a"),
        _table("answer").c.question_id == bindparam("q")),
    "insert_event": lambda: insert(_table("event")),
    "followers": lambda: core_select(_table("assessment").c.id).where(
        _table("assessment").c.follows == bindparam("id")).order_by(
        _table("assessment").c.visit_date, _table("assessment").c.created_at),
}


@cache
def _prepared(dialect: str, name: str) -> Any:
    """A hot-path statement, built once per process: building a statement and its cache key
    cost more than SQLite takes to run it, so ``answer()`` paid that ten times (issue 20)."""
    if name.startswith("upsert:"):
        return _upsert_of(dialect, name.removeprefix("upsert:"))
    return _BUILDERS[name]()


class UnitOfWork:
    """Queries bound to one session; valid only inside its ``Store.write()``/``read()`` block."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._dirty: set[str] = set()
        """Assessments whose answers or template changed and whose summary is not rewritten
        yet: ``finish`` rescores them before the commit."""
        self._stored_keys: dict[str, str | None] = {}
        """The snapshot key of each assessment read or written in this transaction."""
        self._new: dict[str, tuple[str, dict[str, AnswerState]]] = {}
        """Assessments inserted in this transaction: their snapshot and every answer they
        have, so ``finish`` scores a bulk load (demo data, an import) without reading back."""

    def _run(self, statement: Any) -> Any:
        return self._session.exec(statement)

    def _exec(self, name: str, params: dict[str, Any]) -> Any:
        """Run a prepared statement (see ``_prepared``) with ``params``."""
        connection = self._session.connection()
        return connection.execute(_prepared(connection.dialect.name, name), params)

    # -- assessments -------------------------------------------------------------------------

    def insert_assessment(self, rec: AssessmentRecord) -> None:
        key = self._put_snapshot(rec.template_snapshot)
        self._run(insert(_table("assessment")).values(convert.assessment_values(rec, key)))
        self._dirty.add(rec.id)
        self._new[rec.id] = (rec.template_snapshot, {})

    def get_assessment(self, assessment_id: str) -> AssessmentRecord | None:
        row = self._exec("get_assessment", {"id": assessment_id}).first()
        if row is None:
            return None
        self._stored_keys[assessment_id] = row.snapshot_hash
        return convert.assessment_record(row, self._snapshot(row))

    def update_assessment(self, rec: AssessmentRecord) -> None:
        """Write every field of ``rec`` except the id; an unknown id is an error, not a no-op."""
        key = summaries.snapshot_key(rec.template_snapshot)
        if rec.id in self._stored_keys:
            stored = self._stored_keys[rec.id]
        else:
            stored = self._exec("snapshot_hash", {"id": rec.id}).scalar()
        if stored != key:  # a new template (an import): store it and rescore
            self._put_snapshot(rec.template_snapshot)
            self._dirty.add(rec.id)
        values = convert.assessment_values(rec, key)
        values["b_id"] = values.pop("id")
        result = self._exec("update_assessment", values)
        self._stored_keys[rec.id] = key
        if result.rowcount != 1:
            raise NotFound(f"assessment {rec.id} does not exist")

    def list_assessments(self, *, deleted: bool = False) -> list[AssessmentRecord]:
        """Live assessments (or, with ``deleted``, only the deleted ones), newest change first."""
        table = _table("assessment")
        statement = core_select(table).where(_listed(table, deleted)).order_by(
            table.c.updated_at.desc(), table.c.id)
        return [convert.assessment_record(row, self._snapshot(row))
                for row in self._core(statement)]

    def listing(self, *, deleted: bool = False) -> Iterator[ListedAssessment]:
        """What a listing shows of the assessments ``list_assessments`` returns, with each
        stored summary (None where there is none): one plain query of only the columns it
        needs, streamed; no answer read, no snapshot."""
        table, summary = _table("assessment"), _table("assessment_summary")
        columns = [table.c[name] for name in LISTED_COLUMNS]
        statement = (
            core_select(*columns, *[c for c in summary.c if c.name != "assessment_id"])
            .select_from(table.outerjoin(summary, summary.c.assessment_id == table.c.id))
            .where(_listed(table, deleted))
            .order_by(table.c.updated_at.desc(), table.c.id)
        )
        for row in self._core(statement):
            stored = None if row.answered is None else summaries.summary_record(row)
            yield ListedAssessment(*(row[i] for i in range(len(LISTED_COLUMNS))), stored)

    # -- summaries and snapshots ----------------------------------------------------------------

    def put_summary(self, assessment_id: str, summary: SummaryRecord) -> None:
        """Store the summary of an assessment's current answers (the caller scored them)."""
        self._exec("upsert:assessment_summary", summaries.summary_values(assessment_id, summary))
        self._dirty.discard(assessment_id)

    def get_summary(self, assessment_id: str) -> SummaryRecord | None:
        table = _table("assessment_summary")
        row = self._core(core_select(table).where(table.c.assessment_id == assessment_id)).first()
        return None if row is None else summaries.summary_record(row)

    def finish(self) -> None:
        """Before the commit: rescore every assessment whose answers changed without the
        caller storing its summary (imports, demo data, anything new), so the stored summaries
        always match the answers in the same transaction."""
        while self._dirty:
            assessment_id = self._dirty.pop()
            if assessment_id in self._new:
                snapshot, states = self._new[assessment_id]
            else:
                rec = self.get_assessment(assessment_id)
                if rec is None:
                    continue
                snapshot = rec.template_snapshot
                states = {qid: state_of(row) for qid, row in self.get_answers(assessment_id).items()}
            found = summaries.rescore(summaries.snapshot_key(snapshot), snapshot, states)
            if found is None:
                table = _table("assessment_summary")
                self._run(delete(table).where(table.c.assessment_id == assessment_id))
            else:
                self.put_summary(assessment_id, found)

    def _note_answers(self, recs: list[AnswerRecord]) -> None:
        for rec in recs:
            if rec.assessment_id in self._new:
                self._new[rec.assessment_id][1][rec.question_id] = state_of(rec)

    def _put_snapshot(self, snapshot: str) -> str:
        """Store a snapshot once (a no-op when its content is there already); its key."""
        key = summaries.snapshot_key(snapshot)
        self._exec("upsert:template_snapshot", {"hash": key, "snapshot": snapshot})
        summaries.remember_text(key, snapshot)
        return key

    def _snapshot(self, row: Any) -> str:
        """The snapshot text of an assessment row: from the process cache (a key names its
        content for ever), else read once."""
        key = row.snapshot_hash
        if key is None:
            return ""
        text = summaries.known_text(key)
        if text is None:
            table = _table("template_snapshot")
            text = self._core(core_select(table.c.snapshot).where(table.c.hash == key)).scalar_one()
            text = summaries.remember_text(key, text)
        return text

    def _core(self, statement: Any) -> Any:
        """A plain Core query: rows, not ORM objects (cheaper, and nothing to keep in sync)."""
        return self._session.connection().execute(statement)

    def find_assessment_ids(self, prefix: str, *, deleted: bool | None = False) -> list[str]:
        """Ids starting with ``prefix`` (case-insensitive, since ids are lowercase uuid text).

        ``substr`` rather than LIKE: a prefix containing ``%`` or ``_`` must match literally.
        """
        needle = prefix.strip().lower()
        statement = select(AssessmentRow.id).where(
            func.substr(AssessmentRow.id, 1, len(needle)) == needle
        )
        if deleted is not None:
            deleted_at = col(AssessmentRow.deleted_at)
            statement = statement.where(
                deleted_at.is_not(None) if deleted else deleted_at.is_(None)
            )
        return list(self._session.exec(statement.order_by(col(AssessmentRow.id))))

    def purge_assessment(self, assessment_id: str) -> None:
        """Hard delete. Answers, actions and events go by ON DELETE CASCADE, which is also the
        only way the append-only trigger lets events be deleted (and its summary). Its
        template snapshot goes too once no other assessment uses it."""
        table = _table("assessment")
        key = self._exec("snapshot_hash", {"id": assessment_id}).scalar()
        self._run(delete(table).where(table.c.id == assessment_id))
        self._dirty.discard(assessment_id)
        self._stored_keys.pop(assessment_id, None)
        self._new.pop(assessment_id, None)
        if key is not None:
            snapshots = _table("template_snapshot")
            users = core_select(table.c.id).where(table.c.snapshot_hash == key).exists()
            self._run(delete(snapshots).where(snapshots.c.hash == key, ~users))

    # -- answers -----------------------------------------------------------------------------

    def get_answers(self, assessment_id: str) -> dict[str, AnswerRecord]:
        statement = (
            _select(AnswerRow)
            .where(AnswerRow.assessment_id == assessment_id)
            .order_by(col(AnswerRow.question_id))
        )
        rows = self._session.exec(statement)
        return {row.question_id: convert.answer_record(row) for row in rows}

    def get_answer(self, assessment_id: str, question_id: str) -> AnswerRecord | None:
        row = self._exec("get_answer", {"a": assessment_id, "q": question_id}).first()
        return None if row is None else convert.answer_record(row)

    def put_answer(self, rec: AnswerRecord) -> None:
        """Insert or replace the answer to one question (an upsert, never a delete+insert)."""
        self._exec("upsert:answer", convert.answer_values(rec))
        self._dirty.add(rec.assessment_id)
        self._note_answers([rec])

    def insert_answers(self, recs: list[AnswerRecord]) -> None:
        """Insert many new answers in one statement (bulk loads: demo data, imports)."""
        if recs:
            self._session.connection().execute(insert(_table("answer")),
                                              [convert.answer_values(r) for r in recs])
            self._dirty.update(r.assessment_id for r in recs)
            self._note_answers(recs)

    def insert_actions(self, recs: list[ActionRecord]) -> None:
        """Insert many new actions in one statement."""
        if recs:
            self._session.connection().execute(insert(_table("action")),
                                              [convert.action_values(r) for r in recs])

    def delete_answer(self, assessment_id: str, question_id: str) -> None:
        table = _table("answer")
        self._run(
            delete(table).where(
                table.c.assessment_id == assessment_id, table.c.question_id == question_id
            )
        )
        self._dirty.add(assessment_id)
        if assessment_id in self._new:
            self._new[assessment_id][1].pop(question_id, None)

    # -- actions -----------------------------------------------------------------------------

    def get_actions(self, assessment_id: str) -> list[ActionRecord]:
        statement = (
            _select(ActionRow)
            .where(ActionRow.assessment_id == assessment_id)
            .order_by(col(ActionRow.created_at), col(ActionRow.id))
        )
        return [convert.action_record(row) for row in self._session.exec(statement)]

    def get_action(self, action_id: str) -> ActionRecord | None:
        row = self._session.exec(_select(ActionRow).where(ActionRow.id == action_id)).first()
        return None if row is None else convert.action_record(row)

    def put_action(self, rec: ActionRecord) -> None:
        self._exec("upsert:action", convert.action_values(rec))

    def delete_action(self, action_id: str) -> None:
        """Remove one action (an import mirroring a newer revision that no longer has it)."""
        table = _table("action")
        self._run(delete(table).where(table.c.id == action_id))

    # -- follow-ups and action updates --------------------------------------------------------

    def followers(self, assessment_id: str) -> list[str]:
        """Ids of the assessments (live or binned) that follow up ``assessment_id``."""
        return list(self._exec("followers", {"id": assessment_id}).scalars())

    def action_updates(self, assessment_id: str) -> list[ActionUpdateRecord]:
        statement = (
            _select(ActionUpdateRow)
            .where(ActionUpdateRow.assessment_id == assessment_id)
            .order_by(col(ActionUpdateRow.seq), col(ActionUpdateRow.id))
        )
        return [convert.action_update_record(row) for row in self._session.exec(statement)]

    def add_action_update(self, rec: ActionUpdateRecord) -> None:
        self._run(insert(_table("action_update")).values(convert.action_update_values(rec)))

    def delete_action_updates(self, assessment_id: str) -> None:
        """Drop an assessment's updates (an import replacing them with the return's list)."""
        table = _table("action_update")
        self._run(delete(table).where(table.c.assessment_id == assessment_id))

    # -- events ------------------------------------------------------------------------------

    def add_event(self, rec: EventRecord) -> int:
        """Append one event and return its id (ids only grow: AUTOINCREMENT never reuses)."""
        result = self._exec("insert_event", convert.event_values(rec))
        return int(result.inserted_primary_key[0])

    def events(self, assessment_id: str) -> list[EventRecord]:
        statement = (
            _select(EventRow)
            .where(EventRow.assessment_id == assessment_id)
            .order_by(col(EventRow.id))
        )
        return [convert.event_record(row) for row in self._session.exec(statement)]

    def last_event(
        self, assessment_id: str, kinds: Collection[str] | None = None
    ) -> EventRecord | None:
        """The newest event of the assessment, optionally only among ``kinds``."""
        statement = _select(EventRow).where(EventRow.assessment_id == assessment_id)
        if kinds is not None:
            if not kinds:
                return None
            statement = statement.where(col(EventRow.kind).in_(list(kinds)))
        row = self._session.exec(statement.order_by(col(EventRow.id).desc()).limit(1)).first()
        return None if row is None else convert.event_record(row)

    # -- whole database -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows in each table (``qa-tui db check``)."""
        return {name: int(self._session.exec(select(func.count()).select_from(_table(name))).one())
                for name in ("assessment", "answer", "action", "event")}
