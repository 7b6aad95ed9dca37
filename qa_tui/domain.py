"""Domain vocabulary shared by every layer: enums, small value objects and input rules.

No I/O here. Validation rules for organisation names, ODS codes and dates live here so the CLI,
the TUI and imports all apply the very same ones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeAlias, overload

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


@overload
def naive_utc(value: dt.datetime) -> dt.datetime: ...
@overload
def naive_utc(value: None) -> None: ...
def naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC to the whole second, for files with no time zones (Excel cells, workbook and
    Word document properties): their headers and readers take such times as UTC."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class CarriedFrom:
    """Where a carried action came from: the previous visit and the action's id there."""

    assessment_id: str
    action_id: str


@dataclass(frozen=True)
class ActionView:
    """An improvement action, the one shape every layer above the store shares: the services
    hand it to the TUI and the CLI, and a return carries it (``actions[]``). The store keeps
    its own record (with the assessment id); ``qa_tui.services.views`` converts, once each way.

    The JSON forms of an action are all here, so a field is added in one place.
    """

    id: str
    question_id: str | None
    description: str
    owner: str
    due_date: dt.date | None
    priority: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None
    carried_from: CarriedFrom | None = None
    """Set on an action carried forward from the previous visit."""

    @property
    def carried(self) -> bool:
        return self.carried_from is not None

    def state_json(self) -> dict[str, Any]:
        """The fields a change can touch, as the audit log keeps them before and after."""
        return {"description": self.description, "owner": self.owner,
                "due_date": self.due_date.isoformat() if self.due_date else None,
                "priority": self.priority, "status": self.status,
                "question_id": self.question_id}

    def with_state(self, data: Any, now: dt.datetime) -> ActionView:
        """This action with the fields of a :meth:`state_json` put back (undo reads the log)."""
        data = data if isinstance(data, dict) else {}
        status = str(data.get("status", self.status))
        return replace(
            self, description=str(data.get("description", self.description)),
            owner=str(data.get("owner", self.owner)),
            due_date=parse_date(data["due_date"]) if data.get("due_date") else None,
            priority=str(data.get("priority", self.priority)), status=status,
            closed_at=(self.closed_at or now) if status == ActionStatus.CLOSED.value else None,
            updated_at=now)

    def to_json(self, stamp: Callable[[dt.datetime], str | None]) -> dict[str, Any]:
        """Every field, times written by ``stamp``: the return's ``actions[]`` entry as is
        (``carried_from`` only on a carried action); ``show --json`` derives its form from it."""
        carried = self.carried_from
        return {"id": self.id, "question_id": self.question_id,
                "description": self.description, "owner": self.owner,
                "due_date": self.due_date.isoformat() if self.due_date else None,
                "priority": self.priority, "status": self.status,
                "created_at": stamp(self.created_at), "updated_at": stamp(self.updated_at),
                "closed_at": stamp(self.closed_at) if self.closed_at else None,
                **({"carried_from": {"assessment_id": carried.assessment_id,
                                     "action_id": carried.action_id}} if carried else {})}
