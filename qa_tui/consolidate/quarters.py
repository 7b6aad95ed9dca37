"""NHS financial quarters: the year runs April to March, Q1 is April to June."""

from __future__ import annotations

import datetime as dt


def fy_quarter(day: dt.date) -> tuple[int, int]:
    """The NHS financial year (the calendar year it starts in) and quarter: Q1 is April to
    June, so 31 March 2026 is 2025/26 Q4 and 1 April 2026 is 2026/27 Q1."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def quarter_label(quarter: tuple[int, int]) -> str:
    year, q = quarter
    return f"{year}/{(year + 1) % 100:02d} Q{q}"


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the NHS financial quarter ``day`` falls in (the default ``--since``)."""
    year, q = fy_quarter(day)
    month = 4 + 3 * (q - 1)
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
