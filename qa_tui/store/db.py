"""Opening the database file and running short transactions on it.

Durability and concurrency choices live here and nowhere else: WAL with ``synchronous=FULL``
(a commit that has returned survives a power cut), foreign keys on, and a busy timeout. pysqlite
is put in autocommit mode and we emit BEGIN ourselves (the SQLAlchemy recipe for pysqlite
transactions): writes take the write lock up front with ``BEGIN IMMEDIATE``, so two windows
never deadlock upgrading a read lock and a read-modify-write never works on a stale snapshot;
reads use a deferred ``BEGIN`` that pins one consistent snapshot.

Every SQLite failure leaves this module as one plain :class:`StorageError` naming the file and
the remedy (busy, read-only, disk full, missing folder): SQLAlchemy's own message quotes the
SQL and its parameters, which would print an evidence note on a terminal or a status line.
Opening takes no write lock when no migration is due, so another program's long transaction
never stops ``list``, ``show`` or the app from reading (WAL lets readers in).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

from qa_tui import durable
from qa_tui.config import ensure_private_dir
from qa_tui.errors import QaError
from qa_tui.safefile import NotReadable, check_regular
from qa_tui.store import precheck, private_copy
from qa_tui.store import url as dburl
from qa_tui.store.failures import BUSY_MESSAGE as BUSY_MESSAGE  # re-exported
from qa_tui.store.failures import storage_error
from qa_tui.store.lite import DEFAULT_BUSY_TIMEOUT, vet_file
from qa_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION, apply_migrations
from qa_tui.store.repo import UnitOfWork


_WRITE = "qa_write"
_PATIENCE = threading.local()
"""Per-thread busy timeout in seconds (see :meth:`Store.patience`); unset: the store's own."""

class Store:
    """An open database. Thread-safe: each ``write()``/``read()`` block uses its own session
    and pooled connection, so workers may use one store concurrently."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self._path = path
        self._engine = engine
        self._write_engine = engine.execution_options(**{_WRITE: True})
        self._closed = False

    @property
    def path(self) -> Path:
        return self._path

    @property
    def location(self) -> str:
        """Where the data lives, safe to show (a PostgreSQL store masks its password)."""
        return str(self._path)

    @property
    def dialect(self) -> str:
        return "sqlite"

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One write transaction: committed (durably) when the block ends, rolled back if it
        raises. The write lock is taken on entry, so the block sees the latest data."""
        self._check_open()
        try:
            with Session(self._write_engine) as session, session.begin():
                session.connection()  # BEGIN IMMEDIATE now, not at the first statement
                work = UnitOfWork(session)
                yield work
                work.finish()  # the summaries of what changed, in the same transaction
        except (DBAPIError, sqlite3.Error) as exc:
            raise storage_error(exc, self._path) from None

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """One read transaction on a consistent snapshot; always rolled back."""
        self._check_open()
        try:
            with Session(self._engine) as session:
                session.connection()
                try:
                    yield UnitOfWork(session)
                finally:
                    session.rollback()
        except (DBAPIError, sqlite3.Error) as exc:
            raise storage_error(exc, self._path) from None

    @contextmanager
    def patience(self, seconds: float) -> Iterator[None]:
        """Transactions begun on this thread inside the block wait at most ``seconds`` for
        another program's lock. The TUI tries a save on the UI thread with little patience,
        and only when the database is busy waits (the full timeout) in a worker thread."""
        previous = getattr(_PATIENCE, "seconds", None)
        _PATIENCE.seconds = seconds
        try:
            yield
        finally:
            _PATIENCE.seconds = previous

    def integrity_check(self) -> list[str]:
        """Problems SQLite finds in the file; empty when it is sound."""
        lines = [str(value) for value in self._pragma_rows("integrity_check")]
        return [] if lines == ["ok"] else lines

    def pragmas(self) -> dict[str, Any]:
        """The settings in force on a pooled connection, for diagnostics and tests."""
        names = (
            "journal_mode",
            "synchronous",
            "fullfsync",
            "foreign_keys",
            "busy_timeout",
            "user_version",
            "application_id",
        )
        return {name: self._pragma_rows(name)[0] for name in names}

    def backup_to(self, dest: Path) -> Path:
        """Copy the database to a new file ``dest`` (mode 0600) with SQLite's backup API.

        The copy is one consistent snapshot even while other windows write. An existing
        ``dest`` is never overwritten.
        """
        self._check_open()
        dest = Path(dest)
        ensure_private_dir(dest.parent)
        try:
            durable.touch_private(dest)
        except FileExistsError:
            raise QaError("a file of that name already exists", where=str(dest)) from None
        try:
            target = sqlite3.connect(str(dest))
            try:
                with self._sqlite_connection() as source:
                    source.backup(target)
            finally:
                target.close()
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
        return dest

    def restore_from(self, source: Path,
                     before_replace: Callable[[], object] | None = None) -> int:
        """Replace this database's content with ``source``, after vetting it; return its version.

        The source must be a regular file; it is checked (ours, not newer, intact, and exactly
        the schema qa-tui creates: no extra table, index, trigger or view) on a private copy
        of it and its ``-wal``, so the newest committed answers come along and the source is
        never changed; then copied in with the backup API, which is atomic for other readers.
        A source of an older schema needs the store reopened to migrate it.
        """
        self._check_open()
        source = Path(source)
        if not source.exists():
            raise precheck.refuse(source, "no such backup file")
        try:
            check_regular(source)
        except NotReadable as exc:
            raise precheck.refuse(source, exc.message) from None
        if not precheck.has_live_wal(source):
            precheck.check_header(source)
        # A copied database may carry its newest answers in its -wal: open a private copy of
        # both (never the source itself) so they are included and the source is not touched.
        with private_copy.private_copy(source) as origin:
            version = private_copy.check_copy(origin, source)
            private_copy.check_schema(origin, source, version)
            if before_replace is not None:  # e.g. the safety copy: only once the source passed
                before_replace()
            with self._sqlite_connection() as target:
                origin.backup(target)
        self._engine.dispose()
        return version

    @contextmanager
    def _sqlite_connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow one pooled connection as the stdlib object SQLite's backup API needs."""
        raw = self._engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            yield conn
        finally:
            raw.close()

    def close(self) -> None:
        """Close every pooled connection; the last one to close checkpoints the WAL."""
        self._closed = True
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"store {self._path} is closed")

    def _pragma_rows(self, name: str) -> list[Any]:
        self._check_open()
        with self._engine.connect() as conn:
            return list(conn.exec_driver_sql(f"PRAGMA {name}").scalars())


