"""Column types whose stored text round-trips exactly and sorts correctly as text.

SQLite has no datetime type. We store UTC as fixed-width ISO text with microseconds
(``2024-05-01T09:30:00.000000Z``) so ``ORDER BY updated_at`` on the text is chronological and a
value read back equals the value written, to the microsecond.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from qa_tui.store.stamps import datetime_to_text, text_to_datetime

class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime stored as fixed-width ISO text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        return datetime_to_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return text_to_datetime(str(value))


class IsoDate(TypeDecorator[dt.date]):
    """A calendar date stored as ``YYYY-MM-DD`` text (what the migrations declare)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise TypeError(f"expected a date, got {type(value).__name__}")
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.date | None:
        if value is None:
            return None
        return dt.date.fromisoformat(str(value))
