"""``qa-tui doctor``: what a support person needs to see, in one command.

Plain text for a person (one ``label  value`` line each, problems and warnings last), or
``--json`` for a ticket or a script. Exit 1 when something is wrong (a refused or damaged
database, a template with problems, a nearly full disk), 0 when healthy; warnings alone (an
export folder synced to OneDrive) do not fail it.
"""

from __future__ import annotations

from typing import Any

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json


def _size(value: int | None) -> str:
    if value is None:
        return "unknown"
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value = value / 1024  # type: ignore[assignment]
    return str(value)


def _lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    v, p, db = report["versions"], report["platform"], report["database"]
    rows = [
        ("qa-tui", v["qa-tui"]),
        ("python", f"{v['python']} ({p['python_executable']})"),
        ("textual", v["textual"]), ("sqlite", v["sqlite"]),
        ("platform", f"{p['system']} {p['release']} {p['machine']}"),
    ]
    rows += [(name.replace("_", " "), path) for name, path in report["paths"].items()]
    state = db["problem"] or db["note"] or f"schema v{db['schema_version']}, integrity {db['integrity']}"
    rows.append(("database state", state))
    if db["pragmas"]:
        rows.append(("database pragmas", ", ".join(f"{k}={v}" for k, v in db["pragmas"].items())))
    rows.append(("templates", f"{report['templates']['count']} usable, "
                              f"{len(report['templates']['problems'])} problem(s)"))
    for name, disk in report["disk"].items():
        rows.append((f"free space ({name.replace('_', ' ')})", _size(disk["free_bytes"])))
    rows.append(("export folder synced", report["export_sync"] or "no"))
    log = report["log"]
    rows.append(("support log", f"on: {log['file']}" if log["enabled"] else
                 "off (QA_TUI_LOG=1 turns it on)"))
    return rows


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def doctor(app: CliContext, as_json: bool) -> int:
    """Check this installation: versions, paths, database, templates, disk, sync."""
    from qa_tui.services.doctor import diagnose

    report = diagnose(app.paths)
    data = report.to_json()
    if as_json:
        emit_json(data)
    else:
        width = max(len(label) for label, _ in _lines(data))
        for label, value in _lines(data):
            emit(f"{label:<{width}}  {value}")
        for problem in report.problems:
            emit(f"PROBLEM: {problem}")
        for warning in report.warnings:
            emit(f"warning: {warning}")
        emit("healthy" if report.ok else "NOT healthy")
    return ExitCode.OK if report.ok else ExitCode.INVALID


COMMANDS = (doctor,)
