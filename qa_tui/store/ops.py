"""What ``qa-tui db check`` and ``qa-tui db upgrade`` report about a store, on either engine.

Kept apart from db.py and pg.py: it only reads through each store's public face (its schema
version, its own checks, the row counts), so both engines answer the same questions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qa_tui.store import precheck
from qa_tui.store.db import Store, open_store
from qa_tui.store.migrations import SCHEMA_VERSION
from qa_tui.store.url import is_url


def schema_version(store: Store) -> int:
    if store.dialect == "postgresql":
        from qa_tui.store.pg_migrations import schema_version as pg_version

        with store._engine.connect() as conn, conn.begin():  # noqa: SLF001 - same package
            return pg_version(conn, store.location)
    return int(store.pragmas()["user_version"])


def _views(store: Store) -> dict[str, bool]:
    from qa_tui.store.pg_migrations import VIEWS

    with store._engine.connect() as conn:  # noqa: SLF001 - same package
        present = set(conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.views "
            "WHERE table_schema = current_schema()").scalars())
    return {name: name in present for name in VIEWS}


def describe(store: Store) -> dict[str, Any]:
    """Engine, where, schema version (and the one this program writes), problems, row counts;
    on PostgreSQL also whether each BI view is there."""
    problems = list(store.integrity_check())
    with store.read() as uow:
        counts = uow.counts()
    info: dict[str, Any] = {
        "engine": store.dialect,
        "database": store.location,
        "schema_version": schema_version(store),
        "expected_version": SCHEMA_VERSION,
        "problems": problems,
        "counts": counts,
    }
    if store.dialect == "postgresql":
        views = _views(store)
        info["views"] = views
        info["problems"] += [f"view {name} is missing" for name, ok in views.items() if not ok]
    return info


def upgrade(database: Path | str, *, backup_dir: Path | None = None) -> tuple[int, int]:
    """Migrate ``database`` to the current schema explicitly; return (before, after).

    A SQLite file migrates on every open anyway (after a backup copy); a PostgreSQL store only
    here, each step in its own transaction under the write lock, so two upgrades at once are safe.
    """
    before = 0
    if not (isinstance(database, str) and is_url(database)):
        path = Path(database)
        if path.is_file() and path.stat().st_size > 0:
            before = precheck.check_header(path)
    with open_store(database, backup_dir=backup_dir, migrate=True) as store:
        before = getattr(store, "upgraded_from", before)
        return before, schema_version(store)
