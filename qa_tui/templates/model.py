"""Immutable, typed template models: what a compiled template file becomes.

Everything an assessment needs to ask questions and score answers is here as data, so the engine
has no template-specific code. Instances are only built by the compiler, which has already
checked every cross-reference (scales, ``show_if`` targets, bands).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from qa_tui.domain import JsonValue, Kind, QuestionType, ScoringMethod
from qa_tui.templates.address import parse_address


@dataclass(frozen=True)
class Option:
    """One answer on a scale or in a choice list.

    ``concern`` marks an answer that, on a critical question, flags the assessment for escalation
    (e.g. "No" on "Are call bells within reach?"). ``exclusive`` marks an option of a multiple
    choice that stands alone ("None of these"): picking it clears the others, and an answer that
    combines it with another option is refused.
    """

    value: JsonValue
    label: str
    key: str
    description: str = ""
    concern: bool = False
    exclusive: bool = False


@dataclass(frozen=True)
class Scale:
    id: str
    title: str
    options: tuple[Option, ...]
    allow_na: bool = False
    note_required_for: tuple[JsonValue, ...] = ()
    """Answers that need an evidence note before the assessment can be completed."""

    @cached_property
    def numeric(self) -> bool:
        return all(isinstance(o.value, int | float) and not isinstance(o.value, bool) for o in self.options)

    @cached_property
    def digit_values(self) -> bool:
        """True when option values are integers 1-9: then a typed digit means that value."""
        return self.numeric and all(
            isinstance(o.value, int) and 1 <= o.value <= 9 for o in self.options
        )

    @cached_property
    def max_value(self) -> float:
        return max(float(o.value) for o in self.options) if self.numeric else 0.0

    @cached_property
    def min_value(self) -> float:
        return min(float(o.value) for o in self.options) if self.numeric else 0.0

    def option(self, value: JsonValue) -> Option | None:
        for opt in self.options:
            if opt.value == value and type(opt.value) is type(value):
                return opt
        return None


@dataclass(frozen=True)
class Condition:
    """``show_if``: the question shows only when an earlier answer is (or is not) one of values."""

    question: str
    values: tuple[JsonValue, ...]
    negate: bool = False

    def holds(self, answer: JsonValue) -> bool:
        hit = answer is not None and (
            any(answer == v for v in self.values)
            or (isinstance(answer, list) and any(a in self.values for a in answer))
        )
        return hit != self.negate


@dataclass(frozen=True)
class ComputeBand:
    """A band on a computed value: ``low`` to ``high`` inclusive, named ``label``."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Compute:
    """A computed field's formula: ``op`` over the answers of ``of`` (same row or section).

    ``product`` and ``sum`` need every input answered with a number; ``count`` counts the
    inputs whose answer equals ``value``."""

    op: str
    of: tuple[str, ...]
    value: JsonValue = None
    bands: tuple[ComputeBand, ...] = ()


@dataclass(frozen=True)
class Repeat:
    """A section's ``repeat`` table: its questions are the fields of rows numbered from 1."""

    group: str
    min_rows: int = 0
    max_rows: int = 50
    row_title: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: QuestionType
    scale: Scale | None = None
    """For ``scale``, ``choice``, ``multi`` and ``yes_no``: the options to pick from."""
    guidance: str = ""
    evidence_prompt: str = ""
    required: bool = True
    weight: float = 1.0
    critical: bool = False
    allow_na: bool = False
    show_if: Condition | None = None
    minimum: float | None = None
    maximum: float | None = None
    compute: Compute | None = None
    """For ``type = "computed"``: how the engine computes the value (never answered)."""

    @property
    def scored(self) -> bool:
        return (
            self.type is QuestionType.SCALE
            and self.scale is not None
            and self.scale.numeric
            and self.weight > 0
        )


@dataclass(frozen=True)
class Band:
    """A rating band on the percentage score: ``low`` to ``high`` inclusive, whole percents."""

    low: int
    high: int
    rating: str
    description: str = ""


@dataclass(frozen=True)
class Limiter:
    """A cap: any scored answer with a value in ``values`` caps the rating at ``cap``."""

    values: tuple[JsonValue, ...]
    cap: str


