"""Verify many files on every core: each worker reads, checks and reduces whole files.

Verifying a return (unzip, parse, hash, compile its template snapshot, compare every visible
cell) is CPU-bound pure Python, so threads would not help and processes do. Workers start with
``forkserver`` where available (never ``fork``: the TUI calls this from a thread, and forking a
threaded process can deadlock) and only for batches big enough to repay their start-up; a
small batch is read in this process. At most a few files per worker are in flight, so results
never pile up in memory whatever the batch size.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import resource_tracker
from pathlib import Path

from qa_tui.consolidate.rows import Reduced, reduce_return
from qa_tui.errors import QaError
from qa_tui.returns import read_return

SMALL_BATCH = 24
"""Below this many files, one process is quicker than starting workers (~0.3 s each)."""
MAX_WORKERS = 4


@dataclass(frozen=True)
class Rejection:
    path: str
    reason: str


Checked = Reduced | Rejection


def check_file(path: str, as_of: dt.date) -> Checked:
    """Verify and reduce one file; any failure becomes that file's rejection, never the
    batch's (a reader bug on one hostile file must not lose the other returns)."""
    try:
        return reduce_return(read_return(path), as_of=as_of)
    except QaError as exc:
        return Rejection(path, exc.message)
    except OSError as exc:
        return Rejection(path, f"could not be read ({exc.strerror or type(exc).__name__})")
    except Exception as exc:  # noqa: BLE001 - reported per file, see docstring
        return Rejection(path, f"could not be checked (internal error: {type(exc).__name__})")


def default_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _start_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The tracker is handed ``sys.stderr``'s file descriptor; inside the TUI, Textual has
    replaced ``sys.stderr`` with a capture whose ``fileno()`` is -1 and starting any worker
    fails ("bad value(s) in fds_to_keep"). Started once with the process's own stderr, it is
    reused by every pool after.
    """
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        pass
    real = sys.__stderr__
    if real is None:
        return
    captured, sys.stderr = sys.stderr, real
    try:
        resource_tracker.ensure_running()
    except (ImportError, AttributeError, OSError):
        pass  # Windows: no tracker process (it needs _posixsubprocess), and none is needed
    finally:
        sys.stderr = captured


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["qa_tui.consolidate.pool"])
        return ctx
    return multiprocessing.get_context("spawn")


def check_files(files: Sequence[Path], *, as_of: dt.date, workers: int | None = None,
                on_done: Callable[[], None] | None = None) -> Iterator[Checked]:
    """Yield one result per file, in completion order; ``on_done`` ticks after each."""
    names = [str(f) for f in files]
    count = default_workers() if workers is None else max(1, workers)
    if count == 1 or len(names) < SMALL_BATCH:
        yield from _inline(names, as_of, on_done)
        return
    pending = list(reversed(names))
    running: dict[Future[Checked], str] = {}
    try:
        _start_tracker()
        with ProcessPoolExecutor(max_workers=count, mp_context=_context()) as pool:
            while pending or running:
                while pending and len(running) < count * 4:
                    name = pending.pop()
                    running[pool.submit(check_file, name, as_of)] = name
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    name = running.pop(future)
                    try:
                        result = future.result()
                    except BaseException:
                        running[future] = name
                        raise
                    yield result
                    if on_done:
                        on_done()
    except (BrokenProcessPool, OSError, ValueError, RuntimeError, ImportError):
        # Workers could not start (a restricted system; a script without a __main__ guard)
        # or one died (killed, out of memory): finish what is left here, one by one.
        yield from _inline([*running.values(), *reversed(pending)], as_of, on_done)


def _inline(names: Sequence[str], as_of: dt.date,
            on_done: Callable[[], None] | None) -> Iterator[Checked]:
    for name in names:
        yield check_file(name, as_of)
        if on_done:
            on_done()
