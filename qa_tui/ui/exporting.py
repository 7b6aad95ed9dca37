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

from qa_tui.errors import QaError, Reason, ReasonCode, Refused

if TYPE_CHECKING:
    from qa_tui.services import Services


OUTCOME_WORDS = {
    "written": "Return written to",
    "unchanged": "Already exported, unchanged:",
    "replaced": "Return replaced:",
}

# The TUI's own words after a service's plain refusal. The app has no override for either
# cause, so it names the command-line one; an older revision of this return is offered for
# replacing instead (``ExportOutcome.replaceable``).
FORCE_HINT = " (use --force to replace it)"
IDENTIFIERS_HINT = ", or export with --allow-identifiers if they are not about patients"


@dataclass(frozen=True)
class ExportOutcome:
    """``text`` is one line (where the file went, or why not); ``reasons`` the details, each
    typed and with the question to open to fix it, as the service gave them."""

    assessment_id: str
    ok: bool
    text: str
    reasons: tuple[Reason, ...] = ()
    replaceable: bool = False
    """The file in the way is an older revision of this return: offer to replace it."""
    why: str = ""
    """A refusal as a sentence of its own (``text`` without "Not exported: ")."""


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
        if exc.same_return_older:  # the dialog asks to replace it: no command-line hint
            return _refused(assessment_id, exc, exc.message, replaceable=True)
        return _refused(assessment_id, exc, exc.message + FORCE_HINT)
    except Refused as exc:
        identifiers = any(r.code is ReasonCode.IDENTIFIER for r in exc.reasons)
        return _refused(assessment_id, exc,
                        exc.message + (IDENTIFIERS_HINT if identifiers else ""),
                        reasons=exc.reasons)
    except QaError as exc:
        return ExportOutcome(assessment_id, False, f"Not exported: {exc}", why=str(exc))
    return ExportOutcome(assessment_id, True,
                         f"{OUTCOME_WORDS.get(result.outcome, 'Exported:')} {result.path}")


def _refused(assessment_id: str, exc: Refused, message: str, *,
             reasons: tuple[Reason, ...] = (), replaceable: bool = False) -> ExportOutcome:
    """``message`` (the TUI's wording of the refusal) and, when the dialog does not list them,
    the reasons after it on the same line."""
    why = message
    if exc.reasons and not reasons:
        why += exc.reasons_joiner + "; ".join(r.text for r in exc.reasons)
    return ExportOutcome(assessment_id, False, f"Not exported: {why}", reasons, replaceable,
                         why)
