"""What every qa-tui screen shares: typed access to the app and to the open services."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from qa_tui.services import Services
    from qa_tui.ui.app import QaApp

ResultT = TypeVar("ResultT")


class QaScreen(Screen[ResultT]):
    @property
    def qa(self) -> QaApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> Services:
        """The services, once the app has opened them (screens that need them come after)."""
        assert self.qa.services is not None
        return self.qa.services
