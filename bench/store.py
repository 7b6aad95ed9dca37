"""``AssessmentService.answer()`` against a raw sqlite3 INSERT + COMMIT with the same durability
(WAL, synchronous=FULL): what one saved answer costs beyond the disk flush it must pay for."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.harness import Figure, percentile


def _floor_ms(folder: Path, count: int) -> list[float]:
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE answer (a TEXT, q TEXT, value TEXT, note TEXT, at TEXT, "
                 "PRIMARY KEY (a, q))")
    samples = []
    for i in range(count):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT OR REPLACE INTO answer VALUES (?, ?, ?, ?, ?)",
                     ("a", f"WL{i % 8 + 1}", str(i % 4 + 1), f"note {i}", "2026-01-01"))
        conn.execute("COMMIT")
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return samples


def _ours_ms(folder: Path, count: int) -> list[float]:
    from qa_tui.config import resolve_paths
    from qa_tui.services import build_services

    svc = build_services(resolve_paths(folder / "qa.sqlite3"), actor="bench")
    try:
        aid = svc.assessments.start("cqc-saf-well-led", org_name="Bench Trust").id
        samples = []
        for i in range(count):
            start = time.perf_counter()
            svc.assessments.answer(aid, f"WL{i % 8 + 1}", str(i % 4 + 1), note=f"note {i}")
            samples.append((time.perf_counter() - start) * 1000)
        return samples
    finally:
        svc.close()


def run(quick: bool) -> list[Figure]:
    count = 10 if quick else 200
    with tempfile.TemporaryDirectory(prefix="qa-tui-bench-") as tmp:
        floor = _floor_ms(Path(tmp), count)
        ours = _ours_ms(Path(tmp), count)
    name = "raw sqlite3 INSERT+COMMIT, WAL+FULL"
    return [Figure("answer() p50", percentile(ours, 50), percentile(floor, 50), name),
            Figure("answer() p95", percentile(ours, 95), percentile(floor, 95), name)]
