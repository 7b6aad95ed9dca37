"""The provider report: ``qa-tui report`` writes it, ``qa-tui summary`` sets its summary paragraph."""

from __future__ import annotations

from pathlib import Path

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json, warn


@click.command("report")
@click.argument("source")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the report (default: the export folder).")
@click.option("--format", "fmt", type=click.Choice(["docx", "html"]), default="docx",
              show_default=True, help="Word document, or one print-ready HTML file.")
@click.option("--force", is_flag=True, help="Replace a different file of the same name "
              "(for example one already edited in Word).")
@click.option("--allow-identifiers", is_flag=True,
              help="Write it even if notes seem to hold patient identifiers (see `qa-tui scan`).")
@click.option("--json", "as_json", is_flag=True, help="Report the result as JSON.")
@pass_cli
def report(app: CliContext, source: str, out_dir: Path | None, fmt: str, force: bool,
           allow_identifiers: bool, as_json: bool) -> int:
    """Write the provider feedback report of SOURCE and print its path.

    SOURCE is an assessment id (or an unambiguous prefix) or a return file (RETURN.xlsx),
    which is verified first.
    """
    result = app.services.reports.write(source, out_dir, fmt=fmt, force=force,
                                        allow_identifiers=allow_identifiers)
    if result.outcome == "replaced":
        warn(f"{result.path}: replaced the different file that was there")
    if as_json:
        emit_json(result.to_json())
    else:
        emit(str(result.path))
    return ExitCode.OK


@click.command("summary")
@click.argument("assessment")
@click.argument("text", required=False)
@pass_cli
def summary(app: CliContext, assessment: str, text: str | None) -> int:
    """Set the one-paragraph summary that opens the provider report ('' removes it);
    without TEXT, print the current one."""
    svc = app.services.assessments
    aid = svc.resolve_id(assessment)
    if text is None:
        current = svc.get(aid).record.summary
        if current:
            emit(*current.splitlines())
        return ExitCode.OK
    svc.set_summary(aid, text)
    emit("summary saved" if text.strip() else "summary removed")
    return ExitCode.OK


COMMANDS: tuple[click.Command, ...] = (report, summary)
