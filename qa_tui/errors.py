"""One exception tree for every failure a person may need to read.

Each error carries a stable ``code`` (for scripts and tests), a plain ``message`` and, where it
makes sense, ``where`` it happened (a file, a dotted path, a row). The CLI prints ``str(error)``
as one line; the TUI shows the same text. Nothing here knows about either.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


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


class ReasonCode(StrEnum):
    """What kind of cause a :class:`Reason` is, so each front end can add its own words (the
    CLI its flags, the TUI its keys) without reading the service's sentence."""

    IDENTIFIER = "identifier"
    """A probable patient identifier in free text (``question_id``/``action_id`` where it is)."""
    FILE_EXISTS = "file-exists"
    """A different file already has the name (``file``)."""
    REQUIRED_OPEN = "required-open"
    ROWS_MISSING = "rows-missing"
    """A repeating group has fewer rows than its ``min_rows``."""
    NOTE_OWED = "note-owed"
    ESCALATION_UNRECORDED = "escalation-unrecorded"
    """An escalated answer on a critical question without its escalation record."""
    OTHER = "other"


@dataclass(frozen=True)
class Reason:
    """One cause of a refusal: a plain sentence with no front end's words in it, what kind of
    cause it is, and the question, action or file it is about, when there is one."""

    code: ReasonCode
    text: str
    question_id: str | None = None
    action_id: str | None = None
    file: str | None = None

    def __str__(self) -> str:
        return self.text


class Refused(QaError):
    """An operation that is not allowed in the current state; ``reasons`` lists every cause.

    The message and reasons never name a CLI flag or a TUI key: the CLI and the TUI add their
    own words from ``code`` and the reasons' codes."""

    code = "refused"
    reasons_joiner = ": "
    """Between the message and the reasons in the one-line form."""

    def __init__(
        self, message: str, reasons: Iterable[Reason | str] = (), *, where: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, where=where, code=code)
        self.reasons: tuple[Reason, ...] = tuple(
            r if isinstance(r, Reason) else Reason(ReasonCode.OTHER, r) for r in reasons)

    def line(self, message: str | None = None) -> str:
        """The refusal in one line, with ``message`` (a front end's wording of it) in place
        of the plain message."""
        text = self.message if message is None else message
        head = f"{self.where}: {text}" if self.where else text
        if not self.reasons:
            return head
        return head + self.reasons_joiner + "; ".join(r.text for r in self.reasons)

    def __str__(self) -> str:
        return self.line()


class DatabaseRefused(QaError):
    """A database file that is not ours, is corrupt, or is newer than this program."""

    code = "database"


class ProblemCode(StrEnum):
    """What kind of problem a template has, as pyxform's ``ErrorCode`` does for XLSForms: tests
    and tools match on the code, people read the message (which may be reworded). A ``StrEnum``,
    so a code is also its stable text (``"unknown-scale"``)."""

    INVALID = "invalid"
    """A value breaks a rule the message names (a range, a pattern, a combination)."""
    TYPE = "type"
    """A value of the wrong kind: a list where a table belongs, text where a number does."""
    MISSING = "missing"
    """A required key is absent."""
    EMPTY = "empty"
    """A list or table that must hold something is empty."""
    DUPLICATE = "duplicate"
    """An id (section, question, option value or key) used twice."""
    UNKNOWN_KEY = "unknown-key"
    UNKNOWN_QUESTION = "unknown-question"
    UNKNOWN_SCALE = "unknown-scale"
    UNKNOWN_RATING = "unknown-rating"
    FORWARD_REFERENCE = "forward-reference"
    """``show_if`` looks at a question that comes later."""
    BAD_ID = "bad-id"
    """An id that is not in the form its kind needs (template, section, question, scale)."""
    BAD_CHOICE = "bad-choice"
    """A value outside a fixed set: a kind, a question type."""
    BAD_BAND = "bad-band"
    """Rating bands that overlap, leave gaps or fall outside the range."""
    OVERLAP = "overlap"
    """Bands of a computed field that overlap (the groups branch uses this code)."""
    TOO_LONG = "too-long"
    """A text longer than its field allows."""
    UNSAFE_TEXT = "unsafe-text"
    """A text holding a control or line-breaking character the app would show escaped."""
    NOT_A_TEMPLATE = "not-a-template"
    """The document is not a table of keys, or is nested too deeply to read."""
    NOT_TOML = "not-toml"
    """The file is not UTF-8 TOML (the path says the line and column where known)."""
    UNREADABLE = "unreadable"
    """The file cannot be read: missing, not a regular file, or too large."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a file: the file, the dotted path inside it, what is wrong, and
    its :class:`ProblemCode`."""

    file: str
    path: str
    message: str
    code: ProblemCode = ProblemCode.INVALID

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

    @property
    def codes(self) -> tuple[ProblemCode, ...]:
        """Each problem's code, in order."""
        return tuple(p.code for p in self.problems)

    def __str__(self) -> str:
        return self.message


class ReturnInvalid(QaError):
    """A return workbook that cannot be trusted: not a return, damaged, or edited after export."""

    code = "return"


class StorageError(QaError):
    """The database or a file could not be read or written: a full disk, a read-only drive, a
    lock held by another program, a missing folder. The message is one plain sentence naming
    the file and the remedy; it never carries SQL, its parameters or any answer text."""

    code = "storage"


_NO_PERMISSION = ("permission", "permission denied; choose a folder you may write to, or ask for "
                  "access")
_FILE_REMEDIES: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("disk-full", "the disk is full; free some space and try again"),
    errno.EDQUOT: ("disk-full", "the disk quota is used up; free some space and try again"),
    errno.EFBIG: ("disk-full", "the file is larger than this drive or account allows; free "
                  "space or choose another folder"),
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.EROFS: ("read-only", "the drive is read-only; choose a folder on a writable drive"),
    errno.ENOENT: ("missing", "no such file or folder; check the path"),
    errno.ENOTDIR: ("missing", "part of the path is a file, not a folder; check the path"),
    errno.EISDIR: ("missing", "is a folder, not a file; give a file name"),
    errno.EIO: ("io", "the drive reported an error reading or writing; check the drive and try "
                "again"),
}


def file_problem(exc: OSError, path: str | os.PathLike[str] | None = None) -> StorageError:
    """An ``OSError`` as one plain sentence naming the file and the remedy."""
    where = str(path) if path is not None else (str(exc.filename) if exc.filename else None)
    code, text = _FILE_REMEDIES.get(exc.errno or 0, (
        "io", f"cannot be read or written ({exc.strerror or type(exc).__name__})"))
    return StorageError(text, where=where, code=code)
