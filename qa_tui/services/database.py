"""Operating the database itself: ``qa-tui db upgrade`` and ``qa-tui db check``.

On a shared PostgreSQL server only ``upgrade`` changes the schema (ordinary commands refuse an
old one and say to run it); on a SQLite file it does what every open does. ``check`` reports the
engine, where (password masked), the schema version and the row counts, and any problem.
"""

from __future__ import annotations

from typing import Any

from qa_tui.config import Paths
from qa_tui.store import open_store, ops


def upgrade_database(paths: Paths) -> dict[str, Any]:
    before, after = ops.upgrade(paths.database, backup_dir=paths.backup_dir)
    with open_store(paths.database, backup_dir=paths.backup_dir) as store:
        where = store.location
    return {"database": where, "from_version": before, "to_version": after}


def check_database(paths: Paths) -> dict[str, Any]:
    with open_store(paths.database, backup_dir=paths.backup_dir) as store:
        return ops.describe(store)
