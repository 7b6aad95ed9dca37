"""``qa-tui templates``: list, check and outline assessment templates."""

from __future__ import annotations

from pathlib import Path

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json, error, warn
from qa_tui.cli.paths import TypedPath
from qa_tui.cli.render import template_outline
from qa_tui.services.catalog import check_template_files, template_infos


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
@pass_cli
@click.pass_context
def templates(ctx: click.Context, app: CliContext, as_json: bool) -> int | None:
    """List templates (bundled and user); see also `check` and `show`."""
    if ctx.invoked_subcommand is not None:
        return None
    library = app.library
    for problem in library.problems:
        warn(f"skipped user template: {problem}")
    infos = template_infos(library)
    if as_json:
        emit_json([i.to_json() for i in infos])
        return ExitCode.OK
    for i in infos:
        emit(f"{i.id:<26} {i.version:<6} {i.kind:<16} {i.questions:>3} questions  {i.title}")
    if not infos:
        emit("No templates found.")
    emit("", f"User templates folder: {app.paths.templates_dir}")
    return ExitCode.OK


@templates.command("check")
@click.argument("files", nargs=-1, required=True, type=TypedPath(path_type=Path))
@pass_cli
def check(app: CliContext, files: tuple[Path, ...]) -> int:
    """Validate template files; every problem is listed with file and place."""
    failed = 0
    for result in check_template_files(files, app.library):
        if result.ok and result.template is not None:
            t = result.template
            emit(f"ok   {result.path}: {t.id} {t.version} ({len(t.questions)} questions)")
        else:
            failed += 1
            for problem in result.problems:
                error(str(problem))
    return ExitCode.INVALID if failed else ExitCode.OK


@templates.command("show")
@click.argument("template_id")
@pass_cli
def show_template(app: CliContext, template_id: str) -> int:
    """A readable outline of one template: sections, questions, scales and scoring."""
    emit(*template_outline(app.library.get(template_id)))
    return ExitCode.OK
