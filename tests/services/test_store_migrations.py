"""Schema migrations on real files: an old database is backed up, then brought forward
without losing a row, and the SQLModel tables agree with the schema the migrations build."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from qa_tui.store import APPLICATION_ID, SCHEMA_VERSION, open_store
from qa_tui.store import migrations as migrations_module
from qa_tui.store.migrations import apply_migrations

ID = "0f8e2b9c-1d4a-4c3e-9b7a-5e6f7a8b9c0d"
BACKUP_NAME = re.compile(r"^qa-tui\.v1\.\d{8}T\d{6}Z\.sqlite3$")


def build_v1(path: Path) -> None:
    """A database as the first release left it, with one of everything in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert apply_migrations(conn, up_to=1) == 1
        conn.execute(
            "INSERT INTO assessment VALUES (?, 'cqc-safe', '1.0.0', 'sha256:00', '{}', "
            "'St Elsewhere', 'RTD', 'Ward 7', 'visit', '[\"Ada\",\"Zoë\"]', '2024-04-30', "
            "'complete', '2024-05-01T09:30:00.123456Z', '2024-05-01T10:00:00.000001Z', "
            "'2024-05-01T10:00:00.000001Z', 4)",
            (ID,),
        )
        conn.execute(
            "INSERT INTO answer VALUES (?, 'q1', '[1,\"two\"]', 0, 'seen ✓', "
            "'2024-05-01T09:31:00.000000Z', 'ada')",
            (ID,),
        )
        conn.execute(
            "INSERT INTO action VALUES ('act-1', ?, NULL, 'Fix it', 'Matron', '2024-06-01', "
            "'high', 'open', '2024-05-01T09:32:00.000000Z', '2024-05-01T09:32:00.000000Z', NULL)",
            (ID,),
        )
        conn.execute(
            "INSERT INTO event (assessment_id, at, actor, kind, target, old, new) "
            "VALUES (?, '2024-05-01T09:31:00.000000Z', 'ada', 'answer', 'q1', NULL, '3')",
            (ID,),
        )
    finally:
        conn.close()


def version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_v1_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "qa-tui.sqlite3"
    build_v1(path)
    backups = tmp_path / "backups"
    with open_store(path, backup_dir=backups) as store:
        assert store.pragmas()["user_version"] == SCHEMA_VERSION
        assert store.pragmas()["application_id"] == APPLICATION_ID
        assert store.pragmas()["journal_mode"] == "wal"
        with store.read() as uow:
            rec = uow.get_assessment(ID)
            answers = uow.get_answers(ID)
            actions = uow.get_actions(ID)
            events = uow.events(ID)
    assert rec is not None
    assert rec.assessors == ("Ada", "Zoë") and rec.revision == 4 and rec.org_code == "RTD"
    assert rec.created_at == dt.datetime(2024, 5, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)
    assert rec.completed_at == dt.datetime(2024, 5, 1, 10, 0, 0, 1, tzinfo=dt.UTC)
    assert (rec.synced_revision, rec.origin, rec.deleted_at) == (None, "local", None)
    assert answers["q1"].value == [1, "two"] and answers["q1"].note == "seen ✓"
    assert [a.id for a in actions] == ["act-1"] and actions[0].due_date == dt.date(2024, 6, 1)
    assert [(e.kind, e.new) for e in events] == [("answer", 3)]

    [backup] = list(backups.iterdir())
    assert BACKUP_NAME.match(backup.name), backup.name
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert version_of(backup) == 1
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT id FROM assessment").fetchall() == [(ID,)]
    finally:
        conn.close()


def test_backup_goes_next_to_the_database_by_default(tmp_path: Path) -> None:
    path = tmp_path / "qa-tui.sqlite3"
    build_v1(path)
    open_store(path).close()
    names = {p.name for p in tmp_path.iterdir()}
    [backup] = names - {"qa-tui.sqlite3"}
    assert len(names) == 2 and BACKUP_NAME.match(backup), names
    open_store(path).close()  # already current: no second backup
    assert len(list(tmp_path.iterdir())) == 2


