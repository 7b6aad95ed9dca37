"""The schema, as frozen steps of SQL keyed by the version they produce.

Never generate these from the SQLModel metadata: a step that has shipped must mean the same
thing forever, or an old database would be migrated into a schema nobody tested. To change the
schema, append a step and bump ``SCHEMA_VERSION``; ``models.py`` follows the new shape.
Each step runs in one transaction together with its ``user_version`` bump, so a crash leaves
the database at the old version or the new one, never between.

The same steps migrate a PostgreSQL central store (``pg_migrations.py``): a step written in
portable SQL (``ALTER TABLE ... ADD COLUMN``, ``CREATE INDEX``) runs there unchanged, so adding
it here is the whole change; only a step whose SQL differs also adds its spelling to
``pg_migrations.PG_STEPS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping

from qa_tui.store import summaries

SCHEMA_VERSION = 7
"""The ``PRAGMA user_version`` this program writes and the newest it can open."""

APPLICATION_ID = 0x51415455
"""``PRAGMA application_id`` ("QATU"): tells our files apart from other programs' SQLite files."""

_V1: tuple[str, ...] = (
    """CREATE TABLE assessment (
        id TEXT NOT NULL PRIMARY KEY,
        template_id TEXT NOT NULL,
        template_version TEXT NOT NULL,
        template_hash TEXT NOT NULL,
        template_snapshot TEXT NOT NULL,
        org_name TEXT NOT NULL,
        org_code TEXT,
        site TEXT NOT NULL,
        kind TEXT NOT NULL,
        assessors TEXT NOT NULL,
        visit_date TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT,
        revision INTEGER NOT NULL
    )""",
    """CREATE TABLE answer (
        assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        value TEXT,
        na BOOLEAN NOT NULL,
        note TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (assessment_id, question_id)
    )""",
    """CREATE TABLE action (
        id TEXT NOT NULL PRIMARY KEY,
        assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        question_id TEXT,
        description TEXT NOT NULL,
        owner TEXT NOT NULL,
        due_date TEXT,
        priority TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT
    )""",
    "CREATE INDEX ix_action_assessment_id ON action (assessment_id)",
    """CREATE TABLE event (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        old TEXT,
        new TEXT
    )""",
    "CREATE INDEX ix_event_assessment_id ON event (assessment_id)",
)

_V2: tuple[str, ...] = (
    "ALTER TABLE assessment ADD COLUMN synced_revision INTEGER",
    "ALTER TABLE assessment ADD COLUMN origin TEXT NOT NULL DEFAULT 'local'",
    "ALTER TABLE assessment ADD COLUMN deleted_at TEXT",
    "CREATE INDEX ix_assessment_updated_at ON assessment (updated_at)",
    # The audit log is append-only. DELETE is allowed only once the assessment row is gone,
    # which is exactly the ON DELETE CASCADE of a purge (SQLite runs the cascade after the
    # parent row is deleted).
    """CREATE TRIGGER event_no_update BEFORE UPDATE ON event
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
    END""",
    """CREATE TRIGGER event_no_delete BEFORE DELETE ON event
    WHEN EXISTS (SELECT 1 FROM assessment WHERE id = OLD.assessment_id)
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
    END""",
)

_V3: tuple[str, ...] = (
    # The assessor's one-paragraph summary for the provider report ('' until written).
    "ALTER TABLE assessment ADD COLUMN summary TEXT NOT NULL DEFAULT ''",
)

_V4_FOLLOWUP: tuple[str, ...] = (
    # Follow-up visits and the action lifecycle (issue 12). Portable DDL only (no
    # AUTOINCREMENT, no SQLite-only types): the PostgreSQL store runs these steps unchanged.
    # The predecessor is a plain id, not a foreign key: it may live only in another database
    # (a follow-up of an imported return whose predecessor was never imported here).
    "ALTER TABLE assessment ADD COLUMN follows TEXT",
    "CREATE INDEX ix_assessment_follows ON assessment (follows)",
    # Where a carried action came from (both NULL for an action raised on this visit).
    "ALTER TABLE action ADD COLUMN carried_from_assessment TEXT",
    "ALTER TABLE action ADD COLUMN carried_from_action TEXT",
    # Updates to an action after its assessment was completed, and reviews of carried
    # actions: what the return's ``action_updates`` carries. ``seq`` orders them (no
    # AUTOINCREMENT, which PostgreSQL does not know).
    """CREATE TABLE action_update (
        id TEXT NOT NULL PRIMARY KEY,
        assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        action_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        status TEXT NOT NULL,
        outcome TEXT,
        note TEXT NOT NULL
    )""",
    "CREATE INDEX ix_action_update_assessment_id ON action_update (assessment_id)",
)

