"""The keys that answer the question on screen: option keys, N/A, clear, and typed answers.

A mixin of :class:`~qa_tui.ui.screens.assess.AssessScreen`, kept apart so that screen stays
readable. Handlers here use Textual's naming convention (``on_input_submitted``) because ``@on``
is only collected from the screen class itself. Every change goes through the screen's
``_apply``: one service call, committed before "saved" is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input

from qa_tui.domain import QuestionType
from qa_tui.templates import toggled
from qa_tui.ui.format import option_key_text
from qa_tui.ui.widgets.answer_picker import NA_KEY, AnswerPicker

if TYPE_CHECKING:
    from textual.screen import Screen

    from qa_tui.services import AssessmentDetail, Services
    from qa_tui.templates import Question
    from qa_tui.ui.app import QaApp
    from qa_tui.ui.widgets.question_view import QuestionView
    from qa_tui.ui.widgets.save_status import SaveStatus

    _Base = Screen[None]
else:
    _Base = object


class AnswerKeys(_Base):
    """Answering by key, click or typing; the screen supplies the state and ``_apply``."""

    if TYPE_CHECKING:
        assessment_id: str
        detail: AssessmentDetail | None
        question_id: str

        @property
        def qa(self) -> QaApp: ...
        @property
        def services(self) -> Services: ...
        @property
        def status(self) -> SaveStatus: ...
        @property
        def view(self) -> QuestionView: ...
        @property
        def question(self) -> Question: ...
        def _apply(self, what: str, call: Callable[[], Any], *, advance: bool = False
                   ) -> bool: ...
        def _advance(self) -> None: ...

    def _refuse_if_complete(self) -> bool:
        """Say plainly why keys do nothing on a completed assessment (the service agrees)."""
        if self.detail is not None and self.detail.is_complete:
            self.status.error("this assessment is complete; reopen it to make changes "
                              "(r, then o)")
            return True
        return False

    def action_pick(self, key: str) -> None:
        if self._refuse_if_complete():
            return
        question = self.question
        if question.scale is None:
            if key == NA_KEY:
                self._pick_na(question)
            elif question.type is QuestionType.NUMBER:
                self.action_type_answer(initial=key)
            return
        self._pick(key)

    def _pick(self, key: str) -> None:
        assert self.detail is not None
        question = self.question
        services, aid, qid = self.services, self.assessment_id, question.id
        if key == NA_KEY:
            self._pick_na(question)
            return
        option = next((o for o in question.scale.options if o.key == key), None) \
            if question.scale else None
        if option is None:
            hint = option_key_text(question)
            if key.isdigit():  # on a scale not of 1-9, digits answer nothing (one number rule)
                self.status.error(f"{qid}: answer with {hint} (digits mean 1-9 values only)")
            else:
                self.status.error(f"{key!r} is not an answer to {qid}; use {hint}")
            return
        if question.type is QuestionType.MULTI:
            current = self.detail.answer(qid).value
            chosen = toggled(question, current, option)
            if not chosen:
                self._apply(f"{qid} cleared", lambda: services.assessments.clear(aid, qid))
                return
            self._apply(f"{qid} = {len(chosen)} chosen",
                        lambda: services.assessments.answer(aid, qid, value=chosen))
            return
        self._apply(f"{qid} = {option.label}",
                    lambda: services.assessments.answer(aid, qid, value=option.value),
                    advance=True)

    def _pick_na(self, question: Question) -> None:
        if not question.allow_na:
            self.status.error(f"N/A is not allowed for {question.id}")
            return
        services, aid, qid = self.services, self.assessment_id, question.id
        self._apply(f"{qid} = N/A", lambda: services.assessments.answer(aid, qid, na=True),
                    advance=True)

    def on_key(self, event: events.Key) -> None:
        """Letter keys of the current question's options (digits are bindings)."""
        if self.focused is not None or self.detail is None or not event.character:
            return
        scale = self.question.scale
        if scale is not None and any(o.key == event.character and not o.key.isdigit()
                                     for o in scale.options):
            event.stop()
            event.prevent_default()
            self._pick(event.character)

    def on_answer_picker_picked(self, event: AnswerPicker.Picked) -> None:
        if not self._refuse_if_complete():
            self._pick(event.key)

    def action_clear(self) -> None:
        services, aid, qid = self.services, self.assessment_id, self.question_id
        self._apply(f"{qid} cleared", lambda: services.assessments.clear(aid, qid))
        self.view.answer_box.value = ""

    def action_type_answer(self, initial: str = "") -> None:
        if self.question.scale is not None or self._refuse_if_complete():
            return
        box = self.view.answer_box
        self.set_focus(box)
        if initial:
            box.value = initial
        box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "answer-input":
            return
        services, aid, qid = self.services, self.assessment_id, self.question_id
        raw = event.value
        if not raw.strip():
            ok = self._apply(f"{qid} cleared", lambda: services.assessments.clear(aid, qid))
        else:
            ok = self._apply(f"{qid} = {raw.strip()[:40]}",
                             lambda: services.assessments.answer(aid, qid, raw))
        if ok:
            self.set_focus(None)
            if raw.strip() and self.qa.settings.auto_advance:
                self._advance()
