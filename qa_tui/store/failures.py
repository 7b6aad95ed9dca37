"""SQLite failures as plain sentences: shared by the ORM store (``db.py``) and the plain
``sqlite3`` read path (``lite.py``), so both word a busy, damaged or missing database alike and
neither ever shows the SQL or its parameters (an evidence note could be among them).

Free of SQLAlchemy: a read command must not pay for its import to report an error.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qa_tui.errors import StorageError

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}

BUSY_MESSAGE = ("the database is busy: another program is writing to it; try again when it "
                "has finished")

_DENIED = ("permission", "permission denied on the database; check the permissions of the file "
           "and its folder")
# SQLite primary result codes -> (error code, plain sentence with the remedy).
_REMEDIES: dict[int, tuple[str, str]] = {
    sqlite3.SQLITE_READONLY: ("read-only", "the database is read-only (the file, its folder or "
                              "the drive cannot be written); check their permissions, or work on "
                              "a writable copy with --db"),
    sqlite3.SQLITE_FULL: ("disk-full", "the disk holding the database is full; nothing was "
                          "saved: free some space and try again"),
    sqlite3.SQLITE_CANTOPEN: ("missing", "the database cannot be opened (its folder is missing "
                              "or not accessible); check the path (--db or QA_TUI_DB)"),
    sqlite3.SQLITE_PERM: _DENIED,
    sqlite3.SQLITE_AUTH: _DENIED,
    sqlite3.SQLITE_IOERR: ("io", "the database could not be read or written (the disk may be "
                           "full or failing); free some space or check the drive, then try "
                           "again"),
    sqlite3.SQLITE_CORRUPT: ("damaged", "the database is damaged; restore a backup "
                             "(qa-tui restore)"),
    sqlite3.SQLITE_NOTADB: ("damaged", "not a qa-tui database, or a damaged one; check the "
                            "path or restore a backup"),
}


def _sqlite_code(exc: BaseException) -> int | None:
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _is_busy(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    code = _sqlite_code(orig)
    if code is not None:
        return code in _BUSY_CODES
    text = str(orig)
    return "locked" in text or "busy" in text


def storage_error(exc: BaseException, path: Path) -> StorageError:
    """A database failure as one plain sentence naming ``path``; never the SQL, never the
    parameters (SQLAlchemy's ``str(exc)`` has both)."""
    if _is_busy(exc):
        return StorageError(BUSY_MESSAGE, where=str(path), code="busy")
    code = _sqlite_code(exc)
    if code is not None and code in _REMEDIES:
        kind, text = _REMEDIES[code]
        return StorageError(text, where=str(path), code=kind)
    orig = getattr(exc, "orig", exc)
    name = getattr(orig, "sqlite_errorname", None) or type(orig).__name__
    if code == sqlite3.SQLITE_CONSTRAINT:
        return StorageError(f"the database refused the change ({name}); nothing was saved",
                            where=str(path), code="constraint")
    return StorageError(f"the database could not be used ({name}); try again, and if it "
                        "persists check the drive or restore a backup", where=str(path))
