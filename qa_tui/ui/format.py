"""Plain-text helpers shared by the screens: how dates, answers, ratings and progress read.

No Textual here, so the wording can be tested without an app and stays the same on every screen.
Nothing is ever told by colour alone: every marker is a glyph or a word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from qa_tui.domain import AnswerState, QuestionType
from qa_tui.templates import Option, Question, ScoreOutcome

if TYPE_CHECKING:
    from qa_tui.domain import ActionView

ANSWERED = "✓"
OPEN = "○"
NOT_APPLICABLE = "–"
CURRENT = "▸"
NOTE = "✎"


def local_time(value: dt.datetime) -> str:
    """A stored UTC time as the assessor's local wall-clock time, to the minute."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def short_date(value: dt.date) -> str:
    return value.isoformat()


def rating_text(outcome: ScoreOutcome) -> str:
    """'Good (75%)', 'Good', '75%' or 'not rated yet': the rating always in words."""
    pct = f"{outcome.score_pct:.0f}%" if outcome.score_pct is not None else ""
    if outcome.rating and pct:
        return f"{outcome.rating} ({pct})"
    return outcome.rating or pct or "not rated yet"


def marker(answer: AnswerState) -> str:
    if answer.na:
        return NOT_APPLICABLE
    return ANSWERED if answer.value is not None else OPEN


def option_key_text(question: Question) -> str:
    """The keys that answer a question, as the footer-like hint under its options."""
    keys: list[str] = []
    if question.scale is not None:
        keys = [o.key for o in question.scale.options]
    if len(keys) > 3 and keys == [str(i) for i in range(1, len(keys) + 1)]:
        keys = [f"1-{len(keys)}"]
    if question.allow_na:
        keys.append("N")
    return " ".join(keys)


def answer_keys_short(question: Question) -> str | None:
    """The keys that answer a question, short enough for the footer (``1-4``, ``y/p/n``);
    None for a question answered by typing."""
    if question.scale is None:
        return None
    keys = [o.key for o in question.scale.options]
    if len(keys) > 1 and all(k.isdigit() for k in keys):
        values = sorted(int(k) for k in keys)
        if values == list(range(values[0], values[0] + len(values))):
            return f"{values[0]}-{values[-1]}"
    return "/".join(keys)


def option_line(option: Option, chosen: bool, *, detailed: bool = False) -> str:
    """One option as a line: its key, a chosen/unchosen glyph, label and maybe description."""
    mark = "●" if chosen else "○"
    text = f"{option.key}  {mark} {option.label}"
    if chosen:
        text += "  (chosen)"
    if detailed and option.description:
        text += f"  — {option.description}"
    return text


def is_choice(question: Question) -> bool:
    return question.scale is not None and question.type is not QuestionType.MULTI


def input_hint(question: Question) -> str:
    """What the answer box of a typed question accepts."""
    if question.type is QuestionType.NUMBER:
        bounds = []
        if question.minimum is not None:
            bounds.append(f"from {question.minimum:g}")
        if question.maximum is not None:
            bounds.append(f"to {question.maximum:g}")
        return "a number " + " ".join(bounds) if bounds else "a number"
    if question.type is QuestionType.DATE:
        return "a date YYYY-MM-DD"
    return "text"


def reflow(text: str) -> str:
    """Undo the hard wrapping of template text so it wraps to the terminal instead.

    A line is joined to the one before unless that one ends a sentence (``. ? ! :``), or the
    line is blank or starts a list item: deliberate line breaks (one prompt a line) survive.
    """
    out: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if out and line and out[-1] and out[-1][-1] not in ".?!:" and line[0] not in "-*•":
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def matches(words: Sequence[str], haystack: Iterable[str]) -> bool:
    """Every typed word appears somewhere in the row (case-insensitive): how filters behave."""
    text = " ".join(haystack).casefold()
    return all(word in text for word in words)


def filter_words(text: str) -> list[str]:
    return text.casefold().split()


def joined(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c': lists as a sentence reads them."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def identifier_warning(kinds: Sequence[str], where: str) -> str:
    """The warning under a box of free text: the kinds found, never the values themselves."""
    if not kinds:
        return ""
    return (f"⚠ Probable {joined(list(kinds))} in this {where} — patient identifiers must not "
            "go in a return")


def action_line(action: ActionView) -> str:
    """One action as a line: open or closed (a glyph and a word), what, priority, who, when."""
    bits = [action.priority]
    if action.owner:
        bits.append(action.owner)
    if action.due_date:
        bits.append(f"due {short_date(action.due_date)}")
    mark = "✓ closed" if action.status == "closed" else "○ open"
    return f"{mark}: {action.description} ({', '.join(bits)})"


def answer_key_rows(question: Question) -> list[tuple[str, str]]:
    """Help rows for the keys answering ``question`` (they are not bindings: they vary)."""
    if question.scale is None:
        rows = [("enter", f"type the answer to {question.id} ({question.type.value})")]
    else:
        rows = [(o.key, f"answer {question.id}: {o.label}") for o in question.scale.options]
    if question.allow_na:
        rows.append(("N", f"{question.id}: not applicable"))
    return rows
