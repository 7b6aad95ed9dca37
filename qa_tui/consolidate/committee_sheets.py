"""The sheets a quality committee reads: Committee (first), Escalations and Trend.

Committee fits one A4 landscape page for a typical committee (20 organisations): a header that
says exactly what is included, then one row an organisation and template, those needing
attention first. Escalations lists every critical concern, apart from data quality
(Exceptions). Trend puts each organisation's rating in its NHS financial quarter, coloured, and
charts the count of ratings by quarter.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from qa_tui.consolidate import columns as C
from qa_tui.consolidate.committee import (
    NOT_RATED,
    CommitteeView,
    Line,
    Organisations,
    TrendBlock,
    grouped_templates,
    rated_cell,
)
from qa_tui.consolidate.plan import Plan
from qa_tui.consolidate.quarters import quarter_label
from qa_tui.consolidate.ratings import CHART_COLOURS
from qa_tui.consolidate.rows import Row
from qa_tui.consolidate.sheets import TableSheets
from qa_tui.consolidate.workbook import Book, Sheet
from qa_tui.returns.layout import rating_fill

ONE_PAGE_ROWS = 40
"""Up to this many rows the Committee sheet is scaled to one page; beyond, one page wide."""


def committee_cols(plan: Plan) -> list[C.Col]:
    return [replace(c, header=f"Escalations since {plan.since:%d %b %Y}")
            if c.header == "Escalations since" else c for c in C.COMMITTEE]


def _names(paths: tuple[str, ...], limit: int = 3) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def header_lines(plan: Plan, view: CommitteeView) -> list[str]:
    """What is included, in words a committee member can check."""
    included = [e for e in plan.winners if plan.included(e)]
    dates = sorted(e.key.visit_date for e in included)
    span = f"visits {dates[0]:%d %b %Y} to {dates[-1]:%d %b %Y}" if dates else "no visits"
    orgs = len({line.org for line in view.lines})
    files = len(plan.winners) + len(plan.superseded) + len(plan.rejected)
    left = view.drafts_excluded
    drafts = (f"only approved returns rated ({left} not approved left out, listed on "
              "Exceptions)" if plan.options.approved_only
              else "drafts included in ratings, each marked (draft)"
              if plan.options.include_drafts
              else f"{left} draft{'s' if left != 1 else ''} left out of ratings")
    lines = [
        f"Batch: {files} file{'s' if files != 1 else ''} from "
        f"{_names(plan.options.sources) or 'the paths given'}; consolidated "
        f"{plan.generated:%d %b %Y %H:%M} UTC.",
        f"Returns: {len(plan.winners)} accepted, {len(plan.superseded)} superseded, "
        f"{len(plan.rejected)} rejected; {drafts}.",
        f"Latest completed return per organisation and template ({orgs} organisation"
        f"{'s' if orgs != 1 else ''}, {span}); escalations "
        f"counted from {plan.since:%d %b %Y}; actions judged as of {plan.as_of:%d %b %Y}. "
        "Organisations needing attention come first.",
    ]
    grouped = groups_note(plan)
    if grouped:
        lines.append(grouped)
    register = plan.options.register
    if register is not None:
        lines.append(f"Organisations named as in the register {register.source} "
                     f"({len(register.entries)} entries); returns it does not match are "
                     "listed on Exceptions.")
    return lines


def groups_note(plan: Plan) -> str:
    """Said plainly when the batch has repeating groups: their rows are not rated, so no
    rating here reflects them."""
    grouped = grouped_templates(plan)
    if not grouped:
        return ""
    return (f"Repeating groups ({grouped}) are not rated and not summarised here: each "
            "return's rows are on Responses, one line per field per row (Row column).")


def _rating_text(line: Line) -> str | None:
    s = line.latest
    if s is None:
        return None
    if s.rating is None:
        text = f"{NOT_RATED} ({s.coverage_pct}% coverage)"
    elif s.provisional:
        text = f"Provisional: {s.rating} ({s.coverage_pct}% coverage)"
    else:
        text = f"{s.rating} ({s.coverage_pct}% coverage)"
    return f"{text} (draft)" if s.status != "complete" else text


def committee_row(line: Line, plan: Plan) -> Row:
    s, p = line.latest, line.previous
    missing = (f"No approved return ({line.drafts_left_out} not approved left out)"
               if plan.options.approved_only
               else f"No completed return ({line.drafts_left_out} draft(s) left out)")
    rating = rated_cell(line.names, s.rating if s else None, _rating_text(line)) if s else \
        missing
    previous = rated_cell(line.names, p.rating) if p else None
    return (line.org, line.code, line.template_title, s.visit_date if s else None,
            s.perspective if s else None, rating, previous, line.direction,
            line.escalations, s.open_high if s else 0, line.overdue, line.headline(plan.since))


def write_committee(sheet: Sheet, plan: Plan, view: CommitteeView) -> None:
    cols = committee_cols(plan)
    sheet.columns(cols)
    sheet.text("Quality committee summary", "title")
    for text in header_lines(plan, view):
        sheet.text(text, "note")
    sheet.skip()
    header = sheet.row
    sheet.table("Committee", cols, len(view.lines))
    sheet.ws.freeze_panes(header + 1, 0)
    if not view.lines:
        sheet.text("No returns were accepted.", "note")
    for line in view.lines:
        sheet.write(committee_row(line, plan), cols)
    sheet.print_setup(len(cols) - 1, header_row=header,
                      one_page=len(view.lines) <= ONE_PAGE_ROWS)


def make_escalations(book: Book, plan: Plan) -> TableSheets:
    return TableSheets(book, "Escalations", C.ESCALATIONS, plan.count("escalations"))


def escalation_rows(plan: Plan, orgs: Organisations) -> Iterator[Row]:
    """Every critical concern of every accepted return (drafts too: a concern is a concern),
    under the organisation's register name."""
    for entry in plan.winners:
        if entry.count("escalations"):
            name = orgs.name(entry.key)
            for row in plan.spool.load(entry.ref("escalations")):
                yield (name, *row[1:])


