"""Regenerate the example returns in ``exports/examples/`` with ``qa-tui demo`` and ``export``.

    .venv/bin/python exports/make_examples.py [OUT_DIR]

Runs the real command line in a throw-away QA_TUI_HOME, so it never touches your own data.
Picks a complete board self-assessment, a complete visit and a draft with actions, preferring
small templates so the examples stay easy to read. Same code and templates, same files.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SEED = 2026
COUNT = 40
HERE = Path(__file__).resolve().parent


def qa_tui(home: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qa_tui", *args], capture_output=True,
                          text=True, env={"QA_TUI_HOME": home, "QA_TUI_ACTOR": "demo",
                                          "PATH": "/usr/bin:/bin"}, check=False)
    if done.returncode != 0:
        raise SystemExit(f"qa-tui {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def pick(documents: list[dict[str, Any]]) -> list[str]:
    """Three ids: complete self-assessment, complete visit, draft with actions (small first)."""
    by_size = sorted(documents, key=lambda d: (len(d["answers"]), d["assessment"]["id"]))
    rules = [
        lambda a, d: a["status"] == "complete" and a["kind"] == "self-assessment",
        lambda a, d: a["status"] == "complete" and a["kind"] == "visit",
        lambda a, d: a["status"] == "draft" and d["actions"],
    ]
    chosen: list[str] = []
    for rule in rules:
        found = next((d["assessment"]["id"] for d in by_size
                      if rule(d["assessment"], d) and d["assessment"]["id"] not in chosen), None)
        if found is not None:
            chosen.append(found)
    return chosen


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.xlsx"):
        old.unlink()
    with tempfile.TemporaryDirectory() as home:
        qa_tui(home, "demo", "--assessments", str(COUNT), "--seed", str(SEED))
        everything = Path(home) / "json"
        listed = qa_tui(home, "export", "--all", "--format", "json", "-o", str(everything))
        documents = [json.loads(Path(line).read_text("utf-8")) for line in listed.splitlines()]
        printed = qa_tui(home, "export", *pick(documents), "-o", str(out))
    return [Path(line) for line in printed.splitlines()]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "examples"):
        print(path)
