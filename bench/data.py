"""Databases of N demo assessments, made once per run and shared by the benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def database_with(work: Path, count: int) -> Path:
    """A QA_TUI_HOME holding ``count`` demo assessments (``qa-tui demo``, seed 7)."""
    home = work / f"home-{count}"
    marker = home / f".made-{count}"
    if not marker.exists():
        print(f"  making a database of {count} demo assessments ...", file=sys.stderr, flush=True)
        env = {**os.environ, "QA_TUI_HOME": str(home)}
        subprocess.run([sys.executable, "-m", "qa_tui", "demo", "--assessments", str(count),
                        "--seed", "7"], env=env, check=True, capture_output=True)
        marker.write_text("")
    return home
