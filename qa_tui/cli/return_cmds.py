"""Commands on returns: export, import, verify; and demo data to try them on.

Each command handles many inputs and reports every one: a path or ``ok`` line on stdout for each
success, one ``qa-tui: FILE: reason`` line on stderr for each failure, exit 1 if anything failed
(the rest still processed).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from qa_tui.cli import progress
from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json, error, warn
from qa_tui.cli.paths import TypedPath
from qa_tui.cli.refusals import worded
from qa_tui.errors import QaError


def _files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the returns directly inside it (the shared rule:
    ``qa_tui.returns.finding``). A folder with none, or one that cannot be read, is reported
    (one line, and the command exits 1): checking nothing is not "ok"."""
    from qa_tui.services import returns_in

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                found = returns_in(path)
            except OSError as exc:
                error(f"{path}: cannot read this folder ({exc.strerror or exc})")
                found = []
            else:
                if not found:
                    error(f"{path}: no returns found (no .xlsx files in this folder)")
            if not found:
                click.get_current_context().meta["qa_nothing_found"] = True
            out.extend(found)
        else:
            out.append(path)
    return out


def _nothing_found() -> bool:
    return bool(click.get_current_context().meta.get("qa_nothing_found"))


def _report_error(exc: QaError, path: Path | None = None) -> None:
    """One line naming the file (once) and the reason."""
    error(f"{path}: {worded(exc)}" if path is not None and not exc.where else worded(exc))


@click.command("export")
@click.argument("assessments", nargs=-1)
@click.option("--all", "export_all", is_flag=True, help="Export every assessment (not the bin).")
@click.option("-o", "--output", "out_dir", type=TypedPath(file_okay=False, path_type=Path),
              default=None, help="Folder for the files (default: the export folder).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"]), default="xlsx",
              show_default=True, help="Excel return, or its canonical JSON.")
@click.option("--force", is_flag=True, help="Replace a different file of the same name.")
@click.option("--allow-identifiers", is_flag=True,
              help="Export even if notes seem to hold patient identifiers (see `qa-tui scan`).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def export(app: CliContext, assessments: tuple[str, ...], export_all: bool, out_dir: Path | None,
           fmt: str, force: bool, allow_identifiers: bool, as_json: bool) -> int:
    """Write returns and print their paths. Give assessment ids (or prefixes), or --all."""
    if export_all == bool(assessments):
        raise click.UsageError("give assessment ids or --all (not both)")
    svc = app.services
    ids = [s.id for s in svc.assessments.list()] if export_all else list(assessments)
    failed = False
    results: list[dict[str, Any]] = []
    _warn_if_synced(app, out_dir, ids)
    with progress.counting("Exporting returns", len(ids),
                           enabled=progress.wanted(as_json=as_json)) as tick:
        for given in ids:
            try:
                result = svc.returns.export(svc.assessments.resolve_id(given), out_dir, fmt=fmt,
                                            force=force, allow_identifiers=allow_identifiers)
            except QaError as exc:
                failed = True
                _report_error(exc)
                results.append({"id": given, "error": worded(exc)})
                continue
            finally:
                tick()
            if result.outcome == "replaced":
                warn(f"{result.path}: replaced the different file that was there")
            if result.draft:
                rating = "provisional rating, " if result.provisional else ""
                warn(f"{result.path}: a DRAFT return ({rating}{result.coverage_pct}% of scored "
                     "questions answered); its Cover says DRAFT")
            results.append(result.to_json())
            if not as_json:
                emit(str(result.path))
    if as_json:
        emit_json(results)
    elif export_all and not ids:
        warn("no assessments to export")
    return ExitCode.INVALID if failed else ExitCode.OK


def _warn_if_synced(app: CliContext, out_dir: Path | None, ids: list[str]) -> None:
    """Once per export: the default folder is synced to the cloud (OneDrive, iCloud)."""
    if out_dir is not None or not ids:
        return
    from qa_tui.services.doctor import export_sync_warning

    said = export_sync_warning(app.paths.export_dir)
    if said:
        warn(said)


@click.command("import")
@click.argument("files", nargs=-1, required=True,
                type=TypedPath(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def import_(app: CliContext, files: tuple[Path, ...], as_json: bool) -> int:
    """Load returns into the local database (a folder means the .xlsx files in it)."""
    failed = False
    report: list[dict[str, Any]] = []
    found = _files(files)
    with progress.counting("Importing returns", len(found),
                           enabled=progress.wanted(as_json=as_json)) as tick:
        for path in found:
            try:
                result = app.services.returns.import_file(path)
            except QaError as exc:
                failed = True
                _report_error(exc, path)
                report.append({"file": str(path), "outcome": "refused", "reason": exc.message})
                continue
            finally:
                tick()
            report.append(result.to_json())
            if result.identifiers is not None:
                warn(f"{path}: {result.identifiers.describe()}")
            if not as_json:
                emit(f"{path}: {result.message()}")
    if as_json:
        emit_json(report)
    return ExitCode.INVALID if failed or _nothing_found() else ExitCode.OK


@click.command()
@click.argument("files", nargs=-1, required=True, type=TypedPath(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def verify(app: CliContext, files: tuple[Path, ...], as_json: bool) -> int:
    """Check returns without importing them: ok, or the reason each one cannot be trusted."""
    verifier = app.verifier  # no database needed to verify
    failed = False
    report: list[dict[str, Any]] = []
    found = _files(files)
    with progress.counting("Verifying returns", len(found),
                           enabled=progress.wanted(as_json=as_json)) as tick:
        for path in found:
            try:
                checked = verifier.verify(path)
            except QaError as exc:
                failed = True
                _report_error(exc)
                report.append({"file": str(path), "ok": False, "reason": exc.message})
                continue
            finally:
                tick()
            report.append(checked.to_json())
            if checked.warning is not None:
                warn(f"{path}: {checked.warning}")
            if not as_json:
                emit(f"{path}: {checked.message()}")
    if as_json:
        emit_json(report)
    return ExitCode.INVALID if failed or _nothing_found() else ExitCode.OK


@click.command()
@click.option("--assessments", "count", type=click.IntRange(1, 100_000), default=20,
              show_default=True, help="How many assessments to create.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Same seed, same data.")
@click.option("--json", "as_json", is_flag=True, help="Print the new ids as JSON.")
@pass_cli
def demo(app: CliContext, count: int, seed: int, as_json: bool) -> int:
    """Fill the database with plausible sample assessments (fictional organisations)."""
    from qa_tui.services.demo import create_demo

    with progress.counting("Creating demo assessments", count,
                           enabled=progress.wanted(as_json=as_json)) as tick:
        result = create_demo(app.services, count=count, seed=seed, on_done=tick)
    if as_json:
        emit_json({"created": list(result.created), "skipped": list(result.skipped),
                   "seed": seed})
    else:
        emit(result.message())
    return ExitCode.OK


COMMANDS = (export, import_, verify, demo)
