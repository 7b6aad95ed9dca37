"""Review: scores, ratings and how they were reached; what is left before completion.

Enter on a listed gap returns to Assess at that question. Completion is the service's decision:
its refusal comes back as reasons, shown as a list, never as a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from qa_tui.errors import QaError, Refused
from qa_tui.templates import overall_words
from qa_tui.ui import rows
from qa_tui.ui.dialogs.review_decision import Decision, ReviewDialog
from qa_tui.ui.literal import Plain, literal
from qa_tui.ui.messages import ExportRequested
from qa_tui.ui.screens.base import QaScreen
from qa_tui.ui.screens.saving import FIRST_TRY
from qa_tui.ui.widgets.review_banner import ReviewBanner

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail
    from qa_tui.templates.scoring import SectionScore


def sections_table(sections: Sequence[SectionScore], threshold: int = 80) -> Table:
    """Section, answered, required open, rating, score, coverage. Ratings, scores and coverage
    never wrap (the rating column is as wide as its longest word), so at 80 columns it is the
    section names that wrap, never a rating; a provisional rating is marked ``*`` (the line
    under the table says what it means)."""
    ratings = [(s.rating or "not rated") + ("*" if s.provisional else "") for s in sections]
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("Section", ratio=1, overflow="fold", min_width=12)
    table.add_column("Done", no_wrap=True)
    table.add_column("Open", no_wrap=True)
    table.add_column("Rating", no_wrap=True, min_width=max((len(r) for r in ratings), default=0))
    table.add_column("Score", no_wrap=True, justify="right")
    table.add_column("Answered", no_wrap=True, justify="right")
    if any(s.provisional for s in sections):
        table.caption = (f"* provisional: rated from fewer than {threshold}% of the section's "
                         "scored questions")
        table.caption_justify = "left"
    for s, rating in zip(sections, ratings, strict=True):
        score = f"{s.score_pct:.0f}%" if s.score_pct is not None else "-"
        table.add_row(literal(s.title), f"{s.answered}/{s.total}", str(len(s.required_open)),
                      literal(rating), score, f"{s.coverage_pct}%")
    return table


class ReviewScreen(QaScreen[str | None]):
    """Dismisses with a question id to jump to, or None to go back where Assess was."""

    HELP_TITLE = "Review"
    AUTO_FOCUS = "#todo"
    BINDINGS = [
        Binding("enter", "go", "Go to the highlighted gap", show=False),
        Binding("c", "complete", "Complete",
                tooltip="Mark complete (refused, with the reasons, while gaps remain)"),
        Binding("o", "reopen", "Reopen", tooltip="Reopen a completed assessment for changes"),
        Binding("v", "review('approve')", "Approve",
                tooltip="A second reviewer (not an assessor) approves the completed assessment"),
        Binding("b", "review('return')", "Send back",
                tooltip="A second reviewer returns it to its assessors, with the reason"),
        Binding("e", "export", "Export", tooltip="Write the Excel return"),
        Binding("p", "report", "Report",
                tooltip="Write the summary and the provider report (Word and HTML)"),
        Binding("a", "all_actions", "Actions",
                tooltip="Every action of this assessment: edit, close or reopen them"),
        Binding("q,escape", "back", "Back", tooltip="Back to the questions"),
    ]

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.detail: AssessmentDetail | None = None

    def compose(self) -> ComposeResult:
        yield Plain("", id="title-bar")
        yield Plain("", id="escalation-alert")
        with VerticalScroll(id="review-body"):
            yield Plain("", id="overall")
            yield Static("", id="sections")
            yield Plain("", id="traces")
            yield Plain("", id="computed")
            yield Plain("", id="escalations")
            yield Label("", id="todo-heading")
            yield OptionList(id="todo")
            yield Plain("", id="outcome")
            yield ReviewBanner(always=True, id="review-state")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        # the list of gaps takes focus, which would scroll past the overall rating: open at
        # the top, where the ratings are
        self.call_after_refresh(self.query_one("#review-body").scroll_home, animate=False)

    def reload(self) -> None:
        self.show_detail(self.services.assessments.get(self.assessment_id))

    def show_detail(self, detail: AssessmentDetail) -> None:
        """Show ``detail`` (just read, or as a change returned it)."""
        self.detail = detail
        rec, report = detail.record, detail.report
        self.query_one("#title-bar", Static).update(
            f"Review · {rec.org_name} · {detail.template.id} · {rec.visit_date} · {rec.status}"
            f" · {rec.perspective}")
        self._show_alert(detail)
        self.query_one(ReviewBanner).show(rec)
        self.query_one("#overall", Static).update(
            f"Overall rating: {overall_words(report)}\n"
            f"  {report.overall.trace}\n"
            f"  {report.answered} of {report.total} questions answered ({report.progress_pct}%); "
            f"status {rec.status}")
        self.query_one("#sections", Static).update(
            sections_table(report.sections, report.provisional_below))
        traces = [f"{s.title}: {s.outcome.trace}" for s in report.sections]
        self.query_one("#traces", Static).update("How each rating was reached:\n  "
                                                 + "\n  ".join(traces))
        from qa_tui.ui.computed_summary import computed_summary

        computed = self.query_one("#computed", Static)
        text = computed_summary(detail)  # nobody's answer, so never a gap: listed apart
        computed.update(text)
        computed.display = bool(text)
        flags = ", ".join(f"{q} ({detail.label(q)})" for q in report.escalations)
        opened = sum(a.status != "closed" for a in detail.actions)
        self.query_one("#escalations", Static).update(
            (f"⚠ Escalation flags: {flags}" if flags else "Escalation flags: none")
            + f"\nActions: {opened} open, {len(detail.actions) - opened} closed (a lists them)")
        todo = self.query_one("#todo", OptionList)
        todo.clear_options()
        for qid in report.required_open:
            todo.add_option(Option(literal(f"{qid}: required, not answered"), id=qid))
        for stop, gap in rows.row_gaps(detail):  # a register's rows: enter goes to the field
            todo.add_option(Option(literal(gap), id=stop))
        for qid in report.notes_owed:
            todo.add_option(Option(literal(f"{qid}: needs an evidence note for "
                                           f"{detail.label(qid)!r}"),
                                   id=f"{qid}"))
        for qid in report.escalations_unrecorded:
            if qid not in report.notes_owed:
                todo.add_option(Option(f"{qid}: escalated: record who was told, when, what was "
                                       "agreed (its note)", id=qid))
        heading = self.query_one("#todo-heading", Label)
        if todo.option_count:
            heading.update(f"Still to do before completing ({todo.option_count}); "
                           "enter goes to it:")
            todo.highlighted = 0
        elif detail.is_complete:
            heading.update("✓ Complete. e exports the return; o reopens it for changes.")
        else:
            heading.update("Nothing left to do: press c to complete.")
        todo.display = bool(todo.option_count)
        self.refresh_bindings()

    def _show_alert(self, detail: AssessmentDetail) -> None:
        """Escalations first, above everything that scrolls: visible at 80x24 on opening."""
        report = detail.report
        alert = self.query_one("#escalation-alert", Static)
        alert.display = bool(report.escalations)
        if not report.escalations:
            return
        flags = ", ".join(f"{q} {detail.label(q)}" for q in report.escalations)
        todo = report.escalations_unrecorded
        record = (f"record owed: {', '.join(todo)} (its note: who was told, when, what was "
                  "agreed)" if todo else "escalation recorded in the notes")
        alert.update(f"⚠ ESCALATE: {flags} · {record}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.detail is None:
            return True
        if action == "complete":
            return not self.detail.is_complete
        if action == "reopen":
            return self.detail.is_complete
        if action == "review":
            if parameters == ("approve",):
                return self.detail.is_complete and self.detail.record.review_state is None
            return self.detail.is_complete
        return True

    @on(OptionList.OptionSelected, "#todo")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_go(self) -> None:
        todo = self.query_one("#todo", OptionList)
        if todo.highlighted is not None:
            self.dismiss(todo.get_option_at_index(todo.highlighted).id)

    def _reveal_outcome(self) -> None:
        """Review opens at the top; what a key just did is at the bottom: bring it in view."""
        self.query_one("#review-body").scroll_end(animate=False)  # the outcome is last

    def action_complete(self) -> None:
        outcome = self.query_one("#outcome", Static)
        self.call_after_refresh(self._reveal_outcome)
        try:
            with self.services.store.patience(FIRST_TRY):  # never freeze on another's lock
                detail = self.services.assessments.complete(self.assessment_id)
        except Refused as exc:
            reasons = "\n".join(f"  • {r}" for r in exc.reasons) or f"  • {exc}"
            outcome.update(f"✗ Not completed: {exc.message}.\n{reasons}")
            outcome.set_class(True, "-error")
            self.reload()
            return
        except QaError as exc:
            outcome.update(f"✗ Not completed: {exc}")
            outcome.set_class(True, "-error")
            return
        outcome.set_class(False, "-error")
        outcome.update("✓ Completed and saved.")
        self.show_detail(detail)

    def action_reopen(self) -> None:
        outcome = self.query_one("#outcome", Static)
        self.call_after_refresh(self._reveal_outcome)
        try:
            with self.services.store.patience(FIRST_TRY):
                detail = self.services.assessments.reopen(self.assessment_id)
        except QaError as exc:
            outcome.update(f"✗ Not reopened: {exc}")
            return
        outcome.set_class(False, "-error")
        cleared = self.detail is not None and self.detail.record.review_state == "approved"
        outcome.update("✓ Reopened as a draft: answers can be changed again."
                       + (" The approval is cleared: approve again once it is complete."
                          if cleared else ""))
        self.show_detail(detail)

    def action_review(self, decision: Decision) -> None:
        """Approve or send back: a dialog asks the reviewer's name and the note or reason."""
        def done(saved: bool | None) -> None:
            if saved:
                outcome = self.query_one("#outcome", Static)
                outcome.set_class(False, "-error")
                outcome.update("✓ Approved." if decision == "approve" else
                               "✓ Returned to the assessors as a draft, with the reason.")
            self.reload()

        self.app.push_screen(ReviewDialog(self.services, self.assessment_id, decision), done)

    def show_export(self, text: str, ok: bool) -> None:
        outcome = self.query_one("#outcome", Static)
        outcome.update(("✓ " if ok else "✗ ") + text)
        outcome.set_class(not ok, "-error")
        self.call_after_refresh(self._reveal_outcome)

    def action_export(self) -> None:
        self.post_message(ExportRequested(self.assessment_id))

    def action_report(self) -> None:
        from qa_tui.ui.dialogs.report import ReportDialog

        self.app.push_screen(ReportDialog(self.services, self.assessment_id),
                             lambda _: self.reload())

    def action_all_actions(self) -> None:
        from qa_tui.ui.screens.actions import ActionsScreen

        def back(question_id: str | None) -> None:
            if question_id:
                self.dismiss(question_id)
            else:
                self.reload()

        self.app.push_screen(ActionsScreen(self.assessment_id), back)

    def all_actions_command(self) -> Callable[[], object] | None:
        return self.action_all_actions

    def export_target(self) -> str | None:
        return self.assessment_id

    def action_back(self) -> None:
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        """A letter that does nothing here says so, with the keys that do something."""
        if event.is_printable and event.character and event.character != " " \
                and event.key not in self.active_bindings:
            keys = " · ".join(f"{key} {b.binding.description.lower()}"
                              for key, b in self.active_bindings.items()
                              if b.binding.show and b.enabled and len(key) == 1)
            outcome = self.query_one("#outcome", Static)
            outcome.update(f"{event.character!r} does nothing here: {keys} · ? lists every key")
            outcome.set_class(False, "-error")
            self.call_after_refresh(self._reveal_outcome)
