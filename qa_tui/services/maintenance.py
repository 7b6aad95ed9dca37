"""Backups and restores of the local database: consistent copies, checked before use.

A backup is taken with SQLite's backup API, so it is one consistent snapshot even while the app
is open in another window. A restore first vets the file, then keeps a safety copy of the current
database, so a restore can itself be undone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qa_tui.config import Paths
from qa_tui.store import Store, open_store


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def backup(store: Store, paths: Paths, dest: Path | None = None, *,
           now: dt.datetime | None = None) -> Path:
    """Write a backup; ``dest`` may be a file name, a folder, or None for the backups folder."""
    moment = now or dt.datetime.now(dt.UTC)
    name = f"qa-tui-backup-{_stamp(moment)}.sqlite3"
    if dest is None:
        target = paths.backup_dir / name
    elif dest.is_dir():
        target = dest / name
    else:
        target = dest
    return store.backup_to(target)


def restore(store: Store, paths: Paths, source: Path, *,
            now: dt.datetime | None = None) -> tuple[Store, Path]:
    """Replace the database with ``source``; return the reopened store and the safety copy."""
    moment = now or dt.datetime.now(dt.UTC)
    safety = paths.backup_dir / f"qa-tui-before-restore-{_stamp(moment)}.sqlite3"
    # The safety copy is taken only once the source has passed every check, so a refused
    # restore leaves nothing behind.
    store.restore_from(source, before_replace=lambda: store.backup_to(safety))
    store.close()
    # Reopening runs any migrations the restored file needs (after its own backup copy).
    return open_store(store.path, backup_dir=paths.backup_dir), safety
