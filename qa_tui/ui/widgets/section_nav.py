"""Left panel of Assess: the sections with answered/total, and the current section's questions.

Read-only for the keyboard (the screen's keys move between questions); a click posts
:class:`SectionNav.Jump`. Hidden conditional questions are not listed: they appear when their
condition holds. A repeating section lists its rows, each named (``RISK 2: Staffing gaps``)
above its fields; a computed field shows ``=`` and its value with its band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList

from qa_tui.ui import rows
from qa_tui.ui.format import CURRENT, NOTE, marker
from qa_tui.ui.literal import Plain, shown
from qa_tui.ui.widgets.option_rows import fill_options

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail


LABEL_ROOM = 15
"""Characters for a question id plus its answer before the panel knows its width: each
question stays on one line."""


class SectionNav(Vertical):
    class Jump(Message):
        """Go to a question (``question_id``) or the first question of a section."""

        def __init__(self, question_id: str | None, section_id: str | None) -> None:
            super().__init__()
            self.question_id = question_id
            self.section_id = section_id

    def compose(self) -> ComposeResult:
        yield Label("Sections  [ ]", classes="heading")
        yield OptionList(id="nav-sections")
        yield Plain("Questions  ↑ ↓", classes="heading", id="nav-questions-heading")
        yield OptionList(id="nav-questions")

    def on_mount(self) -> None:
        for lst in self.query(OptionList):
            lst.can_focus = False

    _last: tuple[AssessmentDetail, str] | None = None

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last)

    def show(self, detail: AssessmentDetail, question_id: str) -> None:
        """List ``detail``'s sections and the questions (or rows) of the one holding
        ``question_id``.

        Updated in place: an answer changes one question's line and one section's count, so
        only those prompts are replaced; the lists are rebuilt only when their rows change
        (another section, a conditional question shown or hidden, a row added)."""
        self._last = (detail, question_id)
        report = detail.report
        section = rows.section_of(detail, question_id)
        sections = self.query_one("#nav-sections", OptionList)
        listed: list[tuple[str, Content]] = []
        width = self.content_size.width or LABEL_ROOM + 7
        counts = {s.id: f" {s.answered}/{s.total}" for s in report.sections}
        for s in detail.template.all_sections:
            if s.repeat is not None:
                n = rows.row_count(detail, s.repeat.group)
                counts[s.id] = f" {n} row{'' if n == 1 else 's'}"
            mark = CURRENT if s.id == section.id else " "
            # the section on screen is named whole (it wraps); others fit a line
            room = width - 9 if s.repeat is None else width - 4 - len(counts[s.id])
            title = shown(s.title)
            title = title if len(title) <= room or s.id == section.id else title[:room - 1] + "…"
            listed.append((f"s:{s.id}", Content.assemble(
                f"{mark} ", (title, "bold") if s.id == section.id else title,
                counts.get(s.id, ""))))
        fill_options(sections, listed)
        sections.highlighted = None
        questions = self.query_one("#nav-questions", OptionList)
        listed = []
        current_index = 0
        row = 0
        for stop in rows.section_stops(detail, section):
            where = rows.row_at(detail, stop)
            if where is not None and (where.row != row or where.row == 0):  # a row begins
                row = where.row
                name = shown(rows.row_name(detail, section, row) if row
                             else "no rows: + adds one")
                room = max(2, width - 2)
                name = name if len(name) <= room else name[:room - 1] + "…"
                listed.append((f"{'r' if row else 'q'}:{stop}",  # a click: its first field
                               Content.assemble((name, "italic"))))
            here = stop == question_id
            if where is not None and where.row == 0:  # the placeholder is its own line
                current_index = len(listed) - 1 if here else current_index
                continue
            if here:
                current_index = len(listed)
            listed.append((f"q:{stop}", self._line(detail, stop, here, width)))
        fill_options(questions, listed)
        questions.highlighted = current_index
        questions.scroll_to_highlight()
        heading = "Rows  ↑ ↓  { }" if section.repeat is not None else "Questions  ↑ ↓"
        self.query_one("#nav-questions-heading", Plain).update(heading)

    @staticmethod
    def _line(detail: AssessmentDetail, stop: str, here: bool, width: int) -> Content:
        """One question or row field: where you are, answered, note, its id and answer."""
        report = detail.report
        question = rows.question_at(detail, stop)
        where = rows.row_at(detail, stop)
        name = where.field if where is not None else stop
        answer = detail.answer(stop)
        if question is not None and rows.is_read_only(question):
            value = rows.computed(detail, stop)
            label, mark = (value.label if value is not None else ""), "="
        else:
            label, mark = shown(detail.label(stop).replace("\n", " ")), marker(answer)
        room = max(0, width - 4 - len(name) - (2 if where is not None else 0))  # rows scroll
        if len(label) > room:
            label = label[:max(0, room - 1)] + "…"
        owed = stop in report.notes_owed
        note = "!" if owed else (NOTE if answer.note else " ")
        return Content.assemble(
            f"{CURRENT if here else ' '}{mark}{note}",
            (name, "bold") if here else name, f" {label}" if label else "")

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ident = event.option.id or ""
        kind, _, value = ident.partition(":")
        self.post_message(self.Jump(value if kind in ("q", "r") else None,
                                    value if kind == "s" else None))
