"""The one place the TUI asks the services layer to write an Excel return.

Export runs in a worker thread (openpyxl is imported on this path only). The services decide
everything (file name, refusals such as identifiers left in notes); this only words the result.
A refusal keeps every reason, each with the question it is about when there is one, so the
TUI can list them and take the assessor to each place to fix. If a build has no return writer,
export says so plainly instead of pretending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa_tui.errors import QaError, Refused

if TYPE_CHECKING:
    from qa_tui.services import Services


OUTCOME_WORDS = {
    "written": "Return written to",
    "unchanged": "Already exported, unchanged:",
    "replaced": "Return replaced:",
}


@dataclass(frozen=True)
class Reason:
    """One reason an export was refused, and the question to open to fix it (if any)."""

    text: str
    question_id: str | None = None


@dataclass(frozen=True)
class ExportOutcome:
    """``text`` is one line (where the file went, or why not); ``reasons`` the details."""

    assessment_id: str
    ok: bool
    text: str
    reasons: tuple[Reason, ...] = ()
    replaceable: bool = False
    """The file in the way is an older revision of this return: offer to replace it."""


def export_return(services: Services, assessment_id: str, *,
                  replace: bool = False) -> ExportOutcome:
    """Write one assessment's return into the export folder; what happened, in words.

    ``replace``: the person agreed to replace an older revision of this return."""
    from qa_tui.services.returns import ExportFileExists

    returns = getattr(services, "returns", None)
    if returns is None:
        return ExportOutcome(assessment_id, False, "Export is not available yet.")
    try:
        result = returns.export(assessment_id, services.paths.export_dir, force=replace)
    except ExportFileExists as exc:
        return ExportOutcome(assessment_id, False, f"Not exported: {exc.message}",
                             replaceable=exc.same_return_older)
    except Refused as exc:
        return ExportOutcome(assessment_id, False, f"Not exported: {exc.message}",
                             _reasons(services, assessment_id, exc))
    except QaError as exc:
        return ExportOutcome(assessment_id, False, f"Not exported: {exc}")
    return ExportOutcome(assessment_id, True,
                         f"{OUTCOME_WORDS.get(result.outcome, 'Exported:')} {result.path}")


def _reasons(services: Services, assessment_id: str, exc: Refused) -> tuple[Reason, ...]:
    """The refusal's reasons; for identifiers, matched to their questions by the same scan
    the export gate ran (the reasons are its ``describe()`` lines, in order)."""
    from qa_tui.services.privacy import scan_detail

    try:
        hits = scan_detail(services.assessments.get(assessment_id))
    except QaError:
        hits = []
    if hits and [h.describe() for h in hits] == list(exc.reasons):
        return tuple(Reason(h.describe(), h.question_id) for h in hits)
    return tuple(Reason(r) for r in exc.reasons)
