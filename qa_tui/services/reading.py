"""Assessments for a read command (``list``, ``show``, ``history``): the same
:class:`AssessmentService`, over the plain ``sqlite3`` read path when the database allows it.

A read command's process then never imports SQLAlchemy (~0.85 s, most of its time, issue 20);
a new, older or PostgreSQL database is opened by the full store as before (``open_reader``).
Nor does it parse the template files (~25% of what was left): every assessment carries its
own template snapshot, so the library loads only if something asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa_tui.config import Paths
from qa_tui.services.assessments import AssessmentService
from qa_tui.store import open_reader
from qa_tui.templates import TemplateLibrary

if TYPE_CHECKING:
    from qa_tui.services.views import AssessmentSummary


class _LibraryOnDemand:
    """Stands in for the :class:`TemplateLibrary` of ``paths`` and loads it on first use."""

    def __init__(self, paths: Paths) -> None:
        self._paths = paths
        self._library: TemplateLibrary | None = None

    def __getattr__(self, name: str) -> Any:
        if self._library is None:
            self._library = TemplateLibrary.load(user_dir=self._paths.templates_dir)
        return getattr(self._library, name)


def open_assessments(paths: Paths, library: TemplateLibrary | None = None, *,
                     actor: str = "reader") -> AssessmentService:
    """Assessments to read; close with ``.store.close()``. Writing through it is refused."""
    store = open_reader(paths.database, backup_dir=paths.backup_dir)
    shelf: Any = library if library is not None else _LibraryOnDemand(paths)
    return AssessmentService(store, shelf, actor=actor)


def first_list(paths: Paths) -> list[AssessmentSummary] | None:
    """Every assessment's summary over plain ``sqlite3``, for the app's Home to show while the
    full services (SQLAlchemy, the template library) open behind it; None when only the full
    store can open this database (new, older, PostgreSQL), which then reads it as before.

    Opens, reads and closes in the calling thread (an ``sqlite3`` connection stays in the
    thread that made it); never writes, and never opens the full store.
    """
    from qa_tui.store.lite import open_lite

    store = open_lite(paths.database)
    if store is None:
        return None
    try:
        shelf: Any = _LibraryOnDemand(paths)
        return AssessmentService(store, shelf, actor="reader").list()
    finally:
        store.close()
