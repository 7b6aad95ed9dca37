"""Right panel of Assess: one question with its guidance, answer control, note and actions.

Attributes down: the screen calls :meth:`QuestionView.show` with the latest detail; the widgets
inside post messages up (picked, typed, note done) and the screen saves through the services.
A computed field (and the placeholder of a repeating section with no rows) is read-only: no
answer box, note or actions, and the hint line shows its value, band and how it was computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Label, Static, TextArea

from qa_tui.domain import QuestionType
from qa_tui.ui import rows
from qa_tui.ui.format import input_hint, is_choice, option_key_text, reflow
from qa_tui.ui.literal import Plain
from qa_tui.ui.widgets.action_list import ActionList
from qa_tui.ui.widgets.answer_input import AnswerInput
from qa_tui.ui.widgets.answer_picker import AnswerPicker
from qa_tui.ui.widgets.identifier_warning import IdentifierWarning
from qa_tui.ui.widgets.note_editor import NoteEditor
from qa_tui.ui.widgets.previous_finding import PreviousFinding
from qa_tui.ui.widgets.text_answer import TextAnswer

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail
    from qa_tui.templates import Question


NOTE_LABEL = "Evidence note (e to write, esc when done)"


class QuestionView(VerticalScroll, can_focus=False):
    _hint_text = ""
    _free_text = False
    shown_id = ""
    _note_label = NOTE_LABEL
    """The question on screen: when it changes, every control is reset to it, focus or not."""
    guidance_open: bool | None = None
    """The assessor's choice (g); None until they choose: open when the terminal is tall."""

    def compose(self) -> ComposeResult:
        yield Plain("", id="q-head")
        yield Plain("", id="q-text")
        yield PreviousFinding(id="previous")
        with Collapsible(title="Guidance (g)", id="guidance", collapsed=True):
            yield Plain("", id="guidance-text")
        yield Plain("", id="answer-hint")
        yield AnswerPicker(id="picker")
        yield AnswerInput(id="answer-input")
        yield TextAnswer(id="answer-text")
        yield IdentifierWarning("answer", id="answer-warning")
        yield Label(NOTE_LABEL, id="note-label", markup=False)
        yield NoteEditor(id="note")
        yield IdentifierWarning("note", id="note-warning")
        yield Plain("", id="q-actions")
        yield ActionList(id="action-list")

    def show(self, detail: AssessmentDetail, question: Question, *, position: str,
             detailed: bool, reload_note: bool) -> None:
        """Show ``question`` as it stands in ``detail``; ``reload_note`` replaces the note text
        (False while the assessor is typing it, so a save never moves their cursor)."""
        answer = detail.answer(question.id)
        moved = question.id != self.shown_id
        self.shown_id = question.id
        flags = ["read-only" if rows.is_read_only(question)
                 else "required" if question.required else "optional"]
        if question.critical:
            flags.append("critical")
        if question.id in detail.report.notes_owed:
            flags.append("needs an evidence note")
        self.query_one("#q-head", Static).update(
            f"{question.id} · {position} · {' · '.join(flags)}")
        self.query_one("#q-text", Static).update(question.text)
        previous = self.query_one(PreviousFinding)
        previous.expand(bool(self.guidance_open))
        previous.show(detail, question)
        guidance = self.query_one("#guidance", Collapsible)
        guidance.display = bool(question.guidance)
        guidance.collapsed = not (detailed if self.guidance_open is None else self.guidance_open)
        self.query_one("#guidance-text", Static).update(reflow(question.guidance))
        picker = self.query_one(AnswerPicker)
        picker.show(question, answer, detailed=detailed)
        self._free_text = question.type is QuestionType.TEXT
        read_only = rows.is_read_only(question)
        typed = question.scale is None and not read_only
        self.query_one(AnswerInput).display = typed and not self._free_text
        self.query_one(TextAnswer).display = typed and self._free_text
        for part in ("#note-label", "#note"):
            self.query_one(part).display = not read_only
        # no actions on a row field: removing a row renumbers the rows after it
        on_row = rows.row_at(detail, question.id) is not None
        self.query_one("#q-actions").display = not (read_only or on_row)
        box = self.answer_box
        if typed:
            box.placeholder = f"enter, then type {input_hint(question)}; enter saves"
            if moved or not box.has_focus:  # a box keeps what is typed only on its own question
                box.value = detail.label(question.id) if not answer.na else ""
        elif moved:
            box.value = ""
        typing = box.has_focus and not moved
        if not typing:
            self.answer_warning.check(box.value if self._free_text and typed else "")
        self._hint_text = "\n".join(rows.computed_lines(detail, question)) if read_only \
            else self._hint(question, detail)
        if not typing:
            self.query_one("#answer-hint", Static).update(self._hint_text)
        note = self.query_one(NoteEditor)
        note.read_only = detail.is_complete
        self.query_one(AnswerInput).disabled = detail.is_complete
        self.query_one(TextAnswer).read_only = detail.is_complete
        if detail.is_complete:
            self.note_label("Evidence note (read-only: the assessment is complete; "
                            "o reopens it to change)")
        elif moved or self._note_label.startswith("Evidence note (read-only"):
            self.note_label(NOTE_LABEL)
        note.placeholder = reflow(question.evidence_prompt) or "What did you see, hear or read?"
        if reload_note:
            note.load(question.id, answer.note)
            self.note_warning.check(answer.note)
        actions = () if read_only or on_row else tuple(
            a for a in detail.actions if a.question_id == question.id)
        self.query_one("#q-actions", Static).update(
            f"Actions on {question.id} ({len(actions)}): a to add, A to edit or close one"
            if actions else f"No actions on {question.id}; a to add one.")
        self.action_list.show(actions)

    @staticmethod
    def _hint(question: Question, detail: AssessmentDetail) -> str:
        keys = option_key_text(question)
        if question.type is QuestionType.MULTI:
            return f"Pick all that apply: {keys} toggle · 0 or x clears"
        if is_choice(question):
            return f"Answer: {keys} · 0 or x clears"
        answered = detail.answer(question.id)
        na = " · N: N/A" if question.allow_na else ""
        state = "answered" if answered.answered else "not answered"
        return f"Answer ({state}): enter to type{na} · 0 or x clears"

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self.note:
            self.note_warning.check_later(event.text_area.text)
        elif event.text_area is self.answer_box:
            self.answer_warning.check_later(event.text_area.text)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, (AnswerInput, TextAnswer)):
            self.query_one("#answer-hint", Static).update(
                "Typing the answer: enter saves · esc leaves without saving")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, (AnswerInput, TextAnswer)):
            self.query_one("#answer-hint", Static).update(self._hint_text)

    def note_label(self, text: str) -> None:
        """The line above the note: says whose note it is when that needs saying."""
        if text == self._note_label:
            return  # as shown: no repaint, no layout (it was set again on every question)
        self._note_label = text
        self.query_one("#note-label", Label).update(text)

    def toggle_guidance(self) -> None:
        """``g``: the guidance, and on a follow-up the previous visit's whole note with it."""
        guidance = self.query_one("#guidance", Collapsible)
        guidance.collapsed = not guidance.collapsed
        self.guidance_open = not guidance.collapsed
        self.query_one(PreviousFinding).expand(self.guidance_open)

    @property
    def note(self) -> NoteEditor:
        return self.query_one(NoteEditor)

    @property
    def answer_box(self) -> AnswerInput | TextAnswer:
        """The box of the question on screen: several lines for text, one for the rest."""
        return self.query_one(TextAnswer) if self._free_text else self.query_one(AnswerInput)

    def answer_text(self) -> str:
        """What the answer box of the question on screen holds."""
        return self.answer_box.value

    @property
    def action_list(self) -> ActionList:
        return self.query_one(ActionList)

    @property
    def note_warning(self) -> IdentifierWarning:
        return self.query_one("#note-warning", IdentifierWarning)

    @property
    def answer_warning(self) -> IdentifierWarning:
        return self.query_one("#answer-warning", IdentifierWarning)
