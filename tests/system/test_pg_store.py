"""The central store on a real PostgreSQL server (a throwaway cluster, see conftest.py):
schema and refusals, the BI views, explicit upgrades, masked credentials, and two analysts
consolidating into one database at the same moment. The shared store suite (test_store.py)
runs on both engines; this module holds what only PostgreSQL has."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook

from qa_tui.config import resolve_paths
from qa_tui.errors import DatabaseRefused, QaError
from qa_tui.services import build_services
from qa_tui.services.demo import create_demo
from qa_tui.store import SCHEMA_VERSION, open_store
from qa_tui.store.models import ActionRow, AnswerRow, AssessmentRow, EventRow
from qa_tui.store.pg_migrations import VIEWS

from tests.conftest import ROOT, FixedClock, call_cli, run_cli
from tests.test_consolidate_support import Batch, make_batch, table_rows

SECRET = "s3cr3t-Pa55"


def _tables(url: str) -> dict[str, list[tuple[str, str]]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, nullable in rows:
        out.setdefault(table, []).append((column, nullable))
    return out


def test_every_model_column_exists_on_postgresql(pg_store_url: str) -> None:
    columns = _tables(pg_store_url)
    for model in (AssessmentRow, AnswerRow, ActionRow, EventRow):
        table = model.__table__  # type: ignore[attr-defined]
        have = dict(columns[table.name])
        for column in table.columns:
            assert column.name in have, (table.name, column.name)
            assert (have[column.name] == "YES") == bool(column.nullable and not column.primary_key)
    with psycopg.connect(pg_store_url) as conn:
        assert conn.execute("SELECT application_id, schema_version FROM qa_tui_meta").fetchone() \
            == (0x51415455, SCHEMA_VERSION)


def _foreign(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('hello')")


def _newer(url: str) -> None:
    open_store(url, migrate=True).close()
    with psycopg.connect(url) as conn:
        conn.execute(f"UPDATE qa_tui_meta SET schema_version = {SCHEMA_VERSION + 1}")


@pytest.mark.parametrize(("make", "expected"), [
    (_foreign, "not a qa-tui database (it holds tables of another program)"),
    (_newer, f"written by a newer qa-tui (schema v{SCHEMA_VERSION + 1}"),
])
def test_a_foreign_or_newer_database_is_refused_untouched(pg_url: str, make, expected) -> None:  # type: ignore[no-untyped-def]
    make(pg_url)
    before = _tables(pg_url)
    for migrate in (False, True):
        with pytest.raises(DatabaseRefused) as caught:
            open_store(pg_url, migrate=migrate)
        assert caught.value.message.startswith(expected)
        assert caught.value.where == pg_url
    assert _tables(pg_url) == before


def test_ordinary_commands_never_migrate_a_shared_database(pg_url: str, home: Path) -> None:
    refused = run_cli("--db", pg_url, "list")
    assert refused.code == 1
    assert "has no qa-tui schema yet" in refused.err and "db upgrade" in refused.err
    assert _tables(pg_url) == {}
    first = run_cli("--db", pg_url, "db", "upgrade")
    assert first.code == 0, first.err
    assert first.out.strip() == f"{pg_url}: upgraded from schema v0 to v{SCHEMA_VERSION}"
    again = run_cli("--db", pg_url, "db", "upgrade", "--json")
    assert json.loads(again.out)["from_version"] == SCHEMA_VERSION
    check = run_cli("--db", pg_url, "db", "check", "--json")
    assert check.code == 0, check.err
    info = json.loads(check.out)
    assert info["engine"] == "postgresql" and info["schema_version"] == SCHEMA_VERSION
    assert info["counts"] == {"assessment": 0, "answer": 0, "action": 0, "event": 0}
    assert all(info["views"].values()) and set(info["views"]) == set(VIEWS)
    assert run_cli("--db", pg_url, "list", "--json").out.strip() == "[]"


def test_backup_and_restore_say_use_pg_dump(pg_store_url: str, home: Path, tmp_path: Path) -> None:
    r = run_cli("--db", pg_store_url, "backup", str(tmp_path / "b.sqlite3"))
    assert r.code == 1 and "pg_dump" in r.err
    assert not (tmp_path / "b.sqlite3").exists()


def test_passwords_never_appear_in_output(pg_cluster, home: Path) -> None:  # type: ignore[no-untyped-def]
    """Trust authentication ignores the password, so a URL carrying one still connects: every
    line the CLI prints must show it masked."""
    name = pg_cluster.create_database()
    url = pg_cluster.url(name, password=SECRET)
    masked = pg_cluster.url(name, password="***")
    results = [run_cli("--db", url, "list"), run_cli("--db", url, "db", "upgrade"),
               run_cli("--db", url, "db", "check"), run_cli("--db", url, "backup")]
    env = {"QA_TUI_DB": url}
    results.append(run_cli("list", env=env))
    results.append(run_cli("new", "--template", "nope", "--org", "X", env=env))
    unreachable = url.replace(str(pg_cluster.root), "/nonexistent-qa-socket")
    results.append(run_cli("--db", unreachable, "list"))
    for r in results:
        assert SECRET not in r.out + r.err
    assert masked in results[1].out
    assert results[-1].code == 1
    assert "cannot reach the PostgreSQL server at /nonexistent-qa-socket:5432" in results[-1].err


def test_unreachable_server_is_a_plain_error_naming_host_and_port() -> None:
    url = f"postgresql://ada:{SECRET}@/qa?host=/nonexistent-qa-socket&port=5999"
    with pytest.raises(QaError) as caught:
        open_store(url)
    text = str(caught.value)
    assert caught.value.code == "unreachable"
    assert "/nonexistent-qa-socket:5999" in text and SECRET not in text
    assert "ada:***@" in text


def test_a_url_without_the_extra_says_what_to_install(tmp_path: Path, home: Path) -> None:
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "psycopg.py").write_text("raise ImportError('psycopg is not installed')\n")
    r = run_cli("--db", f"postgresql://ada:{SECRET}@/qa?host=/nowhere", "list",
                env={"PYTHONPATH": f"{fake}:{ROOT}"})
    assert r.code == 1
    assert "pip install 'qa-tui[postgres]'" in r.err and SECRET not in r.err


def test_bi_views_answer_on_demo_data(pg_store_url: str, tmp_path: Path) -> None:
    paths = resolve_paths(db=pg_store_url, env={"QA_TUI_HOME": str(tmp_path / "h")})
    services = build_services(paths, actor="tester", clock=FixedClock())
    try:
        ids = list(create_demo(services, count=12, seed=3).created)
    finally:
        services.close()
    with psycopg.connect(pg_store_url) as conn:
        latest = conn.execute(
            "SELECT organisation, template_id, count(DISTINCT assessment_id) "
            "FROM qa_latest_ratings GROUP BY 1, 2").fetchall()
        pairs = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT org_name, org_code, template_id "
            "FROM assessment WHERE deleted_at IS NULL) d").fetchone()
        assert latest and all(n == 1 for _, _, n in latest)
        assert len(latest) == pairs[0]  # type: ignore[index]
        responses = conn.execute("SELECT count(*), count(answer_label), count(question_text) "
                                 "FROM qa_responses").fetchone()
        answers = conn.execute("SELECT count(*) FROM answer").fetchone()
        assert responses[0] == answers[0] > 0  # type: ignore[index]
        assert responses[1] > 0 and responses[2] == responses[0]  # type: ignore[index]
        rows = conn.execute("SELECT count(*), count(DISTINCT question_id) FROM qa_responses "
                            "WHERE question_id LIKE 'RISK[%].%'").fetchone()
        row_answers = conn.execute("SELECT count(*) FROM answer "
                                   "WHERE question_id LIKE 'RISK[%].%'").fetchone()
        assert rows[0] == row_answers[0] > 0 and rows[1] > 1  # type: ignore[index]
        actions = conn.execute("SELECT count(*), count(*) FILTER (WHERE overdue IS NOT NULL) "
                               "FROM qa_actions").fetchone()
        assert actions == conn.execute("SELECT count(*), count(*) FROM action").fetchone()
        conn.execute("SELECT * FROM qa_escalations").fetchall()
    assert len(ids) == 12


# -- two analysts at once --------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return make_batch(tmp_path_factory.mktemp("pg-batch"), count=16)


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "qa_tui", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def _revisions(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id, revision FROM assessment").fetchall()
    return {aid: rev for aid, rev in rows}


def test_two_processes_importing_overlapping_batches_lose_and_duplicate_nothing(
        pg_store_url: str, batch: Batch, home: Path) -> None:
    files = batch.accepted_files
    half = len(files) // 2
    first = [str(p) for p in files[: half + 3]]  # overlap of several returns
    second = [str(p) for p in [*files[half - 3:], batch.older]]
    procs = [_spawn("--db", pg_store_url, "import", *first),
             _spawn("--db", pg_store_url, "import", *second)]
    results = [_finish(p) for p in procs]
    for _, _, err in results:  # the only refusal allowed: the older copy, if it came second
        assert all(batch.older.name in line for line in err.splitlines()), err
    revisions = _revisions(pg_store_url)
    assert set(revisions) == batch.ids
    from qa_tui.returns import read_return

    top = read_return(batch.newer).data
    assert revisions[top.id] == top.revision  # the older copy never replaced the newer one
    with psycopg.connect(pg_store_url) as conn:
        imports = conn.execute("SELECT assessment_id, count(*) FROM event WHERE kind = 'import' "
                               "GROUP BY 1").fetchall()
    assert {aid for aid, _ in imports} == batch.ids


def test_two_concurrent_consolidations_end_with_each_return_once(
        pg_store_url: str, batch: Batch, home: Path, tmp_path: Path) -> None:
    inputs = [str(p) for p in batch.inputs]
    procs = [_spawn("consolidate", *inputs, "-o", str(tmp_path / f"c{n}.xlsx"), "--db",
                    pg_store_url, "--json") for n in (1, 2)]
    results = [_finish(p) for p in procs]
    reports = []
    for code, out, err in results:
        assert code == 1, err  # the batch has broken files and a fork: rejected, reported
        assert "Traceback" not in err
        reports.append(json.loads(out))
    for report in reports:
        db = report["database"]
        assert db["refused"] == [] and db["path"] == pg_store_url
    added = sum(r["database"]["added"] for r in reports)
    assert added == len(batch.ids)  # each return added once, by one of the two
    revisions = _revisions(pg_store_url)
    assert set(revisions) == batch.ids
    from qa_tui.returns import read_return

    top = read_return(batch.newer).data
    assert revisions[top.id] == top.revision
    for n in (1, 2):  # the counts each workbook shows are the database's
        rows = table_rows(load_workbook(tmp_path / f"c{n}.xlsx")["Returns"])
        assert {r["Return id"]: r["Revision"] for r in rows} == revisions
    again = run_cli("consolidate", *inputs, "-o", str(tmp_path / "c3.xlsx"), "--db",
                    pg_store_url, "--json")
    db = json.loads(again.out)["database"]
    assert db["added"] == db["updated"] == 0 and db["unchanged"] == len(batch.ids)
    assert _revisions(pg_store_url) == revisions


def _analyst_database(pg_cluster) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A database owned by the role whose password the server checks; (url without, with)."""
    from tests.pg_cluster import PASSWORD_ROLE

    pg_cluster.admin(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                     f"'{PASSWORD_ROLE}') THEN CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD "
                     f"'{SECRET}'; END IF; END $$")
    name = pg_cluster.create_database()
    pg_cluster.admin(f"ALTER DATABASE {name} OWNER TO {PASSWORD_ROLE}")
    return (pg_cluster.url(name, user=PASSWORD_ROLE),
            pg_cluster.url(name, user=PASSWORD_ROLE, password=SECRET))


