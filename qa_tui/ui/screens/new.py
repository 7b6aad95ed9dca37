"""New assessment: pick a template, say where and when, start.

Fields are checked as they are typed with the very rules the CLI and the service use
(``qa_tui.domain``), so a form that looks valid here is never refused there; if the service
still refuses (a template gone missing), its message shows on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.suggester import SuggestFromList, Suggester
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qa_tui.domain import clean_line, clean_ods_code, clean_org_name, parse_date
from qa_tui.errors import QaError
from qa_tui.services.orgs import saved_register
from qa_tui.ui.literal import Plain, shown
from qa_tui.ui.screens.base import QaScreen
from qa_tui.ui.screens.saving import FIRST_TRY
from qa_tui.ui.widgets.perspective_picker import PerspectivePicker

if TYPE_CHECKING:
    from qa_tui.services import TemplateInfo


def _assessors(text: str) -> list[str]:
    return [clean_line(a, field="assessor name", max_len=100) for a in text.split(",")
            if a.strip()]


# field id, label, placeholder, rule (raises InvalidInput)
FIELDS: tuple[tuple[str, str, str, Callable[[str], object]], ...] = (
    ("org", "Organisation", "e.g. St Elsewhere NHS Foundation Trust", clean_org_name),
    ("code", "ODS code", "e.g. RTD or A81001 (optional)", clean_ods_code),
    ("site", "Site/service", "e.g. Ward 7, maternity (optional)",
     lambda v: clean_line(v, field="site or service", required=False)),
    ("assessors", "Assessors", "names, separated by commas (optional)", _assessors),
    ("date", "Visit date", "YYYY-MM-DD", lambda v: parse_date(v, field="visit date")),
)


class NewAssessmentScreen(QaScreen[str | None]):
    """Dismisses with the new assessment's id, or None when cancelled."""

    HELP_TITLE = "New assessment"
    AUTO_FOCUS = "#templates"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start"),  # queued behind typing, never ahead of it
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._templates: list[TemplateInfo] = []
        self._touched: set[str] = set()

    def compose(self) -> ComposeResult:
        assert self.qa.services is not None
        self._templates = self.qa.services.templates()
        today = self.qa.services.assessments.clock().date().isoformat()
        suggest = self._suggesters()
        yield Plain("qa-tui · New assessment", id="title-bar")
        with Horizontal(id="new-body"):
            with Vertical(id="picker-col"):
                yield Label("Template  ↑ ↓ enter", classes="heading")
                yield OptionList(*[Option(self._prompt(t), id=t.id) for t in self._templates],
                                 id="templates")
                yield VerticalScroll(Plain("", id="template-description"),
                                     id="description-box")
            with VerticalScroll(id="form-col"):
                for name, label, placeholder, _ in FIELDS:
                    yield Label(label, classes="field-label")
                    yield Input(today if name == "date" else "", placeholder=placeholder,
                                id=f"field-{name}", compact=True, suggester=suggest.get(name))
                    yield Plain("", id=f"error-{name}", classes="field-error")
                yield Label("Perspective", classes="field-label")
                yield PerspectivePicker(id="field-perspective")
                yield Plain("", id="form-problem")
                yield Plain("enter: next field · ctrl+s: start · esc: cancel",
                             id="form-keys")
        yield Footer(compact=True)

    def _suggesters(self) -> dict[str, Suggester]:
        """Register names and ODS codes offered as you type (right arrow takes one), when
        ``qa-tui orgs load`` has kept a register; nothing otherwise."""
        assert self.qa.services is not None
        register = saved_register(self.qa.services.paths)
        if register is None or not register.entries:
            return {}
        names, codes = register.suggestions()
        return {"org": SuggestFromList(names, case_sensitive=False),
                "code": SuggestFromList(codes, case_sensitive=False)}

    @staticmethod
    def _prompt(t: TemplateInfo) -> Content:
        """The whole title (it wraps) and the count Assess will show at the start."""
        asked = t.questions - t.conditional
        more = (f" (+{t.conditional} asked only if an earlier answer calls for "
                f"{'it' if t.conditional == 1 else 'them'})") if t.conditional else ""
        return Content.assemble((shown(t.title), "bold"), "\n",
                                (f"  {asked} questions{more} · {t.kind}", "dim"))

    def on_mount(self) -> None:
        picker = self.query_one("#templates", OptionList)
        if self._templates:
            picker.highlighted = 0
        self._describe(0)

    def _describe(self, index: int | None) -> None:
        text = ""
        if index is not None and 0 <= index < len(self._templates):
            t = self._templates[index]
            text = " ".join(t.description.split())
            self.query_one(PerspectivePicker).follow(t.kind)
        self.query_one("#template-description", Static).update(text)

    @on(OptionList.OptionHighlighted, "#templates")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option_index)

    @on(OptionList.OptionSelected, "#templates")
    def _chosen(self) -> None:
        self.set_focus(self.query_one("#field-org", Input))

    # -- validation -----------------------------------------------------------------------------

    def _check(self, name: str) -> str | None:
        """The problem with one field as a sentence, or None; shown only once touched."""
        rule = next(r for n, _, _, r in FIELDS if n == name)
        value = self.query_one(f"#field-{name}", Input).value
        try:
            rule(value)
        except QaError as exc:
            problem: str | None = str(exc)
        else:
            problem = None
        shown = problem if name in self._touched else None
        error = self.query_one(f"#error-{name}", Static)
        error.update(shown or "")
        error.display = shown is not None
        self.query_one(f"#field-{name}", Input).set_class(shown is not None, "-invalid")
        return problem

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if name in self._touched or name != "org":
            self._touched.add(name)
        self._check(name)

    def action_next_field(self) -> None:
        """Enter, run as the key arrives (a priority binding), so a burst of typing (``ZRV``
        enter ``Ward 2``, as a fast typist or tmux sends it) fills each field with its own
        words. When every key typed into the field has reached it, it is checked now: a
        problem keeps the focus there (it shows under the field). When some are still on
        their way (a burst), focus moves on before any key typed after enter is handled, and
        the field is checked (after the last one, the form started) once they have arrived,
        from a callback queued on the field behind them."""
        focused = self.focused
        picker = self.query_one("#templates", OptionList)
        if focused is picker and picker.highlighted is not None:
            self.set_focus(self.query_one("#field-org", Input))  # what choosing one does
            return
        names = [n for n, *_ in FIELDS]
        name = (focused.id or "").removeprefix("field-") if focused is not None else ""
        if not isinstance(focused, Input) or name not in names:
            raise SkipAction()  # the perspective list: its own enter
        last = names.index(name) + 1 == len(names)
        if focused.message_queue_size == 0:
            self._touched.add(name)
            if self._check(name) is None:
                self._move_on(names, name)
        elif last:
            focused.call_later(self._move_on, names, name)
        else:
            self._move_on(names, name)
            focused.call_later(self._left, name)

    def _move_on(self, names: list[str], name: str) -> None:
        index = names.index(name)
        if index + 1 < len(names):
            self.set_focus(self.query_one(f"#field-{names[index + 1]}", Input))
        else:
            self.action_start()

    def _left(self, name: str) -> None:
        self._touched.add(name)
        self._check(name)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = (event.input.id or "").removeprefix("field-")
        self._touched.add(name)
        if self._check(name):
            return
        names = [n for n, *_ in FIELDS]
        index = names.index(name)
        if index + 1 < len(names):
            self.set_focus(self.query_one(f"#field-{names[index + 1]}", Input))
        else:
            self.action_start()

    # -- start / cancel ---------------------------------------------------------------------------

    def action_start(self) -> None:
        picker = self.query_one("#templates", OptionList)
        if picker.highlighted is None or not self._templates:
            self._problem("Choose a template first.")
            self.set_focus(picker)
            return
        self._touched.update(n for n, *_ in FIELDS)
        bad = [n for n, *_ in FIELDS if self._check(n)]
        if bad:
            self._problem("Fix the fields marked above, then press ctrl+s.")
            self.set_focus(self.query_one(f"#field-{bad[0]}", Input))
            return
        services = self.qa.services
        assert services is not None

        def value(name: str) -> str:
            return self.query_one(f"#field-{name}", Input).value

        try:
            with services.store.patience(FIRST_TRY):  # never freeze on another's lock
                detail = services.assessments.start(
                    self._templates[picker.highlighted].id, org_name=value("org"),
                    org_code=value("code") or None, site=value("site"),
                    assessors=[a for a in value("assessors").split(",") if a.strip()],
                    visit_date=value("date"),
                    perspective=str(self.query_one(PerspectivePicker).value))
        except QaError as exc:
            self._problem(str(exc))
            return
        self.dismiss(detail.id)

    def _problem(self, text: str) -> None:
        self.query_one("#form-problem", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
