"""A region's central store on a PostgreSQL server, behind the same ``Store`` interface.

The services see the same ``write()``/``read()`` blocks and the same ``UnitOfWork`` as on
SQLite; what each guarantee becomes here:

* **durability**: PostgreSQL's commit (``synchronous_commit=on`` is forced per connection), so
  a commit that has returned is on the server's disk;
* **the write lock**: every write transaction first takes one transaction-level advisory lock
  (``pg_advisory_xact_lock``), the equivalent of SQLite's ``BEGIN IMMEDIATE``: writers queue,
  each read-modify-write sees the latest data, so two analysts importing overlapping batches at
  once never duplicate or lose a return. Waiting is bounded by ``lock_timeout`` (busy error);
* **reads**: ``REPEATABLE READ, READ ONLY``, one consistent snapshot per block;
* **the schema**: never migrated implicitly (a shared server is everyone's): an old or empty
  database is refused with the command to run, ``qa-tui --db URL db upgrade``;
* **credentials**: never printed; errors name the server as ``host:port`` and the URL masked.

The connection pool is bounded (``POOL_SIZE`` + ``MAX_OVERFLOW``), so a TUI with workers can
never open more than that many sessions on a shared server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session

from qa_tui.errors import DatabaseRefused, QaError
from qa_tui.store import url as dburl
from qa_tui.store.db import DEFAULT_BUSY_TIMEOUT, Store
from qa_tui.store.migrations import SCHEMA_VERSION
from qa_tui.store.pg_migrations import LOCK_KEY, schema_version, upgrade
from qa_tui.store.repo import UnitOfWork

POOL_SIZE = 4
MAX_OVERFLOW = 4
CONNECT_TIMEOUT = 10
"""Seconds to wait for the server to answer before saying it is unreachable."""

INSTALL_HINT = "pip install 'qa-tui[postgres]'"


def _driver_missing() -> QaError:
    return QaError(f"PostgreSQL support is not installed; install it with: {INSTALL_HINT}",
                   code="missing-driver")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no reason given"


class PgStore(Store):
    """An open PostgreSQL database; thread-safe like the SQLite ``Store``."""

    def __init__(self, url: str, engine: Engine, busy_timeout: float) -> None:
        super().__init__(Path("postgresql"), engine)
        self._url = url
        self._read_engine = engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self._write_engine = engine.execution_options()  # plain: write() takes the lock itself
        self._lock_millis = max(1, int(busy_timeout * 1000))
        self.upgraded_from = SCHEMA_VERSION
        """The schema version found before ``migrate`` ran (``qa-tui db upgrade`` reports it)."""

    @property
    def location(self) -> str:
        """The URL with its password masked: the only form of it ever shown."""
        return dburl.mask(self._url)

    @property
    def dialect(self) -> str:
        return "postgresql"

    @property
    def path(self) -> Path:
        raise QaError("a PostgreSQL store is not a file", where=self.location)

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One write transaction under the advisory write lock; committed when the block ends."""
        self._check_open()
        with self._translated(), Session(self._write_engine) as session, session.begin():
            session.connection().exec_driver_sql(f"SET LOCAL lock_timeout = {self._lock_millis}")
            session.connection().exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
            work = UnitOfWork(session)
            yield work
            work.finish()  # the summaries of what changed, in the same transaction

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """One read-only transaction on one snapshot; always rolled back."""
        self._check_open()
        with self._translated(), Session(self._read_engine) as session:
            session.connection()
            try:
                yield UnitOfWork(session)
            finally:
                session.rollback()

    def integrity_check(self) -> list[str]:
        """The server keeps its own integrity; what we can check is the schema is ours and current."""
        with self._translated(), self._engine.connect() as conn, conn.begin():
            version = schema_version(conn, self.location)
        return [] if version == SCHEMA_VERSION else [f"schema v{version}, expected v{SCHEMA_VERSION}"]

    def pragmas(self) -> dict[str, Any]:
        with self._translated(), self._engine.connect() as conn:
            names = ("server_version", "synchronous_commit", "fsync", "default_transaction_isolation")
            return {name: conn.exec_driver_sql(f"SHOW {name}").scalar_one() for name in names}

    def backup_to(self, dest: Path) -> Path:
        raise QaError("backup copies a local SQLite file; for a PostgreSQL store use pg_dump",
                      where=self.location, code="refused")

    def restore_from(self, source: Path) -> int:
        raise QaError("restore replaces a local SQLite file; for a PostgreSQL store use "
                      "pg_restore (or psql with a pg_dump file)", where=self.location, code="refused")

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"store {self.location} is closed")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Driver errors that are the server's state, not a bug, as plain errors without secrets."""
        try:
            yield
        except DBAPIError as exc:
            plain = _plain(exc, self._url)
            if plain is None:
                raise  # a constraint or SQL error: a bug to see, as on SQLite
            raise plain from None


