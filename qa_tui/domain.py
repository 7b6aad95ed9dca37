"""Domain vocabulary shared by every layer: enums, small value objects and input rules.

No I/O here. Validation rules for organisation names, ODS codes and dates live here so the CLI,
the TUI and imports all apply the very same ones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

from qa_tui.errors import InvalidInput

JsonValue: TypeAlias = Any
"""A value that survives ``json.dumps``/``json.loads`` unchanged (str, int, float, bool, list)."""


class Status(StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"


class Kind(StrEnum):
    VISIT = "visit"
    SELF_ASSESSMENT = "self-assessment"


class Perspective(StrEnum):
    """Whose view an assessment gives: the provider's own, the commissioner's, or a peer's."""

    SELF = "self"
    ICB = "icb"
    PEER = "peer"


def default_perspective(kind: str) -> Perspective:
    """A self-assessment template is the provider's own view; a visit is the ICB's."""
    return Perspective.SELF if kind == Kind.SELF_ASSESSMENT.value else Perspective.ICB


def clean_perspective(value: str) -> Perspective:
    try:
        return Perspective(value.strip().casefold())
    except ValueError:
        raise InvalidInput(f"perspective {value.strip()!r} is not one of self, icb, peer"
                           ) from None


class ReviewState(StrEnum):
    """A second reviewer's decision on a completed assessment."""

    APPROVED = "approved"
    RETURNED = "returned"


def same_person(a: str, b: str) -> bool:
    """Names compared as people type them: case and spaces do not matter (``Jo  Smith`` is
    ``jo smith`` is ``JoSmith``), so a reviewer cannot pass as someone else by retyping."""
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


class QuestionType(StrEnum):
    SCALE = "scale"
    CHOICE = "choice"
    MULTI = "multi"
    YES_NO = "yes_no"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    COMPUTED = "computed"
    """Read-only: the engine computes it from other answers (see ``Question.compute``)."""


class ScoringMethod(StrEnum):
    PERCENT_BANDS = "percent_bands"
    TOTAL_BANDS = "total_bands"
    """Bands on the total of points, not a percentage: for frameworks that rate by the sum
    (EDS 2022 rates the total of its eleven 0-3 outcome scores)."""
    MEAN = "mean"
    WORST = "worst"
    CQC_AGGREGATE = "cqc_aggregate"
    NONE = "none"


class ActionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class AnswerState:
    """What is recorded for one question: a value, or N/A, plus the evidence note."""

    value: JsonValue = None
    na: bool = False
    note: str = ""

    @property
    def answered(self) -> bool:
        return self.na or self.value is not None


EMPTY_ANSWER = AnswerState()

_ODS = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{3,6}$")
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean_line(value: str, *, field: str, max_len: int = 200, required: bool = True) -> str:
    """A single line of text: trimmed, no control characters, within ``max_len``."""
    text = " ".join(value.split())
    if required and not text:
        raise InvalidInput(f"{field} is required")
    if len(text) > max_len:
        raise InvalidInput(f"{field} is too long ({len(text)} characters; at most {max_len})")
    if any(unicodedata.category(ch) in _CONTROL for ch in text):
        raise InvalidInput(f"{field} contains control characters")
    return text


def clean_note(value: str, *, field: str = "note", max_len: int = 20_000) -> str:
    """Free text that may span lines: line ends normalised, other control characters refused."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > max_len:
        raise InvalidInput(f"{field} is too long ({len(text)} characters; at most {max_len})")
    bad = [ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in _CONTROL]
    if bad:
        raise InvalidInput(f"{field} contains control characters (U+{ord(bad[0]):04X})")
    return text


def clean_org_name(value: str) -> str:
    name = clean_line(value, field="organisation name")
    if len(name) < 2:
        raise InvalidInput("organisation name must have at least 2 characters")
    return name


def clean_ods_code(value: str | None) -> str | None:
    """An ODS code: 3 to 6 letters and digits with at least one letter (RTD, RTD01, A81001)."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _ODS.match(code):
        raise InvalidInput(
            f"ODS code {value.strip()!r} is not of the right shape "
            "(3 to 6 letters and digits, at least one letter, e.g. RTD or A81001)"
        )
    return code


def parse_date(value: str | dt.date, *, field: str = "date") -> dt.date:
    """An ISO date (YYYY-MM-DD); anything else is refused with the expected shape named."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} {text!r} is not a date in the form YYYY-MM-DD") from None


def utc_now() -> dt.datetime:
    """Aware UTC now, to the microsecond: SQLModel refuses naive datetimes."""
    return dt.datetime.now(dt.UTC)
