"""The read path on plain ``sqlite3``: what ``list``, ``show`` and ``history`` need, without
SQLAlchemy.

Importing SQLAlchemy and SQLModel is ~0.85 s of a ~1 s read command (issue 20): more than the
whole read. A read needs none of the ORM, so :func:`open_reader` opens a SQLite database at the
current schema with the standard library and hands out the same frozen records as
``repo.UnitOfWork`` (through the same converters, ``convert.py``). Anything else - a new or
empty file, an older schema to migrate, a PostgreSQL URL - takes the ORM path (``db.py``), which
creates, migrates and vets as before. The file is vetted exactly as ``open_store`` vets it
(header, integrity, live WAL on a private copy) before SQLite reads it here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from qa_tui.store import convert, precheck, private_copy, summaries
from qa_tui.store import url as dburl
from qa_tui.store.failures import storage_error
from qa_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION
from qa_tui.store.records import (
    ActionRecord,
    ActionUpdateRecord,
    AnswerRecord,
    AssessmentRecord,
    EventRecord,
    ListedAssessment,
    LISTED_COLUMNS,
)
from qa_tui.store.stamps import text_to_datetime

if TYPE_CHECKING:
    from qa_tui.store.db import Store

DEFAULT_BUSY_TIMEOUT = 10.0
"""Seconds a transaction waits for another qa-tui window to finish its own."""

_STAMPS = frozenset({"created_at", "updated_at", "completed_at", "deleted_at", "reviewed_at",
                     "closed_at", "at"})
_DATES = frozenset({"visit_date", "due_date"})


def _decode(name: str, value: Any) -> Any:
    """A stored column value as the ORM's column types give it (``coltypes.py``)."""
    if value is None:
        return None
    if name in _STAMPS:
        return text_to_datetime(str(value))
    if name in _DATES:
        return date.fromisoformat(str(value))
    return value


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    """A row with attribute access and decoded dates: what ``convert`` reads from ORM rows."""
    return SimpleNamespace(**{d[0]: _decode(d[0], v)
                              for d, v in zip(cursor.description, values, strict=True)})


def _live(deleted: bool) -> str:
    return "deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"


class LiteReader:
    """The read queries of ``repo.UnitOfWork``, same names, same order, same records; valid
    only inside its ``LiteStore.read()`` block."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _all(self, sql: str, *params: Any) -> list[SimpleNamespace]:
        return list(self._conn.execute(sql, params))

    def get_assessment(self, assessment_id: str) -> AssessmentRecord | None:
        rows = self._all("SELECT * FROM assessment WHERE id = ?", assessment_id)
        return convert.assessment_record(rows[0], self._snapshot(rows[0])) if rows else None

    def list_assessments(self, *, deleted: bool = False) -> list[AssessmentRecord]:
        rows = self._all(f"SELECT * FROM assessment WHERE {_live(deleted)} "
                         "ORDER BY updated_at DESC, id")
        return [convert.assessment_record(row, self._snapshot(row)) for row in rows]

    def listing(self, *, deleted: bool = False) -> Iterator[ListedAssessment]:
        """As ``UnitOfWork.listing``: the listed columns and each stored summary, one query."""
        columns = ", ".join(f"a.{name}" for name in LISTED_COLUMNS)
        rows = self._conn.execute(
            f"SELECT {columns}, s.template_title, s.answered, s.total, s.progress_pct, "
            "s.rating, s.rating_words, s.escalations, s.coverage_pct, s.provisional "
            "FROM assessment a LEFT JOIN assessment_summary s ON s.assessment_id = a.id "
            f"WHERE a.{_live(deleted)} ORDER BY a.updated_at DESC, a.id")
        for row in rows:
            stored = None if row.answered is None else summaries.summary_record(row)
            yield ListedAssessment(*(getattr(row, name) for name in LISTED_COLUMNS), stored)

    def _snapshot(self, row: SimpleNamespace) -> str:
        """An assessment's snapshot text, stored once by its hash (as ``UnitOfWork._snapshot``)."""
        key = row.snapshot_hash
        if key is None:
            return ""
        text = summaries.known_text(key)
        if text is None:
            found = self._all("SELECT snapshot FROM template_snapshot WHERE hash = ?", key)
            text = summaries.remember_text(key, found[0].snapshot)
        return text

    def find_assessment_ids(self, prefix: str, *, deleted: bool | None = False) -> list[str]:
        needle = prefix.strip().lower()
        where = "" if deleted is None else f" AND {_live(deleted)}"
        rows = self._all(f"SELECT id FROM assessment WHERE substr(id, 1, ?) = ?{where} "
                         "ORDER BY id", len(needle), needle)
        return [row.id for row in rows]

    def get_answers(self, assessment_id: str) -> dict[str, AnswerRecord]:
        rows = self._conn.execute("SELECT * FROM answer WHERE assessment_id = ? "
                                  "ORDER BY question_id", (assessment_id,))
        return {row.question_id: convert.answer_record(row) for row in rows}

    def get_actions(self, assessment_id: str) -> list[ActionRecord]:
        rows = self._conn.execute("SELECT * FROM action WHERE assessment_id = ? "
                                  "ORDER BY created_at, id", (assessment_id,))
        return [convert.action_record(row) for row in rows]

    def followers(self, assessment_id: str) -> list[str]:
        rows = self._all("SELECT id FROM assessment WHERE follows = ? "
                         "ORDER BY visit_date, created_at", assessment_id)
        return [row.id for row in rows]

    def action_updates(self, assessment_id: str) -> list[ActionUpdateRecord]:
        rows = self._conn.execute("SELECT * FROM action_update WHERE assessment_id = ? "
                                  "ORDER BY seq, id", (assessment_id,))
        return [convert.action_update_record(row) for row in rows]

    def events(self, assessment_id: str) -> list[EventRecord]:
        rows = self._conn.execute("SELECT * FROM event WHERE assessment_id = ? ORDER BY id",
                                  (assessment_id,))
        return [convert.event_record(row) for row in rows]


