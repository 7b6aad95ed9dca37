"""The options of a question, each with the key that picks it and a glyph for the chosen one.

Keys are handled by the Assess screen; this list is for reading and for the mouse, so it never
takes focus (up/down stay "next question"). A click posts :class:`AnswerPicker.Picked`.
"""

from __future__ import annotations

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList

from qa_tui.domain import AnswerState, QuestionType
from qa_tui.templates import Question
from qa_tui.ui.literal import shown
from qa_tui.ui.widgets.option_rows import fill_options

NA_KEY = "N"


class AnswerPicker(OptionList, can_focus=False):
    class Picked(Message):
        """An option was clicked: ``key`` is its key, or ``N`` for N/A."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def show(self, question: Question, answer: AnswerState, *, detailed: bool) -> None:
        """Render ``question``'s options with ``answer`` marked; hidden for typed questions.
        An answer to the same question replaces only the prompts that changed."""
        scale = question.scale
        if scale is None:
            self.clear_options()
            self.display = False
            return
        multi = question.type is QuestionType.MULTI
        chosen = answer.value if isinstance(answer.value, list) else [answer.value]
        rows: list[tuple[str, Content]] = []
        for opt in scale.options:
            picked = not answer.na and any(opt.value == v and type(opt.value) is type(v)
                                           for v in chosen if v is not None)
            rows.append((opt.key, self._line(opt.key, opt.label, picked, multi,
                                             opt.description if detailed else "")))
        if question.allow_na:
            rows.append((NA_KEY, self._line(NA_KEY, "N/A (not applicable)", answer.na, False,
                                            "")))
        fill_options(self, rows)
        self.highlighted = None
        self.display = True

    @staticmethod
    def _line(key: str, label: str, picked: bool, multi: bool, description: str) -> Content:
        marks = ("[x]", "[ ]") if multi else ("●", "○")
        glyph = marks[0] if picked else marks[1]
        key, label, description = shown(key), shown(label), shown(description)
        parts: list[str | tuple[str, str]] = [(f" {key} ", "reverse"), f" {glyph} "]
        parts.append((label, "bold") if picked else label)
        if picked and not multi:
            parts.append("  (chosen)")
        if description:
            parts.append((f" — {description}", "dim"))
        return Content.assemble(*parts)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Picked(event.option.id))
