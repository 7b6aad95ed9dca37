"""Check a database that has a live ``-wal`` without changing it: look at a private copy.

An ``immutable`` read ignores the ``-wal`` file, so it misses the newest committed answers (a
restore would silently drop them) and may call a half-checkpointed file damaged. A normal open
reads the WAL, but closing the last connection checkpoints it into the main file and deletes
it: a database we then refuse as damaged would no longer be the file the person had. So the
file and its ``-wal`` are copied, byte for byte, into a fresh private folder and the *copy* is
opened normally; the original is only ever read with ``open()``.

A copy taken while another program checkpoints could mix two states; the sizes and times of
both files are compared before and after copying and the copy is taken again if they moved.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qa_tui.safefile import NotReadable, check_regular
from qa_tui.store import precheck
from qa_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION, apply_migrations

_ATTEMPTS = 5


def _state(path: Path) -> tuple[tuple[int, int], ...]:
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(p)
            out.append((info.st_size, info.st_mtime_ns))
        except FileNotFoundError:
            out.append((-1, 0))
    return tuple(out)


def _copy(source: Path, target: Path) -> None:
    check_regular(source)
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)


@contextmanager
def private_copy(path: Path) -> Iterator[sqlite3.Connection]:
    """A normal (WAL-reading) connection to a private copy of ``path`` and its ``-wal``."""
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    with tempfile.TemporaryDirectory(prefix="qa-tui-check-") as folder:  # created 0700
        copy = Path(folder) / "copy.sqlite3"
        for _ in range(_ATTEMPTS):
            before = _state(path)
            try:
                _copy(path, copy)
                if wal.exists():
                    _copy(wal, copy.with_name(copy.name + "-wal"))
                else:
                    copy.with_name(copy.name + "-wal").unlink(missing_ok=True)
            except (OSError, NotReadable) as exc:
                text = exc.message if isinstance(exc, NotReadable) else \
                    (exc.strerror or precheck.one_line(exc))
                raise precheck.refuse(path, f"cannot be read ({text})") from None
            if _state(path) == before:
                break
        else:
            raise precheck.refuse(path, "kept changing while it was being checked (another "
                                        "program is writing to it); try again")
        conn = sqlite3.connect(str(copy))
        try:
            yield conn
        finally:
            conn.close()


def check_copy(conn: sqlite3.Connection, path: Path) -> int:
    """Ours, not newer, intact (``quick_check``); return its schema version."""
    try:
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        lines = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise precheck.refuse(
            path, f"is damaged (integrity check failed: {precheck.one_line(exc)})") from None
    if application_id != APPLICATION_ID:
        raise precheck.refuse(path, "not a qa-tui database (an SQLite file of another program)")
    precheck.check_version(path, version)
    problem = precheck.first_problem(lines)
    if problem is not None:
        raise precheck.refuse(path, f"is damaged (integrity check failed: {problem})")
    return version


def check_with_wal(path: Path) -> int:
    """:func:`check_copy` on a private copy of ``path`` and its live ``-wal``: the original
    and its ``-wal`` are left byte for byte as they were, whatever the verdict."""
    with private_copy(path) as conn:
        return check_copy(conn, path)


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return sorted((str(t), str(n), str(tb), " ".join(str(sql or "").split()))
                  for t, n, tb, sql in rows)


def expected_schema(version: int) -> list[tuple[str, str, str, str]]:
    """Tables, indexes, triggers and views of a database freshly created at ``version``."""
    fresh = sqlite3.connect(":memory:")
    try:
        apply_migrations(fresh, up_to=version)
        return _schema(fresh)
    finally:
        fresh.close()


def check_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a database whose schema is not exactly the one qa-tui creates at ``version``:
    an extra trigger or view could delete answers or rewrite events after a restore."""
    if not 1 <= version <= SCHEMA_VERSION:
        raise precheck.refuse(path, "not a qa-tui database (it has no schema)")
    have, want = _schema(conn), expected_schema(version)
    if have == want:
        return
    extra = sorted({(t, n) for t, n, _, _ in have} - {(t, n) for t, n, _, _ in want})
    missing = sorted({(t, n) for t, n, _, _ in want} - {(t, n) for t, n, _, _ in have})
    if extra:
        what = f"it has an extra {extra[0][0]} {extra[0][1]!r}"
    elif missing:
        what = f"its {missing[0][0]} {missing[0][1]!r} is missing"
    else:
        changed = next(n for (row, other) in zip(have, want, strict=False) if row != other
                       for n in [row[1]])
        what = f"its definition of {changed!r} differs"
    raise precheck.refuse(path, f"does not have exactly the qa-tui schema v{version} ({what}); "
                                "refused")
