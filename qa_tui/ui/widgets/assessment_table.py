"""A table of assessment summaries, sized to the terminal; used by Home and the bin."""

from __future__ import annotations

import functools
import textwrap

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from qa_tui.ui.format import local_time
from qa_tui.ui.literal import literal

if TYPE_CHECKING:
    from qa_tui.services import AssessmentSummary

# (key, label, fixed width or None for "whatever is left"). Rows are three lines high, so the
# organisation, the template and the rating with its coverage fit at 80 columns. The first
# column flags an escalation (a critical concern) with a glyph and, below it, how many.
COLUMNS = (
    ("flag", "⚠", 1),
    ("org", "Organisation, template, rating", None),
    ("visit", "Visit date", 10),
    ("status", "Status", 8),
    ("progress", "Done", 4),
    ("updated", "Updated", 10),
)
PADDING = 2  # DataTable's cell padding, both sides


class AssessmentTable(DataTable[object]):
    """Rows keyed by assessment id; ``show(rows)`` replaces them and keeps the cursor's row."""

    def __init__(self, *, id: str | None = None, deleted: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: list[AssessmentSummary] = []
        self._deleted = deleted
        self._org_width = 12
        """In the bin, the last column says when it was deleted rather than updated."""

    def on_mount(self) -> None:
        self._layout()

    def on_resize(self) -> None:
        self.show(self._rows, rebuild=True)

    def _layout(self) -> None:
        width = self.size.width or self.app.size.width
        fixed = sum(w + PADDING for _, _, w in COLUMNS if w) + PADDING + 2  # + scrollbar
        org = max(12, width - fixed)
        self._org_width = org
        for key, label, w in COLUMNS:
            if key == "updated" and self._deleted:
                label = "Deleted"
            self.add_column(label, width=w or org, key=key)

    def show(self, rows: Sequence[AssessmentSummary], *, rebuild: bool = False) -> None:
        """Show ``rows``. The same assessments listed again (coming back to Home) are patched
        in place: only the rows that changed are rewritten and the order is re-sorted, so a
        list of 10,000 is not rebuilt on the UI thread for one edited assessment (issue 20).
        Anything else, or a new width, rebuilds the table."""
        current = self.selected_id
        new = list(rows)
        if rebuild or not self._patched(new):
            self._rows = new
            self.clear(columns=True)
            self._layout()
            for summary in self._rows:
                cells, height = self._cells(summary)
                self.add_row(*cells, key=summary.id, height=height)
        if current is not None:
            self.select(current)

    def _cells(self, s: AssessmentSummary) -> tuple[tuple[object, ...], int]:
        """One assessment's cells, in COLUMNS order, and the row's height."""
        org = s.org_name + (f" ({s.org_code})" if s.org_code else "")
        second = f"{s.template_id} · {s.perspective}" + (f" · {s.site}" if s.site else "")
        when = s.deleted_at if self._deleted and s.deleted_at else s.updated_at
        updated = local_time(when).replace(" ", "\n")
        flag = f"⚠\n{len(s.escalations)}" if s.escalations else ""
        # a long organisation name wraps: the row grows so the rating line still shows
        rating = home_rating(s)
        height = sum(_wrapped_lines(part, self._org_width) for part in (org, second, rating))
        return (flag, literal(org, second, rating), s.visit_date.isoformat(),
                s.status + (f"\n{s.review_state}" if s.review_state else ""),
                f"{s.progress_pct}%", updated), height

    def _patched(self, new: list[AssessmentSummary]) -> bool:
        """Update the table in place if ``new`` lists the same assessments it shows; False
        (nothing touched) when it does not, or when a changed row would change height."""
        old = {s.id: s for s in self._rows}
        if not old or len(new) != len(old) or self.row_count != len(old) \
                or any(s.id not in old for s in new):
            return False
        changed = [(s, *self._cells(s)) for s in new if s != old[s.id]]
        if any(height != self.rows[RowKey(s.id)].height for s, _, height in changed):
            return False
        for s, cells, _ in changed:
            for (column, _, _), value in zip(COLUMNS, cells, strict=True):
                self.update_cell(s.id, column, value)
        if [s.id for s in new] != [s.id for s in self._rows]:
            # DataTable sorts by cell values: key each row by its organisation cell's identity
            place = {id(self.get_cell(s.id, "org")): i for i, s in enumerate(new)}
            self.sort("org", key=lambda cell: place[id(cell)])
        self._rows = new
        return True

    def select(self, assessment_id: str) -> None:
        for index, s in enumerate(self._rows):
            if s.id == assessment_id:
                self.move_cursor(row=index)
                return

    @property
    def selected_id(self) -> str | None:
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= len(self._rows):
            return None
        return self._rows[self.cursor_row].id

    @property
    def selected(self) -> AssessmentSummary | None:
        sid = self.selected_id
        return next((s for s in self._rows if s.id == sid), None)


@functools.lru_cache(maxsize=4096)
def _wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a cell ``width`` wide, wrapped at words as the table
    wraps it: every part of a row (organisation, template and site, rating) shows whole.

    Cached, and a short line skips ``textwrap``: the template and rating parts repeat across
    thousands of rows, and wrapping each was half of Home's first show at 10,000 (issue 20)."""
    if len(text) <= width and "\t" not in text:
        return 1
    return max(1, len(textwrap.wrap(text, width=max(1, width), break_long_words=True)))


def home_rating(s: AssessmentSummary) -> str:
    """The rating word first (never the part cut off), then its coverage."""
    if s.rating is None:
        text = f"not rated yet ({s.coverage_pct}% answered)"
    elif s.provisional:
        text = f"{s.rating} (provisional, {s.coverage_pct}%)"
    else:
        text = f"{s.rating} ({s.coverage_pct}% answered)"
    return text
