"""``qa-tui consolidate``: many returns into one workbook (and optionally a database).

Stdout gets the result (one summary line per output, or the JSON of ``--json``); stderr one
line per rejected file, and a progress bar only when stderr is a terminal and the output is not
JSON (a script reading stderr never sees bar frames).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json, error, warn
from qa_tui.cli.paths import TypedPath
from qa_tui.config import typed_path

STAGES = {"checking": "Checking returns", "writing": "Writing the workbook",
          "database": "Loading the database"}
ProgressFn = Callable[[str, int, int], None]


@contextmanager
def progress_bar(enabled: bool) -> Iterator[ProgressFn | None]:
    """A rich progress bar on stderr, one task a stage; ``None`` when not enabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

    with bar:
        yield update


def _date(text: str | None, hint: str = "--as-of") -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date YYYY-MM-DD",
                                 param_hint=hint) from None


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=TypedPath(path_type=Path))
@click.option("-o", "--output", required=True,
              type=TypedPath(dir_okay=False, path_type=Path),
              help="The consolidated workbook (.xlsx) to write.")
@click.option("--db", "db", metavar="PATH|URL", default=None,
              help="Also load the accepted returns into this SQLite database (created if "
                   "missing) or PostgreSQL store (postgresql://user@host/dbname); re-runs add "
                   "and update, never duplicate.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="Judge overdue actions as of this day (default: today).")
@click.option("--since", "since", metavar="YYYY-MM-DD", default=None,
              help="Count escalations on the Committee sheet from this day (default: the "
                   "start of the current NHS financial quarter; Q1 is April to June).")
@click.option("--include-drafts", is_flag=True,
              help="Count draft returns in the ratings too, each marked (draft); by default "
                   "only completed returns are rated.")
@click.option("--approved-only", "approved_only", is_flag=True,
              help="Count only returns a second reviewer approved (qa-tui review approve) in "
                   "the ratings; the others are listed on Exceptions as not approved.")
@click.option("--orgs", "orgs", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE.csv",
              help="An organisation register (NHS ODS CSV layout): returns are matched by "
                   "ODS code, then by name, and shown under the register's name.")
@click.option("--workers", type=click.IntRange(1, 32), default=None,
              help="Processes that check returns (default: the cores, up to 4).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def consolidate(app: CliContext, inputs: tuple[Path, ...], output: Path, db: str | None,
                as_of: str | None, since: str | None, include_drafts: bool, orgs: Path | None,
                approved_only: bool, workers: int | None, as_json: bool) -> int:
    """Check returns (files, or folders searched for .xlsx) and write one workbook: a
    Committee summary, escalations, ratings matrix, trend by quarter, actions register,
    returns, responses, exceptions and rejected files.

    Every file is accepted, superseded (an older revision or a copy) or rejected with its
    reason. Exit status 1 if any file was rejected; the workbook is still written.
    """
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("the workbook name must end in .xlsx", param_hint="-o")
    day = _date(as_of)
    start = _date(since, "--since")
    service = app.consolidation
    with progress_bar(not as_json and sys.stderr.isatty()) as progress:
        target = None if db is None else db if "://" in db else typed_path(db)
        report = service.run(list(inputs), output, db=target, as_of=day, workers=workers,
                             progress=progress, since=start, include_drafts=include_drafts,
                             orgs=orgs, approved_only=approved_only)
    if not report.result.files:
        warn("no .xlsx files found in the paths given; the workbook is empty")
    for item in report.result.rejected:
        error(f"{item.file}: {item.reason}")
    for item in report.result.accepted:
        if item.identifiers:
            warn(f"{item.file}: {item.identifiers}")
    if report.database is not None:
        for file, reason in report.database.refused:
            error(f"{file}: not loaded into {report.database.path}: {reason}")
    if as_json:
        emit_json(report.to_json())
    else:
        emit(report.message())
        if report.database is not None:
            emit(report.database.message())
    return ExitCode.INVALID if report.failed else ExitCode.OK


COMMANDS = (consolidate,)
