"""What every command shares: resolved paths, and services opened only when a command needs them.

Listing templates must not create a database, so the store opens lazily on first use; and the
services package (SQLModel's engine is most of qa-tui's start-up time) is imported only then,
so ``qa-tui`` alone paints the app's first screen before the database code loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from qa_tui.config import Paths, resolve_paths

if TYPE_CHECKING:
    from qa_tui.services import AssessmentService, ConsolidationService, Services, VerifyService
    from qa_tui.templates import TemplateLibrary


class CliContext:
    def __init__(self, db: str | Path | None) -> None:
        self.paths: Paths = resolve_paths(db)
        self._services: Services | None = None
        self._reader: AssessmentService | None = None
        self._library: TemplateLibrary | None = None

    @property
    def library(self) -> TemplateLibrary:
        if self._library is None:
            if self._services is not None:
                self._library = self._services.library
            else:
                from qa_tui.services import load_library

                self._library = load_library(self.paths)
        return self._library

    @property
    def services(self) -> Services:
        if self._services is None:
            from qa_tui.services import build_services

            self._services = build_services(self.paths, library=self._library)
            click.get_current_context().call_on_close(self._services.close)
        return self._services

    @property
    def verifier(self) -> VerifyService:
        """Checks returns without opening (or loading) the database."""
        from qa_tui.services import build_verifier

        return build_verifier()

    @property
    def consolidation(self) -> ConsolidationService:
        """Consolidates returns; never opens this user's own database."""
        from qa_tui.services import build_consolidation

        return build_consolidation(self.paths)

    @property
    def reader(self) -> AssessmentService:
        """Assessments for a command that only reads: over plain ``sqlite3`` where it can be,
        so ``list`` and ``show`` never import SQLAlchemy (see ``services.reading``)."""
        if self._services is not None:
            return self._services.assessments
        if self._reader is None:
            from qa_tui.services.reading import open_assessments

            self._reader = open_assessments(self.paths, self._library)
            click.get_current_context().call_on_close(self._reader.store.close)
        return self._reader


pass_cli = click.make_pass_decorator(CliContext)
