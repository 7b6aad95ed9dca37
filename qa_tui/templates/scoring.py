"""Score answers against a template: per section and overall, each with a trace a person can check.

Pure functions over the template model and a mapping of answers. Rules:
- Only visible questions count (a ``show_if`` that does not hold hides a question; its stored
  answer is kept but ignored). N/A and unanswered questions are left out of sum and maximum.
- ``percent_bands``: sum of value x weight over the maximum possible, as a percentage; the
  percentage is rounded half up to a whole number and looked up in the band table.
- ``mean``: weighted mean of values; the rating is the option nearest the mean (halves go up).
- ``worst``: the lowest answer names the rating.
- ``cqc_aggregate``: CQC's rules for combining four-level ratings (section level: the answers;
  overall: the section ratings): two or more at the bottom level give the bottom level; one at
  the bottom or two or more at the second level give the second; two or more at the top with no
  rating below the third give the top; anything else is the third (CQC's "Good").
  A single rating stands for itself.
- Limiters cap a rating when any answer has one of the listed values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qa_tui.domain import EMPTY_ANSWER, AnswerState, JsonValue, ScoringMethod
from qa_tui.templates.model import Band, Question, ScoringRule, Section, Template


@dataclass(frozen=True)
class ScoreOutcome:
    """A computed score and rating with the one-line explanation of how it was reached."""

    score_pct: float | None
    rating: str | None
    band: str | None
    trace: str
    points: float | None = None
    max_points: float | None = None


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    answered: int
    total: int
    required_open: tuple[str, ...]
    outcome: ScoreOutcome
    coverage_pct: int = 100
    """Share of this section's scored questions (less N/A) that have a scored answer."""
    provisional: bool = False
    """The section's rating rests on fewer answers than the template's threshold."""

    @property
    def score_pct(self) -> float | None:
        return self.outcome.score_pct

    @property
    def rating(self) -> str | None:
        return self.outcome.rating


@dataclass(frozen=True)
class ScoreReport:
    sections: tuple[SectionScore, ...]
    overall: ScoreOutcome
    visible: frozenset[str]
    answered: int
    total: int
    required_open: tuple[str, ...]
    notes_owed: tuple[str, ...]
    """Questions whose answer needs an evidence note that is still missing."""
    escalations: tuple[str, ...]
    """Critical questions answered with a concern: the visit is flagged for escalation."""
    scored_answered: int = 0
    """Scored questions on screen that have a scored answer (N/A and blanks do not count)."""
    scored_total: int = 0
    """Scored questions on screen, less those answered N/A: what a rating should rest on."""
    provisional_below: int = 80
    escalations_unrecorded: tuple[str, ...] = ()
    """Escalated questions still without their escalation record: a non-empty evidence note
    saying who was told, when and what was agreed. Completion waits for every one."""

    @property
    def coverage_pct(self) -> int:
        """Share of the scored questions the rating rests on; 100 when nothing is scored."""
        return math.floor(100 * self.scored_answered / self.scored_total) if self.scored_total else 100

    @property
    def provisional(self) -> bool:
        """A rating from too few answers must be shown as provisional, never as a plain rating."""
        return self.overall.rating is not None and self.coverage_pct < self.provisional_below

    @property
    def progress_pct(self) -> int:
        return math.floor(100 * self.answered / self.total) if self.total else 100

    def section(self, section_id: str) -> SectionScore:
        return next(s for s in self.sections if s.id == section_id)


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".rstrip("0")


def visible_questions(template: Template, answers: Mapping[str, AnswerState]) -> frozenset[str]:
    """Ids of questions whose ``show_if`` holds, evaluated in order (conditions only look back)."""
    shown: set[str] = set()
    for q in template.questions:
        cond = q.show_if
        if cond is None:
            shown.add(q.id)
            continue
        source = answers.get(cond.question, EMPTY_ANSWER)
        value = source.value if cond.question in shown and not source.na else None
        if cond.holds(value):
            shown.add(q.id)
    return frozenset(shown)


def scored_value(q: Question, value: JsonValue, na: bool) -> float | None:
    """The value an answer adds to the score, or None when it adds nothing: the one rule the
    score, the return's points column and the consolidated responses share. It counts when the
    question is scored, the answer is not N/A and its value is one of the scale's options
    (whether the question is shown is the caller's to say)."""
    if not q.scored or na or value is None or q.scale is None or q.scale.option(value) is None:
        return None
    return float(value)  # type: ignore[arg-type]  # a numeric scale's option: int or float


def _scored_values(questions: Sequence[Question], answers: Mapping[str, AnswerState]
                   ) -> list[tuple[Question, float]]:
    out = []
    for q in questions:
        a = answers.get(q.id, EMPTY_ANSWER)
        value = scored_value(q, a.value, a.na)
        if value is not None:
            out.append((q, value))
    return out


