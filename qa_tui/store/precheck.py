"""Look at an existing file before SQLite opens it for writing, and refuse what is not ours.

SQLite happily "opens" anything and writes to it (journal files, WAL conversion, schema). A
file that is not a qa-tui database, is damaged, or was written by a newer qa-tui must be left
exactly as it was: so the header is read with plain ``open()``, and the integrity check goes
through a read-only ``immutable`` connection, which creates no -wal, -shm or journal file.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

from qa_tui.errors import DatabaseRefused
from qa_tui.safefile import NotReadable, check_regular
from qa_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION
from qa_tui.store.uri import readonly_uri

_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


def refuse(path: Path, message: str) -> DatabaseRefused:
    return DatabaseRefused(message, where=str(path))


def newer_message(version: int) -> str:
    return (
        f"written by a newer qa-tui (schema v{version}; this program knows up to v{SCHEMA_VERSION})"
    )


def read_header(path: Path) -> tuple[int, int]:
    """Return (application_id, user_version) from the 100-byte header, or refuse the file.

    Both are signed 32-bit big-endian integers, as SQLite reads them. Only a regular file is
    read (a FIFO would wait for a writer forever, a device never ends).
    """
    try:
        check_regular(path)
    except NotReadable as exc:
        raise refuse(path, exc.message) from None
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror or one_line(exc)})") from exc
    if len(header) < _HEADER_SIZE or not header.startswith(_MAGIC):
        raise refuse(path, "not a qa-tui database (not an SQLite file)")
    (user_version,) = struct.unpack_from(">i", header, 60)
    (application_id,) = struct.unpack_from(">i", header, 68)
    return application_id, user_version


def check_header(path: Path) -> int:
    """Refuse a file that is not ours or too new; return its user_version."""
    application_id, version = read_header(path)
    if application_id != APPLICATION_ID:
        raise refuse(path, "not a qa-tui database (an SQLite file of another program)")
    check_version(path, version)
    return version


def check_version(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise refuse(path, newer_message(version))
    if version < 0:
        raise refuse(path, f"not a qa-tui database (unknown schema version {version})")


def has_live_wal(path: Path) -> bool:
    """A non-empty -wal file holds committed pages the main file does not have yet (another
    window is open, or one crashed). An immutable read would ignore them and could report a
    half-checkpointed file as damaged, so such a file is checked after a normal open instead."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def first_problem(lines: list[str]) -> str | None:
    """The first line of a quick_check/integrity_check answer, or None when it says ok."""
    if lines == ["ok"]:
        return None
    text = lines[0] if lines else "no answer"
    return " ".join(text.split())


def check_integrity_readonly(path: Path) -> None:
    """Run ``PRAGMA quick_check`` without creating or changing any file."""
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            lines = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise refuse(path, f"is damaged (integrity check failed: {one_line(exc)})") from exc
    problem = first_problem(lines)
    if problem is not None:
        raise refuse(path, f"is damaged (integrity check failed: {problem})")


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
