"""Opening the database file and running short transactions on it.

Durability and concurrency choices live here and nowhere else: WAL with ``synchronous=FULL``
(a commit that has returned survives a power cut), foreign keys on, and a busy timeout. pysqlite
is put in autocommit mode and we emit BEGIN ourselves (the SQLAlchemy recipe for pysqlite
transactions): writes take the write lock up front with ``BEGIN IMMEDIATE``, so two windows
never deadlock upgrading a read lock and a read-modify-write never works on a stale snapshot;
reads use a deferred ``BEGIN`` that pins one consistent snapshot.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

from qa_tui.config import ensure_private_dir
from qa_tui.errors import QaError
from qa_tui.store import precheck
from qa_tui.store import url as dburl
from qa_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION, apply_migrations
from qa_tui.store.repo import UnitOfWork

DEFAULT_BUSY_TIMEOUT = 10.0
"""Seconds a write waits for another qa-tui window to finish its transaction."""

_WRITE = "qa_write"
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _busy_error() -> QaError:
    return QaError("the database is busy in another qa-tui window; try again", code="busy")


def _is_busy(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    text = str(orig)
    return "locked" in text or "busy" in text


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
                yield UnitOfWork(session)
        except OperationalError as exc:
            if _is_busy(exc):
                raise _busy_error() from exc
            raise

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
        except OperationalError as exc:
            if _is_busy(exc):
                raise _busy_error() from exc
            raise

    def integrity_check(self) -> list[str]:
        """Problems SQLite finds in the file; empty when it is sound."""
        lines = [str(value) for value in self._pragma_rows("integrity_check")]
        return [] if lines == ["ok"] else lines

    def pragmas(self) -> dict[str, Any]:
        """The settings in force on a pooled connection, for diagnostics and tests."""
        names = (
            "journal_mode",
            "synchronous",
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
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise QaError("a file of that name already exists", where=str(dest)) from None
        os.fchmod(fd, 0o600)
        os.close(fd)
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

    def restore_from(self, source: Path) -> int:
        """Replace this database's content with ``source``, after vetting it; return its version.

        The source is checked exactly as ``open_store`` checks a file (ours, not newer, intact)
        without being changed, then copied in with the backup API, which is atomic for other
        readers. A source of an older schema needs the store reopened to migrate it.
        """
        self._check_open()
        source = Path(source)
        if not source.is_file():
            raise precheck.refuse(source, "no such backup file")
        version = precheck.check_header(source)
        if version < 1:
            raise precheck.refuse(source, "not a qa-tui database (it has no schema)")
        precheck.check_integrity_readonly(source)
        uri = source.resolve().as_uri() + "?mode=ro&immutable=1"
        origin = sqlite3.connect(uri, uri=True)
        try:
            with self._sqlite_connection() as target:
                origin.backup(target)
        finally:
            origin.close()
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
        raise precheck.refuse(path, f"cannot be created or opened ({exc.strerror or exc})") from None
    engine = _make_engine(path, busy_timeout)
    try:
        _initialise(engine, path, old_version, check_after_open, backup_dir)
    except OperationalError as exc:
        engine.dispose()
        if _is_busy(exc):
            raise _busy_error() from exc
        raise
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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        os.fchmod(fd, 0o600)  # the umask may have taken bits away; never adds any
        os.close(fd)
        return None, False
    if path.is_file() and path.stat().st_size == 0:
        os.chmod(path, 0o600)
        return None, False
    version = precheck.check_header(path)
    if precheck.has_live_wal(path):
        return version, True
    precheck.check_integrity_readonly(path)
    return version, False


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
            cursor.execute(f"PRAGMA busy_timeout={millis}")
        finally:
            cursor.close()

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_begin(conn: Connection) -> None:
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
