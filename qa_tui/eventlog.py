"""An opt-in log for support: what ran, how it ended, how long it took. Never what was typed.

Off unless ``QA_TUI_LOG=1`` or ``"log": true`` in settings.json. Lines go to ``qa-tui.log`` in
the platform's user log folder (``QA_TUI_HOME/logs`` under a test home), rotated at 512 KB with
three old files kept, in a folder only the user can read.

Privacy by construction: an event is a name plus fields that are numbers, booleans or short
identifiers (a command name, an error code, an exception class, a code location). Answer,
note, organisation, person and action text never reaches here: callers pass only what they
read from the program (command names are matched against the CLI's own list), and a string
field that is not identifier-shaped is replaced by ``?`` (``tests/cli/test_supportability.py``
plants text everywhere and searches the log for it).
"""

from __future__ import annotations

import logging
import os
import re
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from qa_tui import __version__
from qa_tui.config import Paths, ensure_private_dir

LOG_NAME = "qa-tui.log"
MAX_BYTES = 512 * 1024
BACKUPS = 3
_SAFE = re.compile(r"[A-Za-z0-9_.:/-]{0,80}")
_LOGGER = "qa_tui.events"

Field = str | int | float | bool | None


def log_file(paths: Paths) -> Path:
    return paths.log_dir / LOG_NAME


def log_enabled(paths: Paths, env: dict[str, str] | None = None) -> bool:
    """On when ``QA_TUI_LOG`` is 1/true/yes, else when settings.json says ``"log": true``."""
    value = (os.environ if env is None else env).get("QA_TUI_LOG", "").strip().lower()
    if value:
        return value in ("1", "true", "yes", "on")
    from qa_tui.services.settings import load_settings

    return load_settings(paths.config_dir).settings.log


class _QuietHandler(RotatingFileHandler):
    """A log that cannot be written (disk full; another window rotating it on Windows) is
    skipped silently: logging must never disturb the work or print to the terminal."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        return


def _clean(value: Field) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{value:.3f}" if isinstance(value, float) else str(value)
    return value if _SAFE.fullmatch(value) else "?"


class EventLog:
    """Where events go for one run; a disabled log accepts events and drops them."""

    def __init__(self, logger: logging.Logger | None) -> None:
        self._logger = logger

    @property
    def enabled(self) -> bool:
        return self._logger is not None

    def event(self, name: str, **fields: Field) -> None:
        if self._logger is None:
            return
        text = " ".join([_clean(name), *(f"{key}={_clean(value)}" for key, value in fields.items())])
        self._logger.info(text)

    def error(self, where: str, exc: BaseException, **fields: Field) -> None:
        """An error by its class, code and the place in qa-tui's code, never its message
        (messages can quote what was typed)."""
        self.event("error", where=where, type=type(exc).__name__,
                   code=getattr(exc, "code", None) if isinstance(getattr(exc, "code", None), str)
                   else None, at=code_location(exc.__traceback__), **fields)

    def close(self) -> None:
        if self._logger is None:
            return
        for handler in list(self._logger.handlers):
            handler.close()
            self._logger.removeHandler(handler)


def code_location(tb: TracebackType | None) -> str | None:
    """``module:function:line`` of the innermost frame in qa-tui's own code."""
    found = None
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.startswith("qa_tui"):
            found = f"{module}:{tb.tb_frame.f_code.co_name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def open_log(paths: Paths, *, env: dict[str, str] | None = None) -> EventLog:
    """The log for this run: real when opted in and writable, else one that drops events."""
    try:
        if not log_enabled(paths, env):
            return EventLog(None)
        ensure_private_dir(paths.log_dir)
        handler = _QuietHandler(log_file(paths), maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                encoding="utf-8", delay=True)
    except OSError:
        return EventLog(None)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s.%(msecs)03dZ pid=%(process)d %(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime  # type: ignore[union-attr]
    logger = logging.getLogger(f"{_LOGGER}.{id(handler)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    log = EventLog(logger)
    log.event("start", version=__version__)
    return log
