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
from qa_tui.ui import rows
from qa_tui.ui.format import option_key_text
from qa_tui.ui.widgets.answer_picker import NA_KEY, AnswerPicker
from qa_tui.ui.widgets.text_answer import TextAnswer

READ_ONLY = "Complete, so read-only: press o to reopen it to change."

ROW_KEYS = frozenset({"plus", "minus"})
"""Add a row to the section on screen, remove the row on screen."""
TARGETED = frozenset({*"0123456789", "N", "x", "enter", "a", "A", *ROW_KEYS})
"""Keys that act on the question on screen (moving keys are relative, so they may chain)."""
CHANGES = TARGETED | {"e", "u"}
"""Keys that would change a completed (read-only) assessment."""

if TYPE_CHECKING:
    from textual.screen import Screen

    from qa_tui.services import AssessmentDetail, Services
    from qa_tui.templates import Question
    from qa_tui.ui.contract import AppContext
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
        shown_at: float
        shown_before: str
        just_answered: str | None

        @property
        def qa(self) -> AppContext: ...
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

    _n_warned = ""

    def _refuse_if_complete(self) -> bool:
        """Say plainly why keys do nothing on a completed assessment (the service agrees)."""
        if self.detail is not None and self.detail.is_complete:
            self.status.info(READ_ONLY)
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

    async def on_key(self, event: events.Key) -> None:
        """Every key of this screen, in the order pressed: refuses a key meant for the question
        shown before, answers by an option's letter, runs this screen's bindings here (not
        later in the app, where a second key could overtake the first's screen change), and
        says what a key that does nothing here would need."""
        if self.focused is not None or self.detail is None:
            return
        self.status.clear_error()  # a refusal is about the key before; this is a new one
        question = self.question
        scale = question.scale
        letters = [o.key for o in scale.options if not o.key.isdigit()] if scale else []
        if event.key != "e":
            self.just_answered = None
        if event.time < self.shown_at and (event.key in TARGETED or event.key in letters):
            self._stop(event)
            self.status.error(
                f"{event.key!r} was pressed while {self.shown_before or 'another screen'} "
                f"was on screen; press it again to apply it to {question.id}")
            return
        if self.detail.is_complete and (event.key in CHANGES or event.key in letters):
            self._stop(event)
            self.status.info(READ_ONLY)
        elif rows.is_read_only(question) and event.key in CHANGES - ROW_KEYS - {"u"}:
            self._stop(event)  # a computed field (or an empty group): nothing to answer
            self.status.info(f"{question.id}: {rows.computed_text(self.detail, question)}")
        elif event.character and event.character in letters:
            self._stop(event)
            self._pick(event.character)
        elif event.key == "n" and self._n_is_a_trap(question) or await self._run_binding(event):
            self._stop(event)
        elif event.is_printable and event.character and event.character != " " \
                and event.key not in self.active_bindings:
            if rows.is_read_only(question):
                self.status.info(f"{event.character!r} does nothing here: "
                                 f"{rows.computed_text(self.detail, question)}")
                return
            keys = option_key_text(question) if scale else "enter (type the answer)"
            self.status.info(f"{event.character!r} does nothing here: {keys} answer "
                             f"{question.id} · ? lists every key")

    async def _run_binding(self, event: events.Key) -> bool:
        """Run this screen's own binding for the key now, as Textual would a moment later."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        return False

    @staticmethod
    def _stop(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def _n_is_a_trap(self, question: Question) -> bool:
        """``n`` (next open) on an open question that has a No option: an assessor may mean
        No. Say how to answer No the first time; ``n`` again moves on."""
        assert self.detail is not None
        scale = question.scale
        no = next((o for o in scale.options if o.label.strip().lower() == "no"), None) \
            if scale else None
        if no is None or self.detail.answer(question.id).answered \
                or self._n_warned == question.id:
            return False
        self._n_warned = question.id
        self.status.info(f"{question.id} is not answered: {no.key} answers No; "
                         "n again moves on to the next open question.")
        return True

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
        if isinstance(box, TextAnswer):
            box.move_cursor(box.document.end)
            return
        if initial:
            box.value = initial
        box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "answer-input":
            self._save_typed(event.value)

    def on_text_answer_submitted(self, event: TextAnswer.Submitted) -> None:
        self._save_typed(event.value)

    def _save_typed(self, raw: str) -> None:
        """Save what was typed in the answer box (empty: clear the answer)."""
        services, aid, qid = self.services, self.assessment_id, self.question_id
        if not raw.strip():
            ok = self._apply(f"{qid} cleared", lambda: services.assessments.clear(aid, qid))
        else:
            ok = self._apply(f"{qid} = {raw.strip()[:40]}",
                             lambda: services.assessments.answer(aid, qid, raw))
        if ok:
            self.set_focus(None)
            if raw.strip() and self.qa.settings.auto_advance:
                self._advance()