def open_store(
    path: Path | str, *, backup_dir: Path | None = None,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT, migrate: bool = False,
) -> Store:
    """Open (or create) the database at ``path``, migrating it to ``SCHEMA_VERSION``.

    A file that is not ours, is damaged or is too new is refused with ``DatabaseRefused``
    before SQLite writes anything to it or next to it. ``path`` may also be a URL:
    ``sqlite:///file`` is the same as the file, ``postgresql://...`` opens the central store
    (``pg.py``), which migrates only when ``migrate`` is given (``qa-tui db upgrade``).
    """
    if isinstance(path, str) and dburl.is_url(path):
        if dburl.is_postgres(path):
            from qa_tui.store.pg import open_pg_store

            return open_pg_store(path, migrate=migrate, busy_timeout=busy_timeout)
        if dburl.scheme(path) != "sqlite":
            raise QaError("unsupported database URL (use a file path, sqlite:///path or "
                          "postgresql://user@host/dbname)", where=dburl.mask(path), code="usage")
        path = dburl.sqlite_path(path)
    path = Path(path).absolute()
    try:
        ensure_private_dir(path.parent)
        old_version, check_after_open = _prepare_file(path)
    except OSError as exc:
        raise precheck.refuse(path, f"cannot be created or opened ({exc.strerror or exc}); "
                              "check that the folder exists and that you may write to it"
                              ) from None
    engine = _make_engine(path, busy_timeout)
    try:
        _initialise(engine, path, old_version, check_after_open, backup_dir)
    except (DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        raise storage_error(exc, path) from None
    except BaseException:
        engine.dispose()
        raise
    return Store(path, engine)


def _prepare_file(path: Path) -> tuple[int | None, bool]:
    """Create a new file 0600 ourselves, or vet an existing one.

    Returns the schema version in the header (None when the file is new or empty) and whether
    the integrity check is still to do once SQLite has read the live WAL.
    """
    try:
        durable.touch_private(path)  # 0600 where the platform has modes
    except FileExistsError:
        pass
    else:
        return None, False
    if path.is_file() and path.stat().st_size == 0:
        durable.restrict(path)
        return None, False
    return vet_file(path), False


def _make_engine(path: Path, busy_timeout: float) -> Engine:
    url = URL.create("sqlite+pysqlite", database=str(path))
    engine = create_engine(url, connect_args={"timeout": busy_timeout})
    millis = int(busy_timeout * 1000)

    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see on_begin)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            # macOS: a commit reaches the disk, not only the drive's cache (a no-op elsewhere).
            cursor.execute("PRAGMA fullfsync=ON")
            cursor.execute(f"PRAGMA busy_timeout={millis}")
        finally:
            cursor.close()

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", lambda conn: _on_begin(conn, millis))
    return engine


def _on_begin(conn: Connection, default_millis: int) -> None:
    seconds = getattr(_PATIENCE, "seconds", None)
    millis = default_millis if seconds is None else int(seconds * 1000)
    conn.exec_driver_sql(f"PRAGMA busy_timeout={millis}")
    write = bool(conn.get_execution_options().get(_WRITE, False))
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _initialise(
    engine: Engine,
    path: Path,
    old_version: int | None,
    check_integrity: bool,
    backup_dir: Path | None,
) -> None:
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        if old_version is not None:
            _recheck_open(conn, path, check_integrity)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if version == SCHEMA_VERSION and mode == "wal":
            return  # nothing to change: take no write lock (another program may hold it)
        if 0 < version < SCHEMA_VERSION:
            _backup_before_migration(Store(path, engine), version, backup_dir)
        apply_migrations(conn)
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()


def _recheck_open(conn: sqlite3.Connection, path: Path, check_integrity: bool) -> None:
    """The header checks again, now through SQLite: with a live WAL the newest header may be
    in the -wal file rather than the main file, and the read-only integrity check was skipped."""
    application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if application_id != APPLICATION_ID:
        raise precheck.refuse(path, "not a qa-tui database (an SQLite file of another program)")
    precheck.check_version(path, int(conn.execute("PRAGMA user_version").fetchone()[0]))
    if not check_integrity:
        return
    try:
        lines = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise precheck.refuse(
            path, f"is damaged (integrity check failed: {precheck.one_line(exc)})"
        ) from exc
    problem = precheck.first_problem(lines)
    if problem is not None:
        raise precheck.refuse(path, f"is damaged (integrity check failed: {problem})")


def _backup_before_migration(store: Store, version: int, backup_dir: Path | None) -> Path:
    folder = backup_dir if backup_dir is not None else store.path.parent
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return store.backup_to(folder / f"{store.path.stem}.v{version}.{stamp}.sqlite3")
