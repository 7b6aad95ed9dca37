"""``qa-tui row add ID GROUP`` and ``qa-tui row remove ID GROUP N``: rows of repeating groups."""

from __future__ import annotations

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit


@click.group()
def row() -> None:
    """Add and remove rows of a repeating group (a risk register, records sampled)."""


@row.command("add")
@click.argument("assessment")
@click.argument("group")
@pass_cli
def add(app: CliContext, assessment: str, group: str) -> int:
    """Add a row at the end of GROUP and print its number; answer its fields as GROUP[N].FIELD."""
    svc = app.services.assessments
    detail = svc.add_row(svc.resolve_id(assessment), group)
    section = detail.template.group(group)
    gid = section.repeat.group if section is not None and section.repeat else group
    emit(str(detail.rows[gid]))
    return ExitCode.OK


@row.command("remove")
@click.argument("assessment")
@click.argument("group")
@click.argument("number", type=int)
@pass_cli
def remove(app: CliContext, assessment: str, group: str, number: int) -> int:
    """Remove row NUMBER of GROUP with its answers; later rows move up. `undo` puts it back."""
    svc = app.services.assessments
    detail = svc.remove_row(svc.resolve_id(assessment), group, number)
    section = detail.template.group(group)
    gid = section.repeat.group if section is not None and section.repeat else group
    count = detail.rows[gid]
    emit(f"{gid}[{number}] removed; {gid} has {count} row{'s' if count != 1 else ''}")
    return ExitCode.OK


COMMANDS: tuple[click.Command, ...] = (row,)
