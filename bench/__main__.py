"""``python -m bench``: every figure with its floor, measured in the same run, and the ratio.

    python -m bench                 # sizes 20, 2000 and 10000 (slow: it makes the databases)
    python -m bench --sizes 20,200  # smaller databases
    python -m bench --quick         # each benchmark once on tiny inputs (the smoke test)
    python -m bench --only store,ui # some benchmarks
    python -m bench --only files --returns 1000,10000  # consolidation at these batch sizes

Figures are medians of several runs; a ratio is ours over the floor. Nothing here passes or
fails: read the figures beside the targets in README's Performance section.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import cli, files, store, ui
from bench.harness import Figure, machine, table

BENCHMARKS = ("store", "ui", "cli", "files")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs, one run each")
    parser.add_argument("--sizes", default=None, help="database sizes, e.g. 20,2000,10000")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="which benchmarks")
    parser.add_argument("--returns", default=None,
                        help="returns per consolidation, e.g. 1000,10000 (default 1000)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("5" if args.quick else "20,2000,10000")).split(",")]
    chosen = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    print(f"machine: {machine()}", flush=True)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="qa-tui-bench-") as tmp:
        work = Path(tmp)
        for name in chosen:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            if name == "store":
                figures += store.run(args.quick)
            elif name == "ui":
                figures += ui.run(args.quick, sizes, work)
            elif name == "cli":
                figures += cli.run(args.quick, sizes, work)
            else:
                consolidate_sizes = [int(n) for n in (
                    args.returns or ("5" if args.quick else "1000")).split(",")]
                figures += files.run(args.quick, consolidate_sizes, work)
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
