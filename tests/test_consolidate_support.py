"""Helpers for the consolidation tests (no tests here): a realistic batch of returns with
copies, a newer revision, a fork and broken files; and reading the output back."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from qa_tui.config import resolve_paths
from qa_tui.returns import read_return
from qa_tui.services import Services, build_services
from qa_tui.services.demo import create_demo

from .conftest import FixedClock

AS_OF = "2026-01-01"


def services_at(root: Path, name: str) -> Services:
    """Services on their own database with every user path under ``root`` (never a real
    profile)."""
    paths = resolve_paths(db=root / f"{name}.sqlite3", env={"QA_TUI_HOME": str(root / name)})
    return build_services(paths, actor=name, clock=FixedClock())


def _touch(svc: Services, aid: str, note: str) -> None:
    """One change (reopening first if complete): the revision goes up."""
    detail = svc.assessments.reopen(aid)
    qid = next(iter(detail.answers))
    svc.assessments.set_note(aid, qid, note)


@dataclass
class Batch:
    root: Path
    returns: Path
    """The first export of every demo assessment (one moved to nested/ as .XLSX), plus a lock
    file and four broken files."""
    copy: Path
    newer: Path
    older: Path
    forks: tuple[Path, Path]
    forked_original: Path
    broken: dict[str, Path]
    lock: Path
    extra: Path
    """A return of an assessment not in the batch (for the --db re-run)."""
    ids: set[str] = field(default_factory=set)
    """Return ids expected in the output (every demo id except the forked one)."""

    @property
    def inputs(self) -> list[Path]:
        return [self.returns, self.copy.parent, self.newer.parent, *(f.parent for f in self.forks)]

    @property
    def accepted_files(self) -> list[Path]:
        skip = {self.older, self.forked_original, self.copy, *self.forks}
        files = [p for p in self.returns.rglob("*") if p.suffix.lower() == ".xlsx"
                 and p not in skip and p not in self.broken.values() and p != self.lock]
        return sorted([*files, self.newer])


def make_batch(root: Path, count: int = 24) -> Batch:
    main = services_at(root, "main")
    laptop = services_at(root, "laptop")
    try:
        ids = list(create_demo(main, count=count, seed=11).created)
        returns = root / "returns"
        paths = {aid: main.returns.export(aid, returns).path for aid in ids}
        newer_id, fork_id, copied_id, nested_id, extra_id = ids[0], ids[1], ids[2], ids[3], ids[4]
        nested = returns / "nested" / paths[nested_id].name.replace(".xlsx", ".XLSX")
        nested.parent.mkdir()
        paths[nested_id].rename(nested)
        extra_dir = root / "extra"
        extra_dir.mkdir()
        extra = extra_dir / paths[extra_id].name
        paths[extra_id].rename(extra)
        ids.remove(extra_id)
        # an identical copy in another folder
        copy = root / "copies" / f"copy of {paths[copied_id].name}"
        copy.parent.mkdir()
        shutil.copyfile(paths[copied_id], copy)
        # a newer revision, with an action long overdue
        _touch(main, newer_id, "Re-checked on a second visit")
        main.assessments.add_action(newer_id, "=Chase the audit report", owner="@Matron",
                                    due="2025-01-10", priority="high")
        newer = main.returns.export(newer_id, root / "v2").path
        # a fork: the same revision changed differently in two databases
        laptop.returns.import_file(paths[fork_id])
        _touch(main, fork_id, "Changed at base")
        _touch(laptop, fork_id, "Changed on the laptop")
        fork_a = main.returns.export(fork_id, root / "fork-a").path
        fork_b = laptop.returns.export(fork_id, root / "fork-b").path
        assert read_return(fork_a).data.revision == read_return(fork_b).data.revision
        broken = _broken(returns / "broken", paths[ids[5]])
        lock = returns / f"~${paths[ids[6]].name}"
        lock.write_bytes(b"\x00owner name")
        ids.remove(fork_id)
        return Batch(root, returns, copy, newer, paths[newer_id], (fork_a, fork_b),
                     paths[fork_id], broken, lock, extra, set(ids))
    finally:
        main.close()
        laptop.close()


def _broken(folder: Path, good: Path) -> dict[str, Path]:
    folder.mkdir(parents=True)
    out = {
        "truncated": folder / "truncated.xlsx",
        "not a zip": folder / "not-a-zip.xlsx",
        "plain workbook": folder / "plain.xlsx",
        "edited": folder / "edited.xlsx",
    }
    data = good.read_bytes()
    out["truncated"].write_bytes(data[: len(data) // 2])
    out["not a zip"].write_text("this is a note, not a workbook\n")
    plain = Workbook()
    plain.active.append(["Organisation", "Rating"])
    plain.active.append(["Somewhere NHS Trust", "Good"])
    plain.save(out["plain workbook"])
    wb = load_workbook(good)
    wb["Cover"]["B8"] = "Another Trust"
    wb.save(out["edited"])
    (folder / "readme.txt").write_text("not a workbook, not .xlsx: never read\n")
    return out


REASONS = {
    "truncated": "is not a valid .xlsx",
    "not a zip": "is not a valid .xlsx",
    "plain workbook": "is not a qa-tui return (it has no _return sheet)",
    "edited": "edited after export: Cover row 8 (Organisation), column Value",
}


def table_rows(ws: Any) -> list[dict[str, Any]]:
    """The rows of a sheet's single table, as dicts by header (data rows only)."""
    (table,) = ws.tables.values()
    return _rows(ws, table.ref)


def _rows(ws: Any, ref: str) -> list[dict[str, Any]]:
    cells = ws[ref]
    header = [c.value for c in cells[0]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]
    return [r for r in rows if any(v is not None for v in r.values())]


def tables(ws: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table on a sheet (Ratings and Chart have one per template), by name."""
    return {name: _rows(ws, ref) for name, ref in ws.tables.items()}
