"""Compare: two assessments of one template side by side, the moderator's view.

Opened from Home (``space`` marks one assessment, ``ctrl+k`` compares it with the highlighted
one). The
figures come from :func:`qa_tui.services.compare.compare_assessments`, the same use case as
``qa-tui compare A B``, so the screen and the command never disagree. Read-only: one scrolling
page of agreement figures, per-section scores and ratings, then the questions answered
differently (more than one step apart first) with both answers and both evidence notes. Text
from people (organisations, notes, question text) is shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from qa_tui.errors import QaError
from qa_tui.ui.screens.base import QaScreen

if TYPE_CHECKING:
    from qa_tui.services import Services
    from qa_tui.services.compare import Compared
    from qa_tui.services.views import AssessmentDetail
    from qa_tui.templates.compare import Agreement, QuestionDiff, SectionDiff

HELP_LINE = "↑ ↓ PgUp PgDn scroll · s swap A and B · q back · ? every key"


def open_compare(app: App[object], services: Services | None, marked: str | None,
                 highlighted: str | None) -> str | None:
    """Push the Compare screen for ``marked`` (A) against ``highlighted`` (B), or return why
    not, in words for the Home screen's status line."""
    from qa_tui.services.compare import compare_assessments

    if services is None:
        return None
    if marked is None:
        return "Mark one assessment with space first, then highlight another and press ctrl+k."
    if highlighted is None or highlighted == marked:
        return "Highlight a different assessment from the one marked, then press ctrl+k."
    try:
        ta, tb = (services.assessments.get(i).template.id for i in (marked, highlighted))
        if ta != tb:  # the service refuses too; worded here to fit Home's one status line
            return f"Cannot compare different templates: A {ta}, B {tb}."
        compared = compare_assessments(services.assessments, marked, highlighted)
    except QaError as exc:
        return f"Cannot compare: {exc.message}"
    app.push_screen(CompareScreen(compared))
    return None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def agreement_text(agreement: Agreement) -> str:
    """The figures a moderator recognises, each with the number of questions it rests on."""
    a = agreement
    if not a.n:
        base = ("No question was answered on a scale by both, so there is no agreement "
                "figure.")
    else:
        kappa = "undefined (one answer throughout)" if a.kappa_weighted is None \
            else f"{a.kappa_weighted:.3f}"
        base = (f"Exact agreement {_pct(a.exact)} · within one step {_pct(a.within_one)} · "
                f"weighted kappa {kappa}\n"
                f"Based on n = {a.n} question{'s' if a.n != 1 else ''} answered on a scale "
                "by both.")
    return f"{base}\nLeft out: {a.na} N/A on either side · {a.unanswered} blank on either side."


def _side_cell(score: float | None, rating: str | None) -> str:
    if score is None and rating is None:
        return "—"
    shown = f"{score:g}%" if score is not None else ""
    return f"{shown} {rating or ''}".strip()


def _signed(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:+g}{unit}" if value else f"0{unit}"


def section_row(s: SectionDiff) -> tuple[Text, str, str, str, str]:
    return (Text(s.title), _side_cell(s.a_score, s.a_rating), _side_cell(s.b_score, s.b_rating),
            _signed(s.gap, " pts"), _signed(s.rating_steps))


def _header(name: str, d: AssessmentDetail) -> Text:
    rec = d.record
    bits = [rec.org_name, rec.site, rec.visit_date.isoformat(), rec.status,
            "; ".join(rec.assessors), f"v{d.template.version}", rec.id[:8]]
    return Text.assemble((f"{name}: ", "bold"), " · ".join(b for b in bits if b))


def differing(questions: tuple[QuestionDiff, ...]) -> list[QuestionDiff]:
    """Questions answered differently: more than one step apart first (widest first), then
    the rest in template order."""
    apart = [q for q in questions if q.differs]
    flagged = sorted((q for q in apart if q.flagged), key=lambda q: -abs(q.steps or 0))
    return flagged + [q for q in apart if not q.flagged]