def _percent(pairs: list[tuple[Question, float]]) -> tuple[float, float, float]:
    points = sum(v * q.weight for q, v in pairs)
    maximum = sum(q.scale.max_value * q.weight for q, _ in pairs if q.scale is not None)
    return points, maximum, (100 * points / maximum if maximum else 0.0)


def _band_for(bands: Sequence[Band], pct: int) -> Band | None:
    return next((b for b in bands if b.low <= pct <= b.high), None)


def cqc_aggregate(ranks: Sequence[int]) -> tuple[int, str]:
    """Combine four-level ranks (0 worst .. 3 best) by CQC's aggregation rules; say which rule."""
    if len(ranks) == 1:
        return ranks[0], "a single rating stands"
    bottom, second, top = ranks.count(0), ranks.count(1), ranks.count(3)
    if bottom >= 2:
        return 0, "two or more at the lowest rating"
    if bottom == 1:
        return 1, "one at the lowest rating"
    if second >= 2:
        return 1, "two or more at the second rating"
    if top >= 2 and second == 0:
        return 3, "two or more at the top rating and the rest at the third"
    return 2, "no rule moves it from the third rating"


def _apply_limiters(rule: ScoringRule, rating: str | None, pairs: list[tuple[Question, float]],
                    trace: str, names: Sequence[str] = ()) -> tuple[str | None, str]:
    if rating is None or not rule.limiters:
        return rating, trace
    order = list(names or rule.ratings())
    for limiter in rule.limiters:
        hits = [q.id for q, v in pairs if any(_same(v, x) for x in limiter.values)]
        if hits and limiter.cap in order and rating in order \
                and order.index(rating) > order.index(limiter.cap):
            rating = limiter.cap
            trace += f", capped at {limiter.cap} ({', '.join(hits)} answered {_fmt(_first(pairs, hits[0]))})"
    return rating, trace


def _first(pairs: list[tuple[Question, float]], qid: str) -> float:
    return next(v for q, v in pairs if q.id == qid)


def _same(a: float, b: JsonValue) -> bool:
    return isinstance(b, int | float) and not isinstance(b, bool) and float(b) == a


def _score_answers(rule: ScoringRule, pairs: list[tuple[Question, float]]) -> ScoreOutcome:
    """Score a pool of answers (one section, or every question for the overall rating)."""
    if rule.method is ScoringMethod.NONE:
        return ScoreOutcome(None, None, None, "not scored")
    if not pairs:
        return ScoreOutcome(None, None, None, "no scored answers yet")
    points, maximum, pct = _percent(pairs)
    whole = round_half_up(pct)
    pct_text = f"{_fmt(points)} of {_fmt(maximum)} ({whole}%)"
    rating: str | None = None
    band_text: str | None = None
    if rule.method is ScoringMethod.PERCENT_BANDS:
        band = _band_for(rule.bands, whole)
        if band is not None:
            rating, band_text = band.rating, f"{band.low}-{band.high}"
            trace = f"{pct_text} -> {rating}, band {band_text}"
        else:
            trace = f"{pct_text} -> no band covers {whole}%"
    elif rule.method is ScoringMethod.TOTAL_BANDS:
        total = round_half_up(points)
        band = _band_for(rule.bands, total)
        pct_text = f"total {_fmt(points)} points of {_fmt(maximum)} answered"
        if band is not None:
            rating, band_text = band.rating, f"{band.low}-{band.high}"
            trace = f"{pct_text} -> {rating}, band {band_text} points"
        else:
            trace = f"{pct_text} -> no band covers {total} points"
    elif rule.method is ScoringMethod.MEAN:
        weights = sum(q.weight for q, _ in pairs)
        mean = sum(v * q.weight for q, v in pairs) / weights
        opt = _nearest(rule, mean)
        rating = opt
        trace = f"mean {mean:.2f} of {len(pairs)} answers -> {rating}"
    elif rule.method is ScoringMethod.WORST:
        q_low, low = min(pairs, key=lambda p: p[1])
        rating = _label(rule, low)
        trace = f"worst answer {_fmt(low)} ({q_low.id}) -> {rating}"
    else:  # CQC aggregate over the answers' own ranks
        order = [float(o.value) for o in sorted(rule.scale.options, key=lambda o: float(o.value))] \
            if rule.scale is not None else []
        ranks = [order.index(v) for _, v in pairs if v in order]
        rank, why = cqc_aggregate(ranks)
        rating = rule.ratings()[rank]
        trace = f"{_count_text(rule.ratings(), ranks)} -> {rating} ({why})"
    rating, trace = _apply_limiters(rule, rating, pairs, trace)
    return ScoreOutcome(round(pct, 1), rating, band_text, trace, points, maximum)


def _count_text(names: Sequence[str], ranks: Sequence[int]) -> str:
    parts = [f"{ranks.count(i)} {name}" for i, name in reversed(list(enumerate(names)))
             if ranks.count(i)]
    return ", ".join(parts)


def _nearest(rule: ScoringRule, mean: float) -> str | None:
    if rule.scale is None:
        return None
    target = math.floor(mean + 0.5) if all(float(o.value).is_integer() for o in rule.scale.options) \
        else mean
    best = min(rule.scale.options, key=lambda o: (abs(float(o.value) - target), -float(o.value)))
    return best.label


