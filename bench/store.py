"""``AssessmentService.answer()`` against a raw sqlite3 INSERT + COMMIT with the same durability
(WAL, synchronous=FULL): what one saved answer costs beyond the disk flush it must pay for."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import Figure, percentile


def _floor(folder: Path) -> tuple[sqlite3.Connection, Callable[[int], None]]:
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE answer (a TEXT, q TEXT, value TEXT, note TEXT, at TEXT, "
                 "PRIMARY KEY (a, q))")

    def step(i: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT OR REPLACE INTO answer VALUES (?, ?, ?, ?, ?)",
                     ("a", f"WL{i % 8 + 1}", str(i % 4 + 1), f"note {i}", "2026-01-01"))
        conn.execute("COMMIT")

    return conn, step


def _timed(step: Callable[[int], None], i: int) -> float:
    start = time.perf_counter()
    step(i)
    return (time.perf_counter() - start) * 1000


def _samples(folder: Path, count: int) -> tuple[list[float], list[float]]:
    """(ours, floor) in milliseconds, taken alternately: this machine's disk flush swings
    between ~0.3 and ~4 ms for seconds at a time, so two series taken one after the other
    compare the disk's moods rather than the code (issue 20)."""
    from qa_tui.config import resolve_paths
    from qa_tui.services import build_services

    conn, floor_step = _floor(folder)
    svc = build_services(resolve_paths(folder / "qa.sqlite3"), actor="bench")
    try:
        aid = svc.assessments.start("cqc-saf-well-led", org_name="Bench Trust").id

        def ours_step(i: int) -> None:
            svc.assessments.answer(aid, f"WL{i % 8 + 1}", str(i % 4 + 1), note=f"note {i}")

        ours, floor = [], []
        for i in range(count):
            floor.append(_timed(floor_step, i))
            ours.append(_timed(ours_step, i))
        return ours, floor
    finally:
        svc.close()
        conn.close()


def run(quick: bool) -> list[Figure]:
    count = 10 if quick else 200
    with tempfile.TemporaryDirectory(prefix="qa-tui-bench-") as tmp:
        ours, floor = _samples(Path(tmp), count)
    name = "raw sqlite3 INSERT+COMMIT, WAL+FULL, interleaved"
    return [Figure("answer() p50", percentile(ours, 50), percentile(floor, 50), name),
            Figure("answer() p95", percentile(ours, 95), percentile(floor, 95), name)]
