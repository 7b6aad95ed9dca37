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
    """Remove row NUMBER of GROUP with its answers; later rows move up, and so do actions on
    them. An action on the removed row is kept, no longer on a question. `undo` puts it back."""
    svc = app.services.assessments
    aid = svc.resolve_id(assessment)
    before = {a.id: a.question_id for a in svc.get(aid).actions}
    detail = svc.remove_row(aid, group, number)
    section = detail.template.group(group)
    gid = section.repeat.group if section is not None and section.repeat else group
    count = detail.rows[gid]
    emit(f"{gid}[{number}] removed; {gid} has {count} row{'s' if count != 1 else ''}")
    for action in detail.actions:  # an action on the removed row stays, off its question
        was = before.get(action.id)
        if was is not None and action.question_id is None:
            emit(f"action {action.id[:8]} was on {was}: kept, no longer on a question "
                 "(undo puts it back)")
    return ExitCode.OK


COMMANDS: tuple[click.Command, ...] = (row,)
