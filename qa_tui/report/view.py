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
    sections: tuple[SectionPart, ...]
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
