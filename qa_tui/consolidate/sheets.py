"""The long sheets of the consolidated workbook: Actions, Returns, Responses, Exceptions,
Rejected. Each is one Excel table (header filters) under a frozen header row.

Rows are streamed from the spool in sorted order; a sheet that would pass Excel's row limit
continues on ``Name 2``, ``Name 3``... (each its own table) rather than losing rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from qa_tui.consolidate import columns as C
from qa_tui.consolidate.lineage import Lineage
from qa_tui.consolidate.plan import Plan
from qa_tui.consolidate.rows import Row
from qa_tui.consolidate.workbook import MAX_ROWS, Book, Sheet

ROWS_PER_SHEET = MAX_ROWS - 1
"""Data rows that fit under one header row."""


def sheet_names(name: str, rows: int, per_sheet: int = ROWS_PER_SHEET) -> list[str]:
    parts = max(1, -(-rows // per_sheet))
    return [name] + [f"{name} {i}" for i in range(2, parts + 1)]


class TableSheets:
    """A table that may span several worksheets: made up front (tab order), filled later."""

    def __init__(self, book: Book, name: str, cols: Sequence[C.Col], rows: int,
                 per_sheet: int = ROWS_PER_SHEET) -> None:
        self.cols, self.rows, self.per_sheet = cols, rows, per_sheet
        self.name = name
        self.sheets: list[Sheet] = [book.sheet(n) for n in sheet_names(name, rows, per_sheet)]
        for sheet in self.sheets:
            sheet.forget_rows = True

    def fill(self, rows: Iterable[Row], on_row: Callable[[Row], None] | None = None) -> int:
        written = 0
        current = -1
        for row in rows:
            index = written // self.per_sheet
            if index != current:
                current = index
                self._open(index)
            self.sheets[index].write(row, self.cols)
            if on_row:
                on_row(row)
            written += 1
        if current < 0:
            self._open(0)
        return written

    def _open(self, index: int) -> None:
        sheet = self.sheets[index]
        left = self.rows - index * self.per_sheet
        sheet.columns(self.cols)
        sheet.ws.freeze_panes(1, 0)
        table = self.name.replace(" ", "") + "Table" + (str(index + 1) if index else "")
        sheet.table(table, self.cols, min(self.per_sheet, max(0, left)))
        sheet.print_setup(len(self.cols) - 1, header_row=0,
                          last_row=max(1, min(self.per_sheet, max(0, left))))


def make_actions(book: Book, plan: Plan, lineage: Lineage) -> TableSheets:
    """The Actions register, second in the tab order (a quality lead's first look): one row
    per action, so an action carried to a later visit gives its row to the later copy."""
    return TableSheets(book, "Actions", C.ACTIONS, plan.count("actions") - lineage.superseded())


def make_visits(book: Book, chains: list[Row]) -> TableSheets:
    """Visits: each chain of follow-up visits (first, latest, how many), after Actions."""
    return TableSheets(book, "Visits", C.VISITS, len(chains))


def make_tail_sheets(book: Book, plan: Plan, exceptions: list[Row]) -> dict[str, TableSheets]:
    """The detail sheets, after the chart, in their tab order."""
    return {
        "returns": TableSheets(book, "Returns", C.RETURNS, plan.count("returns")),
        "responses": TableSheets(book, "Responses", C.RESPONSES, plan.count("responses")),
        "exceptions": TableSheets(book, "Exceptions", C.EXCEPTIONS,
                                  len(exceptions) + plan.count("exceptions")),
        "rejected": TableSheets(book, "Rejected", C.REJECTED, len(plan.rejected)),
    }


def plan_exceptions(plan: Plan) -> list[Row]:
    """Exceptions found across files: forks, superseded copies, template versions."""
    rows: list[Row] = []
    for f in plan.forked:
        k = f.key
        rows.append(("Fork (rejected)", k.org_name, k.template_id, k.return_id, k.revision,
                     k.status, f.reason, k.path, "; ".join(f.others)))
    for s in sorted(plan.superseded, key=lambda s: s.key.path):
        k = s.key
        rows.append(("Superseded", k.org_name, k.template_id, k.return_id, k.revision,
                     k.status, s.reason, k.path, s.by))
    return rows + plan.template_exceptions() + plan.unapproved()


def fill_long_sheets(sheets: dict[str, TableSheets], plan: Plan, exceptions: list[Row],
                     tick: Callable[[], None], lineage: Lineage | None = None) -> None:
    stats = plan.stats
    stats.setdefault("open_actions", 0)
    stats.setdefault("overdue_actions", 0)
    headers = [c.header for c in C.ACTIONS]
    overdue, status = headers.index("Overdue"), headers.index("Status")

    def count_action(row: Row) -> None:
        if row[status] != "closed":
            stats["open_actions"] += 1
        if row[overdue]:
            stats["overdue_actions"] += 1

    lineage = lineage or Lineage()
    sheets["actions"].fill(lineage.register_rows(plan.rows("actions")), count_action)
    tick()
    sheets["returns"].fill(plan.rows("returns"))
    tick()
    sheets["responses"].fill(plan.rows("responses"))
    tick()
    sheets["exceptions"].fill(chain(exceptions, plan.rows("exceptions")))
    tick()
    sheets["rejected"].fill(sorted(plan.rejected))
    tick()
