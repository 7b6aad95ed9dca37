"""Entry point: ``qa-tui`` with no command starts the TUI; with a command it runs headless.

Every expected failure (:class:`QaError`) becomes one line on stderr and exit 1; usage mistakes
exit 2; nothing ever prints a traceback (which could also leak answer text into scrollback).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from qa_tui import __version__
from qa_tui.cli.context import CliContext
from qa_tui.cli.output import ExitCode, error
from qa_tui.errors import QaError, Refused, TemplateInvalid


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH|URL", envvar="QA_TUI_DB",
              help="Database file (default: qa-tui.sqlite3 in the user data dir), or a "
                   "postgresql://user@host/dbname URL for a central store; env QA_TUI_DB.")
@click.version_option(__version__, prog_name="qa-tui")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> int | None:
    """Offline clinical quality assessment: templates, visits, Excel returns, consolidation.

    Run with no command to start the keyboard-driven app.
    """
    ctx.obj = CliContext(db)
    if ctx.invoked_subcommand is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise click.UsageError("the app needs a terminal; for scripts use a command "
                                   "(qa-tui --help lists them)")
        from qa_tui.ui.launch import run_tui  # Textual loads only for the interactive app

        return run_tui(ctx.obj.paths)
    return None


def _register() -> None:
    from qa_tui.cli import assess_cmds, consolidate_cmd, db_cmds, return_cmds, template_cmds

    for command in (*assess_cmds.COMMANDS, template_cmds.templates, *return_cmds.COMMANDS,
                    *consolidate_cmd.COMMANDS, *db_cmds.COMMANDS):
        cli.add_command(command)


_register()


def _report(exc: QaError) -> None:
    if isinstance(exc, TemplateInvalid):
        for problem in exc.problems:
            error(str(problem))
    elif isinstance(exc, Refused) and exc.reasons:
        head = f"{exc.where}: {exc.message}" if exc.where else exc.message
        for reason in exc.reasons:
            error(f"{head}: {reason}")
    else:
        error(str(exc))


def main(argv: Sequence[str] | None = None) -> None:
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="qa-tui",
                          standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        sys.exit(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.INVALID)
    except click.Abort:
        error("aborted")
        sys.exit(ExitCode.INVALID)
    except QaError as exc:
        _report(exc)
        sys.exit(ExitCode.INVALID)
    except KeyboardInterrupt:
        error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(ExitCode.INVALID)
    except Exception as exc:  # last resort: one line, no traceback, no locals
        error(f"internal error ({type(exc).__name__}): {exc}")
        sys.exit(ExitCode.INVALID)
    sys.exit(result if isinstance(result, int) else ExitCode.OK)
