"""The help screen: every key of the screen underneath, generated from its live bindings.

Nothing here is a hand-written list of keys, so help cannot drift from what the keys do. A
screen may add lines that are not bindings (the answer keys of the current question) through
``help_extra()``.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen

from qa_tui.ui.contract import hooks
from qa_tui.ui.literal import Plain, shown

HIDDEN = frozenset({"screen.copy_text"})
"""Textual's own bindings that are noise for an assessor (copying needs a mouse selection)."""
LAST = frozenset({"app.focus_next", "app.focus_previous"})


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, description) for each action bound on ``screen``, its focus chain and the app.

    Keys doing the same thing (same description) share a row, e.g. "↓ j  Next question".
    """
    app = screen.app
    grouped: dict[str, list[str]] = {}
    rank: dict[str, int] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not binding.description or binding.system or binding.action in HIDDEN:
            continue
        ident = binding.tooltip or binding.description  # the footer's words are the short form
        grouped.setdefault(ident, []).append(app.get_key_display(binding))
        level = 0 if active.node is screen else (2 if active.node is app else 1)
        if binding.action in LAST:
            level = 3
        rank[ident] = min(rank.get(ident, level), level)
    order = sorted(grouped, key=lambda ident: rank[ident])
    return [(" ".join(dict.fromkeys(grouped[i])), i) for i in order]


class HelpScreen(ModalScreen[None]):
    """A modal listing keys; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    HelpScreen #help-keys { height: auto; }
    HelpScreen #help-close { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", key_display="esc"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpScreen:
        rows = binding_rows(screen)
        contract = hooks(screen)
        rows = rows + contract.help_extra()
        title = contract.HELP_TITLE or type(screen).__name__
        return cls(f"Keys: {title}", rows)

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self._rows), default=4)
        width = min(width, 18)
        lines = [Content.assemble((shown(k).ljust(width), "bold"), "  ", shown(d))
                 for k, d in self._rows]
        with VerticalScroll():
            yield Plain(self._title, id="help-title")
            yield Plain(Content("\n").join(lines), id="help-keys")
            yield Plain("esc, q or ? closes this help", id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)
