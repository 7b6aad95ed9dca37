"""English bank holidays and working days, computed offline from the rules.

Used for the factual-accuracy deadline of a provider report (visit date + N working days). The
rules are those of the Banking and Financial Dealings Act 1971 and its proclamations for
England and Wales: New Year's Day, Good Friday, Easter Monday, the early May, spring and summer
bank holidays, Christmas Day and Boxing Day, with weekday substitutes when they fall at a
weekend. One-off changes by royal proclamation are a small table below; a year not in it
follows the rules.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

_ONE_OFF_MOVES: dict[dt.date, dt.date] = {
    # Early May bank holiday moved to Friday for the 75th anniversary of VE Day.
    dt.date(2020, 5, 4): dt.date(2020, 5, 8),
    # Spring bank holiday moved to Thursday for the Platinum Jubilee.
    dt.date(2022, 5, 30): dt.date(2022, 6, 2),
    # Spring bank holiday moved for the Golden Jubilee (2002) and Diamond Jubilee (2012).
    dt.date(2002, 5, 27): dt.date(2002, 6, 4),
    dt.date(2012, 5, 28): dt.date(2012, 6, 4),
}
"""Rule-given bank holidays that a proclamation moved to another day."""

_ONE_OFF_EXTRAS: frozenset[dt.date] = frozenset({
    dt.date(1999, 12, 31),  # Millennium
    dt.date(2002, 6, 3),  # Golden Jubilee
    dt.date(2011, 4, 29),  # Royal wedding
    dt.date(2012, 6, 5),  # Diamond Jubilee
    dt.date(2022, 6, 3),  # Platinum Jubilee
    dt.date(2022, 9, 19),  # State funeral of Queen Elizabeth II
    dt.date(2023, 5, 8),  # Coronation of King Charles III
})
"""Extra bank holidays granted for one year only."""


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


def _new_year(year: int) -> dt.date:
    day = dt.date(year, 1, 1)
    return day + dt.timedelta(days={5: 2, 6: 1}.get(day.weekday(), 0))


def _christmas(year: int) -> tuple[dt.date, dt.date]:
    """Christmas and Boxing Day, or their substitutes (the next weekdays not already taken)."""
    christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday 27 and Tuesday 28
        return christmas + dt.timedelta(days=2), boxing + dt.timedelta(days=2)
    if christmas.weekday() == 6:  # Sunday: Boxing Day Monday 26, Christmas Tuesday 27
        return christmas + dt.timedelta(days=2), boxing
    if boxing.weekday() == 5:  # Friday Christmas: Boxing Day on Monday 28
        return christmas, boxing + dt.timedelta(days=2)
    return christmas, boxing


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays in England (and Wales) in ``year``, weekday substitutes included."""
    easter = easter_sunday(year)
    days = {
        _new_year(year),
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
        *_christmas(year),
    }
    days = {_ONE_OFF_MOVES.get(d, d) for d in days}
    days |= {d for d in _ONE_OFF_EXTRAS if d.year == year}
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the start day itself not counted)."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
