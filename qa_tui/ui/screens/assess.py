"""Assess: walk the questions by keyboard, answer, write evidence, raise and change actions.

The screen owns the state (the latest ``AssessmentDetail`` and the current question) and is
the only place that calls the services here. Every change is one service call that commits
before it returns; only then does the indicator say "saved". Visibility of conditional
questions comes from ``report.visible``, recomputed by the service on every change.

The CLI or another window may change the same assessment while this screen is open: every
save returns the whole, fresh detail, and ctrl+r (or the terminal regaining focus) reads it
again, so what is shown never stays behind what is stored for long.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import _time, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from qa_tui.domain import QuestionType
from qa_tui.errors import QaError
from qa_tui.ui import navigation as nav
from qa_tui.ui import rows
from qa_tui.ui.action_edits import ActionEditing
from qa_tui.ui.commands import QuestionCommands
from qa_tui.templates import escalation_words, overall_words
from qa_tui.ui.format import answer_keys_short
from qa_tui.ui.literal import Plain
from qa_tui.ui.screens.answering import READ_ONLY, AnswerKeys
from qa_tui.ui.screens.base import QaScreen
from qa_tui.ui.screens.row_keys import READ_ONLY_REFUSED, ROW_ACTIONS, RowKeys
from qa_tui.ui.screens.saving import FIRST_TRY, Saving
from qa_tui.ui.widgets.action_list import ActionList
from qa_tui.ui.widgets.key_footer import KeyFooter
from qa_tui.ui.widgets.note_editor import NoteEditor
from qa_tui.ui.widgets.question_view import QuestionView
from qa_tui.ui.widgets.review_banner import ReviewBanner
from qa_tui.ui.widgets.save_status import SaveStatus
from qa_tui.ui.widgets.section_nav import SectionNav

if TYPE_CHECKING:
    from collections.abc import Callable

    from qa_tui.services import AssessmentDetail
    from qa_tui.templates import Question


class AssessScreen(Saving, AnswerKeys, RowKeys, ActionEditing, QaScreen[None]):
    HELP_TITLE = "Assess"
    AUTO_FOCUS = ""
    COMMANDS = {QuestionCommands}
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("down,j", "move(1)", "Next question", show=False),
        Binding("up,k", "move(-1)", "Previous question", show=False),
        Binding("right,right_square_bracket", "section(1)", "Next section", show=False),
        Binding("left,left_square_bracket", "section(-1)", "Previous section", show=False),
        Binding("1", "pick('1')", "Answer", key_display="1-9",
                tooltip="Answer with the option of that key"),
        *[Binding(str(d), f"pick('{d}')", "Answer", key_display="1-9", show=False,
                  tooltip="Answer with the option of that key") for d in range(2, 10)],
        Binding("N", "pick('N')", "Not applicable (N/A)", show=False),
        Binding("0,x", "clear", "Clear the answer (the note stays)", show=False),
        Binding("enter", "type_answer", "Type the answer (text, number, date)", show=False),
        Binding("n", "next_open", "Next open", tooltip="Next unanswered question"),
        Binding("e", "note", "Note", tooltip="Write the evidence note (esc when done)"),
        Binding("a", "add_action", "Action", tooltip="Add an action on this question"),
        Binding("A", "choose_action", "Choose an action", key_display="shift+a", show=False,
                tooltip="Edit, close or reopen one of this question's actions"),
        Binding("P", "copy_previous", "Copy the previous visit's answer (a follow-up)",
                key_display="shift+p", show=False),
        Binding("u", "undo", "Undo", tooltip="Undo the last change (again: the one before)"),
        Binding("plus", "add_row", "Row", key_display="+/-",
                tooltip="Add a row to this repeating section, a risk register (- removes one)"),
        Binding("minus", "remove_row", "Remove row", key_display="-", show=False,
                tooltip="Remove the row on screen, after you confirm (u undoes it)"),
        Binding("right_curly_bracket", "row(1)", "Next row (same field)", key_display="}",
                show=False),
        Binding("left_curly_bracket", "row(-1)", "Previous row (same field)", key_display="{",
                show=False),
        Binding("g", "guidance", "Show or hide guidance", show=False),
        Binding("pagedown", "scroll(1)", "Scroll the question down", show=False),
        Binding("pageup", "scroll(-1)", "Scroll the question up", show=False),
        Binding("o", "reopen", "Reopen", tooltip="Reopen this completed assessment to change it"),
        Binding("r", "review", "Review", tooltip="Review scores and gaps; complete"),
        Binding("ctrl+r", "refresh", "Refresh", show=False,
                tooltip="Show changes saved elsewhere (the CLI, another window)"),
        Binding("q,escape", "back", "Back", tooltip="Back to the list of assessments"),
    ]

    def __init__(self, assessment_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self._start_at = question_id
        self.detail: AssessmentDetail | None = None
        self.question_id = ""
        self.shown_at = 0.0
        """When the question on screen last changed (Textual's clock, as on key events): a
        key pressed before then was meant for the question shown before."""
        self.shown_before = ""
        self.just_answered: str | None = None
        """The question an answer just auto-advanced from: ``e`` now writes its note."""
        self._note_return: str | None = None

    def compose(self) -> ComposeResult:
        yield Plain("", id="title-bar")
        yield ReviewBanner(id="returned-reason")
        with Horizontal(id="assess-body"):
            yield SectionNav(id="nav")
            yield QuestionView(id="question")
        yield SaveStatus(id="save-status")
        yield KeyFooter(compact=True, key_display=self._footer_keys)

    def on_mount(self) -> None:
        try:
            self.detail = self.services.assessments.get(self.assessment_id)
        except QaError as exc:  # e.g. deleted in another window since the list was read
            self.notify(str(exc), severity="error", markup=False)
            self.dismiss(None)
            return
        self.question_id = nav.start_at(self.detail, self._start_at)
        self.shown_at = _time.get_time()  # keys typed for the screen before are not for this
        self._refresh_view(reload_note=True)
        if self.detail.is_complete:
            self.status.info(READ_ONLY)
        elif nav.first_open(self.detail) is None:
            self.status.info("Every question is answered: r to review and complete.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the answer keys where they do nothing (a text or date question, a computed
        field); row keys only in a repeating section."""
        if action in ROW_ACTIONS or action in READ_ONLY_REFUSED or action == "choose_action":
            verdict = self.check_row_action(action, parameters)
            if verdict is not True:
                return verdict
        if action == "pick" and self.detail is not None and self.question_id:
            q = self.question
            if q.scale is None and q.type is not QuestionType.NUMBER and parameters != ("N",):
                return None
        if action == "reopen":
            return self.detail is not None and self.detail.is_complete
        if action in ("pick", "note", "add_action", "undo", "next_open") \
                and self.detail is not None and self.detail.is_complete:
            return False  # read-only: the footer keeps room for o (reopen)
        if action == "choose_action":
            return (self.detail is not None and bool(self.view.action_list.actions)) or None
        return True

    # -- state helpers ----------------------------------------------------------------------------

    @property
    def status(self) -> SaveStatus:
        return self.query_one(SaveStatus)

    @property
    def view(self) -> QuestionView:
        return self.query_one(QuestionView)

    @property
    def question(self) -> Question:
        assert self.detail is not None
        q = rows.question_at(self.detail, self.question_id)  # a row field carries its address
        assert q is not None
        return q

    def _visible(self) -> list[str]:
        assert self.detail is not None
        return nav.visible_ids(self.detail)

    def _refresh_view(self, *, reload_note: bool) -> None:
        detail = self.detail
        if detail is None or not self.question_id:
            return
        rec = detail.record
        code = f" ({rec.org_code})" if rec.org_code else ""
        site = f" · {rec.site}" if rec.site else ""
        self.query_one("#title-bar", Static).update(
            f"{rec.org_name}{code}{site} · {detail.template.title} · {rec.visit_date}")
        self.query_one(ReviewBanner).show(rec)
        self.query_one(SectionNav).show(detail, self.question_id)
        self.view.show(detail, self.question, position=nav.position(detail, self.question_id),
                       detailed=self.app.size.height >= 32, reload_note=reload_note)
        self.refresh_bindings()  # once a key; the footer changes only if its keys did
        report = detail.report
        self.status.alert(escalation_words(report.escalations))
        self.status.progress(f"{report.answered}/{report.total} answered · "
                             f"{overall_words(report)} · {rec.status}")

    def _footer_keys(self, binding: Binding) -> str | None:
        """The footer names the keys that answer the question on screen (``y/p/n``, ``1-4``),
        not every digit."""
        if not binding.action.startswith("pick(") or self.detail is None \
                or not self.question_id:
            return None
        return answer_keys_short(self.question)

    def go_to(self, question_id: str) -> None:
        """Show another question (from keys, the palette, the nav or the review)."""
        self._flush_note()
        if self.view.action_list.has_focus:  # its actions are about to be another question's
            self.set_focus(None)
        if self.detail is None or question_id not in self._visible():
            return
        if question_id != self.question_id:
            self.shown_before, self.shown_at = self.question_id, _time.get_time()
        self.question_id = question_id
        self._refresh_view(reload_note=True)
        self.view.scroll_home(animate=False)

    def go_to_question(self, assessment_id: str, question_id: str) -> bool:
        if assessment_id != self.assessment_id:
            return False
        self.go_to(question_id)  # already open: just move there
        return True

    def question_detail(self) -> AssessmentDetail | None:
        return self.detail

    def export_target(self) -> str | None:
        return self.assessment_id

    def all_actions_command(self) -> Callable[[], object] | None:
        return self.action_all_actions

    # -- moving -----------------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        assert self.detail is not None
        target = nav.step(self.detail, self.question_id, delta)
        if target:
            self.go_to(target)

    def action_section(self, delta: int) -> None:
        assert self.detail is not None
        target = nav.section_step(self.detail, self.question_id, delta)
        if target:
            self.go_to(target)

    def action_next_open(self) -> None:
        assert self.detail is not None
        target, owes_note = nav.next_open(self.detail, self.question_id)
        if target is None:
            self.status.info("Every question is answered: r to review and complete.")
            return
        self.go_to(target)
        if owes_note:
            self.status.info(f"{target} needs an evidence note for its answer: press e.")

    @on(SectionNav.Jump)
    def _jump(self, event: SectionNav.Jump) -> None:
        if event.question_id:
            self.go_to(event.question_id)
        elif event.section_id and self.detail is not None:
            target = nav.section_entry(self.detail, event.section_id)
            if target:
                self.go_to(target)

    # -- answering --------------------------------------------------------------------------------

    def _took(self, what: str, detail: AssessmentDetail, advance: bool) -> None:
        """A service call committed (see ``Saving._apply``): take its detail, say saved,
        maybe move on."""
        self.detail = detail
        if self.question_id not in self._visible():  # undo can hide the current question
            self.question_id = self._visible()[0]
        self.status.saved(what)
        self._refresh_view(reload_note=False)
        if self.question_id in detail.report.escalations_unrecorded \
                and not self.view.note.has_focus:
            # stay: a critical concern needs its escalation record before anything else
            self.status.saved(f"{what}; ESCALATE: e to record who was told, when, what agreed")
        elif self.question_id in detail.report.notes_owed and not self.view.note.has_focus:
            # stay: this answer needs its evidence written before moving on
            self.status.saved(f"{what}; this answer needs an evidence note: press e")
        elif advance and self.qa.settings.auto_advance:
            self._advance()

    def _advance(self) -> None:
        assert self.detail is not None
        answered = self.question_id
        target = nav.step(self.detail, self.question_id, 1)
        if target:
            self.go_to(target)
            self.just_answered = answered
            self.status.saved(f"{self.status.state.removeprefix('✓ saved: ')}; "
                              f"now {target} (e: note on {answered})")
        elif self.detail.report.answered == self.detail.report.total:
            self.status.info("✓ saved. Every question is answered: r to review and complete.")

    def action_guidance(self) -> None:
        self.view.toggle_guidance()

    def action_scroll(self, direction: int) -> None:
        """A long question with many options can pass the bottom at 80x24."""
        if direction > 0:
            self.view.scroll_page_down()
        else:
            self.view.scroll_page_up()

    # -- the evidence note ------------------------------------------------------------------------

    def action_note(self) -> None:
        if self._refuse_if_complete():
            return
        answered, self.just_answered = self.just_answered, None
        if answered and answered != self.question_id and answered in self._visible():
            # right after an answer moved on: the note is for the answer just given
            back_to = self.question_id
            self.go_to(answered)
            self._note_return = back_to
            self.view.note_label(f"Evidence note on {answered}, the answer you just gave "
                                 f"(esc: save, back to {back_to})")
        note = self.view.note
        self.set_focus(note)
        note.move_cursor(note.document.end)
        self.status.info(f"Writing the note on {self.question_id}: it saves when you pause; "
                         "esc when done.")

    @on(NoteEditor.Typing)
    def _note_typed(self, event: NoteEditor.Typing) -> None:
        self.status.pending(f"note on {event.question_id}")

    def save_pending_note(self) -> None:
        """Called by the app before it leaves this screen or quits."""
        self._flush_note()

    @on(NoteEditor.SaveNow)
    def _note_done(self) -> None:
        self._flush_note()
        self._return_after_note()

    def _flush_note(self) -> None:
        """Save the note being written, if it differs from the stored one."""
        pending = self.view.note.take()
        if pending is None or self.detail is None:
            return
        qid, text = pending
        services, aid = self.services, self.assessment_id

        def saved() -> None:
            assert self.detail is not None
            self.view.note.saved(qid, self.detail.answer(qid).note)

        self._apply(f"note on {qid}", lambda: services.assessments.set_note(aid, qid, text),
                    after=saved)

    def _return_after_note(self) -> None:
        """After the note of an answer just given, back to where auto-advance had gone."""
        target, self._note_return = self._note_return, None
        if target and not self.view.note.has_focus:
            self.go_to(target)
            self.status.info(f"Back to {target}, where the answer to {self.shown_before} "
                             "had moved you on.")
        elif target:
            self._note_return = target  # still typing: a pause saved it, not esc

    # -- actions, undo, review, back -----------------------------------------------------------

    def action_add_action(self) -> None:
        if not self._refuse_if_complete():
            self.add_action_on(self.question_id)

    def action_choose_action(self) -> None:
        self.set_focus(self.view.action_list)
        self.status.info("Actions: ↑ ↓ choose · enter edit · c close · o reopen · esc done")

    @on(ActionList.Chosen)
    def _action_chosen(self, event: ActionList.Chosen) -> None:
        assert self.detail is not None
        action = next((a for a in self.detail.actions if a.id == event.action_id), None)
        if action is not None:
            self.change_action(action, event.what)

    def actions_changed(self, what: str, detail: AssessmentDetail) -> None:
        self.detail = detail
        self.status.saved(what)
        self._refresh_view(reload_note=False)
        # a long question can push the actions below the fold at 80x24: show what was saved
        self.call_after_refresh(self.view.action_list.scroll_visible, animate=False)

    def actions_refused(self, why: str) -> None:
        self.status.error(why)

    def action_copy_previous(self) -> None:
        """Follow-up: copy the previous visit's answer here, where nothing changed (audited)."""
        if not self._refuse_if_complete():
            services, aid, qid = self.services, self.assessment_id, self.question_id
            self._apply(f"{qid} = previous answer",
                        lambda: services.followups.copy_previous(aid, qid), advance=True)

    def action_all_actions(self) -> None:
        """Every action of this assessment (from the palette); g there comes back here."""
        from qa_tui.ui.screens.actions import ActionsScreen

        self._flush_note()

        def back(question_id: str | None) -> None:
            self.detail = self.services.assessments.get(self.assessment_id)
            self._refresh_view(reload_note=True)
            if question_id:
                self.go_to(question_id)

        self.app.push_screen(ActionsScreen(self.assessment_id), back)

    def refresh_from_store(self) -> None:
        """Called by the app when the terminal regains focus."""
        self.action_refresh(quiet=True)

    def action_refresh(self, quiet: bool = False) -> None:
        """Read the assessment again: answers saved elsewhere (the CLI) appear. ``quiet``
        (the terminal regained focus) says nothing unless something had changed."""
        self._flush_note()
        before = self.detail.record if self.detail is not None else None
        try:
            detail = self.services.assessments.get(self.assessment_id)
        except QaError as exc:
            self.status.error(str(exc))
            return
        changed = before is None or (detail.record.revision, detail.record.updated_at) != (
            before.revision, before.updated_at)
        if quiet and not changed:
            return
        self.detail = detail
        if self.question_id not in self._visible():
            self.question_id = nav.start_at(detail, None)
        typing = self.view.note.has_focus or self.view.answer_box.has_focus
        self._refresh_view(reload_note=not typing)
        self.status.info(f"Refreshed: changes saved elsewhere are shown (revision "
                         f"{detail.record.revision})." if changed
                         else "Refreshed: nothing changed elsewhere.")

    def action_undo(self) -> None:
        self._flush_note()
        try:
            with self.services.store.patience(FIRST_TRY):  # never freeze on another's lock
                what = self.services.undo.undo(self.assessment_id)
        except QaError as exc:
            self.status.error(str(exc))
            return
        if what is None or what.detail is None:
            self.status.info("Nothing to undo.")
            return
        self.detail = what.detail
        target = what.question_id
        if target is not None and target in self._visible():
            self.question_id = target
        elif self.question_id not in self._visible():
            self.question_id = self._visible()[0]
        self._refresh_view(reload_note=True)
        self.status.saved(f"undone, {what}")

    def action_review(self) -> None:
        from qa_tui.ui.screens.review import ReviewScreen

        self._flush_note()

        def back(question_id: str | None) -> None:
            self.detail = self.services.assessments.get(self.assessment_id)
            if not question_id:
                self._refresh_view(reload_note=True)
                return
            self.go_to(question_id)
            if question_id in self.detail.report.notes_owed:
                self.status.info(f"{question_id} needs an evidence note for its answer: press e.")
            elif not self.detail.answer(question_id).answered:
                self.status.info(f"{question_id} is required: answer it.")

        self.app.push_screen(ReviewScreen(self.assessment_id), back)

    def action_reopen(self) -> None:
        """A completed assessment is read-only here until reopened as a draft."""
        services, aid = self.services, self.assessment_id
        if self._apply("reopened as a draft: answers can be changed",
                       lambda: services.assessments.reopen(aid)):
            self._refresh_view(reload_note=True)

    def on_screen_resume(self) -> None:
        self.shown_before, self.shown_at = "", _time.get_time()

    def action_back(self) -> None:
        self._flush_note()
        self.dismiss(None)

    def show_export(self, text: str, ok: bool) -> None:
        self.status.info(("✓ " if ok else "✗ ") + text)  # answers are saved either way

    def help_extra(self) -> list[tuple[str, str]]:
        """The current question's answer keys, and what the list's glyphs mean."""
        if self.detail is None:
            return []
        return rows.help_rows(self.detail, self.question) + [
            ("", ""), ("✓ ○ –", "in the list: answered, open, N/A"),
            ("✎ !", "in the list: has a note, needs a note"),
            ("▸", "in the list: where you are")]
