"""The consolidated workbook as XlsxWriter writes it: streaming, safe text, tables, atomic save.

XlsxWriter in ``constant_memory`` mode keeps one row in memory per sheet, so a workbook of a
million responses costs what one of a hundred does. Three things it does not do by itself:

- **Text that is never a formula.** Every string goes through :func:`cell_text` and
  ``write_string`` (never ``write``), with a ``quote_prefix`` style when it starts like a formula
  (:func:`qa_tui.returns.textsafe.needs_quote_prefix`), so a note such as ``=HYPERLINK(...)``
  shows as text and stays text when edited. XlsxWriter itself encodes control characters and
  literal ``_xHHHH_`` (the part of :func:`qa_tui.returns.textsafe.escape` a writer must do), so
  that is not done twice here. In constant-memory mode it writes a string that looks like
  ``<r>...</r>`` as raw rich-text XML; such text is wrapped as a real one-run rich string.
- **Tables in constant-memory mode**, which it refuses only because ``add_table`` writes the
  header cells itself: :meth:`Sheet.table` adds the table before its header row is flushed and
  rewrites the header cells in streaming form (and keeps ``add_table`` from recording every
  cell of the range, which would cost memory in proportion to the rows).
- **An atomic, private file.** The workbook goes to a temporary name (mode 0600) in the target
  folder, is flushed to disk and renamed over the target, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape as xml_escape

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from qa_tui import durable
from qa_tui.config import ensure_private_dir
from qa_tui.consolidate.columns import Col, Rated
from qa_tui.consolidate.inputs import MARKER
from qa_tui.returns.textsafe import needs_quote_prefix

MAX_TEXT = 32_000
"""Excel holds 32,767 characters in a cell; longer text is cut with a visible note."""
MAX_ROWS = 1_048_576
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMBER_FORMATS = {"int": "0", "count": "0", "number": "0.##", "pct": "0.0", "date": "yyyy-mm-dd",
                   "datetime": "yyyy-mm-dd hh:mm"}
FLAG_FILL = "F4CCCC"
HEADER_FILL = "D9D9D9"
LINE_HEIGHT = 15.0
MAX_LINES = 27
"""Excel's tallest row is 409 points; longer text is still all there, scrolled in the cell."""
_WRAPPED = frozenset({"wrap", "rating", "flag", "header"})


def text_lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column ``width`` characters wide (an estimate
    that errs tall: a printed row that clips text is worse than one with a spare line)."""
    per_line = max(1, int((width - 1.5) / 1.1))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def row_height(values: Sequence[object], cols: Sequence[Col]) -> float | None:
    """The height a row needs for its wrapped text, or None when one line will do.

    Written explicitly because neither XlsxWriter nor LibreOffice sizes rows when a workbook
    is opened: without it, wrapped text prints over the next row."""
    lines = 1
    for value, col in zip(values, cols, strict=False):
        text = value.text if isinstance(value, Rated) else value
        if isinstance(text, str) and col.style in _WRAPPED and len(text) > col.width - 2:
            lines = max(lines, min(MAX_LINES, text_lines(text, col.width)))
    return LINE_HEIGHT * lines + 1 if lines > 1 else None



def cell_text(text: str) -> tuple[str, bool]:
    """(what to hand ``write_string``, whether the cell needs the quote-prefix style)."""
    return _cached_cell_text(text) if len(text) <= 400 else _cell_text(text)


def _cell_text(text: str) -> tuple[str, bool]:
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + " ... [cut: the full text is in the return]"
    if _SURROGATE.search(text):  # cannot be written as UTF-8; shown as a replacement mark
        text = _SURROGATE.sub("\ufffd", text)
    quote = needs_quote_prefix(text)
    if text.startswith("<r>") and text.endswith("</r>"):
        text = f'<r><t xml:space="preserve">{xml_escape(text)}</t></r>'
    return text, quote


_cached_cell_text = functools.lru_cache(maxsize=4096)(_cell_text)
"""Organisations, ids, question texts and labels repeat on every row: worked out once. Long
text (notes) is not cached, so the cache stays small whatever the returns hold."""


class _NoCells(dict[Any, Any]):
    """Stands in for XlsxWriter's per-cell record of table ranges while a table is added.

    ``add_table`` records every cell of the range to refuse overlapping tables later: a dict
    entry per cell, a gigabyte for a million-row table. Our tables never overlap (each sheet
    places them one below another), so nothing is recorded.
    """

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


class Formats:
    """Cell formats made once and shared (Excel files have a limit on distinct styles)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._cache: dict[tuple[str, str | None, bool], Format] = {}

    def get(self, style: str, fill: str | None = None, quote: bool = False) -> Format:
        key = (style, fill, quote)
        found = self._cache.get(key)
        if found is None:
            props: dict[str, Any] = {"valign": "top"}
            if style in ("wrap", "rating", "flag"):
                props["text_wrap"] = True
            if style in _NUMBER_FORMATS:
                props["num_format"] = _NUMBER_FORMATS[style]
            if style in ("count", "centre"):
                props["align"] = "center"
            if style == "header":
                props.update(bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1)
            if style == "title":
                props.update(bold=True, font_size=13)
            if style == "note":
                props.update(italic=True, font_color="595959")
            if fill:
                props["bg_color"] = f"#{fill}"
            if quote:
                props["quote_prefix"] = True
            found = self._cache[key] = self._book.add_format(props)
        return found