def test_password_from_the_url_pgpassword_or_pgpass_never_shown(
        pg_cluster, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bare, with_password = _analyst_database(pg_cluster)
    upgraded = run_cli("--db", with_password, "db", "upgrade")
    assert upgraded.code == 0, upgraded.err
    assert SECRET not in upgraded.out and ":***@" in upgraded.out
    wrong = run_cli("--db", with_password.replace(SECRET, "wrong-guess-9"), "list")
    assert wrong.code == 1 and "refused the login" in wrong.err
    assert "wrong-guess-9" not in wrong.err + wrong.out
    missing = run_cli("--db", bare, "list", env={"PGPASSFILE": str(tmp_path / "none")})
    assert missing.code == 1 and "qa-tui:" in missing.err and "Traceback" not in missing.err
    by_env = run_cli("--db", bare, "list", "--json", env={"PGPASSWORD": SECRET})
    assert by_env.code == 0 and by_env.out.strip() == "[]", by_env.err
    pgpass = tmp_path / "pghome" / ".pgpass"
    pgpass.parent.mkdir()
    pgpass.write_text(f"*:*:*:qa_analyst:{SECRET}\n")
    pgpass.chmod(0o600)
    by_file = run_cli("--db", bare, "list", "--json", env={"HOME": str(pgpass.parent)})
    assert by_file.code == 0 and by_file.out.strip() == "[]", by_file.err
    for r in (upgraded, wrong, missing, by_env, by_file):
        assert SECRET not in r.out + r.err


def test_upgrade_runs_step_by_step_and_twice_at_once(pg_url: str) -> None:
    from sqlalchemy import create_engine

    from qa_tui.store.pg_migrations import upgrade

    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            assert upgrade(conn, "x", up_to=1) == (0, 1)
        with pytest.raises(DatabaseRefused, match=f"is at schema v1 .*needs v{SCHEMA_VERSION}"):
            open_store(pg_url)
    finally:
        engine.dispose()
    procs = [_spawn("--db", pg_url, "db", "upgrade") for _ in range(2)]
    results = [_finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    with open_store(pg_url) as store, store.read() as uow:
        assert uow.counts()["assessment"] == 0


def test_everyday_commands_on_the_central_store(pg_cluster, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """new, answer, show, history, export through QA_TUI_DB; import into a second database
    through --db; list there shows the same assessment at the same revision."""
    first = pg_cluster.url(pg_cluster.create_database())
    second = pg_cluster.url(pg_cluster.create_database())
    for url in (first, second):
        assert call_cli("--db", url, "db", "upgrade").code == 0
    env = {"QA_TUI_DB": first}
    made = call_cli("new", "--template", "cqc-saf-well-led", "--org", "Central NHS Trust",
                    "--org-code", "RX1", "--json", env=env)
    assert made.code == 0, made.err
    aid = json.loads(made.out)["id"]
    assert call_cli("answer", aid[:8], "WL1", "3", "--note", "Board minutes", env=env).code == 0
    shown = json.loads(call_cli("show", aid, "--json", env=env).out)
    assert shown["answers"]["WL1"]["value"] == 3 and shown["revision"] == 2
    history = call_cli("history", aid, "--json", env=env)
    assert history.code == 0 and {e["kind"] for e in json.loads(history.out)} >= {"start", "answer"}
    exported = call_cli("export", aid, "-o", str(tmp_path / "out"), "--json", env=env)
    assert exported.code == 0, exported.err
    file = json.loads(exported.out)[0]["path"]
    imported = call_cli("--db", second, "import", file, "--json")
    assert imported.code == 0, imported.err
    listed = json.loads(call_cli("--db", second, "list", "--json").out)
    assert [a["id"] for a in listed] == [aid]
    again = json.loads(call_cli("--db", second, "show", aid, "--json").out)
    assert again["answers"] == shown["answers"] and again["revision"] == shown["revision"]


def test_a_portable_step_added_to_migrations_py_runs_on_postgresql(
        pg_store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a step for both engines is one change: a portable statement appended to
    migrations.MIGRATIONS is what PostgreSQL runs too."""
    from qa_tui.store import migrations, pg_migrations

    step = ("ALTER TABLE assessment ADD COLUMN portable_probe TEXT",)
    monkeypatch.setitem(migrations.MIGRATIONS, 99, step)  # type: ignore[index]
    assert pg_migrations.steps(99) == step
    with psycopg.connect(pg_store_url) as conn:
        for statement in pg_migrations.steps(99):
            conn.execute(statement)  # type: ignore[arg-type]
    assert ("portable_probe", "YES") in _tables(pg_store_url)["assessment"]
