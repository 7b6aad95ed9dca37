"""``qa-tui review approve|return ID --reviewer NAME``: a second reviewer's decision."""

from __future__ import annotations

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json


@click.group()
def review() -> None:
    """A second reviewer (not one of the assessors) approves a completed assessment or
    returns it to draft with a reason."""


@review.command()
@click.argument("assessment")
@click.option("--reviewer", required=True, help="The reviewer's name (not an assessor).")
@click.option("--note", default="", help="An optional note with the approval.")
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
@pass_cli
def approve(app: CliContext, assessment: str, reviewer: str, note: str, as_json: bool) -> int:
    """Approve a complete assessment."""
    svc = app.services.assessments
    detail = svc.approve(svc.resolve_id(assessment), reviewer=reviewer, note=note)
    if as_json:
        emit_json(detail.to_json()["review"])
    else:
        emit(f"approved by {detail.record.reviewer} (revision {detail.record.revision})")
    return ExitCode.OK


@review.command("return")
@click.argument("assessment")
@click.option("--reviewer", required=True, help="The reviewer's name (not an assessor).")
@click.option("--reason", required=True, help="What the assessors should look at again.")
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
@pass_cli
def return_(app: CliContext, assessment: str, reviewer: str, reason: str,
            as_json: bool) -> int:
    """Return a complete assessment to draft; the reason shows at the top of Assess until it
    is completed again."""
    svc = app.services.assessments
    detail = svc.send_back(svc.resolve_id(assessment), reviewer=reviewer, reason=reason)
    if as_json:
        emit_json(detail.to_json()["review"])
    else:
        emit(f"returned to draft by {detail.record.reviewer} "
             f"(revision {detail.record.revision})")
    return ExitCode.OK


COMMANDS: tuple[click.Command, ...] = (review,)
