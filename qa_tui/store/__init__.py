"""The storage layer: the only code in qa-tui that talks to SQLite (or to PostgreSQL, pg.py).

Services open a ``Store`` and work in short ``write()``/``read()`` blocks, getting frozen
records back; the schema, engine settings and migrations stay in here.
"""

from __future__ import annotations

from qa_tui.store.db import Store, open_store
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

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "ActionRecord",
    "ActionUpdateRecord",
    "AnswerRecord",
    "AssessmentRecord",
    "EventRecord",
    "ListedAssessment",
    "Store",
    "SummaryRecord",
    "UnitOfWork",
    "open_store",
    "summary_of",
]
