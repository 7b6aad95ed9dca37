"""A progress bar for long batches (demo, export --all, import, verify) on a terminal.

It draws on stderr, so stdout stays the data a script reads, and only when stderr is a
terminal and the output is not ``--json``: piped or scripted runs stay quiet. The bar is
transient: when the batch is done it goes, leaving the per-file lines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Tick = Callable[[], None]

MIN_ITEMS = 2
"""A single item needs no bar."""


def wanted(*, as_json: bool = False) -> bool:
    return not as_json and sys.stderr is not None and sys.stderr.isatty()


def _nothing() -> None:
    return None


@contextmanager
def counting(description: str, total: int, *, enabled: bool) -> Iterator[Tick]:
    """``tick()`` once per item done; draws ``description  ━━━━  3/20  0:00:02``."""
    if not enabled or total < MIN_ITEMS:
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
