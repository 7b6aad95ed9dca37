"""The benchmarks keep working: ``python -m bench --quick`` runs every one once on tiny inputs.

No figure is asserted (timings belong to people reading the table, never to pass/fail); the test
checks that each row is there with a number and, where the row has one, a floor beside it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    "answer() p50", "answer() p95", "digit key -> screen updated",
    "start to usable Home, 5 assessments", "back to Home from Assess, 5 assessments",
    "qa-tui list process", "qa-tui show process", "qa-tui verify process",
    "qa-tui answer process", "write_return alone (bytes in memory)", "write_return alone, CPU",
    "list --json, 5 assessments", "export one return", "consolidate 5 returns, wall",
    "consolidate 5 returns, CPU",
]


def test_every_benchmark_runs_once_on_tiny_inputs(tmp_path: Path) -> None:
    env = {**os.environ, "QA_TUI_HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("machine: ")
    for row in ROWS:
        line = next((x for x in proc.stdout.splitlines() if x.startswith(row)), None)
        assert line is not None, f"no row {row!r} in\n{proc.stdout}"
        assert re.search(r"\d+\.\d(ms| s)", line), line
    assert "x  bare Textual app" in proc.stdout and "XlsxWriter" in proc.stdout
