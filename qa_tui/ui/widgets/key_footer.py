"""The footer of a screen whose keys change state on every key press (Assess).

Textual's ``Footer`` recomposes on every ``refresh_bindings()``: it removes its ~20
``FooterKey`` widgets and mounts new ones, each with its styles worked out again. On Assess
that happened two or three times per answer key and was most of the time from key to updated
screen. This footer works out what it would show (key, label, dimmed or not) and, when that
is what it shows already, does nothing; when only labels or dimming changed it updates its
keys in place; only a different number of keys recomposes it. Several refresh requests in one
frame are coalesced into one check.

``key_display`` lets the screen name the keys of a binding as they are for what is on screen
now (the answer keys of the question shown: ``y/p/n`` rather than ``1-9``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

KeyDisplay = Callable[[Binding], "str | None"]
"""The screen's name for a binding's keys right now, or None for the binding's own."""


class Shown(NamedTuple):
    """One key of the footer as it would be composed."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool = False


class KeyFooter(Footer):
    def __init__(self, *, compact: bool = False, key_display: KeyDisplay | None = None) -> None:
        super().__init__(compact=compact)
        self._key_display = key_display
        self._shown: tuple[Shown, ...] | None = None
        self._check_pending = False

    def _display(self, binding: Binding) -> str:
        own = self._key_display(binding) if self._key_display is not None else None
        return own if own is not None else self.app.get_key_display(binding)

    def shown_keys(self) -> tuple[Shown, ...] | None:
        """What the footer would show now, in order; None when a binding uses a group (then
        Textual's own layout is used, recomposed every time)."""
        active = self.screen.active_bindings
        first: dict[str, Shown] = {}
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            if binding.action not in first:
                first[binding.action] = Shown(binding.key, self._display(binding),
                                              binding.description, binding.action, enabled,
                                              tooltip)
        keys = list(first.values())
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                keys.append(Shown(binding.key, self.app.get_key_display(binding),
                                  binding.description, binding.action, enabled,
                                  binding.tooltip or binding.description, palette=True))
        return tuple(keys)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown = self.shown_keys()
        self._shown = shown
        if shown is None:
            yield from super().compose()
            return
        self.styles.grid_size_columns = sum(not k.palette for k in shown)
        for key in shown:
            yield self._footer_key(key)

    def _footer_key(self, key: Shown) -> FooterKey:
        if key.palette:
            return FooterKey(key.key, key.display, key.description, key.action,
                             classes="-command-palette", disabled=not key.enabled,
                             tooltip=key.tooltip)
        return FooterKey(key.key, key.display, key.description, key.action,
                         disabled=not key.enabled, tooltip=key.tooltip
                         ).data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._bring_up_to_date)

    async def _bring_up_to_date(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        shown = self.shown_keys()
        if shown is not None and shown == self._shown:
            return
        widgets = list(self.query_children(FooterKey))
        if shown is None or self._shown is None or len(shown) != len(self._shown) \
                or len(widgets) != len(shown) \
                or any(a.palette != b.palette for a, b in zip(shown, self._shown)):
            await self.recompose()
            return
        self._update_in_place(widgets, self._shown, shown)
        self._shown = shown

    @staticmethod
    def _update_in_place(widgets: Iterable[FooterKey], before: tuple[Shown, ...],
                         after: tuple[Shown, ...]) -> None:
        for widget, old, new in zip(widgets, before, after):
            if old == new:
                continue
            widget.key, widget.action = new.key, new.action
            widget.key_display, widget.description = new.display, new.description
            widget._disabled = not new.enabled  # what a click checks
            widget.set_class(not new.enabled, "-disabled")
            widget.tooltip = new.tooltip or None
            resized = (old.display, old.description) != (new.display, new.description)
            widget.refresh(layout=resized)
