"""The Textual application: owns the services, the settings and the app-wide keys.

The first screen paints before the database opens: opening the store imports SQLModel (~0.7 s)
and loading the templates compiles every one, so both run in a thread worker after the first
frame. That worker first reads the list over plain ``sqlite3`` (``services.reading``, no
SQLAlchemy) so Home shows its rows at once (issue 20), then builds the full services. A key
pressed before they are open is held, in order, under a visible "loading" line, and replayed
when they are (:meth:`QaApp.on_event`): never dropped, never applied to another screen or row.
Screens reach the services through ``app.services``; widgets never do. The settings (theme,
auto-advance) are read once at start and written back whenever the assessor changes one.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from qa_tui.config import Paths, resolve_paths
from qa_tui.eventlog import EventLog
from qa_tui.printable import printable
from qa_tui.services.settings import UiSettings, load_settings, save_settings
from qa_tui.ui.commands import AssessmentCommands
from qa_tui.ui.contract import hooks
from qa_tui.ui.dialogs.export_refused import ExportRefusedDialog
from qa_tui.ui.dialogs.help import HelpScreen
from qa_tui.ui.exporting import ExportOutcome, export_return
from qa_tui.ui.messages import ExportRequested, OpenAssessment
from qa_tui.ui.screens.home import HomeScreen
from qa_tui.ui.screens.saving import plain_reason

if TYPE_CHECKING:
    from qa_tui.services import AssessmentSummary, Services

DARK, LIGHT = "textual-dark", "textual-light"

__all__ = ["DARK", "LIGHT", "QaApp", "UiSettings", "build_app"]

#: Keys that only move Home's highlight: they work while the services open (nothing is held).
MOVES = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})


class QaApp(App[int]):
    """qa-tui's assessor app: Home, New assessment, Assess, Review, Bin and Help screens."""

    CSS_PATH = "app.tcss"
    TITLE = "qa-tui"
    COMMANDS = App.COMMANDS | {AssessmentCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
    ]

    class FirstList(Message):
        """Home's first rows, read over plain sqlite3 while the services open."""

        def __init__(self, rows: list[AssessmentSummary]) -> None:
            super().__init__()
            self.rows = rows

    class Release(Message):
        """Replay the keys held while the services opened (posted after they are open, so
        keys already queued behind that news are held too and keep their order)."""

    class ServicesOpened(Message):
        """The database and templates are ready (posted from the opening worker)."""

        def __init__(self, services: Services) -> None:
            super().__init__()
            self.services = services

    class ExportFinished(Message):
        """An export worker is done: where the file went, or why not (every reason)."""

        def __init__(self, outcome: ExportOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class ServicesFailed(Message):
        """The database could not be opened; ``reason`` is one plain line."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, *, paths: Paths | None = None, services: Services | None = None,
                 settings: UiSettings | None = None, handle_signals: bool = False,
                 settings_dir: Path | None = None, settings_notice: str | None = None,
                 event_log: EventLog | None = None) -> None:
        """``settings_dir``: where changed settings are saved (None: not saved);
        ``settings_notice``: why the saved ones could not be used, shown once at start;
        ``event_log``: the opt-in support log (exports and crashes, never their text)."""
        super().__init__()
        self.event_log = event_log if event_log is not None else EventLog(None)
        self.paths = paths if paths is not None else (services.paths if services else None)
        self.services: Services | None = services
        self._owns_services = services is None
        self.first_rows: list[AssessmentSummary] | None = None
        """Home's first list, from the light reader, until the services are open."""
        self._services_ready = services is not None  # else keys are held: see on_event
        self._held: list[Message] = []
        self._first_shown = threading.Event()  # Home has drawn the first rows
        self.load_error: str | None = None
        self.settings = settings or UiSettings()
        self._settings_dir = settings_dir
        self._settings_notice = settings_notice
        self._handle_signals = handle_signals
        self._sync_warned = False
        self.theme = DARK if self.settings.dark else LIGHT

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast (screens' ``notify`` lands here) shows its text literally: messages
        quote names, files and errors, which are data, never markup or terminal controls."""
        super().notify(printable(message, newlines=True), title=printable(title),
                       severity=severity, timeout=timeout, markup=False)

    # -- start-up and shutdown ------------------------------------------------------------

    def on_mount(self) -> None:
        if self._handle_signals:
            self._install_signal_handlers()
        self.push_screen(HomeScreen())
        if self.services is None:
            self.call_after_refresh(self._start_opening)
        if self._settings_notice:
            self.notify(self._settings_notice, title="Settings", severity="warning",
                        timeout=15, markup=False)

    def _start_opening(self) -> None:
        self.run_worker(self._open_services, thread=True, exclusive=True, group="open")

    def _open_services(self) -> None:
        """Thread worker: read Home's first list over plain sqlite3 (no SQLAlchemy), then
        import and open the store and the templates off the event loop, and report back."""
        from qa_tui.errors import QaError

        paths = self.paths or resolve_paths()
        try:
            from qa_tui.services.reading import first_list

            rows = first_list(paths)
        except (QaError, OSError):
            rows = None  # the full store says why below, as before
        if rows is not None:
            self.post_message(self.FirstList(rows))
            # Let Home draw them before the imports below compete for the interpreter (with
            # 10,000 rows the table takes a second; the GIL would share it with SQLAlchemy).
            self._first_shown.wait(timeout=10)
        from qa_tui.services import build_services

        try:
            services = build_services(paths)
        except QaError as exc:
            self.post_message(self.ServicesFailed(str(exc)))
        except OSError as exc:
            self.post_message(self.ServicesFailed(plain_reason(exc)))
        else:
            self.post_message(self.ServicesOpened(services))

    def on_qa_app_first_list(self, message: FirstList) -> None:
        if self.services is None and self.load_error is None:
            self.first_rows = message.rows
            self._tell_home()
        self.call_after_refresh(self._first_shown.set)

    def on_qa_app_services_opened(self, message: ServicesOpened) -> None:
        self.services = message.services
        self._owns_services = True
        self.first_rows = None
        self._tell_home()
        self.post_message(self.Release())

    def on_qa_app_services_failed(self, message: ServicesFailed) -> None:
        self.load_error = message.reason
        self.first_rows = None
        self._tell_home()
        self.post_message(self.Release())  # held keys now meet the error (q quits)

    def on_qa_app_release(self, message: Release) -> None:
        held, self._held = self._held, []
        self._services_ready = True
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_waiting(False)
        for event in held:
            self.post_message(event)

    def _hold(self, copy: Message) -> None:
        """Keep ``copy`` (a fresh message) to replay when the services are open."""
        self._held.append(copy)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_waiting(True)

    async def on_event(self, event: events.Event) -> None:
        """Until the services are open, a key is held (and replayed in order once they are)
        rather than run on a screen that cannot act on it yet; ctrl+q still quits, and the
        arrows move Home's highlight while nothing is held (a held key keeps every later
        one behind it, so a held enter opens the row highlighted when it was pressed)."""
        if (isinstance(event, events.Key) and not event.is_forwarded
                and not self._services_ready and event.key != "ctrl+q"
                and (self._held or event.key not in MOVES)):
            self._hold(events.Key(event.key, event.character))
            return
        await super().on_event(event)

    def _tell_home(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload()

    def _install_signal_handlers(self) -> None:
        """Closing the terminal (SIGHUP) or a kill (SIGTERM) exits cleanly instead of dying.

        Windows has no SIGHUP and its event loop takes no signal handlers: there, closing the
        console window ends the process, and every answer shown saved is already committed."""
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._exit_now)  # not on every platform

    def _exit_now(self) -> None:
        self.save_pending()
        self.exit()

    def save_pending(self) -> None:
        """Save anything typed but not yet saved (a note mid-pause) before leaving a screen
        or the app: the debounce must never cost an assessor their words."""
        for screen in self.screen_stack:
            hooks(screen).save_pending_note()

    async def action_quit(self) -> None:
        """ctrl+q jumps the queue (a priority key), but keys typed just before it may still
        wait in the focused widget's (or the screen's) queue: quit after them, never losing
        one, then save what is pending."""
        target = self.focused or self.screen
        if not target.call_later(self._exit_now):
            self._exit_now()

    def on_unmount(self) -> None:
        if self.services is not None and self._owns_services:
            self.services.close()

    def _fatal_error(self) -> None:
        """Report a crash without local variables: they could put answer text in scrollback.

        Textual's default shows locals. This overrides its one crash hook and then uses only
        public API (``panic``); ``tests/tui/test_platform_support.py`` fails if a Textual release
        renames the hook, so an upgrade cannot quietly bring locals back."""
        from rich.traceback import Traceback

        crash = sys.exc_info()[1]
        if crash is not None:
            self.event_log.error("app", crash)
        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[]))

    # -- app-wide actions -------------------------------------------------------------------

    def action_help(self) -> None:
        """Every key of the screen underneath, read from its live bindings."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK
        self.settings.dark = self.current_theme.dark
        self._save_settings()

    def action_toggle_auto_advance(self) -> None:
        self.settings.auto_advance = not self.settings.auto_advance
        state = "on" if self.settings.auto_advance else "off"
        self.notify(f"Auto-advance after an answer is {state}.")
        self._save_settings()

    def _save_settings(self) -> None:
        """Keep the change for the next start; if the file cannot be written, say so and
        carry on with the change for this session."""
        if self._settings_dir is None:
            return
        try:
            save_settings(self._settings_dir, self.settings)
        except OSError as exc:
            self.notify(f"The setting applies now but could not be saved: "
                        f"{exc.strerror or exc}", title="Settings", severity="warning",
                        markup=False)

    def on_app_focus(self) -> None:
        """The terminal is back in front: the CLI or another window may have saved changes."""
        hooks(self.screen).refresh_from_store()

    def export(self, assessment_id: str, *, replace: bool = False,
               draft_ok: bool = False) -> None:
        """Write the Excel return of one assessment in a worker; the result arrives as a
        message: a toast when written, the list of reasons when refused. A draft asks first:
        its rating may rest on a few answers, and a return travels."""
        if self.services is None:
            return
        if not draft_ok and self._confirm_draft_export(assessment_id, replace):
            return
        self.notify("Writing the Excel return…", title="Export", timeout=3)
        self._warn_if_synced()
        self.run_worker(lambda: self._export_worker(assessment_id, replace), thread=True,
                        group="export")

    def _confirm_draft_export(self, assessment_id: str, replace: bool) -> bool:
        """Ask before exporting a draft; True when the dialog now owns the decision."""
        from qa_tui.errors import QaError
        from qa_tui.templates import overall_words
        from qa_tui.ui.dialogs.confirm import ConfirmDialog

        assert self.services is not None
        try:
            detail = self.services.assessments.get(assessment_id)
        except QaError:
            return False  # the export itself will say what is wrong
        if detail.is_complete:
            return False
        report = detail.report

        def answered(yes: bool | None) -> None:
            if yes:
                self.export(assessment_id, replace=replace, draft_ok=True)

        self.push_screen(ConfirmDialog(
            "Export a DRAFT?",
            f"This assessment is not complete: {report.answered} of {report.total} questions "
            f"answered; rating {overall_words(report)}.\n\nThe return's Cover will say DRAFT. "
            "Export it anyway?", yes="export the draft"), answered)
        return True

    def _warn_if_synced(self) -> None:
        """Once a session: the export folder is synced to the cloud, so returns leave the
        laptop (Windows often redirects Documents into OneDrive)."""
        if self._sync_warned or self.services is None:
            return
        from qa_tui.synced import sync_service

        self._sync_warned = True
        folder = self.services.paths.export_dir
        service = sync_service(folder)
        if service:
            self.notify(f"The export folder {folder} is synced to {service}: returns written "
                        "there leave this laptop. To export to a local folder, use "
                        "qa-tui export -o FOLDER.", title="Export", severity="warning",
                        timeout=20, markup=False)

    def _export_worker(self, assessment_id: str, replace: bool = False) -> None:
        """Thread worker: never touches widgets; the outcome comes back as a message."""
        assert self.services is not None
        started = time.monotonic()
        try:
            outcome = export_return(self.services, assessment_id, replace=replace)
        except Exception as exc:  # a failed export must not take the assessor's app down
            self.event_log.error("app.export", exc)
            outcome = ExportOutcome(assessment_id, False, f"Export failed: {plain_reason(exc)}")
        self.event_log.event("app.export", ok=outcome.ok, reasons=len(outcome.reasons),
                             seconds=round(time.monotonic() - started, 3))
        self.post_message(self.ExportFinished(outcome))

    def on_qa_app_export_finished(self, message: ExportFinished) -> None:
        outcome = message.outcome
        if not outcome.replaceable:
            hooks(self.screen).show_export(outcome.text, outcome.ok)
        if outcome.replaceable:
            from qa_tui.ui.dialogs.confirm import ConfirmDialog

            def answered(yes: bool | None) -> None:
                if yes:
                    self.export(outcome.assessment_id, replace=True, draft_ok=True)

            why = outcome.why
            self.push_screen(ConfirmDialog(
                "Replace the earlier return?",
                f"{why[:1].upper()}{why[1:]}.\n\nReplace it with this revision?",
                yes="replace"), answered)
            return
        if outcome.reasons:
            def chosen(question_id: str | None) -> None:
                if not question_id:
                    return
                if not hooks(self.screen).go_to_question(outcome.assessment_id, question_id):
                    self.open_assessment(outcome.assessment_id, question_id)

            self.push_screen(ExportRefusedDialog(outcome), chosen)
            return
        self.notify(outcome.text, title="Export" if outcome.ok else "Not exported",
                    severity="information" if outcome.ok else "error", timeout=15,
                    markup=False)

    @on(ExportRequested)
    def _export_requested(self, message: ExportRequested) -> None:
        if not self._services_ready or self._held:  # a click on Home before they open
            self._hold(ExportRequested(message.assessment_id))
            return
        self.export(message.assessment_id)

    @on(OpenAssessment)
    def _open_requested(self, message: OpenAssessment) -> None:
        self.open_assessment(message.assessment_id, message.question_id)

    def open_assessment(self, assessment_id: str, question_id: str | None = None) -> None:
        """Open an assessment on top of Home (from the palette or Home's table)."""
        from qa_tui.ui.screens.assess import AssessScreen

        if not self._services_ready or self._held:  # asked before the services are open
            self._hold(OpenAssessment(assessment_id, question_id))
            return
        if self.services is None:  # the database was refused: Home says why
            return
        self.save_pending()
        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.push_screen(AssessScreen(assessment_id, question_id))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and dark theme",
                            self.action_toggle_theme)
        state = "on" if self.settings.auto_advance else "off"
        yield SystemCommand(f"Toggle auto-advance (now {state})",
                            "After answering by key, move on to the next question",
                            self.action_toggle_auto_advance)
        yield SystemCommand("Help: keys of this screen", "Every key, from the bindings",
                            self.action_help)
        target = hooks(screen).export_target()
        if target and self.services is not None:
            yield SystemCommand("Export this assessment (Excel return)",
                                f"Write the return into {self.services.paths.export_dir}",
                                lambda: self.export(target))
        all_actions = hooks(screen).all_actions_command()
        if all_actions is not None:
            yield SystemCommand("Actions: every action of this assessment",
                                "List them all to edit, close or reopen", all_actions)
        yield from (cmd for cmd in super().get_system_commands(screen)
                    if cmd.title not in ("Theme", "Keys"))


def build_app(paths: Paths | None = None, *, services: Services | None = None,
              settings: UiSettings | None = None, handle_signals: bool = False,
              event_log: EventLog | None = None) -> QaApp:
    """The composition root of the TUI, used by ``run_tui`` and the tests alike.

    Pass ``services`` to use ones already open (tests, with a fixed clock); otherwise the app
    opens them for ``paths`` after its first frame. Without ``settings``, the saved ones are
    read from the config folder; either way, changes are saved there.
    """
    where = paths or (services.paths if services is not None else resolve_paths())
    notice = None
    if settings is None:
        loaded = load_settings(where.config_dir)
        settings, notice = loaded.settings, loaded.notice
    return QaApp(paths=paths, services=services, settings=settings,
                 handle_signals=handle_signals, settings_dir=where.config_dir,
                 settings_notice=notice, event_log=event_log)
