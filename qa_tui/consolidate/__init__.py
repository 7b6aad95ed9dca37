"""Consolidation: many verified returns into one workbook a quality team can read.

The layer sits between the services and the return format: it reads returns only through
:func:`qa_tui.returns.read_return` and knows nothing of the database (``--db`` is done by
:mod:`qa_tui.services.consolidation` through the store and the import use case). XlsxWriter is
imported only when a workbook is written, so importing this package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_tui.consolidate.engine import Consolidation, FileOutcome, Progress, consolidate


def __getattr__(name: str) -> object:
    """``consolidate`` and its result types load XlsxWriter: only when asked for."""
    if name in ("Consolidation", "FileOutcome", "Progress", "consolidate"):
        from qa_tui.consolidate import engine

        return getattr(engine, name)
    raise AttributeError(name)


__all__ = ["Consolidation", "FileOutcome", "Progress", "consolidate"]
