"""Benchmark: loading 10,000 demo returns into PostgreSQL and into SQLite, and the committee
query (latest rating per organisation and template) on the PostgreSQL read models.

Not part of the test suite. Run from the repository root (needs the ``postgres`` extra):

    .venv/bin/python bench/pg_store.py                  # a throwaway local cluster, 10,000
    .venv/bin/python bench/pg_store.py --count 2000     # smaller
    .venv/bin/python bench/pg_store.py --pg URL         # an existing empty database instead
    .venv/bin/python bench/pg_store.py --via-returns 500  # also export N returns as .xlsx and
                                                         # time `import` of them into each engine

Each demo return is written the way the app writes one: its own write transaction (the
assessment, its answers, actions and events), so the figure includes one durable commit per
return on each engine. Targets (issue #15): the PostgreSQL load within 2x of SQLite, and the
committee query under a second at 10,000 returns.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa_tui.config import resolve_paths  # noqa: E402
from qa_tui.services import build_services  # noqa: E402
from qa_tui.services.demo import create_demo  # noqa: E402
from qa_tui.store import open_store  # noqa: E402
from qa_tui.store.url import mask  # noqa: E402

COMMITTEE_QUERY = """
SELECT organisation, org_code, template_id, visit_date, section_id, question_id,
       value, answer_label
FROM qa_latest_ratings
ORDER BY organisation, template_id, section_id, question_id
"""


def _load(database: Path | str, home: Path, count: int) -> tuple[float, dict[str, int]]:
    paths = resolve_paths(db=str(database), env={"QA_TUI_HOME": str(home)})
    services = build_services(paths, actor="bench")
    try:
        started = time.perf_counter()
        create_demo(services, count=count, seed=2026)
        elapsed = time.perf_counter() - started
        with services.store.read() as uow:
            counts = uow.counts()
    finally:
        services.close()
    return elapsed, counts


def _import(database: Path | str, home: Path, files: list[Path]) -> float:
    paths = resolve_paths(db=str(database), env={"QA_TUI_HOME": str(home)})
    services = build_services(paths, actor="bench")
    try:
        started = time.perf_counter()
        for file in files:
            services.returns.import_file(file)
        return time.perf_counter() - started
    finally:
        services.close()


def _committee(url: str) -> tuple[float, int, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("SELECT 1")
        started = time.perf_counter()
        rows = conn.execute(COMMITTEE_QUERY).fetchall()  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
    pairs = len({(r[0], r[1], r[2]) for r in rows})
    return elapsed, len(rows), pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--pg", help="an existing, empty PostgreSQL database URL")
    parser.add_argument("--via-returns", type=int, default=0, metavar="N")
    args = parser.parse_args()
    cluster = None
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        work = Path(tmp)
        if args.pg:
            url = args.pg
        else:
            from tests.pg_cluster import Cluster, find_bin

            bindir = find_bin()
            if bindir is None:
                print("no PostgreSQL server binaries (apt-get install postgresql)", file=sys.stderr)
                return 1
            cluster = Cluster(bindir, durable=True).start()  # fsync on, as SQLite's FULL
            url = cluster.url(cluster.create_database())
        try:
            open_store(url, migrate=True).close()
            sqlite_file = work / "bench.sqlite3"
            print(f"loading {args.count:,} demo returns (one write transaction each)")
            sqlite_s, sqlite_counts = _load(sqlite_file, work / "h1", args.count)
            print(f"  SQLite     {sqlite_s:8.1f} s  {args.count / sqlite_s:7.0f} returns/s  "
                  f"rows {sqlite_counts}")
            pg_s, pg_counts = _load(url, work / "h2", args.count)
            print(f"  PostgreSQL {pg_s:8.1f} s  {args.count / pg_s:7.0f} returns/s  "
                  f"rows {pg_counts}  ({mask(url)})")
            ratio = pg_s / sqlite_s
            print(f"  PostgreSQL / SQLite load time: {ratio:.2f}x (target <= 2x)")
            if pg_counts != sqlite_counts:
                print("  row counts differ between the engines", file=sys.stderr)
                return 1
            q_s, rows, pairs = _committee(url)
            print(f"committee query on qa_latest_ratings: {q_s * 1000:.0f} ms, {rows:,} rows, "
                  f"{pairs} organisation x template pairs (target < 1 s)")
            if args.via_returns:
                _via_returns(url, work, args.via_returns, cluster)
        finally:
            if cluster is not None:
                cluster.stop()
    return 0


def _via_returns(url: str, work: Path, count: int, cluster: object) -> None:
    source = build_services(resolve_paths(db=str(work / "source.sqlite3"),
                                          env={"QA_TUI_HOME": str(work / "h3")}), actor="bench")
    try:
        ids = create_demo(source, count=count, seed=7).created
        files = [source.returns.export(aid, work / "returns").path for aid in ids]
    finally:
        source.close()
    sqlite_s = _import(work / "imported.sqlite3", work / "h4", files)
    if cluster is not None:
        target = cluster.url(cluster.create_database())  # type: ignore[attr-defined]
        open_store(target, migrate=True).close()
    else:
        target = url
    pg_s = _import(target, work / "h5", files)
    print(f"import of {count:,} .xlsx returns: SQLite {sqlite_s:.1f} s, PostgreSQL {pg_s:.1f} s")


if __name__ == "__main__":
    raise SystemExit(main())
