"""The keys for rows of a repeating section (a risk register) on the Assess screen.

A mixin of :class:`~qa_tui.ui.screens.assess.AssessScreen`, like ``AnswerKeys``: ``+`` adds a
row, ``-`` removes the row on screen after a confirmation (``u`` undoes it, as any change),
``{`` and ``}`` move to the same field of the row before or after. Fields are answered with the
usual keys; computed fields are read-only. Adding and removing are single service calls through
the screen's ``_apply``, audited and undoable in the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qa_tui.templates import row_address
from qa_tui.ui import rows
from qa_tui.ui.dialogs.confirm import ConfirmDialog

if TYPE_CHECKING:
    from textual.screen import Screen

    from qa_tui.services import AssessmentDetail, Services
    from qa_tui.templates import Question
    from qa_tui.ui.widgets.save_status import SaveStatus

    _Base = Screen[None]
else:
    _Base = object

ROW_ACTIONS = frozenset({"add_row", "remove_row", "row"})
READ_ONLY_REFUSED = frozenset({"pick", "type_answer", "note", "clear", "add_action",
                               "copy_previous"})
"""Actions that would answer, note or act on a stop; a read-only stop dims them."""


class RowKeys(_Base):
    """Adding, removing and moving between rows; the screen supplies state and ``_apply``."""

    if TYPE_CHECKING:
        assessment_id: str
        detail: AssessmentDetail | None
        question_id: str

        @property
        def services(self) -> Services: ...
        @property
        def status(self) -> SaveStatus: ...
        @property
        def question(self) -> Question: ...
        def _apply(self, what: str, call: Callable[[], Any], *, advance: bool = False,
                   after: Callable[[], None] | None = None) -> bool: ...
        def _refuse_if_complete(self) -> bool: ...
        def _flush_note(self) -> None: ...
        def go_to(self, question_id: str) -> None: ...

    def _here(self) -> rows.RowAt | None:
        return rows.row_at(self.detail, self.question_id) if self.detail is not None else None

    def check_row_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row keys show in the footer only inside a repeating section; on a read-only stop the
        answer keys are dimmed; actions on a row field are not offered (a removed row would
        renumber the rows after it, and their actions with them)."""
        if self.detail is None or not self.question_id:
            return True
        where = self._here()
        if action in ROW_ACTIONS:
            if where is None or (self.detail.is_complete and action != "row"):
                return False  # a completed assessment is read-only; moving is fine
            if action == "add_row":
                return True  # past max_rows the services refuse it, saying so
            if action == "remove_row":
                return where.row > 0
            return where.row > 0 or None
        if action in ("add_action", "choose_action", "copy_previous") and where is not None:
            return False
        if action in READ_ONLY_REFUSED and rows.is_read_only(self.question):
            return None
        return True

    def action_add_row(self) -> None:
        where = self._here()
        if where is None or self._refuse_if_complete():
            return
        self._flush_note()
        services, aid, group = self.services, self.assessment_id, where.group
        first = where.section.questions[0].id

        def show_new_row() -> None:
            assert self.detail is not None
            count = rows.row_count(self.detail, group)
            self.go_to(row_address(group, count, first))
            self.status.saved(f"row {count} added to {where.section.title}: answer its "
                              f"fields; - removes it, u undoes")

        self._apply(f"row added to {group}", lambda: services.assessments.add_row(aid, group),
                    after=show_new_row)

    def action_remove_row(self) -> None:
        where = self._here()
        if where is None or where.row == 0 or self._refuse_if_complete():
            return
        self._flush_note()
        assert self.detail is not None
        name = rows.row_name(self.detail, where.section, where.row)
        answered = sum(1 for q in where.section.questions
                       if self.detail.answer(row_address(where.group, where.row, q.id)).answered)
        prefix = f"{where.group}[{where.row}]."
        on_row = sum(1 for a in self.detail.actions if (a.question_id or "").startswith(prefix))
        kept = (f" Its {on_row} action{'' if on_row == 1 else 's'} stay{'s' if on_row == 1 else ''}"
                ", no longer on a question." if on_row else "")
        body = (f"Remove {name} from {where.section.title}, with its {answered} answer"
                f"{'' if answered == 1 else 's'} and their notes? The rows after it move up "
                f"one.{kept} u (undo) puts it back.")

        def decided(yes: bool | None) -> None:
            if yes:
                self._remove_row(where)
            else:
                self.status.info(f"Kept {name}.")

        self.app.push_screen(ConfirmDialog(f"Remove {name}?", body, yes="remove the row"),
                             decided)

    def _remove_row(self, where: rows.RowAt) -> None:
        services, aid = self.services, self.assessment_id
        group, n, field = where.group, where.row, where.field

        def stay_near() -> None:
            assert self.detail is not None
            count = rows.row_count(self.detail, group)
            self.go_to(row_address(group, min(n, count), field) if count else group)
            self.status.saved(f"{group} {n} removed; u undoes")

        self._apply(f"{group} {n} removed", lambda: services.assessments.remove_row(aid, group, n),
                    after=stay_near)

    def action_row(self, delta: int) -> None:
        """The same field in the row ``delta`` rows away."""
        where = self._here()
        if where is None or self.detail is None:
            return
        count = rows.row_count(self.detail, where.group)
        target = where.row + delta
        if where.row == 0 or not 1 <= target <= count:
            more = "+ adds one" if delta > 0 else "this is the first"
            self.status.info(f"No row {'after' if delta > 0 else 'before'} this one: {more}.")
            return
        self.go_to(row_address(where.group, target, where.field))
