"""Compute the value of computed fields from the current answers, with the line that explains it.

Pure functions: the engine calls them every time a value is shown, exported or read, so a
computed value is never stored and never trusted from a file. Inputs are the answers of the
same row (a repeating section) or the same section (an ordinary one).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from qa_tui.domain import EMPTY_ANSWER, AnswerState, JsonValue
from qa_tui.templates.address import row_address
from qa_tui.templates.answers import answer_label
from qa_tui.templates.model import ComputeBand, Question, Template

Lookup = Callable[[str], AnswerState]
"""Field or question id -> its current answer."""


@dataclass(frozen=True)
class ComputedValue:
    """A computed field's value (None: an input is missing), its band label and explanation."""

    value: int | float | None
    band: str | None
    trace: str
    """How the value came about: ``LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High``."""

    @property
    def label(self) -> str:
        """How the value reads in a list: ``12 (High)``, or empty when there is none."""
        if self.value is None:
            return ""
        shown = _fmt(self.value)
        return f"{shown} ({self.band})" if self.band else shown


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".rstrip("0")


def _number(state: AnswerState) -> float | None:
    value = state.value
    if state.na or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _same(a: JsonValue, b: JsonValue) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def band_for(bands: tuple[ComputeBand, ...], value: float) -> ComputeBand | None:
    return next((b for b in bands if b.low <= value <= b.high), None)


def compute(question: Question, lookup: Lookup, inputs: Mapping[str, Question] | None = None
            ) -> ComputedValue:
    """The value of computed ``question``; ``lookup`` gives each input's answer by id.

    ``inputs`` (id -> question) lets the trace show option labels for ``count``."""
    spec = question.compute
    if spec is None:
        return ComputedValue(None, None, "not computed")
    states = [(qid, lookup(qid)) for qid in spec.of]
    if spec.op == "count":
        hits = [qid for qid, s in states if s.answered and not s.na and _matches(s.value, spec.value)]
        shown = spec.value
        source = (inputs or {}).get(spec.of[0])
        if source is not None and source.scale is not None:
            shown = answer_label(source, spec.value)
        value: float | None = len(hits)
        trace = f"count of {shown!r} in {', '.join(spec.of)} = {len(hits)}" + \
            (f" ({', '.join(hits)})" if hits else "")
    else:
        numbers = [(qid, _number(s)) for qid, s in states]
        missing = [qid for qid, n in numbers if n is None]
        sign = " x " if spec.op == "product" else " + "
        if missing:
            parts = sign.join(f"{qid} {_fmt(n) if n is not None else '?'}" for qid, n in numbers)
            return ComputedValue(None, None, f"{parts}: no value until {', '.join(missing)} "
                                 f"{'is' if len(missing) == 1 else 'are'} answered with a number")
        values = [n for _, n in numbers if n is not None]
        value = math.prod(values) if spec.op == "product" else sum(values)
        trace = sign.join(f"{qid} {_fmt(n)}" for qid, n in numbers if n is not None) + \
            f" = {_fmt(value)}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    band = band_for(spec.bands, value)
    if band is not None:
        trace += f" -> {band.label}"
    elif spec.bands:
        trace += " (no band)"
    return ComputedValue(value, band.label if band else None, trace)


def _matches(answer: JsonValue, wanted: JsonValue) -> bool:
    if isinstance(answer, list):
        return any(_same(a, wanted) for a in answer)
    return _same(answer, wanted)


def section_lookup(answers: Mapping[str, AnswerState]) -> Lookup:
    """Inputs of an ordinary section: answers stored under their question ids."""
    return lambda qid: answers.get(qid, EMPTY_ANSWER)


def row_lookup(answers: Mapping[str, AnswerState], group: str, row: int) -> Lookup:
    """Inputs of one row: answers stored under ``GROUP[N].FIELD``."""
    return lambda fid: answers.get(row_address(group, row, fid), EMPTY_ANSWER)


def computed_values(template: Template, answers: Mapping[str, AnswerState],
                    rows: Mapping[str, int]) -> dict[str, ComputedValue]:
    """Every computed value of an assessment, keyed by question id or row address."""
    out: dict[str, ComputedValue] = {}
    for section in template.all_sections:
        inputs = {q.id: q for q in section.questions}
        computed = [q for q in section.questions if q.compute is not None]
        if not computed:
            continue
        if section.repeat is None:
            for q in computed:
                out[q.id] = compute(q, section_lookup(answers), inputs)
            continue
        group = section.repeat.group
        for n in range(1, rows.get(group, 0) + 1):
            for q in computed:
                out[row_address(group, n, q.id)] = compute(q, row_lookup(answers, group, n), inputs)
    return out


def explain(address: str, value: ComputedValue) -> str:
    """The score-trace line: ``RISK[2].SCORE = LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High``."""
    return f"{address} = {value.trace}"

