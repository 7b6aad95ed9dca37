"""The provider report as plain values: what both renderers (Word and HTML) draw, in order.

Built by :mod:`qa_tui.report.build` from a return's data, so the report of an assessment in the
database and the report of its exported return are the same view, hence the same text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


ACTION_WIDTHS = (40, 17, 17, 13, 13)
"""Column widths (percent of the text width) of the action table, shared by both formats."""


def long_date(day: dt.date | None) -> str:
    """``24 June 2025``: the way a letter writes a date, whatever the machine's locale."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Finding:
    """One answer quoted in the report, with its evidence note (text from people: literal)."""

    question_id: str
    question: str
    answer: str
    note: str

    @property
    def detail(self) -> str:
        """Answer and note together, for parts where the answer is itself what was said."""
        return "\n".join(x for x in (self.answer, self.note) if x)


@dataclass(frozen=True)
class SectionPart:
    id: str
    title: str
    rating: str
    """The rating, or "Not rated"."""
    coverage: str
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    computed: tuple[Finding, ...] = ()
    """The section's computed questions with a value: the value and band as the answer, the
    working (``count of 'No' in C1, C2 = 1``) as the note."""


@dataclass(frozen=True)
class GroupPart:
    """A repeating group (a risk register) as one table, one line per row: the row number, then
    each field's answer with its note beneath, computed fields as their value and band
    ("12 (High)"). A group whose fields cannot stand side by side across A4 (each column as wide
    as its longest word) is drawn as the number, the row title (when the group names one) and
    one "Field: answer" line per other field."""

    id: str
    """The section id."""
    group: str
    title: str
    rows_text: str
    """``3 rows recorded`` / ``No rows were recorded.``"""
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    """Column widths in percent of the text width, adding up to 100."""
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner: str
    due: str
    priority: str
    status: str
    question_id: str


@dataclass(frozen=True)
class ReportView:
    """Everything the report says, already worded; renderers only lay it out."""

    title: str
    cover: tuple[tuple[str, str], ...]
    headline_label: str
    headline: str
    coverage: str
    summary: str
    parts: tuple[SectionPart | GroupPart, ...]
    """The template's sections in its order: ordinary ones with their findings, repeating ones
    as tables of their rows."""
    concerns: tuple[Finding, ...]
    """Critical questions answered with a concern (the engine's escalation flags)."""
    records: tuple[Finding, ...]
    """Answers the template marks as escalation records (what was raised, with whom)."""
    voices: tuple[Finding, ...]
    actions: tuple[ActionLine, ...]
    deadline: dt.date
    deadline_text: str
    assessors: tuple[str, ...]
    reviewer: str | None
    """The reviewer who approved the assessment, when a review exists (a later issue)."""
    footer: str
    created: dt.datetime
    """When the assessment last changed: the document's fixed timestamp (same revision, same
    bytes), never the time the report was made."""
    author: str
    """Who the document properties name as author (the first assessor)."""
    people_voice_marked: bool
    """Whether the template marks any questions as people's voice (else that part says so)."""

    @property
    def sections(self) -> tuple[SectionPart, ...]:
        """The ordinary sections only (rated, with strengths and improvements)."""
        return tuple(p for p in self.parts if isinstance(p, SectionPart))

    @property
    def groups(self) -> tuple[GroupPart, ...]:
        return tuple(p for p in self.parts if isinstance(p, GroupPart))
