"""The one API the TUI and the CLI call: use cases over the store, templates and returns.

Names are loaded on first use (PEP 562), so importing one light module of this package (the
template catalogue, say) does not pay for SQLModel's engine, which is most of start-up time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa_tui.services.actions import ActionChanges, ActionSaved, ActionService
    from qa_tui.services.assessments import UNSET, AssessmentService, Clock
    from qa_tui.services.catalog import (
        CheckResult,
        TemplateInfo,
        check_template_files,
        template_infos,
    )
    from qa_tui.services.consolidation import ConsolidationReport, ConsolidationService
    from qa_tui.services.container import (
        Services,
        build_consolidation,
        build_services,
        build_verifier,
        default_actor,
        load_library,
    )
    from qa_tui.services.returns import ExportResult, ImportResult, ReturnService
    from qa_tui.services.undo import Undone, UndoService
    from qa_tui.services.verification import VerifiedFile, VerifyService, returns_in
    from qa_tui.services.views import (
        AssessmentDetail,
        AssessmentHeader,
        AssessmentSummary,
        HistoryEntry,
    )

_WHERE = {
    "ActionChanges": "actions", "ActionSaved": "actions", "ActionService": "actions",
    "UNSET": "assessments", "AssessmentService": "assessments", "Clock": "assessments",
    "Undone": "undo", "UndoService": "undo",
    "CheckResult": "catalog", "TemplateInfo": "catalog", "check_template_files": "catalog",
    "template_infos": "catalog",
    "ConsolidationReport": "consolidation", "ConsolidationService": "consolidation",
    "Services": "container", "build_services": "container", "default_actor": "container",
    "load_library": "container", "build_consolidation": "container",
    "build_verifier": "container",
    "VerifiedFile": "verification", "VerifyService": "verification",
    "returns_in": "verification",
    "ExportResult": "returns", "ImportResult": "returns", "ReturnService": "returns",
    "AssessmentDetail": "views", "AssessmentHeader": "views", "AssessmentSummary": "views",
    "HistoryEntry": "views",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'qa_tui.services' has no attribute {name!r}")
    return getattr(importlib.import_module(f"qa_tui.services.{module}"), name)


__all__ = [
    "UNSET", "ActionChanges", "ActionSaved", "ActionService", "AssessmentDetail",
    "AssessmentHeader", "AssessmentService", "AssessmentSummary", "CheckResult",
    "ConsolidationReport", "ConsolidationService",
    "Clock", "ExportResult", "HistoryEntry", "ImportResult", "ReturnService", "Services",
    "TemplateInfo", "UndoService", "Undone", "build_services", "check_template_files",
    "default_actor", "load_library", "template_infos", "build_consolidation", "build_verifier",
    "VerifiedFile", "VerifyService", "returns_in",
]
