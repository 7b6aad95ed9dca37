"""Adding, editing, closing and reopening actions: shared by Assess and the Actions screen.

Both screens show actions and let the assessor change them the same way, with the same dialog
and the same service calls, so the wording and the rules cannot differ between them. The
screen mixing this in supplies ``assessment_id``, ``services`` and two hooks saying what
happened: :meth:`actions_changed` (saved) and :meth:`actions_refused` (not saved, and why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qa_tui.errors import QaError
from qa_tui.ui.dialogs.action import ActionDialog, ActionDraft
from qa_tui.ui.screens.saving import FIRST_TRY, plain_reason

if TYPE_CHECKING:
    from textual.screen import Screen

    from qa_tui.domain import ActionView
    from qa_tui.services import AssessmentDetail, Services
    from qa_tui.services.actions import ActionSaved

    _Base = Screen[Any]
else:
    _Base = object


class ActionEditing(_Base):
    """Mixin for a Screen: every change is one service call that commits before it returns."""

    assessment_id: str

    if TYPE_CHECKING:
        @property
        def services(self) -> Services: ...

    def actions_changed(self, what: str, detail: AssessmentDetail) -> None:
        """Saved: show ``detail`` (the assessment as the change left it) and say ``what``
        was saved."""
        raise NotImplementedError

    def actions_refused(self, why: str) -> None:
        """Not saved: say ``why`` (the service's own sentence)."""
        raise NotImplementedError

    def _try(self, what: str, call: Callable[[], ActionSaved]) -> None:
        try:
            with self.services.store.patience(FIRST_TRY):  # never freeze on another's lock
                saved = call()
        except QaError as exc:
            self.actions_refused(str(exc))
        except OSError as exc:  # a full disk, say: keep the app, say so
            self.actions_refused(plain_reason(exc))
        else:
            self.actions_changed(what, saved.detail)

    def add_action_on(self, question_id: str | None) -> None:
        """Open the dialog for a new action (on ``question_id``, or on the whole assessment)."""
        services, aid = self.services, self.assessment_id

        def made(draft: ActionDraft | None) -> None:
            if draft is None:
                return
            where = f"on {question_id}" if question_id else "on the assessment"
            self._try(f"new action {where}", lambda: services.actions.add(
                aid, draft.description, owner=draft.owner, due=draft.due or None,
                priority=draft.priority, question_id=question_id))

        self.app.push_screen(ActionDialog(question_id, today=self._today()), made)

    def edit_action(self, action: ActionView) -> None:
        """Open the dialog filled in with ``action``; saving changes only what was changed."""
        from qa_tui.services.actions import ActionChanges

        services, aid = self.services, self.assessment_id
        current = ActionDraft(action.description, action.owner,
                              action.due_date.isoformat() if action.due_date else "",
                              action.priority)

        def edited(draft: ActionDraft | None) -> None:
            if draft is None or draft == current:
                return
            # every field as the dialog left it: an empty due date removes the date
            changes = ActionChanges(description=draft.description, owner=draft.owner,
                                    due=draft.due, priority=draft.priority)
            self._try("action edited", lambda: services.actions.edit(aid, action.id, changes))

        self.app.push_screen(ActionDialog(action.question_id, draft=current,
                                          today=self._today()), edited)

    def _today(self) -> dt.date:
        """The services' today (a fixed clock in tests), for due dates typed without a year."""
        return self.services.assessments.clock().date()

    def close_action(self, action: ActionView) -> None:
        services, aid = self.services, self.assessment_id
        self._try("action closed", lambda: services.actions.close(aid, action.id))

    def reopen_action(self, action: ActionView) -> None:
        from qa_tui.services.actions import ActionChanges

        services, aid = self.services, self.assessment_id
        self._try("action reopened",
                  lambda: services.actions.edit(aid, action.id, ActionChanges(status="open")))

    def review_action(self, action: ActionView) -> None:
        """Review an action carried from the previous visit (outcome and evidence note)."""
        from qa_tui.ui.dialogs.review import ReviewDialog

        services, aid = self.services, self.assessment_id

        def reviewed(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self._try(f"action reviewed: {answer[0]}",
                          lambda: services.actions.review(aid, action.id, *answer))

        self.app.push_screen(ReviewDialog(action.description), reviewed)

    def change_action(self, action: ActionView, what: str) -> None:
        """``what`` is edit, close or reopen (from a key or a click)."""
        if what == "edit":
            self.edit_action(action)
        elif what == "close":
            self.close_action(action)
        elif what == "reopen":
            self.reopen_action(action)
