"""The ``qa-tui`` command: the one module above both front ends.

The CLI (:mod:`qa_tui.cli`) and the TUI (:mod:`qa_tui.ui`) are siblings and never import each
other. This module hands the CLI a way to start the app: with no command, after the global
options (``--db``, ``--debug``) are parsed, the CLI calls :func:`start_app`, which imports
Textual only then; with a command it runs headless and Textual is never loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa_tui.config import Paths
from qa_tui.eventlog import EventLog


def start_app(paths: Paths, *, debug: bool, log: EventLog) -> int:
    """Run the interactive app; its exit code (the lazy import keeps commands headless)."""
    from qa_tui.ui.launch import run_tui

    return run_tui(paths, debug=debug, log=log)


def main(argv: Sequence[str] | None = None) -> None:
    """``qa-tui [OPTIONS] [COMMAND]``: the app when no command is given, else the command."""
    from qa_tui.cli.main import main as cli_main

    cli_main(argv, start_app=start_app)