class Sheet:
    """One worksheet written top to bottom: rows go in order, never back."""

    def __init__(self, ws: Worksheet, formats: Formats) -> None:
        self.ws = ws
        self.formats = formats
        self.row = 0
        self.forget_rows = False
        """Drop each row's height once written (long tables: memory stays flat). Not on a
        sheet with charts, which XlsxWriter places from the heights of the rows above."""

    def columns(self, cols: Sequence[Col], first: int = 0) -> None:
        for i, col in enumerate(cols, start=first):
            self.ws.set_column(i, i, col.width)

    def print_setup(self, last_col: int, *, header_row: int | None = None,
                    last_row: int | None = None, one_page: bool = False) -> None:
        """Print well: A4 landscape, one page wide (``one_page``: and tall), the header row
        repeated on every page, the print area over what was written, page numbers."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=0.4, right=0.4, top=0.55, bottom=0.55)
        ws.fit_to_pages(1, 1 if one_page else 0)
        if header_row is not None:
            ws.repeat_rows(header_row)
        end = self.row - 1 if last_row is None else last_row
        ws.print_area(0, 0, max(end, 0), max(last_col, 0))
        ws.set_footer("&L&A&RPage &P of &N")

    def text(self, text: str, style: str = "text", col: int = 0) -> None:
        """One line of text (a title or a note) on its own row."""
        stored, quote = cell_text(text)
        self.ws.write_string(self.row, col, stored, self.formats.get(style, None, quote))
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def table(self, name: str, cols: Sequence[Col], data_rows: int) -> None:
        """Header row here and an Excel table (header filters) over the next ``data_rows``."""
        ws, first = self.ws, self.row
        last = first + max(1, data_rows)  # Excel wants at least one data row in a table
        header = self.formats.get("header")
        options = {"name": name, "style": "Table Style Light 1",
                   "columns": [{"header": c.header, "header_format": header} for c in cols]}
        cells, ws.table_cells = ws.table_cells, _NoCells()
        ws.constant_memory = False  # see the module docstring
        try:
            ws.add_table(first, 0, last, len(cols) - 1, options)
        finally:
            ws.constant_memory = True
            ws.table_cells = cells
        height = row_height([c.header for c in cols], [replace(c, style="header") for c in cols])
        if height:
            ws.set_row(first, height)
        for i, col in enumerate(cols):
            ws.write_string(first, i, col.header, header)
        self.row += 1

    def write(self, values: Sequence[Any], cols: Sequence[Col]) -> None:
        """One data row: each value written by its type with its column's format."""
        ws, r, get = self.ws, self.row, self.formats.get
        height = row_height(values, cols)
        if height:
            ws.set_row(r, height)
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            style = cols[c].style
            if isinstance(value, str):
                stored, quote = cell_text(value)
                ws.write_string(r, c, stored,
                                get(style, FLAG_FILL if style == "flag" else None, quote))
            elif isinstance(value, Rated):
                stored, quote = cell_text(value.text)
                ws.write_string(r, c, stored, get("rating", value.fill, quote))
            elif isinstance(value, bool):
                ws.write_string(r, c, "Yes" if value else "No", get(style))
            elif isinstance(value, int | float):
                ws.write_number(r, c, value, get(style))
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, get("datetime"))
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, get("date"))
            else:
                stored, quote = cell_text(str(value))
                ws.write_string(r, c, stored, get(style, None, quote))
        if self.forget_rows and r and ws.previous_row == r:  # row r - 1 is in the file now
            ws.row_info.pop(r - 1, None)
            ws.row_sizes.pop(r - 1, None)
        self.row += 1


class Book:
    """The output workbook, written to a private temporary file until :meth:`commit`."""

    def __init__(self, target: Path, scratch: Path) -> None:
        self.target = target
        ensure_private_dir(target.parent)
        self._tmp = durable.temp_name(target)
        fd = durable.create_private(self._tmp, read=True)
        self._file: IO[bytes] = os.fdopen(fd, "w+b")
        self.book = xlsxwriter.Workbook(self._file, {
            "constant_memory": True, "tmpdir": str(scratch), "strings_to_formulas": False,
            "strings_to_urls": False, "strings_to_numbers": False, "remove_timezone": True})
        self.book.set_properties({"title": "Consolidated quality assessment returns",
                                  "category": MARKER, "comments": "Written by qa-tui"})
        self.formats = Formats(self.book)

    def sheet(self, name: str) -> Sheet:
        return Sheet(self.book.add_worksheet(name), self.formats)

    def commit(self) -> None:
        """Finish the workbook, flush it to disk and put it at the target in one rename."""
        self.book.close()
        self._file.flush()
        durable.flush_to_disk(self._file.fileno())
        self._file.close()
        durable.put_in_place(self._tmp, self.target)

    def abandon(self) -> None:
        """Drop the half-written file (an error or an interrupt): the target is untouched."""
        try:
            self._file.close()
        finally:
            self._tmp.unlink(missing_ok=True)

