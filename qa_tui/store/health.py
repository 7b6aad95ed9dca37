"""A look at a database file for ``qa-tui doctor``, changing nothing.

A missing file is not created, an older schema is not upgraded, and a file that is not ours is
only read. A current database is opened the ordinary way (so the pragmas reported are the ones
every write runs with) and given SQLite's full ``integrity_check``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_tui.errors import QaError
from qa_tui.store import precheck
from qa_tui.store.db import open_store
from qa_tui.store.migrations import SCHEMA_VERSION


@dataclass
class DatabaseHealth:
    """What ``doctor`` says about the database; ``problem`` set means it is not usable."""

    path: str
    exists: bool
    size_bytes: int | None = None
    schema_version: int | None = None
    pragmas: dict[str, Any] = field(default_factory=dict)
    integrity: str | None = None
    """``"ok"``, the first problem SQLite found, or ``None`` when not checked."""
    note: str | None = None
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "exists": self.exists, "size_bytes": self.size_bytes,
                "schema_version": self.schema_version, "pragmas": self.pragmas,
                "integrity": self.integrity, "note": self.note, "problem": self.problem}


def sqlite_version() -> str:
    return sqlite3.sqlite_version


def check_database(path: Path) -> DatabaseHealth:
    """The state of the database at ``path``, without creating, upgrading or changing it."""
    health = DatabaseHealth(str(path), exists=path.exists())
    if not health.exists:
        health.note = "no database yet: it is created on first use"
        return health
    try:
        health.size_bytes = path.stat().st_size
        if health.size_bytes == 0:
            health.note = "an empty file: it becomes the database on first use"
            return health
        health.schema_version = precheck.check_header(path)
        if health.schema_version < SCHEMA_VERSION:
            precheck.check_integrity_readonly(path)
            health.integrity = "ok (quick check)"
            health.note = (f"schema v{health.schema_version}: upgraded to v{SCHEMA_VERSION} "
                           "on the next start, after a backup")
            return health
        with open_store(path) as store:
            health.pragmas = store.pragmas()
            problems = store.integrity_check()
        health.integrity = "ok" if not problems else problems[0]
        if problems:
            health.problem = f"integrity check failed: {problems[0]}"
    except QaError as exc:
        health.problem = exc.message
    except (OSError, sqlite3.Error) as exc:
        health.problem = f"cannot be read ({precheck.one_line(exc)})"
    return health
