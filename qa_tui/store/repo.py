"""The unit of work: every query the project runs, inside one short transaction.

Reads select SQLModel rows and turn them into records at once; writes are Core statements on
the tables, so the session's identity map never holds a stale copy of something just written
(every select also asks for ``populate_existing``). Nothing ORM leaves this module.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from itertools import groupby
from typing import Any, TypeVar

from sqlalchemy import Table, delete, func, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from qa_tui.errors import NotFound
from qa_tui.store import convert
from qa_tui.store.models import ActionRow, ActionUpdateRow, AnswerRow, AssessmentRow, EventRow
from qa_tui.store.records import (
    ActionRecord,
    ActionUpdateRecord,
    AnswerRecord,
    AssessmentRecord,
    EventRecord,
)

_M = TypeVar("_M", bound=SQLModel)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _select(model: type[_M]) -> SelectOfScalar[_M]:
    return select(model).execution_options(populate_existing=True)


class UnitOfWork:
    """Queries bound to one session; valid only inside its ``Store.write()``/``read()`` block."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _run(self, statement: Any) -> Any:
        return self._session.exec(statement)

    # -- assessments -------------------------------------------------------------------------

    def insert_assessment(self, rec: AssessmentRecord) -> None:
        self._run(insert(_table("assessment")).values(convert.assessment_values(rec)))

    def get_assessment(self, assessment_id: str) -> AssessmentRecord | None:
        row = self._session.exec(
            _select(AssessmentRow).where(AssessmentRow.id == assessment_id)
        ).first()
        return None if row is None else convert.assessment_record(row)

    def update_assessment(self, rec: AssessmentRecord) -> None:
        """Write every field of ``rec`` except the id; an unknown id is an error, not a no-op."""
        values = convert.assessment_values(rec)
        del values["id"]
        table = _table("assessment")
        result = self._run(update(table).where(table.c.id == rec.id).values(values))
        if result.rowcount != 1:
            raise NotFound(f"assessment {rec.id} does not exist")

    def list_assessments(self, *, deleted: bool = False) -> list[AssessmentRecord]:
        """Live assessments (or, with ``deleted``, only the deleted ones), newest change first."""
        deleted_at = col(AssessmentRow.deleted_at)
        statement = _select(AssessmentRow).where(
            deleted_at.is_not(None) if deleted else deleted_at.is_(None)
        )
        statement = statement.order_by(col(AssessmentRow.updated_at).desc(), col(AssessmentRow.id))
        return [convert.assessment_record(row) for row in self._session.exec(statement)]

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
        only way the append-only trigger lets events be deleted."""
        table = _table("assessment")
        self._run(delete(table).where(table.c.id == assessment_id))

    # -- answers -----------------------------------------------------------------------------

    def get_answers(self, assessment_id: str) -> dict[str, AnswerRecord]:
        statement = (
            _select(AnswerRow)
            .where(AnswerRow.assessment_id == assessment_id)
            .order_by(col(AnswerRow.question_id))
        )
        rows = self._session.exec(statement)
        return {row.question_id: convert.answer_record(row) for row in rows}

    def answers_of_listed(
        self, *, deleted: bool = False
    ) -> Iterator[tuple[str, dict[str, AnswerRecord]]]:
        """The answers of the assessments ``list_assessments(deleted=...)`` returns, one
        ``(assessment id, answers by question)`` group at a time (assessments without answers
        yield nothing); iterate it inside the transaction.

        One query (a sub-select, not an IN list, so no parameter limit at 10,000 assessments)
        instead of one per assessment: the listing was N+1 and that was half its time. Plain
        column rows, streamed a group at a time, not ORM objects all at once: those doubled
        the peak memory of ``list``.
        """
        deleted_at = col(AssessmentRow.deleted_at)
        listed = select(AssessmentRow.id).where(
            deleted_at.is_not(None) if deleted else deleted_at.is_(None)
        )
        columns = [AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.value, AnswerRow.na,
                   AnswerRow.note, AnswerRow.updated_at, AnswerRow.updated_by]
        statement = (
            select(*columns)
            .where(col(AnswerRow.assessment_id).in_(listed.scalar_subquery()))
            .order_by(col(AnswerRow.assessment_id), col(AnswerRow.question_id))
        )
        rows = self._session.connection().execute(statement)  # Core: streamed, not buffered
        for assessment_id, group in groupby(rows, key=lambda row: row.assessment_id):
            yield assessment_id, {row.question_id: convert.answer_record(row) for row in group}

    def get_answer(self, assessment_id: str, question_id: str) -> AnswerRecord | None:
        statement = _select(AnswerRow).where(
            AnswerRow.assessment_id == assessment_id, AnswerRow.question_id == question_id
        )
        row = self._session.exec(statement).first()
        return None if row is None else convert.answer_record(row)

    def put_answer(self, rec: AnswerRecord) -> None:
        """Insert or replace the answer to one question (an upsert, never a delete+insert)."""
        self._upsert("answer", convert.answer_values(rec), ("assessment_id", "question_id"))

    def insert_answers(self, recs: list[AnswerRecord]) -> None:
        """Insert many new answers in one statement (bulk loads: demo data, imports)."""
        if recs:
            self._session.connection().execute(insert(_table("answer")),
                                              [convert.answer_values(r) for r in recs])

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
        self._upsert("action", convert.action_values(rec), ("id",))

    def delete_action(self, action_id: str) -> None:
        """Remove one action (an import mirroring a newer revision that no longer has it)."""
        table = _table("action")
        self._run(delete(table).where(table.c.id == action_id))

    # -- follow-ups and action updates --------------------------------------------------------

    def followers(self, assessment_id: str) -> list[str]:
        """Ids of the assessments (live or binned) that follow up ``assessment_id``."""
        statement = (select(AssessmentRow.id).where(AssessmentRow.follows == assessment_id)
                     .order_by(col(AssessmentRow.visit_date), col(AssessmentRow.created_at)))
        return list(self._session.exec(statement))

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
        result = self._run(insert(_table("event")).values(convert.event_values(rec)))
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

    # -- helpers -----------------------------------------------------------------------------

    def _upsert(self, table_name: str, values: dict[str, Any], key: tuple[str, ...]) -> None:
        table = _table(table_name)
        dialect = self._session.get_bind().dialect.name
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = make(table).values(values)
        changes = {name: statement.excluded[name] for name in values if name not in key}
        self._run(statement.on_conflict_do_update(index_elements=list(key), set_=changes))
