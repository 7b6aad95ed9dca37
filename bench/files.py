"""Files in and out: exporting one return against writing the same cells with XlsxWriter (and
openpyxl's write-only mode), and consolidating N returns against the least any tool must do
with them: read every cell with python-calamine and write the rows with XlsxWriter's
constant-memory mode, in one process."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import Figure, child_json, median_cpu_ms, median_ms


def _export_figures(work: Path, runs: int) -> list[Figure]:
    import io

    import openpyxl
    import xlsxwriter

    from qa_tui.config import resolve_paths
    from qa_tui.returns import write_return
    from qa_tui.services import build_services

    svc = build_services(resolve_paths(work / "export.sqlite3"), actor="bench")
    try:
        detail = svc.assessments.start("qa-visit", org_name="Bench Trust", org_code="RX1")
        aid = detail.id
        for q in detail.template.questions:
            if q.scale is not None and q.type.value == "scale":
                svc.assessments.answer(aid, q.id, q.scale.options[0].label, note="Seen on the day")
        out = work / "exports"
        path = svc.returns.export(aid, out, force=True).path
        ours = median_ms(lambda: svc.returns.export(aid, out, force=True), runs)
        document, template = svc.returns.document(aid), svc.assessments.get(aid).template
        in_memory = median_ms(lambda: write_return(document, template), runs)
        cpu = median_cpu_ms(lambda: write_return(document, template), runs)
    finally:
        svc.close()
    book = openpyxl.load_workbook(path)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]

    def with_xlsxwriter() -> None:
        target = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
        for title, rows in sheets:
            ws = target.add_worksheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None:
                        ws.write(r, c, value)
        target.close()

    def with_openpyxl() -> None:
        target = openpyxl.Workbook(write_only=True)
        for title, rows in sheets:
            ws = target.create_sheet(title)
            for row in rows:
                ws.append(row)
        target.save(io.BytesIO())

    floor = median_ms(with_xlsxwriter, runs)
    return [
        Figure("export one return (qa-visit, 42 answers)", ours, floor,
               "XlsxWriter, same cells", note="the whole export: read, write, fsync, record"),
        Figure("export one return, second floor", ours, median_ms(with_openpyxl, runs),
               "openpyxl write-only, same cells"),
        Figure("write_return alone (bytes in memory)", in_memory, floor,
               "XlsxWriter, same cells", note="openpyxl's per-sheet temporary files included"),
        Figure("write_return alone, CPU", cpu, median_cpu_ms(with_xlsxwriter, runs),
               "XlsxWriter, same cells, CPU"),
    ]


def _floor_child(files: list[str], out: str) -> dict[str, Any]:
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheets: dict[str, Any] = {}
    rows_at: dict[str, int] = {}
    for name in files:
        wb = CalamineWorkbook.from_path(name)
        for sheet_name in wb.sheet_names:
            rows = wb.get_sheet_by_name(sheet_name).to_python()
            if sheet_name not in sheets:
                sheets[sheet_name] = book.add_worksheet(sheet_name[:31])
                rows_at[sheet_name] = 0
            ws = sheets[sheet_name]
            for row in rows:
                r = rows_at[sheet_name]
                for c, value in enumerate(row):
                    if value not in (None, ""):
                        ws.write(r, c, value if not hasattr(value, "isoformat") else str(value))
                rows_at[sheet_name] = r + 1
    book.close()
    return {"rows": sum(rows_at.values())}


def _ours_child(files: list[str], out: str) -> dict[str, Any]:
    import datetime as dt

    from qa_tui.config import resolve_paths
    from qa_tui.services.consolidation import ConsolidationService

    report = ConsolidationService(resolve_paths(), actor="bench").run(
        [Path(f) for f in files], Path(out), as_of=dt.date(2026, 1, 1))
    return {"accepted": len(report.result.accepted)}


def _stop_forkserver() -> None:
    """Stop (and so reap) multiprocessing's fork server, if one ran: the verifying workers
    are its children, not ours, and their CPU counts in ours only once it has been waited
    for. Without this, "CPU (all processes)" left out every worker."""
    from multiprocessing import forkserver

    server: Any = getattr(forkserver, "_forkserver", None)
    if server is not None and getattr(server, "_forkserver_pid", None) is not None:
        server._stop()


def _own_peak_mb() -> float:
    """This process's peak memory. On Linux from ``VmHWM``: ``ru_maxrss`` keeps the peak of
    the process that forked this one (the benchmark itself, holding workbooks), so every
    child showed the same ~80 MB whatever it did."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(argv: list[str]) -> None:
    kind, listing, out = argv
    files = Path(listing).read_text().splitlines()
    start = time.perf_counter()
    cpu = time.process_time()
    extra = _floor_child(files, out) if kind == "floor" else _ours_child(files, out)
    _stop_forkserver()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": time.perf_counter() - start,
                      "cpu": time.process_time() - cpu + usage.ru_utime + usage.ru_stime,
                      "rss_mb": _own_peak_mb(),
                      "child_rss_mb": usage.ru_maxrss / 1024,
                      **extra}))


def _returns(work: Path, count: int) -> list[Path]:
    folder = work / f"returns-{count}"
    if not folder.is_dir():
        from bench.data import database_with

        home = database_with(work, count)
        print(f"  exporting {count} returns ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "qa_tui", "export", "--all", "--allow-identifiers",
                        "-o", str(folder)], env={**os.environ, "QA_TUI_HOME": str(home)},
                       check=False, capture_output=True)
    return sorted(folder.glob("*.xlsx"))


def run(quick: bool, sizes: list[int], work: Path) -> list[Figure]:
    figures = _export_figures(work, 3 if quick else 15)
    for count in sizes:
        files = _returns(work, count)
        listing = work / f"list-{count}.txt"
        listing.write_text("\n".join(map(str, files)))
        env = {"QA_TUI_HOME": str(work / "consolidate-home")}
        # In turn, floor then ours, and the median of each: the load on a shared machine
        # changes from minute to minute, and a lone pair of runs can land on either side.
        rounds = [(child_json("files", "floor", str(listing), str(work / f"floor-{count}.xlsx")),
                   child_json("files", "ours", str(listing), str(work / f"ours-{count}.xlsx"),
                              env=env))
                  for _ in range(1 if quick or count > 2000 else 3)]
        floor = {k: statistics.median(f[k] for f, _ in rounds) for k in ("wall", "cpu", "rss_mb")}
        ours = {k: statistics.median(o[k] for _, o in rounds)
                for k in ("wall", "cpu", "rss_mb", "child_rss_mb")}
        floor_name = "python-calamine read + XlsxWriter constant_memory write"
        figures.append(Figure(f"consolidate {len(files)} returns, wall", ours["wall"],
                              floor["wall"], floor_name, unit="s"))
        figures.append(Figure(f"consolidate {len(files)} returns, CPU (all processes)",
                              ours["cpu"], floor["cpu"], floor_name, unit="s",
                              note=f"peak {ours['rss_mb']:.0f} MB (largest worker "
                                   f"{ours['child_rss_mb']:.0f} MB) vs {floor['rss_mb']:.0f} MB"))
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
