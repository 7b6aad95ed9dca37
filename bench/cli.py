"""Whole ``qa-tui`` processes, as a script or a person at a prompt waits for them: the read
commands (``list``, ``show``, ``verify`` of one return) against ``python -c 'import click'`` (the least a click CLI can cost), ``answer``
against a python process doing the same insert, and ``list --json`` as the database grows."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.harness import Figure, qa_tui, run_pair, run_process
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
    runs = 1 if quick else 7
    figures: list[Figure] = []
    click = [sys.executable, "-c", "import click"]
    home = database_with(work, sizes[0])
    env = {"QA_TUI_HOME": str(home)}
    aid = run_process(qa_tui("list", "--json"), env=env, runs=1).stdout.split('"id": "')[1][:36]
    returns = work / "cli-returns"
    run_process(qa_tui("export", aid, "--allow-identifiers", "-o", str(returns)), env=env, runs=1)
    one_return = str(next(returns.glob("*.xlsx")))
    for name, args in (("list", ["list"]), ("show", ["show", aid]),
                       ("verify", ["verify", one_return]), ("templates", ["templates"])):
        ours, floor = run_pair(qa_tui(*args), click, env=env, runs=runs)
        figures.append(Figure(f"qa-tui {name} process ({sizes[0]} assessments)", ours.ms,
                              floor.ms, "python -c 'import click', measured in turn"))
    db = home / "data" / "qa-tui.sqlite3"
    ours, floor = run_pair(qa_tui("answer", aid, "WL1", "3"),
                           [sys.executable, "-c", _INSERT, str(db)], env=env, runs=runs)
    figures.append(Figure("qa-tui answer process", ours.ms, floor.ms,
                          "python process doing the insert"))
    for size in sizes:
        env = {"QA_TUI_HOME": str(database_with(work, size))}
        listed = run_process(qa_tui("list", "--json"), env=env, runs=1 if size > 2000 else runs)
        figures.append(Figure(f"list --json, {size} assessments", listed.ms, None, "",
                              note=f"peak {listed.rss_mb:.0f} MB"))
    return figures
