"""The one place the TUI asks the services layer to write an Excel return.

Export runs in a worker thread (openpyxl is imported on this path only). The services decide
everything (file name, refusals such as identifiers left in notes); this only words the result.
If a build has no return writer, export says so plainly instead of pretending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_tui.errors import QaError

if TYPE_CHECKING:
    from qa_tui.services import Services


class ExportUnavailable(QaError):
    """This build has no return writer wired into the services."""

    code = "unavailable"


OUTCOME_WORDS = {
    "written": "Return written to",
    "unchanged": "Already exported, unchanged:",
    "replaced": "Return replaced:",
}


def export_return(services: Services, assessment_id: str) -> str:
    """Write one assessment's return into the export folder; a sentence saying where."""
    returns = getattr(services, "returns", None)
    if returns is None:
        raise ExportUnavailable("export is not available yet")
    result = returns.export(assessment_id, services.paths.export_dir)
    return f"{OUTCOME_WORDS.get(result.outcome, 'Exported:')} {result.path}"
