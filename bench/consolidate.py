"""Benchmark: consolidating 100 and 1,000 demo returns, beside the floor of opening the same
files with openpyxl ``read_only=True`` (every cell of every sheet) in the same run.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/consolidate.py            # generates returns into a temp dir
    .venv/bin/python bench/consolidate.py --data DIR  # reuse a folder of >= 1,000 returns
    .venv/bin/python bench/consolidate.py --db        # also time loading a --db database

Each measurement runs in a fresh child process, so its wall time includes nothing else and its
peak memory (``ru_maxrss``) is its own: the parent's, and the largest worker's. Targets (issue
#6): 1,000 returns in 10 s or less on 2 cores, no slower than the openpyxl floor, and memory
flat as the count grows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

COUNTS = (100, 1000)


def _child_floor(files: list[str]) -> dict[str, float]:
    from openpyxl import load_workbook

    cells = 0
    for name in files:
        wb = load_workbook(name, read_only=True, data_only=True, keep_links=False)
        for ws in wb.worksheets:
            ws.reset_dimensions()
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
        wb.close()
    return {"cells": cells}


def _child_consolidate(files: list[str], out: str, db: str | None) -> dict[str, float]:
    import datetime as dt

    from qa_tui.config import resolve_paths
    from qa_tui.services.consolidation import ConsolidationService

    service = ConsolidationService(resolve_paths(), actor="bench")
    report = service.run([Path(f) for f in files], Path(out), db=Path(db) if db else None,
                         as_of=dt.date(2026, 1, 1))
    r = report.result
    return {"accepted": len(r.accepted), "rejected": len(r.rejected),
            "out_mb": Path(out).stat().st_size / 1e6}


class Descendants(threading.Thread):
    """Polls /proc for this process's descendants and keeps the largest peak RSS (VmHWM).

    Worker processes started by a forkserver are its children, not ours, so ``RUSAGE_CHILDREN``
    never sees them; /proc does (Linux only; elsewhere the column reads 0)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            for pid in self._descendants(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))

    @staticmethod
    def _descendants(root: int) -> set[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
        found: set[int] = set()
        frontier = {root}
        while frontier:
            frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
            found |= frontier
        return found


def child(argv: list[str]) -> None:
    """``--child floor|consolidate LISTFILE [OUT [DB]]``: one measurement, JSON on stdout."""
    kind, listing = argv[0], Path(argv[1])
    files = listing.read_text().splitlines()
    watcher = Descendants()
    if Path("/proc").is_dir():
        watcher.start()
    start = time.perf_counter()
    if kind == "floor":
        extra = _child_floor(files)
    else:
        extra = _child_consolidate(files, argv[2], argv[3] if len(argv) > 3 else None)
    seconds = time.perf_counter() - start
    watcher.stop.set()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = max(watcher.peak_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": own, "worker_rss_mb": kids, **extra}))


def _measure(kind: str, files: list[Path], work: Path, db: bool = False) -> dict[str, float]:
    listing = work / f"{kind}-{len(files)}.txt"
    listing.write_text("\n".join(map(str, files)))
    args = [sys.executable, __file__, "--child", kind, str(listing)]
    if kind != "floor":
        args.append(str(work / f"out-{len(files)}-{kind}.xlsx"))
        if db:
            args.append(str(work / f"db-{len(files)}-{time.monotonic_ns()}.sqlite3"))
    env = {**os.environ, "QA_TUI_HOME": str(work / "home")}
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def generate(folder: Path, count: int) -> list[Path]:
    """``qa-tui demo`` + ``qa-tui export --all`` into ``folder`` (about 45 ms a return)."""
    env = {**os.environ, "QA_TUI_HOME": str(folder / "home")}
    exe = [sys.executable, "-m", "qa_tui"]
    print(f"generating {count} demo returns in {folder} ...", flush=True)
    subprocess.run([*exe, "demo", "--assessments", str(count), "--seed", "7"], env=env,
                   check=True, capture_output=True)
    subprocess.run([*exe, "export", "--all", "-o", str(folder / "returns")], env=env,
                   check=True, capture_output=True)
    return sorted((folder / "returns").glob("*.xlsx"))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="a folder of at least 1,000 returns")
    parser.add_argument("--db", action="store_true", help="also time --db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qa-tui-bench-") as tmp:
        work = Path(tmp)
        files = sorted(args.data.glob("*.xlsx")) if args.data else generate(work, max(COUNTS))
        if len(files) < max(COUNTS):
            sys.exit(f"need {max(COUNTS)} returns, found {len(files)}")
        print(f"cores: {len(os.sched_getaffinity(0))}; python {sys.version.split()[0]}")
        head = (f"{'returns':>8} {'what':<22} {'wall s':>7} {'work s':>7} {'x floor':>8} "
                f"{'parent MB':>10} {'worker MB':>10}")
        print(head)
        print("-" * len(head))
        for count in COUNTS:
            subset = files[:count]
            floor = _measure("floor", subset, work)
            runs = [("openpyxl read-only floor", floor),
                    ("consolidate", _measure("consolidate", subset, work))]
            if args.db:
                runs.append(("consolidate --db", _measure("consolidate", subset, work, True)))
            for label, r in runs:
                ratio = r["seconds"] / floor["seconds"]
                print(f"{count:>8} {label:<22} {r['wall']:>7.2f} {r['seconds']:>7.2f} "
                      f"{ratio:>8.2f} {r['rss_mb']:>10.0f} {r['worker_rss_mb']:>10.0f}")
        print("work s: inside the child process (no interpreter start-up); x floor: work "
              "time over the floor's; worker MB: the largest child process (0: none).")


if __name__ == "__main__":
    main()