class LiteStore:
    """A database open for reading only, on one plain ``sqlite3`` connection. ``write()`` is
    refused: a command that writes opens the ORM store (``open_store``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self._path = path
        self._conn = conn

    @property
    def path(self) -> Path:
        return self._path

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def dialect(self) -> str:
        return "sqlite"

    @contextmanager
    def read(self) -> Iterator[LiteReader]:
        """One read transaction on a consistent snapshot (a deferred BEGIN), rolled back."""
        try:
            self._conn.execute("BEGIN")
            try:
                yield LiteReader(self._conn)
            finally:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise storage_error(exc, self._path) from None

    def write(self) -> Any:
        raise RuntimeError(f"store {self._path} is open for reading only")

    def close(self) -> None:
        """Close the connection; the last one to close checkpoints the WAL."""
        self._conn.close()

    def __enter__(self) -> LiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def vet_file(path: Path) -> int:
    """Check an existing, non-empty database file before SQLite opens it for real: ours, not
    newer, intact (with a live WAL, on a private copy, so a damaged file is refused
    unchanged). Returns its schema version. Raises ``DatabaseRefused``."""
    version = precheck.check_header(path)
    if precheck.has_live_wal(path):
        return private_copy.check_with_wal(path)
    precheck.check_integrity_readonly(path)
    return version


def open_lite(path: Path | str, *,
              busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> LiteStore | None:
    """A :class:`LiteStore` on the SQLite database at ``path`` if it exists at the current
    schema in WAL mode; None when the ORM path must open it (create, migrate, PostgreSQL)."""
    if isinstance(path, str) and dburl.is_url(path):
        if dburl.scheme(path) != "sqlite":
            return None
        path = dburl.sqlite_path(path)
    path = Path(path).absolute()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    if vet_file(path) != SCHEMA_VERSION:
        return None
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None,
                               factory=sqlite3.Connection)
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from None
    try:
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            raise precheck.refuse(path, "not a qa-tui database (an SQLite file of another "
                                        "program)")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        precheck.check_version(path, version)
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    except sqlite3.Error as exc:
        conn.close()
        raise storage_error(exc, path) from None
    except BaseException:
        conn.close()
        raise
    if version != SCHEMA_VERSION or mode != "wal":
        conn.close()
        return None
    conn.row_factory = _row
    return LiteStore(path, conn)


def open_reader(path: Path | str, *, backup_dir: Path | None = None) -> LiteStore | Store:
    """A store to read from: plain ``sqlite3`` when it can be (see :func:`open_lite`), else
    the full store (``open_store``), which creates or migrates the file first."""
    lite = open_lite(path)
    if lite is not None:
        return lite
    from qa_tui.store.db import open_store

    return open_store(path, backup_dir=backup_dir)
