"""Two assessments of one template side by side: what a moderator or a committee compares.

A self-assessment tested against the ICB's visit, two assessors moderating one rating, this visit
against the last: in each case the question is "where do the two views disagree, and by how
much?". Everything here is a pure function of two templates, their answers and their score
reports, so the CLI, the TUI and a workbook all show the same figures.

Agreement is measured on the questions both sides answered on an ordinal scale (options with
numeric values). A step is one place along the scale's options in order of value, so on CQC's
1-4 ratings Good against Requires improvement is one step. The figures a moderator recognises:

- exact agreement: share of those questions answered identically;
- agreement within one step;
- Cohen's weighted kappa with linear weights (disagreement ``|i - j| / (k - 1)`` on a scale of
  ``k`` options). Where a template mixes scales, observed and chance disagreement are summed
  over the scales before the ratio, so each scale keeps its own marginals. Kappa is ``None``
  where chance disagreement is zero (both sides gave one identical answer throughout): the
  figure is undefined there, not perfect.

N/A is handled explicitly: a question answered N/A on either side, or left blank on either side,
is counted apart (``na``, ``unanswered``) and never enters an agreement figure.

Computed questions (``type = "computed"``) are shown with both computed values and their
difference, but they are nobody's answer: never counted as blank, never in an agreement figure.
Rows of repeating groups (a risk register) are not compared row by row: each assessment lists
its own rows, so row 2 on one side need not be the same thing as row 2 on the other. Each group
is summarised instead: the number of rows on each side and, for a computed field with bands
(a risk score), how many rows fall in each band.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from qa_tui.domain import AnswerState, JsonValue
from qa_tui.templates.answers import answer_label
from qa_tui.templates.computed import ComputedValue, compute, computed_values, section_lookup
from qa_tui.templates.model import Question, Scale, Section, Template
from qa_tui.templates.scoring import ScoreReport

EMPTY = AnswerState()


@dataclass(frozen=True)
class Side:
    """One of the two assessments, as the comparison needs it."""

    template: Template
    answers: Mapping[str, AnswerState]
    report: ScoreReport
    rows: Mapping[str, int] | None = None
    """Rows per repeating group (``answers`` then holds the row fields under ``RISK[2].DESC``);
    None when the caller does not know them: groups are then left out of the comparison."""


@dataclass(frozen=True)
class QuestionDiff:
    id: str
    section_id: str
    text: str
    a_label: str
    b_label: str
    a_value: JsonValue
    b_value: JsonValue
    a_note: str
    b_note: str
    delta: float | None
    """``b - a`` in the scale's points; None unless both answered on a numeric scale."""
    steps: int | None
    """``b - a`` in places along the scale; None unless both answered on an ordinal scale."""

    computed: bool = False
    """A computed question: both values are computed from the answers, nobody's answer."""

    @property
    def flagged(self) -> bool:
        """The two views are more than one step apart: worth a moderator's conversation."""
        return self.steps is not None and abs(self.steps) > 1

    @property
    def differs(self) -> bool:
        return (self.a_value, self.a_label) != (self.b_value, self.b_label)


@dataclass(frozen=True)
class SectionDiff:
    id: str
    title: str
    a_score: float | None
    b_score: float | None
    a_rating: str | None
    b_rating: str | None
    gap: float | None
    """``b - a`` in score percentage points; None when either side has no score."""
    rating_steps: int | None
    """``b - a`` in places along the template's ratings, worst to best."""


@dataclass(frozen=True)
class Agreement:
    n: int
    """Questions answered on an ordinal scale by both sides: the base of every figure."""
    exact: float | None
    within_one: float | None
    kappa_weighted: float | None
    na: int
    """Questions answered N/A on one side or both."""
    unanswered: int
    """Questions on screen on either side but left blank on one side or both."""