def _plain(exc: DBAPIError, url: str) -> QaError | None:
    """The server's state in plain words (busy, unreachable), or None for anything else."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "55P03":  # lock_not_available: another analyst holds the write lock
        return QaError("the database is busy with another qa-tui write; try again", code="busy")
    text = str(orig)
    at_connect = sqlstate is None  # libpq reports a failed connection without a SQLSTATE
    if (sqlstate or "").startswith("28") or (at_connect and any(w in text for w in _LOGIN_WORDS)):
        return QaError(f"the PostgreSQL server at {dburl.server(url)} refused the login "
                       f"({_reason(text, url)})", where=dburl.mask(url), code="login")
    if exc.connection_invalidated or sqlstate is None or sqlstate.startswith(("08", "57P")):
        return unreachable(orig, url)
    return None


_LOGIN_WORDS = ("authentication failed", "no password supplied", "does not exist",
                "not permitted to log in", "no pg_hba.conf entry")


def _reason(text: str, url: str) -> str:
    """The driver's reason without its preamble (``connection to server ... failed:``), with
    any password scrubbed."""
    line = _first_line(text)
    for marker in ("FATAL:", "failed: "):
        if marker in line:
            line = line.rpartition(marker)[2].strip() or line
            break
    return dburl.scrub(line, url)


def unreachable(orig: BaseException | None, url: str) -> QaError:
    reason = _reason(str(orig), url)
    return QaError(f"cannot reach the PostgreSQL server at {dburl.server(url)} ({reason})",
                   where=dburl.mask(url), code="unreachable")


def make_engine(url: str) -> Engine:
    """A bounded pool of psycopg 3 connections; the password (URL, PGPASSWORD or ~/.pgpass)
    is left to libpq."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise _driver_missing() from None
    try:
        sa_url = make_url(url).set(drivername="postgresql+psycopg")
    except ArgumentError:
        raise QaError("not a database URL (expected postgresql://user@host/dbname)",
                      where=dburl.mask(url), code="usage") from None
    engine = create_engine(
        sa_url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_timeout=30,
        pool_pre_ping=True, hide_parameters=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "qa-tui",
                      "options": "-c synchronous_commit=on"})
    return engine


def open_pg_store(url: str, *, migrate: bool = False,
                  busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> PgStore:
    """Open the PostgreSQL database at ``url``, checking its schema before any use.

    ``migrate`` (only ``qa-tui db upgrade``) applies missing steps; otherwise an empty or older
    database is refused with the command to run, and a foreign or newer one is refused untouched.
    """
    engine = make_engine(url)
    where = dburl.mask(url)
    before = SCHEMA_VERSION
    try:
        with engine.connect() as conn:
            if migrate:
                before, _ = upgrade(conn, where)
            else:
                with conn.begin():
                    version = schema_version(conn, where)
                if version < SCHEMA_VERSION:
                    raise DatabaseRefused(_needs_upgrade(version), where=where)
    except DBAPIError as exc:
        engine.dispose()
        plain = _plain(exc, url)
        if plain is None:
            raise
        raise plain from None
    except BaseException:
        engine.dispose()
        raise
    store = PgStore(url, engine, busy_timeout)
    store.upgraded_from = before
    return store


def _needs_upgrade(version: int) -> str:
    state = "has no qa-tui schema yet" if version == 0 else (
        f"is at schema v{version} (this program needs v{SCHEMA_VERSION})")
    return (f"{state}; ordinary commands never migrate a shared database: "
            "run `qa-tui --db URL db upgrade` first")