def write_trend(book: Book, sheet: Sheet, view: CommitteeView) -> None:
    """Organisation x quarter per template, then the ratings counted by quarter and charted."""
    widest = max((len(C.TREND_LEAD) + len(b.quarters) for b in view.trend), default=2)
    sheet.columns(C.TREND_LEAD)
    sheet.ws.set_column(len(C.TREND_LEAD), max(widest, 12), C.QUARTER_WIDTH)
    sheet.text("Ratings by NHS financial quarter (Q1 = April to June)", "title")
    sheet.text("Each cell: the rating of the organisation's latest return in that quarter, "
               "coloured from worst (red) to best (blue). Below each template: the ratings "
               "counted by quarter, and a chart of them.", "note")
    sheet.skip()
    header = sheet.row
    if not view.trend:
        sheet.text("No returns were accepted.", "note")
    last_col = widest - 1
    for number, block in enumerate((b for b in view.trend if b.rows), start=1):
        quarters = block.quarters
        cols = list(C.TREND_LEAD) + [C.Col(quarter_label(q), C.QUARTER_WIDTH, "rating")
                                     for q in quarters]
        sheet.text(f"{block.title} - {block.template_id}", "title")
        sheet.table(f"Trend{number}", cols, len(block.rows))
        for r in block.rows:
            sheet.write([r.org, r.code, *[r.cells.get(q) for q in quarters]], cols)
        sheet.skip()
        last_col = max(last_col, _count_block(book, sheet, block, number))
        sheet.skip()
    sheet.print_setup(last_col, header_row=header + 1 if len(view.trend) == 1 else 0)


def _count_block(book: Book, sheet: Sheet, block: TrendBlock, number: int) -> int:
    """The ratings of one template counted by quarter, and a stacked column chart of them;
    returns the last column the chart covers (for the print area)."""
    names = list(block.names)
    extra = sorted({k for c in block.counts.values() for k in c} - set(names) - {NOT_RATED})
    series = names + extra + [NOT_RATED]
    quarters = block.quarters
    cols = [C.Col("Quarter", 30)] + [C.Col(n, 12, "int") for n in series]
    top = sheet.row
    sheet.table(f"TrendCount{number}", cols, len(quarters))
    biggest = 1
    for q in quarters:
        counts = block.counts.get(q, {})
        biggest = max(biggest, sum(counts.values()))
        sheet.write([quarter_label(q), *[counts.get(n, 0) for n in series]], cols)
    chart = book.book.add_chart({"type": "column", "subtype": "stacked"})
    ws_name = sheet.ws.get_name()
    last = top + max(1, len(quarters))
    for i, name in enumerate(series, start=1):
        fill = rating_fill(names.index(name), len(names)) if name in names else None
        chart.add_series({
            "name": [ws_name, top, i],
            "categories": [ws_name, top + 1, 0, last, 0],
            "values": [ws_name, top + 1, i, last, i],
            "fill": {"color": f"#{CHART_COLOURS.get(fill or '', 'BFBFBF')}"}, "gap": 80,
        })
    chart.set_title({"name": f"{block.title}: ratings by quarter", "name_font": {"size": 11}})
    chart.set_y_axis(whole_number_axis(biggest, "Returns"))
    chart.set_x_axis({"name": "NHS financial quarter"})
    chart.set_legend({"position": "bottom"})
    at = len(cols) + 1
    sheet.ws.insert_chart(top, at, chart, {"x_scale": 1.2, "y_scale": 1.0})
    used = max(len(quarters) + 1, 16)
    sheet.skip(used - (sheet.row - top))
    return at + 7


def whole_number_axis(biggest: int, name: str) -> dict[str, object]:
    """A count axis with whole-number ticks only (never 0.5 of a return)."""
    return {"name": name, "min": 0, "major_unit": max(1, math.ceil(biggest / 8)),
            "num_format": "0", "major_gridlines": {"visible": True}}
