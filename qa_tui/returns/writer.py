"""Write a return workbook: five sheets, byte-for-byte the same for the same document.

openpyxl stamps "now" into the document properties and into every zip entry; both are pinned
here to the time the exported revision was saved, and the zip is rewritten with fixed entry
metadata, so exporting one revision twice (or after an import elsewhere) gives identical bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from qa_tui.domain import naive_utc
from qa_tui.errors import ReturnInvalid
from qa_tui.returns.document import FORMAT, FORMAT_VERSION, ReturnData
from qa_tui.returns.layout import SheetModel, Value, visible_sheets
from qa_tui.returns.textsafe import neutralise
from qa_tui.templates import Template, canonical_json, sha256_hex

JSON_CHUNK = 4_000
"""Characters of JSON per ``_return`` cell: even fully escaped (7x) it stays under Excel's
32,767-character cell limit."""

_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "pct": "0.0",
            "int": "0", "number": "General"}
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_LEFT_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_TABLE_STYLE = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)


def write_return(document: Mapping[str, Any], template: Template) -> bytes:
    """The ``.xlsx`` bytes of a return for ``document`` (the canonical JSON object)."""
    data = ReturnData.from_document(dict(document))
    text = canonical_json(document)
    digest = sha256_hex(text)
    wb = Workbook()
    wb.remove(wb.active)
    for model in visible_sheets(data, template, digest):
        _render(wb.create_sheet(model.name), model)
    _machine_sheet(wb.create_sheet("_return"), text, digest)
    wb.active = 0
    saved = naive_utc(data.updated_at)
    props = wb.properties
    props.creator = f"qa-tui {data.generator_version}"
    props.lastModifiedBy = None
    props.title = f"{data.template_title}: {data.org_name}"[:250]
    props.created = naive_utc(data.created_at)
    props.modified = saved
    buffer = io.BytesIO()
    wb.save(buffer)
    props.modified = saved  # openpyxl's save stamps "now" into it; put the fixed time back
    return _pin_zip(buffer.getvalue(), saved, {"docProps/core.xml": tostring(props.to_tree())})


def _put(ws: Worksheet, row: int, col: int, value: Value, style: str, where: str) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        try:
            safe = neutralise(value)
        except ValueError as exc:
            raise ReturnInvalid(f"cannot write the return: {where}: {exc}") from None
        cell.value = safe.stored
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if safe.quote_prefix:
            cell.quotePrefix = True
    else:
        cell.value = value
        if style in _FORMATS and value is not None:
            cell.number_format = _FORMATS[style]
        elif isinstance(value, dt.datetime):
            cell.number_format = _FORMATS["datetime"]
        elif isinstance(value, dt.date):
            cell.number_format = _FORMATS["date"]
    cell.alignment = _WRAP if style == "wrap" else _TOP


def _render(ws: Worksheet, model: SheetModel) -> None:
    for r, row in enumerate(model.rows, start=1):
        for c, value in enumerate(row, start=1):
            style = model.columns[c - 1].style
            where = f"{model.name} row {r} ({model.keys[r - 1]}), column {model.columns[c - 1].header}"
            _put(ws, r, c, value, style, where)
    for (r, c), colour in sorted(model.fills.items()):
        ws.cell(row=r + 1, column=c + 1).fill = PatternFill("solid", start_color=colour,
                                                             end_color=colour)
    for c, column in enumerate(model.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = column.width
    last = get_column_letter(len(model.columns))
    # Printed, every sheet is landscape and one page wide, so no column ends up on a page of
    # its own (the Cover's values once printed apart from their labels).
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if model.name == "Cover":
        ws["A1"].font = _TITLE
        for r in range(model.first_data_row, len(model.rows) + 1):
            ws.cell(row=r, column=1).font = _BOLD
            ws.cell(row=r, column=2).alignment = _LEFT_WRAP  # numbers beside their labels
        return
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    if model.table is None:
        for c in range(1, len(model.columns) + 1):
            ws.cell(row=1, column=c).font = _BOLD
        return
    # A table needs at least one data row: an empty register gets one empty row.
    end = max(len(model.rows), 2)
    table = Table(displayName=model.table, ref=f"A1:{last}{end}")
    table.tableStyleInfo = _TABLE_STYLE
    ws.add_table(table)


def _machine_sheet(ws: Worksheet, text: str, digest: str) -> None:
    chunks = [text[i:i + JSON_CHUNK] for i in range(0, len(text), JSON_CHUNK)] or [""]
    rows: list[tuple[str, Value]] = [("format", FORMAT), ("format_version", FORMAT_VERSION),
                                     ("sha256", digest), ("json_parts", len(chunks))]
    rows += [("json", chunk) for chunk in chunks]
    for r, (key, value) in enumerate(rows, start=1):
        _put(ws, r, 1, key, "text", f"_return row {r}")
        _put(ws, r, 2, value, "text", f"_return row {r}")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    ws.sheet_state = "hidden"


def _pin_zip(raw: bytes, when: dt.datetime, replace: Mapping[str, bytes]) -> bytes:
    """Rewrite the zip with fixed entry times and attributes (entry order is openpyxl's),
    swapping in the ``replace`` parts."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute,
             when.second - when.second % 2)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 3
            target.writestr(entry, replace.get(info.filename) or source.read(info),
                           compresslevel=6)
    return out.getvalue()