_V5_REVIEW: tuple[str, ...] = (
    # Whose view an assessment gives (self, icb or peer); existing rows take it from the
    # template kind, as returns without the key do. Portable DDL and DML only: the PostgreSQL
    # store runs these statements unchanged.
    "ALTER TABLE assessment ADD COLUMN perspective TEXT NOT NULL DEFAULT 'icb'",
    "UPDATE assessment SET perspective = 'self' WHERE kind = 'self-assessment'",
    # The second reviewer's decision on a completed assessment: approved or returned (NULL:
    # not reviewed), who, when, and the note or the reason for returning it.
    "ALTER TABLE assessment ADD COLUMN review_state TEXT",
    "ALTER TABLE assessment ADD COLUMN reviewer TEXT",
    "ALTER TABLE assessment ADD COLUMN reviewed_at TEXT",
    "ALTER TABLE assessment ADD COLUMN review_note TEXT NOT NULL DEFAULT ''",
)

_V6_GROUPS: tuple[str, ...] = (
    # Repeating groups (issue 17): how many rows each group of the assessment has, as a JSON
    # object {"RISK": 3}. The rows' answers are ordinary answer rows keyed "RISK[2].DESC".
    # Portable DDL: the PostgreSQL store runs it unchanged.
    "ALTER TABLE assessment ADD COLUMN row_counts TEXT NOT NULL DEFAULT '{}'",
)

_SNAPSHOT_TABLE = """CREATE TABLE template_snapshot (
        hash TEXT NOT NULL PRIMARY KEY,
        snapshot TEXT NOT NULL
    )"""
_SUMMARY_TABLE = """CREATE TABLE assessment_summary (
        assessment_id TEXT NOT NULL PRIMARY KEY REFERENCES assessment (id) ON DELETE CASCADE,
        template_title TEXT NOT NULL,
        answered INTEGER NOT NULL,
        total INTEGER NOT NULL,
        progress_pct INTEGER NOT NULL,
        rating TEXT,
        rating_words TEXT NOT NULL,
        escalations TEXT NOT NULL,
        coverage_pct INTEGER NOT NULL,
        provisional BOOLEAN NOT NULL
    )"""

SUMMARY_STEP = 7
"""The step of ``_V7_SUMMARY`` (after step 6, the repeating groups' row counts).
MIGRATIONS, DATA_STEPS and pg_migrations.PG_STEPS all key by it."""

_V7_SUMMARY: tuple[str, ...] = (
    # Issue 20 (see SUMMARY_STEP for its number).
    # Each template snapshot once, keyed by the SHA-256 of its text (qa_sha256 is registered
    # by the data step below; the PostgreSQL spelling computes it in SQL), instead of a ~26 KB
    # copy in every assessment row.
    _SNAPSHOT_TABLE,
    "ALTER TABLE assessment ADD COLUMN snapshot_hash TEXT REFERENCES template_snapshot (hash)",
    "INSERT OR IGNORE INTO template_snapshot (hash, snapshot) "
    "SELECT qa_sha256(template_snapshot), template_snapshot FROM assessment",
    "UPDATE assessment SET snapshot_hash = qa_sha256(template_snapshot)",
    # Emptied rather than dropped: DROP COLUMN needs SQLite 3.35, newer than some Linux
    # Pythons link against (RHEL 9: 3.34). Every new row writes '' here.
    "UPDATE assessment SET template_snapshot = ''",
    # What Home and ``list`` show of each assessment's answers, kept on every write (the data
    # step fills it for the assessments already there): a listing never rescores.
    _SUMMARY_TABLE,
)

MIGRATIONS: Mapping[int, tuple[str, ...]] = {
    1: _V1, 2: _V2, 3: _V3, 4: _V4_FOLLOWUP, 5: _V5_REVIEW, 6: _V6_GROUPS,
    SUMMARY_STEP: _V7_SUMMARY,
}
"""Statements that take a database from version ``n - 1`` to version ``n``."""

DATA_STEPS: Mapping[int, Callable[[summaries.Run], object]] = {
    SUMMARY_STEP: summaries.fill_all,
}
"""Python run after a step's statements, in its transaction, on both engines: data the SQL
cannot compute (a summary needs the template's scoring rules)."""


def _sha256(text: str | None) -> str | None:
    return None if text is None else summaries.snapshot_key(text)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def apply_migrations(conn: sqlite3.Connection, *, up_to: int = SCHEMA_VERSION) -> int:
    """Bring the database on ``conn`` up to version ``up_to``; return the version reached.

    Each step takes the write lock first (``BEGIN IMMEDIATE``) and re-reads the version inside
    it, so two programs opening one new file at once cannot both apply a step. The caller takes
    the backup copy; this only changes the schema.
    """
    if not 0 <= up_to <= SCHEMA_VERSION:
        raise ValueError(f"no schema version {up_to} (this program knows up to {SCHEMA_VERSION})")
    saved = conn.isolation_level
    conn.isolation_level = None  # we issue BEGIN/COMMIT ourselves
    try:
        conn.create_function("qa_sha256", 1, _sha256, deterministic=True)
        for target in range(1, up_to + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if user_version(conn) < target:
                    for statement in MIGRATIONS[target]:
                        conn.execute(statement)
                    if target in DATA_STEPS:
                        DATA_STEPS[target](lambda sql, params: conn.execute(sql, params))
                    if target == 1:
                        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return user_version(conn)
    finally:
        conn.isolation_level = saved
