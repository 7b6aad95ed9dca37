"""Left panel of Assess: the sections with answered/total, and the current section's questions.

Read-only for the keyboard (the screen's keys move between questions); a click posts
:class:`SectionNav.Jump`. Hidden conditional questions are not listed: they appear when their
condition holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList

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
        """List ``detail``'s sections and the questions of the one holding ``question_id``.

        Updated in place: an answer changes one question's line and one section's count, so
        only those prompts are replaced; the lists are rebuilt only when their rows change
        (another section, a conditional question shown or hidden)."""
        self._last = (detail, question_id)
        report = detail.report
        section = detail.template.section_of(question_id)
        sections = self.query_one("#nav-sections", OptionList)
        width = self.content_size.width or LABEL_ROOM + 7
        rows: list[tuple[str, Content]] = []
        for s in report.sections:
            mark = CURRENT if s.id == section.id else " "
            room = width - 9  # the section on screen is named whole (it wraps); others fit a line
            title = shown(s.title)
            title = title if len(title) <= room or s.id == section.id else title[:room - 1] + "…"
            rows.append((f"s:{s.id}", Content.assemble(
                f"{mark} ", (title, "bold") if s.id == section.id else title,
                f" {s.answered}/{s.total}")))
        fill_options(sections, rows)
        sections.highlighted = None
        questions = self.query_one("#nav-questions", OptionList)
        rows = []
        current_index = 0
        for q in section.questions:
            if q.id not in report.visible:
                continue
            answer = detail.answer(q.id)
            here = q.id == question_id
            if here:
                current_index = len(rows)
            label = shown(detail.label(q.id).replace("\n", " "))
            room = max(0, width - 4 - len(q.id))
            if len(label) > room:
                label = label[:max(0, room - 1)] + "…"
            owed = q.id in report.notes_owed
            note = "!" if owed else (NOTE if answer.note else " ")
            line = Content.assemble(
                f"{CURRENT if here else ' '}{marker(answer)}{note}",
                (q.id, "bold") if here else q.id, f" {label}" if label else "")
            rows.append((f"q:{q.id}", line))
        fill_options(questions, rows)
        questions.highlighted = current_index
        questions.scroll_to_highlight()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ident = event.option.id or ""
        kind, _, value = ident.partition(":")
        self.post_message(self.Jump(value if kind == "q" else None,
                                    value if kind == "s" else None))

