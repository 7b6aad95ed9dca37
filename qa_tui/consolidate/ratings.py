"""The Ratings sheet (organisation x section, one block a template) and the Chart sheet.

Ratings comes first in the workbook because it is what a quality lead reads first: a short
summary, then for each template a table of organisations against its sections, each cell the
rating word on its colour (the word is always there: colour alone fails in print and for
colour-blind readers). The Chart sheet counts the ratings of each section and draws them as
stacked bars, one chart a template.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from qa_tui.consolidate import columns as C
from qa_tui.consolidate.plan import Block, Plan
from qa_tui.consolidate.register import no_register_match
from qa_tui.consolidate.workbook import Book, Sheet
from qa_tui.returns.layout import AMBER, BLUE, GREEN, RED, rating_fill

CHART_COLOURS = {RED: "CC4125", AMBER: "E69138", GREEN: "6AA84F", BLUE: "3D85C6"}
NOT_RATED = "Not rated"


@dataclass
class Tally:
    """Ratings counted per section of one block, for the chart."""

    block: Block
    counts: list[Counter[str]]


def _headers(block: Block) -> list[C.Col]:
    """Lead columns, one column a section (titles made unique for the table), tail columns."""
    cols = list(C.RATINGS_LEAD)
    taken = {c.header.casefold() for c in C.RATINGS_LEAD + C.RATINGS_TAIL}
    for sid, title in block.shape.sections:
        header = title if title.casefold() not in taken else f"{title} ({sid})"
        n = 2
        while header.casefold() in taken:
            header, n = f"{title} ({sid} {n})", n + 1
        taken.add(header.casefold())
        cols.append(C.Col(header, C.SECTION_WIDTH, "rating"))
    return cols + list(C.RATINGS_TAIL)


def _summary(plan: Plan) -> list[str]:
    included = [e for e in plan.winners if plan.included(e)]
    n = len(included)
    orgs = len({no_register_match(e.key.org_code, e.key.org_name).key for e in included})
    drafts = len(plan.winners) - n
    s = plan.stats
    return [
        f"{n} return{'s' if n != 1 else ''} from {orgs} organisation{'s' if orgs != 1 else ''}; "
        f"{s.get('open_actions', 0)} open actions, {s.get('overdue_actions', 0)} overdue as of "
        f"{plan.as_of.isoformat()} (see Actions).",
        f"{len(plan.superseded)} file(s) superseded by a newer or identical copy (see "
        f"Exceptions); {len(plan.rejected)} file(s) rejected (see Rejected). Consolidated "
        f"{plan.generated:%Y-%m-%d %H:%M} UTC.",
        "Each cell shows the rating each return reported; the colour follows it from worst "
        "(red) through amber and green to best (blue). A blank cell: not rated (too few "
        "answers, or the template does not rate). A rating from fewer scored answers than "
        "the template's threshold reads as provisional.",
        (f"{drafts} return(s) not approved by a second reviewer left out (--approved-only; "
         "listed on Exceptions)." if plan.options.approved_only
         else f"{drafts} draft return(s) left out (consolidate --include-drafts brings them in)."
         if drafts else "Drafts, if any, are included and show draft under Status."
         if plan.options.include_drafts else "No draft returns in this batch."),
    ]


def write_ratings(book: Book, sheet: Sheet, plan: Plan) -> list[Tally]:
    blocks = plan.blocks()
    widths: dict[int, float] = {}
    for block in blocks:
        for i, col in enumerate(_headers(block)):
            widths[i] = max(widths.get(i, 0), col.width)
    for i, width in widths.items():
        sheet.ws.set_column(i, i, width)
    sheet.ws.freeze_panes(0, 1)
    sheet.text("Ratings by organisation and section", "title")
    for line in _summary(plan):
        sheet.text(line, "note")
    sheet.skip()
    if not blocks:
        sheet.text("No completed returns were accepted.", "note")
    first_header = sheet.row + 1 if len(blocks) == 1 else 0  # else the sheet's title
    tallies: list[Tally] = []
    for number, block in enumerate(blocks, start=1):
        cols = _headers(block)
        sheet.text(block.heading, "title")
        sheet.table(f"Ratings{number}", cols, len(block.entries))
        lead = len(C.RATINGS_LEAD)
        tally = Tally(block, [Counter() for _ in block.shape.sections])
        entries = sorted(block.entries, key=lambda e: e.key.sort_key)
        for entry in entries:
            for row in plan.spool.load(entry.ref("ratings")):
                sheet.write(row, cols)
                for i, counter in enumerate(tally.counts):
                    cell = row[lead + i]
                    counter[cell.text if cell else NOT_RATED] += 1
        tallies.append(tally)
        sheet.skip()
    sheet.print_setup(max(widths, default=0), header_row=first_header)
    return tallies


def write_chart(book: Book, sheet: Sheet, tallies: list[Tally]) -> None:
    """A small count table per template and a stacked bar chart beside it."""
    sheet.ws.set_column(0, 0, 40)
    sheet.ws.set_column(1, 12, 12)
    sheet.text("Distribution of ratings per section", "title")
    sheet.text("How many returns had each rating in each section; each chart is drawn from "
               "the table on its left.", "note")
    sheet.skip()
    if not tallies:
        sheet.text("No returns were accepted.", "note")
    last_col = 8
    for number, tally in enumerate(tallies, start=1):
        last_col = max(last_col, _chart_block(book, sheet, tally, number))
    sheet.print_setup(last_col, header_row=0)


def _chart_block(book: Book, sheet: Sheet, tally: Tally, number: int) -> int:
    """One template's count table and chart; returns the last column the chart covers."""
    shape = tally.block.shape
    names = list(shape.ratings)
    extra = sorted({k for c in tally.counts for k in c} - set(names) - {NOT_RATED})
    series = names + extra + [NOT_RATED]
    cols = [C.Col("Section", 40, "wrap")] + [C.Col(n, 12, "int") for n in series]
    sheet.text(tally.block.heading, "title")
    top = sheet.row
    sheet.table(f"Chart{number}", cols, len(shape.sections))
    for (_, title), counter in zip(shape.sections, tally.counts, strict=True):
        sheet.write([title, *[counter.get(n, 0) for n in series]], cols)
    chart = book.book.add_chart({"type": "bar", "subtype": "stacked"})
    ws_name = sheet.ws.get_name()
    last = top + len(shape.sections)
    for i, name in enumerate(series, start=1):
        fill = rating_fill(names.index(name), len(names)) if name in names else None
        colour = CHART_COLOURS.get(fill or "", "BFBFBF")
        chart.add_series({
            "name": [ws_name, top, i],
            "categories": [ws_name, top + 1, 0, last, 0],
            "values": [ws_name, top + 1, i, last, i],
            "fill": {"color": f"#{colour}"}, "gap": 60,
        })
    chart.set_title({"name": tally.block.heading, "name_font": {"size": 11}})
    chart.set_y_axis({"reverse": True})
    biggest = max((sum(c.values()) for c in tally.counts), default=1)
    chart.set_x_axis({"name": "Returns", "major_gridlines": {"visible": True}, "min": 0,
                      "major_unit": max(1, math.ceil(biggest / 8)), "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    height = max(280, 26 * len(shape.sections) + 140)
    sheet.ws.insert_chart(top, len(cols) + 1, chart, {"x_scale": 1.4, "y_scale": height / 288})
    used = max(len(shape.sections) + 1, math.ceil(height / 20) + 1)
    sheet.skip(used - (sheet.row - top) + 1)
    return len(cols) + 1 + 8