def question_text(q: QuestionDiff, section: str) -> Text:
    """One question, both answers and both notes; every part from people kept literal."""
    mark = ("⚠ ", "bold red") if q.flagged else ("  ", "")
    out = Text.assemble(mark, (f"{q.id}", "bold"), f" · {section} · ", q.text, "\n")
    for name, label, note in (("A", q.a_label, q.a_note), ("B", q.b_label, q.b_note)):
        out.append(f"    {name}: ", style="bold")
        out.append(label or "(blank)")
        if note:
            out.append("   note: ", style="italic")
            out.append(note)
        out.append("\n")
    if q.steps is not None:
        out.append(f"    B − A: {_signed(q.delta, ' points')}, {_signed(q.steps, ' steps')}"
                   f"{' (more than one step apart)' if q.flagged else ''}\n")
    return out


class CompareScreen(QaScreen[None]):
    HELP_TITLE = "Compare two assessments"
    AUTO_FOCUS = "#compare-body"
    BINDINGS = [
        Binding("s", "swap", "Swap A and B", tooltip="Compare the other way round (B - A)"),
        Binding("q,escape", "back", "Back", tooltip="Back to the list of assessments"),
    ]

    def __init__(self, compared: Compared) -> None:
        super().__init__()
        self.compared = compared

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar", markup=False)
        yield Static(HELP_LINE, id="compare-help", markup=False)
        with VerticalScroll(id="compare-body"):
            yield Static("", id="compare-sides", markup=False)
            yield Static("", id="compare-agreement", markup=False)
            yield DataTable(id="compare-sections", cursor_type="none", zebra_stripes=True)
            yield Static("", id="compare-questions", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#compare-sections", DataTable)
        table.can_focus = False
        for label, key in (("Section", "section"), ("A", "a"), ("B", "b"),
                           ("Gap (B − A)", "gap"), ("Steps", "steps")):
            table.add_column(label, key=key)
        self.show()

    def show(self) -> None:
        c, a, b = self.compared.comparison, self.compared.a, self.compared.b
        version = "" if c.same_version else " (different versions: shared questions only)"
        self.query_one("#title-bar", Static).update(
            Text(f"Compare · {c.template_id}{version}"))
        self.query_one("#compare-sides", Static).update(
            Text("\n").join([_header("A", a), _header("B", b)]))
        self.query_one("#compare-agreement", Static).update(Text(agreement_text(c.agreement)))
        table = self.query_one("#compare-sections", DataTable)
        table.clear()
        for s in (c.overall, *c.sections):
            table.add_row(*section_row(s), key=s.id)
        titles = {s.id: s.title for s in c.sections}
        apart = differing(c.questions)
        flagged = sum(q.flagged for q in apart)
        body = Text.assemble((f"Answered differently: {len(apart)} of {len(c.questions)}", "bold"),
                             f" ({flagged} more than one step apart, listed first)\n"
                             if apart else "\n")
        if not apart:
            body.append("Every question has the same answer on both sides.")
        for q in apart:
            body.append_text(question_text(q, titles.get(q.section_id, q.section_id)))
        if c.groups:  # rows are each side's own list: counted, never paired
            from qa_tui.templates.compare import NOT_COMPARED

            body.append(f"\n{NOT_COMPARED}:\n", style="bold")
            for g in c.groups:
                body.append(f"  {g.summary}\n")
        self.query_one("#compare-questions", Static).update(body)

    def action_swap(self) -> None:
        from qa_tui.services.compare import compare_assessments

        try:
            self.compared = compare_assessments(self.services.assessments,
                                                self.compared.b.id, self.compared.a.id)
        except QaError as exc:
            self.notify(exc.message, severity="error")
            return
        self.show()

    def action_back(self) -> None:
        self.dismiss(None)

    def help_extra(self) -> list[tuple[str, str]]:
        return [("↑ ↓ PgUp PgDn", "scroll the comparison"),
                ("space, ctrl+k on Home", "mark A, then compare it with the highlighted B")]
