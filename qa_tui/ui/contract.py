"""The contract between the app and its screens, typed both ways.

The app calls a screen only through :class:`ScreenHooks` (each a no-op unless the screen
overrides it); a screen reads the app only through :class:`AppContext` and asks it to do
something by posting a message (:mod:`qa_tui.ui.messages`). So neither imports the other:
``qa_tui.ui.app`` imports the screens, and no screen imports ``qa_tui.ui.app``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from textual.screen import Screen

    from qa_tui.config import Paths
    from qa_tui.services import AssessmentDetail, AssessmentSummary, Services
    from qa_tui.services.settings import UiSettings


class AppContext(Protocol):
    """What a screen may read from the app (its actions go through messages)."""

    services: Services | None
    """None until the opening worker is done (Home shows the wait)."""
    settings: UiSettings
    first_rows: list[AssessmentSummary] | None
    """Home's first list (read over plain sqlite3) while the services open; else None."""
    load_error: str | None
    """Why the database could not be opened, in one line."""
    paths: Paths | None


class ScreenHooks:
    """What the app asks of the screen on top; every hook does nothing unless overridden.

    A mixin, so a dialog (a ``ModalScreen``) can take part too."""

    HELP_TITLE: ClassVar[str] = ""
    """The screen's name in the help (empty: its class name)."""

    def save_pending_note(self) -> None:
        """Save what is typed but not yet saved (the app is leaving the screen or quitting)."""

    def refresh_from_store(self) -> None:
        """Show changes saved elsewhere (the terminal regained focus)."""

    def show_export(self, text: str, ok: bool) -> None:
        """Say how an export ended, on the screen's own status line (the app toasts too
        when the screen has none)."""

    def go_to_question(self, assessment_id: str, question_id: str) -> bool:
        """Move to ``question_id`` if this screen shows the questions of ``assessment_id``;
        True if it did (else the app opens the assessment there)."""
        return False

    def question_detail(self) -> AssessmentDetail | None:
        """The assessment whose questions the palette lists (None: no question list)."""
        return None

    def export_target(self) -> str | None:
        """The assessment this screen is about, which the palette's "Export" writes (None:
        not offered)."""
        return None

    def all_actions_command(self) -> Callable[[], object] | None:
        """What the palette's "every action of this assessment" runs (None: not offered)."""
        return None

    def help_extra(self) -> list[tuple[str, str]]:
        """Rows the help adds after the screen's bindings (keys that are not bindings)."""
        return []


_NO_HOOKS = ScreenHooks()


def hooks(screen: Screen[Any] | None) -> ScreenHooks:
    """The screen's hooks, or hooks that do nothing for a screen outside the contract
    (a plain dialog, the palette)."""
    return screen if isinstance(screen, ScreenHooks) else _NO_HOOKS
