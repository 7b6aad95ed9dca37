"""The Excel return format, version 1: write, read and verify one return per assessment.

Works on the canonical document (a plain JSON object) and the compiled template; knows nothing
of the database. The spec is ``exports/README.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_tui.returns.allowed import IdentifiersAllowed, identifiers_json
from qa_tui.returns.document import (
    FORMAT,
    FORMAT_VERSION,
    ReturnAction,
    ReturnAnswer,
    ReturnData,
    ReturnRating,
    ReturnReview,
    Scores,
    SectionResult,
    iso_time,
)
from qa_tui.returns.files import SaveOutcome, return_filename, save_file
from qa_tui.returns.reader import VerifiedReturn, read_return
from qa_tui.returns.textsafe import escape, needs_quote_prefix, neutralise, restore

if TYPE_CHECKING:
    from qa_tui.returns.writer import write_return


def __getattr__(name: str) -> object:
    """``write_return`` loads openpyxl (~0.25 s): only on the export path, not at import."""
    if name == "write_return":
        from qa_tui.returns.writer import write_return

        return write_return
    raise AttributeError(name)


__all__ = [
    "FORMAT", "FORMAT_VERSION", "ReturnRating", "SaveOutcome", "ReturnAction", "ReturnAnswer",
    "IdentifiersAllowed", "ReturnData", "ReturnReview", "Scores", "SectionResult", "VerifiedReturn", "escape",
    "identifiers_json", "iso_time",
    "needs_quote_prefix", "neutralise", "read_return", "restore", "return_filename",
    "save_file", "write_return",
]