@dataclass(frozen=True)
class ScoringRule:
    method: ScoringMethod
    bands: tuple[Band, ...] = ()
    limiters: tuple[Limiter, ...] = ()
    scale: Scale | None = None
    """For ``mean``/``worst``/``cqc_aggregate``: the scale whose labels name the rating."""

    def ratings(self) -> tuple[str, ...]:
        """Rating names from worst to best, as this rule produces them."""
        if self.bands:
            return tuple(b.rating for b in self.bands)
        if self.scale is not None:
            return tuple(o.label for o in sorted(self.scale.options, key=lambda o: float(o.value)))
        return ()


@dataclass(frozen=True)
class Scoring:
    section: ScoringRule
    overall: ScoringRule
    description: str = ""
    provisional_below: int = 80
    """A rating drawn from fewer than this percent of the scored questions on screen is
    provisional: 3 answers of 8 must never read like a finished "Outstanding"."""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    repeat: Repeat | None = None
    """Set on a repeating section (a group): its questions are the fields of each row."""

    def field(self, field_id: str) -> Question | None:
        """A field of this section by id, ignoring case."""
        folded = field_id.strip().casefold()
        return next((q for q in self.questions if q.id.casefold() == folded), None)


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: str
    kind: Kind
    description: str
    source: str
    notes: str
    scales: Mapping[str, Scale]
    sections: tuple[Section, ...]
    scoring: Scoring
    report: ReportSpec = field(default_factory=lambda: ReportSpec())
    """The optional ``[report]`` table, defaults filled."""
    data: Mapping[str, JsonValue] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    """The normalised source document: what canonical JSON and the hash are computed from."""
    all_sections: tuple[Section, ...] = ()
    """Every section in document order, repeating ones included. ``sections`` holds only the
    ordinary ones, so code written before repeating groups never meets a row field."""

    @cached_property
    def groups(self) -> tuple[Section, ...]:
        """The repeating sections, in document order."""
        return tuple(s for s in self.all_sections if s.repeat is not None)

    def group(self, group_id: str) -> Section | None:
        """A repeating section by its group id, ignoring case."""
        folded = group_id.strip().casefold()
        return next((s for s in self.groups
                     if s.repeat is not None and s.repeat.group.casefold() == folded), None)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def _by_id(self) -> Mapping[str, Question]:
        return MappingProxyType({q.id: q for q in self.questions})

    @cached_property
    def _section_of(self) -> Mapping[str, Section]:
        return MappingProxyType({q.id: s for s in self.sections for q in s.questions})

    def question(self, question_id: str) -> Question | None:
        """A question by id, or a row field by its address ``GROUP[N].FIELD``."""
        found = self._by_id.get(question_id)
        return found if found is not None or "[" not in question_id \
            else self._row_field(question_id)

    def _row_field(self, address: str) -> Question | None:
        parsed = parse_address(address)
        if parsed is None:
            return None
        section = self.group(parsed.group)
        return section.field(parsed.field) if section is not None else None

    def section_of(self, question_id: str) -> Section:
        return self._section_of[question_id]

    def find_question(self, text: str) -> Question | None:
        """A question by id, ignoring case (assessors type ``wl3`` as readily as ``WL3``)."""
        if text in self._by_id:
            return self._by_id[text]
        if "[" in text:
            return self._row_field(text)
        folded = {q.id.casefold(): q for q in self.questions}
        return folded.get(text.strip().casefold())


@dataclass(frozen=True)
class ScaleReport:
    """Which answers of one scale a provider report lists as strengths or improvements."""

    strengths: tuple[JsonValue, ...]
    improvements: tuple[JsonValue, ...]


@dataclass(frozen=True)
class ReportSpec:
    """A template's ``[report]`` table: how answers become the parts of a provider report.

    Every field has a default (see ``assessments/README.md``), so a template without the table
    still gives a sensible report.
    """

    working_days: int = 10
    """Working days after the visit for the provider's factual-accuracy comments."""
    people_voice: tuple[str, ...] = ()
    """Question ids whose answers and notes are what patients, families and staff said."""
    escalation_records: tuple[str, ...] = ()
    """Question ids whose answers record immediate concerns and who was told (shown with the
    escalated questions)."""
    scales: Mapping[str, ScaleReport] = field(default_factory=lambda: MappingProxyType({}))
    """Per scale id: answers that count as strengths or improvements (else the defaults)."""
    assurance: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Rating -> the wording of an assurance level (e.g. Good -> "Reasonable assurance")."""
    assurance_title: str = ""
    """Heading for that wording (default "Assurance level" when ``assurance`` is given)."""
