"""Whole ``qa-tui`` processes, as a script or a person at a prompt waits for them: the read
commands against ``python -c 'import click'`` (the least a click CLI can cost), ``answer``
against a python process doing the same insert, and ``list --json`` as the database grows."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.harness import Figure, qa_tui, run_process
from bench.data import database_with

_INSERT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute('PRAGMA synchronous=FULL')
conn.execute('BEGIN IMMEDIATE')
conn.execute("UPDATE answer SET note = 'x' WHERE rowid = (SELECT min(rowid) FROM answer)")
conn.execute('COMMIT')
"""


def run(quick: bool, sizes: list[int], work: Path) -> list[Figure]:
    runs = 1 if quick else 5
    figures: list[Figure] = []
    click_floor = run_process([sys.executable, "-c", "import click"], runs=runs).ms
    home = database_with(work, sizes[0])
    env = {"QA_TUI_HOME": str(home)}
    aid = run_process(qa_tui("list", "--json"), env=env, runs=1).stdout.split('"id": "')[1][:36]
    for name, args in (("list", ["list"]), ("show", ["show", aid]),
                       ("templates", ["templates"])):
        figures.append(Figure(f"qa-tui {name} process ({sizes[0]} assessments)",
                              run_process(qa_tui(*args), env=env, runs=runs).ms, click_floor,
                              "python -c 'import click'"))
    db = home / "data" / "qa-tui.sqlite3"
    floor = run_process([sys.executable, "-c", _INSERT, str(db)], runs=runs).ms
    ours = run_process(qa_tui("answer", aid, "WL1", "3"), env=env, runs=runs).ms
    figures.append(Figure("qa-tui answer process", ours, floor,
                          "python process doing the insert"))
    for size in sizes:
        env = {"QA_TUI_HOME": str(database_with(work, size))}
        listed = run_process(qa_tui("list", "--json"), env=env, runs=1 if size > 2000 else runs)
        figures.append(Figure(f"list --json, {size} assessments", listed.ms, None, "",
                              note=f"peak {listed.rss_mb:.0f} MB"))
    return figures
