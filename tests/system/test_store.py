"""The storage layer on real files: settings, round trips, queries, the audit log, refusals
and locking. Migrations have their own module (test_store_migrations.py)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from qa_tui.errors import DatabaseRefused, NotFound, QaError
from qa_tui.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    ActionRecord,
    AnswerRecord,
    AssessmentRecord,
    EventRecord,
    Store,
    open_store,
)
from qa_tui.store import db as db_module
from qa_tui.store.db import BUSY_MESSAGE

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, 9, 30, 0, 123456, tzinfo=UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def assessment(**changes: object) -> AssessmentRecord:
    rec = AssessmentRecord(
        id=str(uuid.uuid4()),
        template_id="cqc-safe",
        template_version="1.2.0",
        template_hash="sha256:" + "ab" * 32,
        template_snapshot='{"questions":[]}',
        org_name="St Elsewhere NHS Trust",
        org_code="RTD",
        site="Ward 7",
        kind="visit",
        assessors=("Ada Lovelace", "Zoë Ødegård"),
        visit_date=dt.date(2024, 4, 30),
        status="draft",
        created_at=T0,
        updated_at=T0,
    )
    return replace(rec, **changes)  # type: ignore[arg-type]


def answer(assessment_id: str, question_id: str, value: object, **changes: object) -> AnswerRecord:
    rec = AnswerRecord(
        assessment_id=assessment_id,
        question_id=question_id,
        value=value,
        na=False,
        note="",
        updated_at=T0,
        updated_by="ada",
    )
    return replace(rec, **changes)  # type: ignore[arg-type]


def action(assessment_id: str, **changes: object) -> ActionRecord:
    rec = ActionRecord(
        id=str(uuid.uuid4()),
        assessment_id=assessment_id,
        question_id="q1",
        description="Fix the hand-gel dispensers",
        owner="Ward manager",
        due_date=dt.date(2024, 6, 1),
        priority="high",
        status="open",
        created_at=T0,
        updated_at=T0,
    )
    return replace(rec, **changes)  # type: ignore[arg-type]


def event(assessment_id: str, kind: str = "answer", **changes: object) -> EventRecord:
    rec = EventRecord(
        id=None,
        assessment_id=assessment_id,
        at=T0,
        actor="ada",
        kind=kind,
        target="q1",
        old=None,
        new=3,
    )
    return replace(rec, **changes)  # type: ignore[arg-type]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "qa-tui.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, db_path: Path) -> Path | str:
    """The same store suite on both engines: a SQLite file, or a fresh PostgreSQL database
    with the current schema (the session's throwaway cluster, see conftest.py)."""
    if request.param == "sqlite":
        return db_path
    return str(request.getfixturevalue("pg_store_url"))


@pytest.fixture
def store(location: Path | str) -> Iterator[Store]:
    with open_store(location) as opened:
        yield opened


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """For what only a SQLite file has: pragmas, the file's mode, the backup API."""
    with open_store(db_path) as opened:
        yield opened


class RawConnection:
    """A plain driver connection beside the store (another program, or a second window)."""

    def __init__(self, location: Path | str) -> None:
        self.is_pg = isinstance(location, str)
        if self.is_pg:
            import psycopg

            self.conn = psycopg.connect(str(location).replace("postgresql://", "postgresql://", 1))
            self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        else:
            self.conn = sqlite3.connect(location, isolation_level=None)
            self.errors = (sqlite3.Error,)

    def execute(self, sql: str, *params: object) -> None:
        if self.is_pg:
            sql = sql.replace("?", "%s")
        self.conn.execute(sql, params)

    def hold_write_lock(self) -> None:
        """Take the write lock the way a qa-tui writer does, and keep it."""
        if self.is_pg:
            from qa_tui.store.pg_migrations import LOCK_KEY

            self.conn.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
        else:
            self.conn.execute("BEGIN IMMEDIATE")
        self.execute("UPDATE assessment SET revision = revision + 1")

    def rollback(self) -> None:
        if self.is_pg or self.conn.in_transaction:
            self.conn.execute("ROLLBACK") if not self.is_pg else self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- opening and settings --------------------------------------------------------------------


def test_pragmas_in_force(sqlite_store: Store) -> None:
    store = sqlite_store
    assert store.pragmas() == {
        "journal_mode": "wal",
        "synchronous": 2,
        "fullfsync": 1,
        "foreign_keys": 1,
        "busy_timeout": 10_000,
        "user_version": SCHEMA_VERSION,
        "application_id": APPLICATION_ID,
    }
    assert store.integrity_check() == []


def test_new_files_are_private_whatever_the_umask(db_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        with open_store(db_path) as opened, opened.write() as uow:
            uow.insert_assessment(assessment())
            wal = db_path.with_name(db_path.name + "-wal")
            shm = db_path.with_name(db_path.name + "-shm")
            assert wal.exists() and shm.exists()
            assert (mode(db_path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        os.umask(old_umask)
    assert mode(db_path.parent) == 0o700


def test_zero_length_file_is_treated_as_new(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.touch()
    with open_store(db_path) as opened:
        assert opened.pragmas()["user_version"] == SCHEMA_VERSION
        assert opened.path == db_path
    assert mode(db_path) == 0o600


def test_reopening_keeps_the_data(location: Path | str, db_path: Path) -> None:
    rec = assessment()
    with open_store(location) as opened, opened.write() as uow:
        uow.insert_assessment(rec)
    with open_store(location) as opened, opened.read() as uow:
        assert uow.get_assessment(rec.id) == rec
    if location == db_path:
        assert sorted(os.listdir(db_path.parent)) == [db_path.name]  # no backup: nothing migrated


def test_closed_store_refuses_work(location: Path | str) -> None:
    opened = open_store(location)
    opened.close()
    with pytest.raises(RuntimeError), opened.read():
        pass


# -- round trips -----------------------------------------------------------------------------


def test_assessment_round_trips_exactly(store: Store) -> None:
    full = assessment(
        template_snapshot='{"x":"' + "é" * 50_000 + '"}',
        completed_at=dt.datetime(2024, 5, 2, 23, 59, 59, 999999, tzinfo=UTC),
        revision=7,
        synced_revision=5,
        origin="import",
        deleted_at=at(1.000001),
        status="complete",
    )
    bare = assessment(org_code=None, assessors=(), site="")
    # An aware time in another zone is the same instant; it comes back in UTC.
    zoned = assessment(
        created_at=dt.datetime(2024, 5, 1, 11, 30, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    )
    with store.write() as uow:
        for rec in (full, bare, zoned):
            uow.insert_assessment(rec)
    with store.read() as uow:
        assert uow.get_assessment(full.id) == full
        assert uow.get_assessment(bare.id) == bare
        back = uow.get_assessment(zoned.id)
        assert uow.get_assessment("no-such-id") is None
    assert back is not None
    assert back.created_at == zoned.created_at
    assert back.created_at.tzinfo == UTC and back.created_at.microsecond == 1


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"), store.write() as uow:
        uow.insert_assessment(assessment(created_at=dt.datetime(2024, 5, 1, 9, 30)))


@pytest.mark.parametrize(
    "value",
    [
        None,
        0,
        3,
        -2.5,
        1e-300,
        True,
        False,
        "Ja",
        "naïve ✓ 患者",
        [],
        [1, "two", None],
        {"k": [1, {"n": None}], "é": 1.5},
    ],
)
def test_answer_values_round_trip(store: Store, value: object) -> None:
    owner = assessment()
    rec = answer(
        owner.id, "q1", value, note="Seen on the ward.\nTwo lines — ✓ 🙂", na=value is None
    )
    with store.write() as uow:
        uow.insert_assessment(owner)
        uow.put_answer(rec)
    with store.read() as uow:
        back = uow.get_answer(owner.id, "q1")
    assert back == rec
    assert back is not None and type(back.value) is type(value)


def test_put_answer_is_an_upsert(store: Store) -> None:
    owner = assessment()
    with store.write() as uow:
        uow.insert_assessment(owner)
        uow.put_answer(answer(owner.id, "q1", 1))
        uow.put_answer(answer(owner.id, "q2", "no"))
    second = answer(
        owner.id, "q1", None, na=True, note="n/a here", updated_at=at(5), updated_by="bo"
    )
    with store.write() as uow:
        uow.put_answer(second)
        assert uow.get_answer(owner.id, "q1") == second  # seen inside the same transaction
    with store.read() as uow:
        answers = uow.get_answers(owner.id)
        assert uow.get_answer(owner.id, "zzz") is None
    assert answers == {"q1": second, "q2": answer(owner.id, "q2", "no")}
    with store.write() as uow:
        uow.delete_answer(owner.id, "q1")
    with store.read() as uow:
        assert list(uow.get_answers(owner.id)) == ["q2"]


def test_answer_needs_its_assessment(store: Store) -> None:
    with pytest.raises(Exception, match="(?i)CONSTRAINT_FOREIGNKEY|foreign key"), store.write() as uow:
        uow.put_answer(answer("missing", "q1", 1))


def test_actions_round_trip_upsert_and_order(store: Store) -> None:
    owner = assessment()
    late = action(owner.id, id="b", created_at=at(10))
    tie_b = action(owner.id, id="d", created_at=at(1))
    tie_a = action(owner.id, id="c", created_at=at(1), question_id=None, due_date=None)
    with store.write() as uow:
        uow.insert_assessment(owner)
        for rec in (late, tie_b, tie_a):
            uow.put_action(rec)
    closed = replace(late, status="closed", closed_at=at(20), updated_at=at(20), owner="Matron")
    with store.write() as uow:
        uow.put_action(closed)
    with store.read() as uow:
        assert uow.get_actions(owner.id) == [tie_a, tie_b, closed]
        assert uow.get_action("b") == closed
        assert uow.get_action("nope") is None


def test_update_assessment_writes_every_field(store: Store) -> None:
    rec = assessment()
    with store.write() as uow:
        uow.insert_assessment(rec)
    changed = replace(
        rec,
        org_name="Renamed Trust",
        org_code=None,
        assessors=("Bo",),
        status="complete",
        updated_at=at(60),
        completed_at=at(60),
        revision=2,
        synced_revision=2,
        deleted_at=at(61),
    )
    with store.write() as uow:
        uow.update_assessment(changed)
    with store.read() as uow:
        assert uow.get_assessment(rec.id) == changed
    with pytest.raises(NotFound), store.write() as uow:
        uow.update_assessment(assessment())


def test_list_order_and_deleted_filter(store: Store) -> None:
    old = assessment(id="1" + "0" * 35, updated_at=at(1))
    tie_b = assessment(id="b" + "0" * 35, updated_at=at(5))
    tie_a = assessment(id="a" + "0" * 35, updated_at=at(5))
    newest = assessment(id="2" + "0" * 35, updated_at=at(9))
    gone = assessment(id="3" + "0" * 35, updated_at=at(99), deleted_at=at(99))
    with store.write() as uow:
        for rec in (old, tie_b, gone, tie_a, newest):
            uow.insert_assessment(rec)
    with store.read() as uow:
        assert uow.list_assessments() == [newest, tie_a, tie_b, old]
        assert uow.list_assessments(deleted=True) == [gone]


def test_find_assessment_ids_by_prefix(store: Store) -> None:
    ids = ["ab12" + "0" * 32, "ab34" + "0" * 32, "ac00" + "0" * 32]
    with store.write() as uow:
        uow.insert_assessment(assessment(id=ids[0]))
        uow.insert_assessment(assessment(id=ids[1], deleted_at=at(1)))
        uow.insert_assessment(assessment(id=ids[2]))
    with store.read() as uow:
        assert uow.find_assessment_ids("AB") == [ids[0]]
        assert uow.find_assessment_ids(" ab ", deleted=None) == ids[:2]
        assert uow.find_assessment_ids("ab", deleted=True) == [ids[1]]
        assert uow.find_assessment_ids("", deleted=None) == ids
        assert uow.find_assessment_ids("a%") == []  # no LIKE wildcards
        assert uow.find_assessment_ids("ab12" + "0" * 32) == [ids[0]]


# -- the audit log ---------------------------------------------------------------------------


def test_events_append_and_read_back(store: Store) -> None:
    owner = assessment()
    with store.write() as uow:
        uow.insert_assessment(owner)
        first = uow.add_event(event(owner.id, "create", target="", new={"org": "Ørsted"}))
        second = uow.add_event(event(owner.id, "answer", old=2, new=[1, 2], at=at(1)))
        third = uow.add_event(event(owner.id, "note", old="a", new=None, at=at(2)))
    assert first < second < third
    with store.read() as uow:
        events = uow.events(owner.id)
        assert [e.id for e in events] == [first, second, third]
        assert events[0] == event(owner.id, "create", id=first, target="", new={"org": "Ørsted"})
        assert events[1].old == 2 and events[1].new == [1, 2] and events[1].at == at(1)
        assert uow.last_event(owner.id) == events[2]
        assert uow.last_event(owner.id, kinds={"answer", "create"}) == events[1]
        assert uow.last_event(owner.id, kinds=()) is None
        assert uow.last_event("other") is None


def test_event_log_is_append_only_but_purge_works(store: Store, location: Path | str) -> None:
    doomed, kept = assessment(), assessment()
    with store.write() as uow:
        for rec in (doomed, kept):
            uow.insert_assessment(rec)
            uow.put_answer(answer(rec.id, "q1", 1))
            uow.put_action(action(rec.id))
            uow.add_event(event(rec.id))
    raw = RawConnection(location)
    try:
        with pytest.raises(raw.errors, match="append-only"):
            raw.execute("UPDATE event SET actor = 'mallory'")
        raw.rollback()
        with pytest.raises(raw.errors, match="append-only"):
            raw.execute("DELETE FROM event WHERE assessment_id = ?", doomed.id)
        raw.rollback()
        if raw.is_pg:
            with pytest.raises(raw.errors, match="append-only"):
                raw.execute("TRUNCATE event CASCADE")
            raw.rollback()
    finally:
        raw.close()
    with store.write() as uow:
        uow.purge_assessment(doomed.id)
    with store.read() as uow:
        assert uow.get_assessment(doomed.id) is None
        assert uow.get_answers(doomed.id) == {}
        assert uow.get_actions(doomed.id) == []
        assert uow.events(doomed.id) == []
        assert len(uow.events(kept.id)) == 1 and len(uow.get_actions(kept.id)) == 1
        assert list(uow.get_answers(kept.id)) == ["q1"]


# -- transactions ----------------------------------------------------------------------------


def test_write_rolls_back_on_exception(store: Store) -> None:
    rec = assessment()
    with pytest.raises(ZeroDivisionError), store.write() as uow:
        uow.insert_assessment(rec)
        uow.add_event(event(rec.id))
        1 / 0  # noqa: B018
    with store.read() as uow:
        assert uow.get_assessment(rec.id) is None
        assert uow.list_assessments() == []


def test_write_takes_the_lock_on_entry_and_waits_for_another_store(location: Path | str) -> None:
    """Two windows on one file: the second write() waits at BEGIN IMMEDIATE until the first
    commits, then sees its row. With a deferred BEGIN it would read a stale snapshot and fail
    with "database is locked" when it tried to write."""
    first_rec, second_rec = assessment(), assessment()
    holding = threading.Event()
    trying = threading.Event()
    seen: list[object] = []
    errors: list[BaseException] = []
    with open_store(location) as one, open_store(location) as two:

        def second_window() -> None:
            try:
                holding.wait(5)
                trying.set()  # about to ask for the lock the first window holds
                with two.write() as uow:
                    seen.append(time.monotonic())
                    seen.append(uow.get_assessment(first_rec.id))
                    uow.insert_assessment(second_rec)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        worker = threading.Thread(target=second_window)
        worker.start()
        with one.write() as uow:
            uow.insert_assessment(first_rec)
            holding.set()
            trying.wait(30)  # the second window is on its way: it can only get in after this
            committed_before = time.monotonic()
        worker.join(10)
        assert not errors
        assert seen[0] >= committed_before  # type: ignore[operator]
        assert seen[1] == first_rec
        with one.read() as uow:
            assert {r.id for r in uow.list_assessments()} == {first_rec.id, second_rec.id}


def test_busy_is_reported_plainly_and_reads_are_not_blocked(location: Path | str) -> None:
    with open_store(location, busy_timeout=0.2) as opened:
        with opened.write() as uow:
            uow.insert_assessment(assessment())
        other = RawConnection(location)
        try:
            other.hold_write_lock()
            started = time.monotonic()
            with pytest.raises(QaError) as caught, opened.write():
                pytest.fail("the write lock is held elsewhere; entry must wait then fail")
            assert time.monotonic() - started >= 0.15
            assert caught.value.code == "busy"
            if other.is_pg:
                assert str(caught.value) == "the database is busy with another qa-tui write; try again"
            else:
                assert caught.value.message == BUSY_MESSAGE and caught.value.where == str(location)
            assert "SELECT" not in str(caught.value) and "UPDATE" not in str(caught.value)
            with opened.read() as uow:  # WAL / MVCC: readers never wait for the writer
                assert [r.revision for r in uow.list_assessments()] == [1]
        finally:
            other.rollback()
            other.close()


def test_read_sees_one_snapshot(store: Store, db_path: Path) -> None:
    rec = assessment()
    with store.write() as uow:
        uow.insert_assessment(rec)
    with store.read() as uow:
        assert len(uow.list_assessments()) == 1
        with store.write() as writer:
            writer.insert_assessment(assessment())
        assert len(uow.list_assessments()) == 1
    with store.read() as uow:
        assert len(uow.list_assessments()) == 2


# -- backups ---------------------------------------------------------------------------------


def test_backup_is_private_consistent_and_never_overwrites(sqlite_store: Store, tmp_path: Path) -> None:
    store = sqlite_store
    rec = assessment()
    with store.write() as uow:
        uow.insert_assessment(rec)
    dest = store.backup_to(tmp_path / "backups" / "copy.sqlite3")
    assert mode(dest) == 0o600 and mode(dest.parent) == 0o700
    with open_store(dest) as copy, copy.read() as uow:
        assert uow.list_assessments() == [rec]
    before = dest.read_bytes()
    with pytest.raises(QaError, match="already exists"):
        store.backup_to(dest)
    assert dest.read_bytes() == before


# -- refusals --------------------------------------------------------------------------------


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('hello')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _damaged(path: Path) -> None:
    with open_store(path) as opened, opened.write() as uow:
        for _ in range(20):
            rec = assessment(template_snapshot="x" * 5_000)
            uow.insert_assessment(rec)
            uow.put_answer(answer(rec.id, "q1", 1))
    conn = sqlite3.connect(path)
    root, page_size = conn.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
        "WHERE name = 'assessment'"
    ).fetchone()
    conn.close()
    with path.open("r+b") as handle:  # scribble over the b-tree page header of the table
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 12)


def _engine_forbidden(*args: object) -> None:
    raise AssertionError("SQLite opened a file that should have been refused first")


REFUSALS = {
    "random bytes": (
        lambda p: p.write_bytes(os.urandom(8192)),
        "not a qa-tui database (not an SQLite file)",
    ),
    "text file": (
        lambda p: p.write_text("date,org\n2024-05-01,RTD\n"),
        "not a qa-tui database (not an SQLite file)",
    ),
    "another program": (
        _other_program,
        "not a qa-tui database (an SQLite file of another program)",
    ),
    "newer qa-tui": (
        _newer,
        f"written by a newer qa-tui (schema v{SCHEMA_VERSION + 1}; "
        f"this program knows up to v{SCHEMA_VERSION})",
    ),
    "damaged": (_damaged, "is damaged (integrity check failed: "),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_files_are_left_untouched(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, expected = REFUSALS[case]
    folder = tmp_path / "folder"
    folder.mkdir()
    path = folder / "qa.sqlite3"
    make(path)
    # Refusal must come before SQLite opens the file for real: a normal open of a WAL file
    # creates -wal/-shm (and removes them on close, so the listing alone would not tell).
    monkeypatch.setattr(db_module, "_make_engine", _engine_forbidden)

    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {p.name: (p.read_bytes(), p.stat().st_mode) for p in sorted(folder.iterdir())}

    before = snapshot()
    assert list(before) == ["qa.sqlite3"]
    with pytest.raises(DatabaseRefused) as caught:
        open_store(path)
    assert caught.value.where == str(path)
    assert caught.value.message.startswith(expected)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(path) + ": ")
    assert snapshot() == before


def test_damage_is_found_even_with_a_live_wal(tmp_path: Path) -> None:
    """A leftover -wal means the header and pages may be newer than the main file, so the
    check runs after a normal open instead; the file is refused all the same."""
    path = tmp_path / "qa.sqlite3"
    _damaged(path)
    path.with_name(path.name + "-wal").write_bytes(os.urandom(4096))
    with pytest.raises(DatabaseRefused, match="is damaged"):
        open_store(path)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseRefused, match="cannot be read"):
        open_store(tmp_path)
