"""Commands on assessments: new, answer, note, clear, action, complete, list, show, history, bin."""

from __future__ import annotations

from pathlib import Path

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json, emit_json_list
from qa_tui.cli.paths import TypedPath
from qa_tui.cli.render import detail_text, history_rows, summary_rows


@click.command()
@click.option("--template", "template_id", default=None,
              help="Template id (see `qa-tui templates`).")
@click.option("--org", default=None, help="Organisation name.")
@click.option("--org-code", default=None, help="ODS code, e.g. RTD or A81001.")
@click.option("--site", default="", help="Site or service visited.")
@click.option("--assessor", "assessors", multiple=True, help="Assessor name (repeat for several).")
@click.option("--date", "visit_date", default=None, help="Visit date YYYY-MM-DD (default today).")
@click.option("--follow-up", "follow_up", default=None, metavar="ID",
              help="Start the follow-up visit of assessment ID: same organisation, site and "
                   "template, its open actions carried forward.")
@click.option("--perspective", type=click.Choice(["self", "icb", "peer"]), default=None,
              help="Whose view: self (the provider), icb (the commissioner) or peer "
                   "(default: self for a self-assessment template, icb for a visit; a "
                   "follow-up keeps the previous visit's).")
@click.option("--json", "as_json", is_flag=True, help="Print the new assessment as JSON.")
@pass_cli
def new(app: CliContext, template_id: str | None, org: str | None, org_code: str | None,
        site: str, assessors: tuple[str, ...], visit_date: str | None, follow_up: str | None,
        perspective: str | None, as_json: bool) -> int:
    """Create an assessment and print its id (then, for a follow-up, what changed)."""
    if follow_up is not None:
        if template_id or org or org_code or site or perspective:
            raise click.UsageError("--follow-up takes the organisation, site and template "
                                   "and perspective from the previous visit; give only --date "
                                   "and --assessor")
        svc = app.services.assessments
        started = app.services.followups.start(svc.resolve_id(follow_up), visit_date=visit_date,
                                               assessors=assessors)
        if as_json:
            emit_json({**started.detail.to_json(), "follow_up": started.to_json()})
        else:
            emit(started.detail.id, *started.lines())
        return ExitCode.OK
    if not template_id or not org:
        raise click.UsageError("give --template and --org (or --follow-up ID)")
    detail = app.services.assessments.start(template_id, org_name=org, org_code=org_code,
                                            site=site, assessors=assessors, visit_date=visit_date,
                                            perspective=perspective)
    if as_json:
        emit_json(detail.to_json())
    else:
        emit(detail.id)
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@click.argument("question")
@click.argument("value", required=False)
@click.option("--note", default=None, help="Evidence note (replaces any earlier note).")
@click.option("--na", is_flag=True, help="Record the question as not applicable.")
@pass_cli
def answer(app: CliContext, assessment: str, question: str, value: str | None,
           note: str | None, na: bool) -> int:
    """Record one answer. VALUE: an option's label, key or value; text; a number; a date."""
    if value is None and not na and note is None:
        raise click.UsageError("give a VALUE, --na, or --note")
    if value is not None and na:
        raise click.UsageError("give a VALUE or --na, not both")
    svc = app.services.assessments
    aid = svc.resolve_id(assessment)
    detail = svc.answer(aid, question, value, na=na, note=note)
    from qa_tui.services.rows import canonical_key

    qid = canonical_key(detail.template, question)
    shown = detail.label(qid) or "(no answer)"
    emit(f"{qid} = {shown}  (saved; {detail.report.answered}/{detail.report.total} answered)")
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@click.argument("question")
@click.argument("text")
@pass_cli
def note(app: CliContext, assessment: str, question: str, text: str) -> int:
    """Set the evidence note of a question (an empty TEXT removes it)."""
    svc = app.services.assessments
    svc.set_note(svc.resolve_id(assessment), question, text)
    emit(f"note saved for {question}")
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@click.argument("question")
@pass_cli
def clear(app: CliContext, assessment: str, question: str) -> int:
    """Remove an answer (its evidence note is kept)."""
    svc = app.services.assessments
    svc.clear(svc.resolve_id(assessment), question)
    emit(f"{question} cleared")
    return ExitCode.OK


@click.group()
def action() -> None:
    """Add, edit and close actions on an assessment."""


