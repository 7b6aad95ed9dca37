"""What every command shares: resolved paths, and services opened only when a command needs them.

Listing templates must not create a database, so the store opens lazily on first use.
"""

from __future__ import annotations

from pathlib import Path

import click

from qa_tui.config import Paths, resolve_paths
from qa_tui.services import Services, build_services, load_library
from qa_tui.templates import TemplateLibrary


class CliContext:
    def __init__(self, db: Path | None) -> None:
        self.paths: Paths = resolve_paths(db)
        self._services: Services | None = None
        self._library: TemplateLibrary | None = None

    @property
    def library(self) -> TemplateLibrary:
        if self._library is None:
            self._library = self._services.library if self._services else load_library(self.paths)
        return self._library

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = build_services(self.paths, library=self._library)
            click.get_current_context().call_on_close(self._services.close)
        return self._services


pass_cli = click.make_pass_decorator(CliContext)
