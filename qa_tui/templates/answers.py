"""Turn what a person typed into a stored answer value, checked against its question.

One function serves the CLI (``qa-tui answer ID Q VALUE``), the TUI and imports, so "3", "good",
"G" and "Good" mean the same everywhere. Matching for options: on a 1-9 integer scale a digit is
that value; otherwise the token is compared with every option's key, value (as text) and label,
and only if none matches exactly, with the start of the labels. Every step ignores case. A token
that fits two options is refused with the choices listed, never guessed (the key rule in
:mod:`qa_tui.templates.options` keeps that rare: a digit never is one option's key and another's
value).
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


def options_text(scale: Scale) -> str:
    """The choices as a person types them: ``y=Yes (2), p=Partly (1), n=No (0)``."""
    def one(o: Option) -> str:
        shown = f"{o.key}={o.label}"
        return f"{shown} ({o.value})" if scale.numeric and o.key != str(o.value) else shown
    return ", ".join(one(o) for o in scale.options)


def option_matches(scale: Scale, raw: str) -> list[Option]:
    """Every option the typed token could mean (one: a match; several: ambiguous)."""
    text = raw.strip()
    folded = text.casefold()
    if not text:
        return []
    if scale.digit_values and text.isdigit():
        opt = scale.option(int(text))
        return [opt] if opt is not None else []
    exact = [o for o in scale.options
             if folded in (o.key.casefold(), str(o.value).casefold(), o.label.casefold())]
    if exact:
        return exact
    return [o for o in scale.options if o.label.casefold().startswith(folded)]


def match_option(scale: Scale, raw: str) -> Option | None:
    hits = option_matches(scale, raw)
    return hits[0] if len(hits) == 1 else None


def _resolve(question: Question, scale: Scale, raw: str, what: str) -> Option:
    hits = option_matches(scale, raw)
    if len(hits) == 1:
        return hits[0]
    token = raw.strip()
    if hits:
        could = " or ".join(repr(o.label) for o in hits)
        raise InvalidInput(f"{token!r} is ambiguous here: it could mean {could}; choose one of "
                           f"{options_text(scale)}", where=question.id)
    if question.type is QuestionType.MULTI:
        raise InvalidInput(f"{token!r} is not {what}; choose from {options_text(scale)} "
                           "(comma-separated)", where=question.id)
    raise InvalidInput(f"{token!r} is not {what}; choose one of {options_text(scale)}",
                       where=question.id)


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
        return Parsed(_resolve(question, question.scale, raw, "an answer here").value)
    if qtype is QuestionType.MULTI and question.scale is not None:
        picked: list[JsonValue] = []
        for part in (p for p in raw.split(",") if p.strip()):
            picked.append(_resolve(question, question.scale, part, "an option").value)
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
        alone = [o for v in chosen if (o := question.scale.option(v)) is not None and o.exclusive]
        if alone and len(chosen) > 1:
            raise InvalidInput(f"{alone[0].label!r} cannot be combined with other options: "
                               "choose it alone, or clear it first", where=where)
        return sorted(chosen, key=order.index)
    if question.scale is not None:
        if question.scale.option(value) is None:
            raise InvalidInput(f"{value!r} is not an answer here; choose one of "
                               f"{options_text(question.scale)}", where=where)
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


def toggled(question: Question, current: JsonValue, option: Option) -> list[JsonValue]:
    """A multiple choice after one option is toggled: an exclusive option ("None of these")
    clears the others, and any other option clears an exclusive one."""
    chosen: list[JsonValue] = list(current) if isinstance(current, list) else []
    if option.value in chosen:
        return [v for v in chosen if v != option.value]
    if option.exclusive:
        return [option.value]
    scale = question.scale
    keep = [v for v in chosen
            if scale is None or (opt := scale.option(v)) is None or not opt.exclusive]
    return keep + [option.value]
