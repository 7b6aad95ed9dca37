"""The CLI's own words for a refusal.

Services refuse in plain sentences with typed causes (:class:`qa_tui.errors.ReasonCode`) and
never name a flag; here the CLI adds the flag that gets past a cause (``--force``,
``--allow-identifiers``), so its one-line errors read as they always have.
"""

from __future__ import annotations

from qa_tui.errors import QaError, ReasonCode, Refused


def codes(exc: Refused) -> set[str]:
    """The refusal's own code and every reason's."""
    return {exc.code, *(r.code for r in exc.reasons)}


def hinted(exc: Refused, command: str | None = None) -> str:
    """The refusal's message, with the flag of ``command`` that overrides it, if any."""
    found = codes(exc)
    if ReasonCode.FILE_EXISTS in found:
        return f"{exc.message} (use --force to replace it)"
    if ReasonCode.IDENTIFIER in found:
        verb = "make the report" if command == "report" else "export"
        return (f"{exc.message}, or {verb} with --allow-identifiers if they are not about "
                "patients")
    return exc.message


def worded(exc: QaError, command: str | None = None) -> str:
    """An error as the CLI prints it on one line (``str(exc)`` with the CLI's hints)."""
    if isinstance(exc, Refused):
        return exc.line(hinted(exc, command))
    return str(exc)
