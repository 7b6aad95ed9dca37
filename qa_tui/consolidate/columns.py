"""The columns of every consolidated sheet: header, width and how the writer formats them.

The worker that reduces a return (:mod:`qa_tui.consolidate.rows`) builds tuples in exactly this
order and the writer (:mod:`qa_tui.consolidate.sheets`) lays them out with these headers, so the
two can never disagree about which value sits under which header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    style: str = "text"
    """text, wrap, int, count (a centred whole number), centre, number, pct, date, datetime,
    rating (a :class:`Rated` cell) or flag
    (text shown on a red fill: overdue, fork)."""


class Rated(NamedTuple):
    """A rating cell: the word (always shown) and its fill colour (RRGGBB), if any."""

    text: str
    fill: str | None


RETURNS = (
    Col("Organisation", 34, "wrap"), Col("ODS code", 9), Col("Site or service", 26, "wrap"),
    Col("Template", 30, "wrap"), Col("Template id", 20), Col("Version", 8),
    Col("Visit date", 11, "date"), Col("Assessors", 24, "wrap"), Col("Status", 9),
    Col("Revision", 8, "int"), Col("Answered", 9, "int"), Col("Questions", 9, "int"),
    Col("Overall score %", 9, "pct"), Col("Overall rating", 20, "rating"),
    Col("Required unanswered", 11, "int"), Col("Escalations", 18, "wrap"),
    Col("Completed (UTC)", 16, "datetime"), Col("Return id", 37), Col("File", 50, "wrap"),
    Col("Content hash (SHA-256)", 20), Col("Review", 30, "wrap"),
)

RATINGS_LEAD = (
    Col("Organisation", 34, "wrap"), Col("ODS code", 9), Col("Site or service", 26, "wrap"),
    Col("Visit date", 11, "date"), Col("Status", 9),
)
"""The columns before the section ratings in each template block of the Ratings sheet; then
one column a section, then :data:`RATINGS_TAIL`."""
RATINGS_TAIL = (Col("Overall", 20, "rating"), Col("Overall score %", 9, "pct"),
                Col("Return id", 10))
SECTION_WIDTH = 21

RESPONSES = (
    Col("Organisation", 30, "wrap"), Col("Site or service", 22, "wrap"),
    Col("Template id", 18), Col("Section", 24, "wrap"), Col("Question id", 10),
    Col("Row", 6, "int"),  # the row of a repeating group's field (blank: an ordinary question)
    Col("Question", 50, "wrap"), Col("Answer", 22, "wrap"), Col("Answer value", 12, "number"),
    Col("N/A", 5), Col("Score", 7, "number"), Col("Evidence note", 50, "wrap"),
    Col("Return id", 37),
)

ACTIONS = (
    Col("Organisation", 30, "wrap"), Col("Site or service", 22, "wrap"),
    Col("Template id", 18), Col("Question id", 10), Col("Question", 40, "wrap"),
    Col("Action", 50, "wrap"), Col("Owner", 18, "wrap"), Col("Due date", 11, "date"),
    Col("Priority", 8), Col("Status", 8), Col("Overdue", 9, "flag"),
    Col("Days overdue", 8, "int"), Col("Return id", 37),
    # The action's whole life across follow-up visits (issue 12): one row per action, at its
    # latest visit in the batch.
    Col("Action id", 37), Col("Visits", 7, "int"), Col("History", 60, "wrap"),
    Col("Still open", 22, "flag"),
)

VISITS = (
    Col("Organisation", 30, "wrap"), Col("ODS code", 9), Col("Site or service", 22, "wrap"),
    Col("Template id", 18), Col("First visit", 11, "date"), Col("Latest visit", 11, "date"),
    Col("Visits", 7, "int"), Col("Latest status", 9), Col("Latest return id", 37),
    Col("Chain (return ids)", 40, "wrap"),
)

EXCEPTIONS = (
    Col("Exception", 24, "flag"), Col("Organisation", 30, "wrap"), Col("Template id", 18),
    Col("Return id", 37), Col("Revision", 8, "int"), Col("Status", 9),
    Col("Detail", 70, "wrap"), Col("File", 50, "wrap"), Col("Related file", 50, "wrap"),
)

REJECTED = (Col("File", 70, "wrap"), Col("Reason", 90, "wrap"))

COMMITTEE = (
    Col("Organisation", 28, "wrap"), Col("ODS code", 8), Col("Template", 24, "wrap"),
    Col("Latest return", 11, "date"), Col("Perspective", 11, "centre"),
    Col("Rating (coverage)", 22, "rating"), Col("Previous rating", 15, "rating"),
    Col("Direction of travel", 10, "centre"), Col("Escalations since", 12, "count"),
    Col("Open high-priority actions", 11, "count"),
    Col("Overdue high-priority actions", 11, "count"), Col("Headline", 48, "wrap"),
)
"""One row an organisation and template; "Escalations since" gains the date when written."""

ESCALATIONS = (
    Col("Organisation", 30, "wrap"), Col("ODS code", 9), Col("Template id", 18),
    Col("Visit date", 11, "date"), Col("Status", 9), Col("Question id", 10),
    Col("Question", 50, "wrap"), Col("Answer", 12, "wrap"),
    Col("Escalation record", 60, "wrap"), Col("Return id", 37),
)

TREND_LEAD = (Col("Organisation", 30, "wrap"), Col("ODS code", 9))
QUARTER_WIDTH = 17
