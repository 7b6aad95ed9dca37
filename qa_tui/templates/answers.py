"""Turn what a person typed into a stored answer value, checked against its question.

One function serves the CLI (``qa-tui answer ID Q VALUE``), the TUI and imports, so "3", "good",
"G" and "Good" mean the same everywhere. Matching order for options: on a 1-9 integer scale a
digit is that value; then the option key; then the value as text; then the label; then a label
prefix that only one option has. Every step ignores case.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from qa_tui.domain import JsonValue, QuestionType, clean_note, parse_date
from qa_tui.errors import InvalidInput
from qa_tui.templates.model import Option, Question, Scale

_T = TypeVar("_T")

NA_WORDS = frozenset({"n/a", "na", "not applicable"})


@dataclass(frozen=True)
class Parsed:
    value: JsonValue
    na: bool = False


def _options_text(scale: Scale) -> str:
    return ", ".join(f"{o.key}={o.label}" for o in scale.options)


def match_option(scale: Scale, raw: str) -> Option | None:
    text = raw.strip()
    folded = text.casefold()
    if scale.digit_values and text.isdigit():
        return scale.option(int(text))
    stages = (
        lambda o: o.key.casefold() == folded,
        lambda o: str(o.value).casefold() == folded,
        lambda o: o.label.casefold() == folded,
        lambda o: bool(folded) and o.label.casefold().startswith(folded),
    )
    for test in stages:
        hits = [o for o in scale.options if test(o)]
        if len(hits) == 1:
            return hits[0]
    return None


def parse_answer(question: Question, raw: str, *, na: bool = False) -> Parsed:
    """Parse typed text for ``question``; :class:`InvalidInput` names what would be accepted."""
    where = question.id
    # Typed "n/a" means N/A, except as the text of a question that takes free text.
    typed_na = raw.strip().casefold() in NA_WORDS and not _is_option(question, raw) \
        and (question.allow_na or question.type is not QuestionType.TEXT)
    if na or typed_na:
        if not question.allow_na:
            raise InvalidInput("N/A is not allowed for this question", where=where)
        return Parsed(None, na=True)
    qtype = question.type
    if question.scale is not None and qtype is not QuestionType.MULTI:
        opt = match_option(question.scale, raw)
        if opt is None:
            raise InvalidInput(f"{raw.strip()!r} is not an answer here; choose one of "
                               f"{_options_text(question.scale)}", where=where)
        return Parsed(opt.value)
    if qtype is QuestionType.MULTI and question.scale is not None:
        picked: list[JsonValue] = []
        for part in (p for p in raw.split(",") if p.strip()):
            opt = match_option(question.scale, part)
            if opt is None:
                raise InvalidInput(f"{part.strip()!r} is not an option; choose from "
                                   f"{_options_text(question.scale)} (comma-separated)", where=where)
            picked.append(opt.value)
        return Parsed(check_value(question, picked))
    if qtype is QuestionType.NUMBER:
        try:
            number = float(raw.strip().replace(",", ""))
        except ValueError:
            raise InvalidInput(f"{raw.strip()!r} is not a number", where=where) from None
        return Parsed(check_value(question, int(number) if number.is_integer() else number))
    if qtype is QuestionType.DATE:
        return Parsed(_located(question, parse_date, raw).isoformat())
    return Parsed(check_value(question, raw))


def _is_option(question: Question, raw: str) -> bool:
    return question.scale is not None and match_option(question.scale, raw) is not None


def check_value(question: Question, value: JsonValue) -> JsonValue:
    """Check an already-typed value (from JSON or an import) and return its normal form."""
    where = question.id
    qtype = question.type
    if value is None:
        raise InvalidInput("an answer needs a value (or N/A)", where=where)
    if qtype is QuestionType.MULTI:
        if not isinstance(value, list) or question.scale is None:
            raise InvalidInput("expects a list of options", where=where)
        order = [o.value for o in question.scale.options]
        chosen = []
        for v in value:
            if question.scale.option(v) is None:
                raise InvalidInput(f"{v!r} is not an option", where=where)
            if v not in chosen:
                chosen.append(v)
        if not chosen:
            raise InvalidInput("pick at least one option", where=where)
        return sorted(chosen, key=order.index)
    if question.scale is not None:
        if question.scale.option(value) is None:
            raise InvalidInput(f"{value!r} is not an answer here; choose one of "
                               f"{_options_text(question.scale)}", where=where)
        return value
    if qtype is QuestionType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidInput(f"{value!r} is not a number", where=where)
        if question.minimum is not None and value < question.minimum:
            raise InvalidInput(f"{value} is below the minimum {question.minimum:g}", where=where)
        if question.maximum is not None and value > question.maximum:
            raise InvalidInput(f"{value} is above the maximum {question.maximum:g}", where=where)
        return value
    if qtype is QuestionType.DATE:
        if not isinstance(value, str):
            raise InvalidInput(f"{value!r} is not a date", where=where)
        return _located(question, parse_date, value).isoformat()
    if not isinstance(value, str):
        raise InvalidInput(f"expects text, not {type(value).__name__}", where=where)
    text = _located(question, clean_note, value)
    if not text:
        raise InvalidInput("an empty answer: clear the question instead", where=where)
    return text


def _located(question: Question, check: Callable[..., _T], value: Any) -> _T:
    """Run a domain check on an answer, naming the question in any refusal."""
    try:
        return check(value, field="answer")
    except InvalidInput as exc:
        raise InvalidInput(exc.message, where=question.id) from None


def answer_label(question: Question, value: JsonValue, na: bool = False) -> str:
    """How an answer reads to a person: the option label(s), the number, date or text."""
    if na:
        return "N/A"
    if value is None:
        return ""
    if question.scale is not None:
        values: Sequence[JsonValue] = value if isinstance(value, list) else [value]
        labels = [(opt.label if (opt := question.scale.option(v)) else str(v)) for v in values]
        return ", ".join(labels)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
