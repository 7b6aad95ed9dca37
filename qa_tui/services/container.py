"""The composition root: :func:`build_services` resolves paths, opens the database and loads the
template library; the CLI, the TUI and the tests all build their services here. The services
that need no database of their own (:func:`build_verifier`, :func:`build_consolidation`) are
built here too, without loading the store: the store's modules are imported by
:func:`build_services` only.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qa_tui.config import Paths, resolve_paths
from qa_tui.domain import utc_now

if TYPE_CHECKING:
    import datetime as dt

    from qa_tui.services.actions import ActionService
    from qa_tui.services.assessments import AssessmentService
    from qa_tui.services.catalog import TemplateInfo
    from qa_tui.services.consolidation import ConsolidationService
    from qa_tui.services.followup import FollowUpService
    from qa_tui.services.reports import ReportService
    from qa_tui.services.returns import ReturnService
    from qa_tui.services.undo import UndoService
    from qa_tui.services.verification import VerifyService
    from qa_tui.store import Store
    from qa_tui.templates import TemplateLibrary

Clock = Callable[[], "dt.datetime"]


def default_actor() -> str:
    """Who the audit log names: ``QA_TUI_ACTOR`` if set, else the operating-system user."""
    name = os.environ.get("QA_TUI_ACTOR", "").strip()
    if name:
        return name[:100]
    try:
        return getpass.getuser()
    except Exception:  # no user name on some locked-down machines
        return "unknown"


@dataclass
class Services:
    paths: Paths
    store: Store
    library: TemplateLibrary
    assessments: AssessmentService
    actor: str
    returns: ReturnService
    reports: ReportService
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def actions(self) -> ActionService:
        """Add, edit, close and review actions (stateless: built here)."""
        from qa_tui.services.actions import ActionService

        return ActionService(self.assessments)

    @property
    def undo(self) -> UndoService:
        """Undo the latest change to an assessment (stateless: built here)."""
        from qa_tui.services.undo import UndoService

        return UndoService(self.assessments)

    @property
    def followups(self) -> FollowUpService:
        """Follow-up visits, previous answers and the chain of visits (stateless: built here)."""
        from qa_tui.services.followup import FollowUpService

        return FollowUpService(self.assessments)

    def templates(self) -> list[TemplateInfo]:
        from qa_tui.services.catalog import template_infos

        return template_infos(self.library)

    def close(self) -> None:
        self.store.close()


def load_library(paths: Paths) -> TemplateLibrary:
    from qa_tui.templates import TemplateLibrary

    return TemplateLibrary.load(user_dir=paths.templates_dir)


def build_services(paths: Paths | None = None, *, actor: str | None = None,
                   clock: Clock = utc_now, library: TemplateLibrary | None = None) -> Services:
    from qa_tui.services.assessments import AssessmentService
    from qa_tui.services.reports import ReportService
    from qa_tui.services.returns import ReturnService
    from qa_tui.store import open_store

    paths = paths or resolve_paths()
    store = open_store(paths.database, backup_dir=paths.backup_dir)
    library = library or load_library(paths)
    who = actor or default_actor()
    assessments = AssessmentService(store, library, actor=who, clock=clock)
    return Services(paths=paths, store=store, library=library, assessments=assessments,
                    actor=who,
                    returns=ReturnService(store, assessments, paths, actor=who, clock=clock),
                    reports=ReportService(assessments, paths.export_dir))


def build_verifier() -> VerifyService:
    """Verify returns without a database (``qa-tui verify``): no store is opened or loaded."""
    from qa_tui.services.verification import VerifyService

    return VerifyService()


def build_consolidation(paths: Paths | None = None, *, actor: str | None = None,
                        clock: Clock = utc_now) -> ConsolidationService:
    """Consolidate returns into a workbook (and a database it is told of); never opens the
    user's own database."""
    from qa_tui.services.consolidation import ConsolidationService

    return ConsolidationService(paths or resolve_paths(), actor=actor or default_actor(),
                                clock=clock)
