"""Datetimes as the store keeps them: UTC, fixed-width ISO text with microseconds
(``2024-05-01T09:30:00.000000Z``), so ``ORDER BY`` on the text is chronological and a value read
back equals the value written. Free of SQLAlchemy: the ORM column types (``coltypes.py``) and the
plain ``sqlite3`` read path (``lite.py``) both use these.
"""

from __future__ import annotations

import datetime as dt

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def datetime_to_text(value: dt.datetime) -> str:
    """Aware datetime -> stored text. Naive values are refused: their zone is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; use utc_now()")
    return value.astimezone(dt.UTC).strftime(_FORMAT)


def text_to_datetime(value: str) -> dt.datetime:
    """Stored text -> aware UTC datetime (also accepts any ISO form with an offset)."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
