"""The headless CLI: ``qa-tui COMMAND``. With no command it starts the app through the
``start_app`` it was given by :mod:`qa_tui.entry` (the CLI never imports the TUI: they are
siblings).

Every expected failure (:class:`QaError`) becomes one line on stderr and exit 1; usage mistakes
exit 2; a file-system failure is worded by ``errors.file_problem``; nothing prints a traceback
or an unexpected exception's message (either could leak answer text into scrollback) unless
asked with ``--debug`` or ``QA_TUI_DEBUG=1``, for a support session.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import click

from qa_tui import __version__
from qa_tui.cli.context import CliContext
from qa_tui.cli.output import ExitCode, click_error, error
from qa_tui.cli.refusals import hinted, worded
from qa_tui.config import Paths, resolve_paths
from qa_tui.errors import QaError, Refused, TemplateInvalid, file_problem
from qa_tui.eventlog import EventLog, open_log

AppStarter = Callable[..., int]
"""``start_app(paths, *, debug, log)``: runs the interactive app, returns its exit code."""


@dataclass(frozen=True)
class _Launch:
    """What :func:`main` hands the group: the support log, and how to start the app."""

    log: EventLog
    start_app: AppStarter | None = None


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH|URL", envvar="QA_TUI_DB",
              help="Database file (default: qa-tui.sqlite3 in the user data dir), or a "
                   "postgresql://user@host/dbname URL for a central store; env QA_TUI_DB.")
@click.option("--debug", is_flag=True, envvar="QA_TUI_DEBUG",
              help="Show the full traceback of an unexpected error (env QA_TUI_DEBUG=1).")
@click.version_option(__version__, prog_name="qa-tui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> int | None:
    """Offline clinical quality assessment: templates, visits, Excel returns, consolidation.

    Run with no command to start the keyboard-driven app.
    """
    launch = ctx.obj if isinstance(ctx.obj, _Launch) else _Launch(EventLog(None))  # main()
    ctx.obj = CliContext(db)
    if ctx.invoked_subcommand is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise click.UsageError("the app needs a terminal; for scripts use a command "
                                   "(qa-tui --help lists them)")
        if launch.start_app is None:  # run as qa_tui.cli.main:main, which has no app
            raise click.UsageError("no command given (qa-tui --help lists them)")
        paths: Paths = ctx.obj.paths
        return launch.start_app(paths, debug=debug, log=launch.log)
    return None


def _register() -> None:
    from qa_tui.cli import (
        assess_cmds,
        compare_cmd,
        consolidate_cmd,
        db_cmds,
        orgs_cmd,
        report_cmds,
        return_cmds,
        review_cmd,
        row_cmds,
        support_cmds,
        template_cmds,
    )

    for command in (*assess_cmds.COMMANDS, template_cmds.templates, *return_cmds.COMMANDS,
                    *consolidate_cmd.COMMANDS, *orgs_cmd.COMMANDS, *compare_cmd.COMMANDS,
                    *review_cmd.COMMANDS, *report_cmds.COMMANDS, *support_cmds.COMMANDS,
                    *db_cmds.COMMANDS, *row_cmds.COMMANDS):
        cli.add_command(command)


_register()


def _report(exc: QaError, command: str) -> None:
    if isinstance(exc, TemplateInvalid):
        for problem in exc.problems:
            error(str(problem))
    elif isinstance(exc, Refused) and exc.reasons:
        message = hinted(exc, command)
        head = f"{exc.where}: {message}" if exc.where else message
        for reason in exc.reasons:
            error(f"{head}: {reason}")
    else:
        error(worded(exc, command))


def _quiet_unraisable(unraisable: object) -> None:
    """A library's clean-up failing after an error (openpyxl's temporary files on a full
    disk, say) would print a traceback on stderr; the error itself was already reported."""


def _debugging(args: Sequence[str]) -> bool:
    """``--debug`` before the command, or ``QA_TUI_DEBUG`` set to a true value."""
    if os.environ.get("QA_TUI_DEBUG", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    head = list(args)[: next((i for i, a in enumerate(args) if a in cli.commands), len(args))]
    return "--debug" in head


def _command_name(args: Sequence[str]) -> str:
    """The command being run, as the CLI names it (``export``, ``templates.check``): read
    against the CLI's own command list, so nothing a person typed can reach the log."""
    for index, arg in enumerate(args):
        command = cli.commands.get(arg)
        if command is None:
            continue
        sub = getattr(command, "commands", None)
        rest = args[index + 1:]
        if sub and rest and rest[0] in sub:
            return f"{arg}.{rest[0]}"
        return arg
    return "app"


def main(argv: Sequence[str] | None = None, *, start_app: AppStarter | None = None) -> None:
    """Run the CLI; exit with its code. ``start_app``: what runs the app when no command is
    given (:mod:`qa_tui.entry` passes it). Opted in, the support log records the command, how
    it ended and how long it took (see qa_tui.eventlog)."""
    args = list(argv) if argv is not None else sys.argv[1:]
    debug = _debugging(args)
    if not debug and argv is None:  # the real process (a caller in-process keeps its own hook)
        sys.unraisablehook = _quiet_unraisable
    log = _open_log()
    started = time.monotonic()
    code: int = ExitCode.INVALID
    try:
        # None, not the list: on Windows click then expands wildcards (cmd.exe does not)
        code = _run(list(argv) if argv is not None else None, debug, _Launch(log, start_app))
    finally:
        log.event("command", command=_command_name(args), exit=code,
                  seconds=round(time.monotonic() - started, 3))
        log.close()
    sys.exit(code)


def _open_log() -> EventLog:
    try:
        return open_log(resolve_paths())
    except Exception:  # noqa: BLE001 - the support log must never stop the work
        return EventLog(None)


def _run(args: list[str] | None, debug: bool, launch: _Launch) -> int:
    """The command's exit code; every failure reported on stderr in one line (``debug``:
    with the full traceback first)."""
    log = launch.log
    try:
        result = cli.main(args=args, prog_name="qa-tui", standalone_mode=False, obj=launch)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        click_error(exc)
        return ExitCode.USAGE
    except click.ClickException as exc:
        click_error(exc)
        return ExitCode.INVALID
    except click.Abort:
        error("aborted")
        return ExitCode.INVALID
    except QaError as exc:
        log.error("cli", exc)
        if debug:
            traceback.print_exc()
        _report(exc, _command_name(args if args is not None else sys.argv[1:]))
        return ExitCode.INVALID
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        return ExitCode.INVALID
    except OSError as exc:  # a file-system failure a user can cause: say which file and what to do
        log.error("cli", exc)
        if debug:
            traceback.print_exc()
        error(str(file_problem(exc)))
        return ExitCode.INVALID
    except Exception as exc:  # last resort: one line, no traceback, no locals, no message
        # (a library's message can quote SQL parameters, i.e. answer text), unless --debug
        log.error("cli", exc)
        if debug:
            traceback.print_exc()
        error(f"internal error ({type(exc).__name__}); nothing more is shown so that no "
              "answer text leaks: please report it")
        if not debug:
            error("run again with --debug (or QA_TUI_DEBUG=1) to see the full traceback")
        return ExitCode.INVALID
    return result if isinstance(result, int) else ExitCode.OK
