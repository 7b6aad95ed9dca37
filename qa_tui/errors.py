"""One exception tree for every failure a person may need to read.

Each error carries a stable ``code`` (for scripts and tests), a plain ``message`` and, where it
makes sense, ``where`` it happened (a file, a dotted path, a row). The CLI prints ``str(error)``
as one line; the TUI shows the same text. Nothing here knows about either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class QaError(Exception):
    """Base of every expected failure: bad input, unknown ids, refused files."""

    code: str = "error"

    def __init__(self, message: str, *, where: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InvalidInput(QaError):
    """A value given by a person or a script does not fit (answer, date, ODS code, ...)."""

    code = "invalid"


class NotFound(QaError):
    """An id (assessment, template, question, action) that does not exist."""

    code = "not-found"


class Ambiguous(QaError):
    """An id prefix that matches more than one thing."""

    code = "ambiguous"


class Refused(QaError):
    """An operation that is not allowed in the current state; ``reasons`` lists every cause."""

    code = "refused"

    def __init__(
        self, message: str, reasons: Iterable[str] = (), *, where: str | None = None
    ) -> None:
        super().__init__(message, where=where)
        self.reasons: tuple[str, ...] = tuple(reasons)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.reasons:
            return head
        return head + ": " + "; ".join(self.reasons)


class DatabaseRefused(QaError):
    """A database file that is not ours, is corrupt, or is newer than this program."""

    code = "database"


@dataclass(frozen=True)
class Problem:
    """One located problem in a file: the file, the dotted path inside it, and what is wrong."""

    file: str
    path: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        place = f"{self.file}: {self.path}" if self.path else self.file
        return f"{place}: {self.message}"


class TemplateInvalid(QaError):
    """A template file with one or more problems; all of them are listed, not just the first."""

    code = "template"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0] if self.problems else None
        more = len(self.problems) - 1
        text = str(first) if first else "invalid template"
        if more > 0:
            text += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(text)

    def __str__(self) -> str:
        return self.message


class ReturnInvalid(QaError):
    """A return workbook that cannot be trusted: not a return, damaged, or edited after export."""

    code = "return"
