"""What every benchmark shares: timing a callable or a child process, medians, the table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Figure:
    """One row: our figure and its floor, both in ``unit``, measured in the same run."""

    name: str
    ours: float
    floor: float | None
    floor_name: str
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.ours / self.floor if self.floor else None


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``fn`` in milliseconds over ``runs`` calls (after one warm-up)."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def median_cpu_ms(fn: Callable[[], object], runs: int) -> float:
    """Median CPU time of ``fn`` in this process, in milliseconds (after one warm-up): what
    it costs without the waits for the disk or for a core another program holds."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class ProcessRun:
    ms: float
    rss_mb: float
    stdout: str


_PEAK = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:]).returncode; t = time.perf_counter() - t; "
         "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
         "sys.stderr.write(f'\\n@@peak {m} {t} {r}\\n')")
"""A wrapper whose only child is the command: its children's peak memory is the command's own,
and the time it reports leaves out the wrapper's own start-up."""


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process: bytecode cached (in a folder of its own), as
    an installed qa-tui has it; with ``PYTHONDONTWRITEBYTECODE`` set, as it is on some CI
    machines, every run would compile qa-tui's sources again and a 0.1 s import would time
    at 0.5 s, while the floors' libraries keep their installed ``.pyc``."""
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "qa-tui-bench-pyc"))
    return env


def run_process(args: Sequence[str], *, env: dict[str, str] | None = None,
                runs: int = 3, warm: bool = True) -> ProcessRun:
    """Median wall time and the largest peak memory of a whole command over ``runs`` runs,
    after one run not counted (it fills the bytecode cache) unless ``warm`` is False."""
    times, peaks, out = [], [], ""
    for run in range(runs + 1 if warm else runs):
        proc = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True,
                              text=True, env=child_env(env), check=False)
        tail = proc.stderr.rstrip().rsplit("\n", 1)[-1].split()
        if tail[:1] != ["@@peak"] or tail[3] not in ("0", "1"):
            raise RuntimeError(f"{' '.join(args[:4])} failed: {proc.stderr.strip()[-300:]}")
        if run or not warm:
            peaks.append(int(tail[1]) / 1024)
            times.append(float(tail[2]) * 1000)
        out = proc.stdout
    return ProcessRun(statistics.median(times), max(peaks), out)


def qa_tui(*args: str) -> list[str]:
    return [sys.executable, "-m", "qa_tui", *args]


def run_pair(ours: Sequence[str], floor: Sequence[str], *, env: dict[str, str] | None = None,
             runs: int = 3) -> tuple[ProcessRun, ProcessRun]:
    """``run_process`` of a command and of its floor, one run of each in turn: on a machine
    whose load changes from second to second, both medians then see the same load."""
    run_process(ours, env=env, runs=1)
    run_process(floor, env=env, runs=1)
    pairs = [(run_process(ours, env=env, runs=1, warm=False),
              run_process(floor, env=env, runs=1, warm=False)) for _ in range(runs)]

    def merged(one: list[ProcessRun]) -> ProcessRun:
        return ProcessRun(statistics.median(r.ms for r in one), max(r.rss_mb for r in one),
                          one[-1].stdout)

    return merged([a for a, _ in pairs]), merged([b for _, b in pairs])


def child_json(module: str, *args: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``python -m bench.<module> --child ARGS`` and return the JSON it prints last: a
    measurement in a fresh process, so nothing the parent loaded or cached counts."""
    proc = subprocess.run([sys.executable, "-m", f"bench.{module}", "--child", *args],
                          capture_output=True, text=True, cwd=ROOT, check=True,
                          env=child_env(env))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load {os.getloadavg()[0]:.1f}"
    return (f"{platform.system()} {platform.machine()}, {cores} cores{load}, "
            f"Python {platform.python_version()}")


def table(figures: Sequence[Figure]) -> str:
    head = f"{'figure':<52} {'qa-tui':>10} {'floor':>10} {'ratio':>7}  floor measured"
    lines = [head, "-" * len(head)]
    for f in figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        floor = f"{f.floor:>8.1f}{f.unit:>2}" if f.floor is not None else f"{'-':>10}"
        lines.append(f"{f.name:<52} {f.ours:>8.1f}{f.unit:>2} {floor} {ratio:>7}  "
                     + "; ".join(x for x in (f.floor_name, f.note) if x))
    return "\n".join(lines)
