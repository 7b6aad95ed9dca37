"""Start the TUI: the only entry the CLI calls, and the only place Textual is imported from it.

The app paints Home first and opens the database in a worker, so the first frame does not wait
for SQLModel. SIGTERM and SIGHUP (terminal closed) exit cleanly. An unexpected error is
reported in one line plus a traceback without local variables (they could hold answer text).
"""

from __future__ import annotations

import sys
import traceback

from qa_tui.config import Paths
from qa_tui.eventlog import EventLog


def run_tui(paths: Paths, *, debug: bool = False, log: EventLog | None = None) -> int:
    """Run the assessor app against ``paths``; the process exit code. ``debug``: an
    unexpected error prints its full traceback (``--debug`` / ``QA_TUI_DEBUG=1``); ``log``:
    the opt-in support log, for the app's own events (exports, crashes)."""
    from qa_tui.ui.app import build_app

    app = build_app(paths, handle_signals=True, event_log=log)
    try:
        result = app.run()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: the terminal is restored by now
        if debug:
            traceback.print_exc()
        print(f"qa-tui: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return 1
    if app.return_code not in (None, 0):
        return int(app.return_code)
    return int(result or 0)