def test_v2_adds_the_append_only_triggers(tmp_path: Path) -> None:
    path = tmp_path / "qa-tui.sqlite3"
    build_v1(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE event SET actor = 'allowed in v1'")  # nothing guarded it yet
    conn.commit()
    conn.close()
    open_store(path).close()
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE event SET actor = 'mallory'")
    finally:
        conn.close()


def test_a_failing_step_leaves_the_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "qa-tui.sqlite3"
    build_v1(path)
    broken = {**migrations_module.MIGRATIONS}
    broken[2] = (*broken[2], "CREATE TABLE assessment (oops TEXT)")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", broken)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="already exists"):
            apply_migrations(conn)
        assert not conn.in_transaction
        assert int(conn.execute("PRAGMA user_version").fetchone()[0]) == 1
        columns = {row[1] for row in conn.execute("PRAGMA table_info(assessment)")}
        assert "synced_revision" not in columns
    finally:
        conn.close()


def test_apply_migrations_is_idempotent_and_bounded(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    try:
        assert apply_migrations(conn) == SCHEMA_VERSION
        assert apply_migrations(conn) == SCHEMA_VERSION
        with pytest.raises(ValueError):
            apply_migrations(conn, up_to=SCHEMA_VERSION + 1)
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["new", "migrated from v1"])
def test_models_match_the_migrated_schema(tmp_path: Path, how: str) -> None:
    path = tmp_path / "qa-tui.sqlite3"
    if how != "new":
        build_v1(path)
    open_store(path).close()
    conn = sqlite3.connect(path)
    try:
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        assert tables == set(SQLModel.metadata.tables)
        for name, table in SQLModel.metadata.tables.items():
            info = conn.execute(f"PRAGMA table_info({name})").fetchall()
            actual = {row[1]: (bool(row[3]), row[5] > 0) for row in info}
            expected = {c.name: (not c.nullable, c.primary_key) for c in table.columns}
            assert actual == expected, name
            indexes = {row[1] for row in conn.execute(f"PRAGMA index_list({name})")}
            assert {index.name for index in table.indexes} <= indexes, name
            fks = {
                (row[3], row[2], row[4], row[6])
                for row in conn.execute(f"PRAGMA foreign_key_list({name})")
            }
            expected_fks = {
                (fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete or "NO ACTION")
                for fk in table.foreign_keys
            }
            assert fks == expected_fks, name
    finally:
        conn.close()


def test_a_v2_database_gains_an_empty_summary_and_keeps_its_rows(tmp_path: Path) -> None:
    """Schema v3 adds ``assessment.summary`` (the provider report's summary paragraph)."""
    path = tmp_path / "qa-tui.sqlite3"
    build_v1(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert apply_migrations(conn, up_to=2) == 2
        assert "summary" not in {row[1] for row in conn.execute("PRAGMA table_info(assessment)")}
    finally:
        conn.close()
    store = open_store(path)
    try:
        assert store.pragmas()["user_version"] == SCHEMA_VERSION >= 3
        with store.read() as tx:
            rec = tx.get_assessment(ID)
        assert rec is not None and rec.summary == "" and rec.revision == 4
        assert rec.assessors == ("Ada", "Zoë")
    finally:
        store.close()
    assert len(list(tmp_path.glob("qa-tui.v2.*.sqlite3"))) == 1  # backed up before the step


def test_a_v3_database_gains_perspective_from_the_kind_and_keeps_every_row(
        tmp_path: Path) -> None:
    """Schema v4 adds the perspective (derived from the template kind for existing rows) and
    the review columns (empty), without losing a row of any table."""
    path = tmp_path / "qa-tui.sqlite3"
    build_v1(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert apply_migrations(conn, up_to=3) == 3
        conn.execute(
            "INSERT INTO assessment (id, template_id, template_version, template_hash, "
            "template_snapshot, org_name, org_code, site, kind, assessors, visit_date, status, "
            "created_at, updated_at, completed_at, revision, summary) SELECT "
            "'1f8e2b9c-1d4a-4c3e-9b7a-5e6f7a8b9c0d', template_id, template_version, "
            "template_hash, template_snapshot, 'Self Trust', org_code, site, 'self-assessment', "
            "assessors, visit_date, 'draft', created_at, updated_at, NULL, 2, 'A summary' "
            "FROM assessment")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("assessment", "answer", "action", "event")}
    finally:
        conn.close()
    store = open_store(path)
    try:
        assert store.pragmas()["user_version"] == SCHEMA_VERSION >= 4
        with store.read() as tx:
            visit = tx.get_assessment(ID)
            own = tx.get_assessment("1f8e2b9c-1d4a-4c3e-9b7a-5e6f7a8b9c0d")
            assert len(tx.get_answers(ID)) == 1 and len(tx.get_actions(ID)) == 1
            assert len(tx.events(ID)) == 1
        assert visit is not None and own is not None
        assert (visit.perspective, own.perspective) == ("icb", "self")
        assert (visit.review_state, visit.reviewer, visit.reviewed_at, visit.review_note) == (
            None, None, None, "")
        assert own.summary == "A summary" and visit.revision == 4 and own.revision == 2
    finally:
        store.close()
    conn = sqlite3.connect(path)
    try:
        assert counts == {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("assessment", "answer", "action", "event")}
    finally:
        conn.close()
    assert len(list(tmp_path.glob("qa-tui.v3.*.sqlite3"))) == 1  # backed up before the step
