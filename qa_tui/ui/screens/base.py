"""What every qa-tui screen shares: the app's hooks (no-ops to override), typed read access to
the app and to the open services. Asking the app to act is a message (qa_tui.ui.messages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

from qa_tui.ui.contract import AppContext, ScreenHooks

if TYPE_CHECKING:
    from qa_tui.services import Services

ResultT = TypeVar("ResultT")


class QaScreen(ScreenHooks, Screen[ResultT]):
    @property
    def qa(self) -> AppContext:
        return cast("AppContext", self.app)

    @property
    def services(self) -> Services:
        """The services, once the app has opened them (screens that need them come after)."""
        assert self.qa.services is not None
        return self.qa.services
