"""Issue 20, the storage side: each template snapshot is stored once (keyed by its content
hash) and each assessment's summary is stored and kept on every write, so a listing never reads
answers or rescores. An old database migrates intact, and the stored summaries always equal a
full rescore of the answers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa_tui.config import Paths, resolve_paths
from qa_tui.services import Services, build_services
from qa_tui.services.changes import state_of
from qa_tui.services.demo import create_demo
from qa_tui.store import SCHEMA_VERSION, summary_of
from qa_tui.store.migrations import apply_migrations
from qa_tui.templates import canonical_json, compile_template, score

from tests.conftest import FixedClock
from tests.system.test_list_queries import _one_query_per_assessment as _rescored

TEMPLATE = "cqc-saf-well-led"
V5_TABLES = ("answer", "action", "action_update", "event")


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = build_services(paths, actor="tester", clock=FixedClock())
    yield services
    services.close()


def _revised(svc: Services) -> Any:
    """The same template in a second version (another title, so another snapshot)."""
    data = json.loads(canonical_json(dict(svc.library.get(TEMPLATE).data)))
    data["version"], data["title"] = "9.9", data["title"] + " (revised)"
    return compile_template(data, file="revised", snapshot=True)


def _populate(svc: Services) -> list[str]:
    """Demo assessments on several templates, plus two visits on two versions of one template
    with answers, notes, a clear, an N/A and an action."""
    ids = list(create_demo(svc, count=5, seed=11).created)
    first = svc.assessments.start(TEMPLATE, org_name="Old Version Trust", visit_date="2026-01-05")
    second = svc.assessments.start(TEMPLATE, org_name="New Version Trust",
                                   template=_revised(svc), visit_date="2026-02-05")
    for aid in (first.id, second.id):
        svc.assessments.answer(aid, "WL1", "3", note="seen the board papers")
        svc.assessments.answer(aid, "WL2", na=True)
        svc.assessments.answer(aid, "WL3", "2")
        svc.assessments.clear(aid, "WL3")
        svc.assessments.add_action(aid, "Publish the minutes", owner="Board secretary")
    return [*ids, first.id, second.id]


def _assert_summaries_match(svc: Services) -> None:
    """Every stored summary equals a full rescore, and ``list`` shows exactly that."""
    with svc.store.read() as tx:
        for rec in tx.list_assessments():
            template = svc.assessments.template_of(rec)
            answers = {k: state_of(v) for k, v in tx.get_answers(rec.id).items()}
            assert tx.get_summary(rec.id) == summary_of(template, score(template, answers)), rec.id
    assert svc.assessments.list() == _rescored(svc)


def _as_v5(source: Path, dest: Path) -> None:
    """The same data as schema v5 stored it (each assessment with its own snapshot copy)."""
    conn = sqlite3.connect(dest, isolation_level=None)
    try:
        assert apply_migrations(conn, up_to=5) == 5
        conn.execute("ATTACH DATABASE ? AS new", (str(source),))
        columns = [row[1] for row in conn.execute("PRAGMA main.table_info(assessment)")]
        picked = ", ".join("ts.snapshot" if c == "template_snapshot" else f"a.{c}"
                           for c in columns)
        conn.execute("BEGIN")
        conn.execute(f"INSERT INTO main.assessment ({', '.join(columns)}) SELECT {picked} "
                     "FROM new.assessment a JOIN new.template_snapshot ts "
                     "ON ts.hash = a.snapshot_hash")
        for table in V5_TABLES:
            names = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
            conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM new.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE new")
    finally:
        conn.close()


def _everything(svc: Services, ids: list[str]) -> dict[str, Any]:
    """What a person or a program can read of each assessment: ``show --json``, the return
    document an export writes, the history, and the listing."""
    return {
        "details": {aid: svc.assessments.get(aid).to_json() for aid in ids},
        "returns": {aid: svc.returns.document(aid) for aid in ids},
        "history": {aid: [h.to_json() for h in svc.assessments.history(aid)] for aid in ids},
        "list": [s.to_json() for s in svc.assessments.list()],
    }


def test_a_v5_database_migrates_intact_with_one_snapshot_per_version(
        svc: Services, tmp_path: Path) -> None:
    ids = _populate(svc)
    before = _everything(svc, ids)
    with svc.store.read() as tx:
        hashes = {tx.get_assessment(aid).template_hash for aid in ids}  # type: ignore[union-attr]
    svc.close()
    old = tmp_path / "old" / "qa-tui.sqlite3"
    old.parent.mkdir()
    _as_v5(svc.paths.database, old)
    conn = sqlite3.connect(old)
    try:
        copies = conn.execute("SELECT count(*), count(DISTINCT template_snapshot) "
                              "FROM assessment").fetchone()
    finally:
        conn.close()
    assert copies == (len(ids), len(hashes)) and len(hashes) >= 3  # two versions of one

    migrated = build_services(resolve_paths(db=str(old), env={"QA_TUI_HOME": str(tmp_path / "h")}),
                              actor="tester", clock=FixedClock())
    try:
        assert migrated.store.pragmas()["user_version"] == SCHEMA_VERSION
        assert _everything(migrated, ids) == before
        _assert_summaries_match(migrated)
    finally:
        migrated.close()
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("SELECT count(*) FROM template_snapshot").fetchone()[0] == len(hashes)
        assert conn.execute("SELECT count(*) FROM assessment_summary").fetchone()[0] == len(ids)
        assert conn.execute("SELECT DISTINCT template_snapshot FROM assessment").fetchall() \
            == [("",)]  # no copy left in the rows
        stored = {h for (h,) in conn.execute("SELECT hash FROM template_snapshot")}
        assert stored == hashes  # the content hash of each canonical snapshot
    finally:
        conn.close()
    assert len(list(tmp_path.rglob("qa-tui.v5.*.sqlite3"))) == 1  # backed up first


def test_summary_equals_rescore_after_answers_clears_and_undo(svc: Services) -> None:
    ids = _populate(svc)
    _assert_summaries_match(svc)
    aid = ids[-1]
    svc.assessments.answer(aid, "WL4", "1")
    svc.assessments.set_note(aid, "WL4", "a note")
    _assert_summaries_match(svc)
    svc.assessments.clear(aid, "WL1")
    _assert_summaries_match(svc)
    for _ in range(4):
        assert svc.assessments.undo(aid) is not None
        _assert_summaries_match(svc)
    svc.assessments.delete(ids[0])
    assert svc.assessments.list(deleted=True) == _rescored(svc, deleted=True)
    svc.assessments.restore(ids[0])
    _assert_summaries_match(svc)


def test_answer_returns_the_same_detail_as_a_fresh_read(svc: Services) -> None:
    """The detail ``answer`` updates in place equals the one a full read builds."""
    aid = _populate(svc)[-2]
    for qid, raw in (("WL4", "2"), ("WL5", "4"), ("WL4", None)):
        detail = (svc.assessments.answer(aid, qid, raw) if raw is not None
                  else svc.assessments.clear(aid, qid))
        fresh = svc.assessments.get(aid)
        assert detail.to_json() == fresh.to_json()
        assert detail == fresh


def test_summary_follows_imports(svc: Services, tmp_path: Path) -> None:
    """An imported return (new, then a newer revision of it) is summarised as it is stored."""
    ids = _populate(svc)
    aid = ids[-1]
    out = tmp_path / "out"
    first = svc.returns.export(aid, out).path
    other = build_services(resolve_paths(env={"QA_TUI_HOME": str(tmp_path / "other")}),
                           actor="analyst", clock=FixedClock())
    try:
        assert other.returns.import_file(first).outcome == "added"
        _assert_summaries_match(other)
        svc.assessments.answer(aid, "WL3", "1")
        svc.assessments.clear(aid, "WL1")
        newer = svc.returns.export(aid, tmp_path / "out2").path
        assert other.returns.import_file(newer).outcome == "updated"
        _assert_summaries_match(other)
        assert other.assessments.list()[0].to_json() == next(
            s.to_json() for s in svc.assessments.list() if s.id == aid)
    finally:
        other.close()


def test_a_write_outside_the_services_is_rescored_before_commit(svc: Services) -> None:
    """A writer that does not hand over a summary (an import, a bulk load) still leaves a
    correct one: the unit of work rescores what changed before it commits."""
    aid = _populate(svc)[-1]
    with svc.store.write() as tx:
        tx.delete_answer(aid, "WL1")
    _assert_summaries_match(svc)


def test_a_v5_postgresql_store_migrates_intact(svc: Services, pg_url: str,
                                               tmp_path: Path) -> None:
    """The PostgreSQL twin of the step: snapshots moved to their table (hashed in SQL), the BI
    views rebuilt on it, summaries filled; every assessment reads and exports as before."""
    from sqlalchemy import create_engine, text

    from qa_tui.store.pg_migrations import upgrade

    ids = _populate(svc)
    before = _everything(svc, ids)
    svc.close()
    old = tmp_path / "v5.sqlite3"
    _as_v5(svc.paths.database, old)
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    source = sqlite3.connect(old)
    try:
        with engine.connect() as conn:
            assert upgrade(conn, "x", up_to=5) == (0, 5)
            with conn.begin():
                for table in ("assessment", *V5_TABLES):
                    cursor = source.execute(f"SELECT * FROM {table}")
                    names = [d[0] for d in cursor.description]
                    insert = text(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                  f"({', '.join(':' + n for n in names)})")
                    for row in cursor:
                        values = dict(zip(names, row, strict=True))
                        if table == "answer":
                            values["na"] = bool(values["na"])
                        conn.execute(insert, values)
                responses = conn.execute(text("SELECT count(*) FROM qa_responses")).scalar_one()
            assert upgrade(conn, "x") == (5, SCHEMA_VERSION)
            with conn.begin():
                assert conn.execute(text("SELECT count(*) FROM qa_responses")).scalar_one() \
                    == responses > 0
                assert conn.execute(text("SELECT count(*) FROM template_snapshot")
                                    ).scalar_one() == source.execute(
                    "SELECT count(DISTINCT template_snapshot) FROM assessment").fetchone()[0]
    finally:
        source.close()
        engine.dispose()
    migrated = build_services(resolve_paths(db=pg_url, env={"QA_TUI_HOME": str(tmp_path / "h")}),
                              actor="tester", clock=FixedClock())
    try:
        assert _everything(migrated, ids) == before
        _assert_summaries_match(migrated)
    finally:
        migrated.close()


def test_purge_erases_the_summary_and_a_snapshot_nobody_else_uses(svc: Services) -> None:
    ids = _populate(svc)
    revised, same_template = ids[-1], ids[-2]

    def count(table: str) -> int:
        conn = sqlite3.connect(svc.paths.database)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()

    with svc.store.read() as tx:
        bundled = tx.get_assessment(same_template).template_hash  # type: ignore[union-attr]
        shared = any(rec.template_hash == bundled for rec in tx.list_assessments()
                     if rec.id != same_template)
    snapshots, summaries = count("template_snapshot"), count("assessment_summary")
    for aid in (same_template, revised):
        svc.assessments.delete(aid)
        svc.assessments.purge(aid)
    assert count("assessment_summary") == summaries - 2
    assert count("template_snapshot") == snapshots - (1 if shared else 2)
    assert svc.assessments.list() == _rescored(svc)
    for aid in ids[:-2]:  # the others still read whole
        assert svc.assessments.get(aid).template.id
