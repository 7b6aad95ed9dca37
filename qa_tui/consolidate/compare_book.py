"""The comparison of two assessments as a small workbook a moderator can file or annotate.

Built from the JSON contract of ``compare --json`` so the file and the script output never
disagree. Text is written as strings (never formulas) through the same neutralising rule as
returns, and the book is laid out to print: landscape A4, one page wide, header rows repeated.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter

from qa_tui.consolidate.workbook import cell_text


def _side(header: dict[str, Any]) -> str:
    name = header["organisation"] + (f" ({header['organisation_code']})"
                                     if header.get("organisation_code") else "")
    return f"{name}, {header['visit_date']}, {header['status']}, {header['id'][:8]}"


def comparison_workbook(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    # A fixed creation time: the same two assessments always give the same bytes.
    book.set_properties({"title": "qa-tui comparison", "created": dt.datetime(2000, 1, 1)})
    bold = book.add_format({"bold": True})
    formats: dict[tuple[bool, bool], Any] = {}

    def fmt(flagged: bool = False, quote: bool = False) -> Any:
        if (flagged, quote) not in formats:
            props: dict[str, Any] = {"text_wrap": True, "valign": "top"}
            if flagged:
                props["bg_color"] = "#FCE4D6"
            if quote:
                props["quote_prefix"] = True
            formats[flagged, quote] = book.add_format(props)
        return formats[flagged, quote]

    def put(ws: Any, row: int, col: int, value: Any, flagged: bool = False) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, col, value, fmt(flagged))
        elif value is not None and value != "":
            text, quote = cell_text(str(value))
            ws.write_string(row, col, text, fmt(flagged, quote))

    def sheet(name: str, headers: list[str], widths: list[int]) -> Any:
        ws = book.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.freeze_panes(1, 0)
        for col, (head, width) in enumerate(zip(headers, widths, strict=True)):
            ws.write_string(0, col, head, bold)
            ws.set_column(col, col, width)
        return ws

    agreement = data["agreement"]
    ws = sheet("Agreement", ["", "value"], [34, 60])
    rows: list[tuple[str, Any]] = [
        ("A", _side(data["a"])), ("B", _side(data["b"])), ("Template", data["template"]),
        ("Same template version", "yes" if data["same_version"] else "no"),
        ("Questions compared (n)", agreement["n"]),
        ("Exact agreement %", agreement["exact"]),
        ("Agreement within one step %", agreement["within_one"]),
        ("Weighted kappa (linear)", agreement["kappa_weighted"]),
        ("N/A on either side", agreement["na"]),
        ("Blank on either side", agreement["unanswered"]),
        ("Overall rating A", data["overall"]["a_rating"]),
        ("Overall rating B", data["overall"]["b_rating"]),
    ]
    if data.get("groups"):  # rows are each side's own list: counted, never paired
        from qa_tui.templates.compare import NOT_COMPARED

        rows.append(("Repeating groups", f"{NOT_COMPARED}."))
        rows += [(f"Group {g['group']}", g["summary"]) for g in data["groups"]]
    for r, (label, value) in enumerate(rows, start=1):
        ws.write_string(r, 0, label, bold)
        put(ws, r, 1, value)

    ws = sheet("Sections", ["Section", "Title", "A score %", "B score %", "Gap", "A rating",
                            "B rating", "Rating steps"], [10, 40, 10, 10, 8, 22, 22, 12])
    for r, s in enumerate([*data["sections"], data["overall"]], start=1):
        for col, key in enumerate(["id", "title", "a_score", "b_score", "gap", "a_rating",
                                   "b_rating", "rating_steps"]):
            put(ws, r, col, s[key])

    ws = sheet("Questions", ["Question", "Section", "A answer", "B answer", "Steps", "Delta",
                             "Flag", "A note", "B note"], [10, 9, 20, 20, 7, 7, 14, 40, 40])
    for r, q in enumerate(data["questions"], start=1):
        cells = [q["id"], q["section"], q["a"]["label"], q["b"]["label"], q["steps"],
                 q["delta"], "more than one step" if q["flagged"] else "",
                 q["a"]["note"], q["b"]["note"]]
        for col, value in enumerate(cells):
            put(ws, r, col, value, q["flagged"])
    book.close()
    return buffer.getvalue()
