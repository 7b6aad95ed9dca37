"""Why an export was refused, one reason a line, each a way to the question to fix.

A refusal such as "probable patient identifiers" can have many reasons; squeezed into a toast
or the status line they were cut off. Here each is a line of its own; enter on one about a
question dismisses with that question's id, and the app opens it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qa_tui.ui.exporting import ExportOutcome
from qa_tui.ui.literal import Plain, literal


class ExportRefusedDialog(ModalScreen[str | None]):
    """Dismisses with a question id to open, or None (escape)."""

    DEFAULT_CSS = """
    ExportRefusedDialog { align: center middle; }
    ExportRefusedDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $error; background: $surface; padding: 0 1;
    }
    ExportRefusedDialog #refused-title { text-style: bold; color: $text-error; }
    ExportRefusedDialog #refused-body { margin: 1 0; }
    ExportRefusedDialog #refused-reasons { height: auto; max-height: 12; }
    ExportRefusedDialog #refused-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open its question"),
        Binding("escape,q", "close", "Close", key_display="esc"),
    ]

    def __init__(self, outcome: ExportOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        reasons = self.outcome.reasons
        with Vertical():
            yield Plain("Not exported", id="refused-title")
            why = self.outcome.why
            yield Plain(why[:1].upper() + why[1:] + ".", id="refused-body")
            yield OptionList(*[Option(literal(f"• {r.text}"), id=f"{i}:{r.question_id or ''}")
                               for i, r in enumerate(reasons)], id="refused-reasons")
            keys = "enter: open its question to fix it · esc: close" if any(
                r.question_id for r in reasons) else "esc: close"
            yield Plain(keys, id="refused-keys")

    def on_mount(self) -> None:
        reasons = self.query_one(OptionList)
        if reasons.option_count:
            reasons.highlighted = 0

    def action_open(self) -> None:
        reasons = self.query_one(OptionList)
        if reasons.highlighted is not None:
            self._chosen(reasons.get_option_at_index(reasons.highlighted).id)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self._chosen(event.option.id)

    def _chosen(self, option_id: str | None) -> None:
        question_id = (option_id or "").partition(":")[2]
        if question_id:
            self.dismiss(question_id)

    def action_close(self) -> None:
        self.dismiss(None)