def _label(rule: ScoringRule, value: float) -> str | None:
    if rule.scale is None:
        return None
    opt = next((o for o in rule.scale.options if float(o.value) == value), None)
    return opt.label if opt else None


def _score_sections(rule: ScoringRule, sections: Sequence[SectionScore],
                    section_rule: ScoringRule, pairs: list[tuple[Question, float]]) -> ScoreOutcome:
    """Overall ``cqc_aggregate``: combine the section ratings, not the answers."""
    order = list(section_rule.ratings())
    rated = [(s, order.index(s.rating)) for s in sections if s.rating in order]
    points, maximum, pct = _percent(pairs) if pairs else (0.0, 0.0, 0.0)
    if not rated:
        return ScoreOutcome(None, None, None, "no rated sections yet")
    ranks = [r for _, r in rated]
    rank, why = cqc_aggregate(ranks)
    trace = f"sections: {_count_text(order, ranks)} -> {order[rank]} ({why})"
    rating, trace = _apply_limiters(rule, order[rank], pairs, trace, order)
    return ScoreOutcome(round(pct, 1) if pairs else None, rating, None, trace,
                   points if pairs else None, maximum if pairs else None)


def score(template: Template, answers: Mapping[str, AnswerState]) -> ScoreReport:
    """Everything the review screen, ``show`` and the return need, computed in one pass."""
    visible = visible_questions(template, answers)
    section_scores: list[SectionScore] = []
    all_pairs: list[tuple[Question, float]] = []
    required_open: list[str] = []
    notes_owed: list[str] = []
    escalations: list[str] = []
    answered_total = total = scored_total = 0
    for section in template.sections:
        # computed questions are never answered: they count neither way
        shown = [q for q in section.questions if q.id in visible and q.compute is None]
        open_here = _open_required(shown, answers)
        answered = sum(1 for q in shown if answers.get(q.id, EMPTY_ANSWER).answered)
        pairs = _scored_values(shown, answers)
        all_pairs.extend(pairs)
        required_open.extend(open_here)
        notes_owed.extend(_notes_owed(shown, answers))
        escalations.extend(_escalations(shown, answers))
        answered_total += answered
        total += len(shown)
        here = sum(1 for q in shown if q.scored and not answers.get(q.id, EMPTY_ANSWER).na)
        scored_total += here
        outcome = _score_answers(template.scoring.section, pairs)
        if not any(q.scored for q in section.questions) and outcome.rating is None:
            # "no scored answers yet" would promise a rating that answers here never give
            # (text, numbers, or questions of weight 0 such as qa-visit's 15 Steps)
            outcome = ScoreOutcome(None, None, None, "not scored: no question here counts towards "
                              "the rating")
        coverage = math.floor(100 * len(pairs) / here) if here else 100
        section_scores.append(SectionScore(
            section.id, section.title, answered, len(shown), tuple(open_here), outcome,
            coverage, outcome.rating is not None
            and coverage < template.scoring.provisional_below))
    overall_rule = template.scoring.overall
    if overall_rule.method is ScoringMethod.CQC_AGGREGATE and overall_rule.scale is None:
        overall = _score_sections(overall_rule, section_scores, template.scoring.section, all_pairs)
    else:
        overall = _score_answers(overall_rule, all_pairs)
    return ScoreReport(tuple(section_scores), overall, visible, answered_total, total,
                       tuple(required_open), tuple(notes_owed), tuple(escalations),
                       len(all_pairs), scored_total, template.scoring.provisional_below,
                       tuple(q for q in escalations
                             if not answers.get(q, EMPTY_ANSWER).note.strip()))


def _open_required(questions: Sequence[Question], answers: Mapping[str, AnswerState]) -> list[str]:
    return [q.id for q in questions if q.required and not answers.get(q.id, EMPTY_ANSWER).answered]


def _notes_owed(questions: Sequence[Question], answers: Mapping[str, AnswerState]) -> list[str]:
    owed = []
    for q in questions:
        a = answers.get(q.id, EMPTY_ANSWER)
        if q.scale is not None and not a.na and a.value is not None and not a.note.strip() \
                and any(a.value == v and type(a.value) is type(v) for v in q.scale.note_required_for):
            owed.append(q.id)
    return owed


def _escalations(questions: Sequence[Question], answers: Mapping[str, AnswerState]) -> list[str]:
    flagged = []
    for q in questions:
        a = answers.get(q.id, EMPTY_ANSWER)
        if not q.critical or q.scale is None or a.na or a.value is None:
            continue
        values = a.value if isinstance(a.value, list) else [a.value]
        if any((opt := q.scale.option(v)) is not None and opt.concern for v in values):
            flagged.append(q.id)
    return flagged


def section_questions(section: Section, visible: frozenset[str]) -> list[Question]:
    return [q for q in section.questions if q.id in visible]