@action.command("add")
@click.argument("assessment")
@click.argument("description")
@click.option("--owner", default="", help="Who will do it.")
@click.option("--due", default=None, help="Due date YYYY-MM-DD.")
@click.option("--priority", default="medium", type=click.Choice(["low", "medium", "high"]))
@click.option("--question", default=None, help="The question the action belongs to.")
@pass_cli
def action_add(app: CliContext, assessment: str, description: str, owner: str, due: str | None,
               priority: str, question: str | None) -> int:
    """Add an action; prints its id."""
    svc = app.services.assessments
    saved = app.services.actions.add(svc.resolve_id(assessment), description, owner=owner,
                                     due=due, priority=priority, question_id=question)
    emit(saved.action.id)
    return ExitCode.OK


@action.command("edit")
@click.argument("assessment")
@click.argument("action_id")
@click.option("--description", default=None)
@click.option("--owner", default=None)
@click.option("--due", default=None, help="Due date YYYY-MM-DD ('' removes it).")
@click.option("--priority", default=None, type=click.Choice(["low", "medium", "high"]))
@click.option("--status", default=None, type=click.Choice(["open", "closed"]))
@click.option("--note", default="", help="Why (kept with the update on a complete assessment).")
@pass_cli
def action_edit(app: CliContext, assessment: str, action_id: str, description: str | None,
                owner: str | None, due: str | None, priority: str | None,
                status: str | None, note: str) -> int:
    """Change an action (only the options given); allowed on a complete assessment."""
    from qa_tui.services.actions import ActionChanges
    from qa_tui.services.views import action_json

    svc = app.services.assessments
    changes = ActionChanges(description=description, owner=owner, due=due, priority=priority,
                            status=status, note=note)
    saved = app.services.actions.edit(svc.resolve_id(assessment), action_id, changes)
    emit_json(action_json(saved.action))
    return ExitCode.OK


@action.command("close")
@click.argument("assessment")
@click.argument("action_id")
@click.option("--note", default="", help="Evidence that it is done (kept with the update).")
@pass_cli
def action_close(app: CliContext, assessment: str, action_id: str, note: str) -> int:
    """Mark an action closed (also on a complete assessment: its answers stay locked)."""
    svc = app.services.assessments
    rec = app.services.actions.close(svc.resolve_id(assessment), action_id, note=note).action
    emit(f"action {rec.id[:8]} closed")
    return ExitCode.OK


@action.command("review")
@click.argument("assessment")
@click.argument("action_id")
@click.option("--outcome", required=True,
              type=click.Choice(["completed", "partly", "not started", "no longer relevant",
                                 "not-started", "no-longer-relevant"]),
              help="What the visit found of the carried action.")
