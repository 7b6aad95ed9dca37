"""Dates as people type them: ``31/12/2026``, ``2026-12-31``, ``31 Dec``, ``31 December 2026``.

Headless (no Textual) so a dialog can show the date it understood while the assessor types,
and any front end can reuse the same reading. Day before month, as written in the UK; a date
with no year is its next occurrence from ``today`` (a due date is in the future).
"""

from __future__ import annotations

import datetime as dt
import re

from qa_tui.errors import InvalidInput

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}

SHAPES = "31/12/2026, 2026-12-31 or 31 Dec"


def read_date(text: str, *, today: dt.date, field: str = "date") -> dt.date:
    """The date ``text`` means, or :class:`InvalidInput` naming the shapes understood."""
    typed = " ".join(text.strip().lower().replace(",", " ").split())
    try:
        found = _read(typed, today)
    except ValueError:  # 31/02/2026: the right shape, no such day
        found = None
    if found is None:
        raise InvalidInput(f"{field} {text.strip()!r} is not a date: type it as {SHAPES}")
    return found


def _read(typed: str, today: dt.date) -> dt.date | None:
    if typed in ("today", "tomorrow"):
        return today + dt.timedelta(days=typed == "tomorrow")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", typed):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", typed):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return dt.date(year, int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?: (\d{4}))?", typed) or None
    day_first = m is not None
    if m is None:
        m = re.fullmatch(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", typed)
    if m is None:
        return None
    day, name = (m[1], m[2]) if day_first else (m[2], m[1])
    month = MONTHS.get(name)
    if month is None:
        return None
    if m[3]:
        return dt.date(int(m[3]), month, int(day))
    found = dt.date(today.year, month, int(day))
    return found if found >= today else dt.date(today.year + 1, month, int(day))


def spoken(date: dt.date) -> str:
    """'Thursday 31 December 2026': how the dialog says the date it understood."""
    return f"{date:%A} {date.day} {date:%B %Y}"
