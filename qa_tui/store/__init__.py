"""The storage layer: the only code in qa-tui that talks to SQLite (or to PostgreSQL, pg.py).

Services open a ``Store`` and work in short ``write()``/``read()`` blocks, getting frozen
records back; the schema, engine settings and migrations stay in here.

Names load on first use (PEP 562): the records and the plain ``sqlite3`` read path
(``open_reader``, lite.py) do not pay for SQLAlchemy, which is most of a read command's time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa_tui.store.db import Store, open_store
    from qa_tui.store.lite import LiteStore, open_reader
    from qa_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION
    from qa_tui.store.records import (
        ActionRecord,
        ActionUpdateRecord,
        AnswerRecord,
        AssessmentRecord,
        EventRecord,
        ListedAssessment,
        SummaryRecord,
    )
    from qa_tui.store.repo import UnitOfWork
    from qa_tui.store.summaries import summary_of

_WHERE = {
    "Store": "db", "open_store": "db", "LiteStore": "lite", "open_reader": "lite",
    "APPLICATION_ID": "migrations", "SCHEMA_VERSION": "migrations",
    "ActionRecord": "records", "ActionUpdateRecord": "records", "AnswerRecord": "records",
    "AssessmentRecord": "records", "EventRecord": "records", "ListedAssessment": "records",
    "SummaryRecord": "records", "UnitOfWork": "repo", "summary_of": "summaries",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'qa_tui.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"qa_tui.store.{module}"), name)


__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "ActionRecord",
    "ActionUpdateRecord",
    "AnswerRecord",
    "AssessmentRecord",
    "EventRecord",
    "ListedAssessment",
    "LiteStore",
    "Store",
    "SummaryRecord",
    "UnitOfWork",
    "open_reader",
    "open_store",
    "summary_of",
]