@click.option("--note", required=True, help="The evidence seen.")
@pass_cli
def action_review(app: CliContext, assessment: str, action_id: str, outcome: str,
                  note: str) -> int:
    """Review an action carried from the previous visit (completed and no longer relevant
    close it)."""
    svc = app.services.assessments
    rec = app.services.actions.review(svc.resolve_id(assessment), action_id, outcome,
                                      note).action
    emit(f"action {rec.id[:8]} reviewed: {outcome.replace('-', ' ')} ({rec.status})")
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@pass_cli
def complete(app: CliContext, assessment: str) -> int:
    """Mark complete; refused (listing every reason) while required answers or notes are open."""
    svc = app.services.assessments
    detail = svc.complete(svc.resolve_id(assessment))
    emit(f"complete: {detail.report.overall.rating or 'not rated'} ({detail.report.overall.trace})")
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@pass_cli
def reopen(app: CliContext, assessment: str) -> int:
    """Return a complete assessment to draft so it can be changed."""
    svc = app.services.assessments
    aid = svc.resolve_id(assessment)
    before = svc.get(aid).record
    after = svc.reopen(aid).record
    if before.review_state == "approved" and after.review_state is None:
        emit(f"reopened as draft; the approval by {before.reviewer} is cleared (approve again "
             "once it is complete)")
    else:
        emit("reopened as draft")
    return ExitCode.OK


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
@click.option("--bin", "in_bin", is_flag=True, help="List deleted assessments instead.")
@pass_cli
def list_(app: CliContext, as_json: bool, in_bin: bool) -> int:
    """Assessments with template, status and progress, most recently changed first."""
    items = app.reader.list(deleted=in_bin)
    if as_json:
        emit_json_list(s.to_json() for s in items)
    else:
        emit(*summary_rows(items))
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@click.option("--json", "as_json", is_flag=True, help="Stable machine-readable form.")
@pass_cli
def show(app: CliContext, assessment: str, as_json: bool) -> int:
    """One assessment: answers, notes, section and overall scores with how they were reached."""
    svc = app.reader
    detail = svc.get(svc.resolve_id(assessment, deleted=None))
    if as_json:
        emit_json(detail.to_json())
    else:
        emit(*detail_text(detail))
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable chain.")
@pass_cli
def chain(app: CliContext, assessment: str, as_json: bool) -> int:
    """The chain of visits ASSESSMENT belongs to, oldest first: dates, ratings, open actions."""
    from qa_tui.services.followup import chain_rows

    svc = app.services.assessments
    visits = app.services.followups.chain(svc.resolve_id(assessment, deleted=None))
    if as_json:
        emit_json([v.to_json() for v in visits])
    else:
        emit(*chain_rows(visits))
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def history(app: CliContext, assessment: str, as_json: bool) -> int:
    """The audit log of one assessment: every change, when and by whom."""
    svc = app.reader
    aid = svc.resolve_id(assessment, deleted=None)
    entries = svc.history(aid)
    if as_json:
        emit_json([e.to_json() for e in entries])
    else:
        emit(*history_rows(entries, svc.get(aid).template))
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@pass_cli
def undo(app: CliContext, assessment: str) -> int:
    """Undo the latest change to an assessment (repeat to go further back)."""
    svc = app.services.assessments
    what = app.services.undo.undo(svc.resolve_id(assessment))
    emit(f"undone: {what}" if what else "nothing to undo")
    return ExitCode.OK


@click.command()
@click.argument("assessment")
@pass_cli
def delete(app: CliContext, assessment: str) -> int:
    """Move an assessment to the bin (restorable with `restore-deleted`)."""
    svc = app.services.assessments
    aid = svc.resolve_id(assessment)
    svc.delete(aid)
    emit(f"{aid[:8]} moved to the bin")
    return ExitCode.OK


@click.command("restore-deleted")
@click.argument("assessment")
@pass_cli
def restore_deleted(app: CliContext, assessment: str) -> int:
    """Bring an assessment back from the bin."""
    svc = app.services.assessments
    aid = svc.resolve_id(assessment, deleted=True)
    svc.restore(aid)
    emit(f"{aid[:8]} restored")
    return ExitCode.OK




@click.command()
@click.argument("assessment")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def scan(app: CliContext, assessment: str, as_json: bool) -> int:
    """List probable patient identifiers in notes, text answers and actions (exit 1 if any)."""
    from qa_tui.services.privacy import scan_detail

    svc = app.services.assessments
    hits = scan_detail(svc.get(svc.resolve_id(assessment, deleted=None)))
    if as_json:
        emit_json([h.to_json() for h in hits])
    elif hits:
        for hit in hits:
            emit(hit.describe())
    else:
        emit("no probable patient identifiers found")
    return ExitCode.INVALID if hits else ExitCode.OK



@click.command("backup")
@click.argument("path", required=False, type=TypedPath(path_type=Path))
@pass_cli
def backup_cmd(app: CliContext, path: Path | None) -> int:
    """Take a consistent copy of the database (safe while the app is open); prints its path."""
    from qa_tui.services.maintenance import backup

    emit(str(backup(app.services.store, app.paths, path)))
    return ExitCode.OK


@click.command("restore")
@click.argument("path", type=TypedPath(path_type=Path))
@pass_cli
def restore_cmd(app: CliContext, path: Path) -> int:
    """Replace the database with a backup, after checking it; the current one is kept aside."""
    from qa_tui.services.maintenance import restore

    store, safety = restore(app.services.store, app.paths, path)
    store.close()
    emit(f"restored from {path}; the previous database was saved as {safety}")
    return ExitCode.OK



COMMANDS: tuple[click.Command, ...] = (
    new, answer, note, clear, action, complete, reopen, list_, show, chain, history, undo, delete,
    restore_deleted, scan, backup_cmd, restore_cmd,
)