@dataclass(frozen=True)
class BandCounts:
    """One computed field of a group with bands: how many rows of each side fall in each band
    (in the template's order of bands; ``no band`` and ``no value`` last, when any)."""

    field: str
    text: str
    a: tuple[tuple[str, int], ...]
    b: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class GroupDiff:
    """A repeating group, summarised: its rows are not compared one by one."""

    group: str
    title: str
    a_rows: int
    b_rows: int
    bands: tuple[BandCounts, ...]

    @property
    def summary(self) -> str:
        """``RISK (Risk register): A 4 rows, B 1 row; SCORE bands A: High 1, Extreme 1; B:
        Moderate 1``: the one wording the CLI, the TUI and the workbook show."""
        text = (f"{self.group} ({self.title}): A {_rows(self.a_rows)}, B {_rows(self.b_rows)}")
        for b in self.bands:
            text += (f"; {b.field} bands A: {_counted(b.a)}; B: {_counted(b.b)}")
        return text


NOT_COMPARED = ("Rows of repeating groups are not compared row by row (each assessment lists "
                "its own rows)")


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"


def _counted(counts: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{label} {n}" for label, n in counts) or "none"


@dataclass(frozen=True)
class Comparison:
    template_id: str
    same_version: bool
    questions: tuple[QuestionDiff, ...]
    sections: tuple[SectionDiff, ...]
    overall: SectionDiff
    agreement: Agreement
    groups: tuple[GroupDiff, ...] = ()
    """The template's repeating groups, summarised (empty when it has none, or when a side's
    rows are not known)."""


def _rank(scale: Scale, value: JsonValue) -> int | None:
    ordered = sorted(scale.options, key=lambda o: float(o.value))  # type: ignore[arg-type]
    for i, opt in enumerate(ordered):
        if opt.value == value and type(opt.value) is type(value):
            return i
    return None


def _ordinal(question: Question) -> Scale | None:
    scale = question.scale
    if scale is None or not scale.numeric or len(scale.options) < 2:
        return None
    if question.type.value not in ("scale", "yes_no"):
        return None
    return scale


def _question_diff(q: Question, section_id: str, a: AnswerState, b: AnswerState) -> QuestionDiff:
    delta = steps = None
    scale = _ordinal(q)
    if scale is not None and not a.na and not b.na and a.value is not None and b.value is not None:
        ra, rb = _rank(scale, a.value), _rank(scale, b.value)
        if ra is not None and rb is not None:
            steps = rb - ra
            delta = float(b.value) - float(a.value)  # type: ignore[arg-type]
    return QuestionDiff(q.id, section_id, q.text, answer_label(q, a.value, a.na),
                        answer_label(q, b.value, b.na), a.value, b.value, a.note, b.note,
                        delta, steps)


def _computed_diff(q: Question, section: Section, a: Side, b: Side) -> QuestionDiff:
    inputs = {x.id: x for x in section.questions}
    va = compute(q, section_lookup(a.answers), inputs)
    vb = compute(q, section_lookup(b.answers), inputs)
    delta = None
    if va.value is not None and vb.value is not None:
        delta = float(vb.value) - float(va.value)
    return QuestionDiff(q.id, section.id, q.text, va.label, vb.label, va.value, vb.value,
                        va.trace, vb.trace, delta, None, computed=True)


def _band_counts(q: Question, group: str, values: Mapping[str, ComputedValue],
                 rows: int) -> tuple[tuple[str, int], ...]:
    found: Counter[str] = Counter()
    for n in range(1, rows + 1):
        value = values.get(f"{group}[{n}].{q.id}")
        if value is None or value.value is None:
            found["no value"] += 1
        else:
            found[value.band or "no band"] += 1
    assert q.compute is not None
    order = [band.label for band in q.compute.bands] + ["no band", "no value"]
    return tuple((label, found[label]) for label in order if found[label])


def _groups(a: Side, b: Side) -> tuple[GroupDiff, ...]:
    if a.rows is None or b.rows is None:
        return ()
    a_values = computed_values(a.template, a.answers, a.rows)
    b_values = computed_values(b.template, b.answers, b.rows)
    out = []
    for section in a.template.groups:
        assert section.repeat is not None
        gid = section.repeat.group
        other = b.template.group(gid)
        if other is None:
            continue
        a_rows, b_rows = a.rows.get(gid, 0), b.rows.get(gid, 0)
        bands = tuple(
            BandCounts(q.id, q.text, _band_counts(q, gid, a_values, a_rows),
                       _band_counts(q, gid, b_values, b_rows))
            for q in section.questions
            if q.compute is not None and q.compute.bands and other.field(q.id) is not None)
        out.append(GroupDiff(gid, section.title, a_rows, b_rows, bands))
    return tuple(out)


def _rating_steps(template: Template, a: str | None, b: str | None) -> int | None:
    order = template.scoring.overall.ratings() or template.scoring.section.ratings()
    if a in order and b in order:
        return order.index(b) - order.index(a)  # type: ignore[arg-type]
    return None


def _section_diff(template: Template, sid: str, title: str, a_score: float | None,
                  b_score: float | None, a_rating: str | None, b_rating: str | None,
                  ) -> SectionDiff:
    gap = round(b_score - a_score, 1) if a_score is not None and b_score is not None else None
    return SectionDiff(sid, title, a_score, b_score, a_rating, b_rating, gap,
                       _rating_steps(template, a_rating, b_rating))


def weighted_kappa(pairs: list[tuple[int, int, int]]) -> float | None:
    """Linear-weighted kappa over ``(a_rank, b_rank, k)`` triples, pooled across scales of size
    ``k`` as described in the module docstring."""
    observed = expected = 0.0
    by_k: dict[int, list[tuple[int, int]]] = {}
    for ra, rb, k in pairs:
        by_k.setdefault(k, []).append((ra, rb))
    for k, group in by_k.items():
        n = len(group)
        observed += sum(abs(ra - rb) / (k - 1) for ra, rb in group)
        row, col = Counter(ra for ra, _ in group), Counter(rb for _, rb in group)
        expected += sum(row[i] * col[j] * abs(i - j) / (k - 1)
                        for i in row for j in col) / n
    if expected == 0:
        return None
    return round(1 - observed / expected, 3)


def compare(a: Side, b: Side) -> Comparison:
    """Question by question, section by section and overall: ``b`` against ``a``.

    Questions are those of ``a``'s template that ``b``'s template also has (the same template
    at another version may have added or removed some); a question hidden on both sides by its
    ``show_if`` is left out.
    """
    questions: list[QuestionDiff] = []
    pairs: list[tuple[int, int, int]] = []
    na = unanswered = 0
    for section in a.template.sections:
        for q in section.questions:
            if b.template.question(q.id) is None:
                continue
            if q.id not in a.report.visible and q.id not in b.report.visible:
                continue
            if q.compute is not None:  # nobody's answer: shown, never counted
                questions.append(_computed_diff(q, section, a, b))
                continue
            qa, qb = a.answers.get(q.id, EMPTY), b.answers.get(q.id, EMPTY)
            diff = _question_diff(q, section.id, qa, qb)
            questions.append(diff)
            if qa.na or qb.na:
                na += 1
            elif not qa.answered or not qb.answered:
                unanswered += 1
            elif diff.steps is not None:
                scale = _ordinal(q)
                assert scale is not None
                ra = _rank(scale, qa.value)
                assert ra is not None
                pairs.append((ra, ra + diff.steps, len(scale.options)))
    n = len(pairs)
    exact = round(100 * sum(1 for ra, rb, _ in pairs if ra == rb) / n, 1) if n else None
    within = round(100 * sum(1 for ra, rb, _ in pairs if abs(ra - rb) <= 1) / n, 1) if n else None
    b_sections = {s.id: s for s in b.report.sections}
    sections = []
    for s in a.report.sections:
        other = b_sections.get(s.id)
        sections.append(_section_diff(
            a.template, s.id, s.title, s.score_pct, other.score_pct if other else None,
            s.rating, other.rating if other else None))
    overall = _section_diff(a.template, "overall", "Overall", a.report.overall.score_pct,
                            b.report.overall.score_pct, a.report.overall.rating,
                            b.report.overall.rating)
    return Comparison(a.template.id, a.template.version == b.template.version, tuple(questions),
                      tuple(sections), overall,
                      Agreement(n, exact, within, weighted_kappa(pairs), na, unanswered),
                      _groups(a, b))
