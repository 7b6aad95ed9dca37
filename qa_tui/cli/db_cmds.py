"""``qa-tui db upgrade`` and ``qa-tui db check``: the database's own operations."""

from __future__ import annotations

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json, error


@click.group("db")
def db() -> None:
    """Operate the database itself (a central PostgreSQL store, or the SQLite file)."""


@db.command("upgrade")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def upgrade(app: CliContext, as_json: bool) -> int:
    """Create or migrate the schema explicitly (the only command that migrates a shared
    PostgreSQL database; safe to run twice, or by two analysts at once)."""
    from qa_tui.services.database import upgrade_database

    result = upgrade_database(app.paths)
    if as_json:
        emit_json(result)
    elif result["from_version"] == result["to_version"]:
        emit(f"{result['database']}: already at schema v{result['to_version']}")
    else:
        emit(f"{result['database']}: upgraded from schema v{result['from_version']} "
             f"to v{result['to_version']}")
    return ExitCode.OK


@db.command("check")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def check(app: CliContext, as_json: bool) -> int:
    """Report engine, schema version and row counts; exit 1 if anything is wrong."""
    from qa_tui.services.database import check_database

    info = check_database(app.paths)
    if as_json:
        emit_json(info)
    else:
        emit(f"database: {info['database']} ({info['engine']})")
        emit(f"schema: v{info['schema_version']} (this program writes v{info['expected_version']})")
        emit("rows: " + ", ".join(f"{name} {count}" for name, count in info["counts"].items()))
        if "views" in info:
            emit("views: " + ", ".join(name for name, ok in info["views"].items() if ok))
    for problem in info["problems"]:
        error(f"{info['database']}: {problem}")
    return ExitCode.INVALID if info["problems"] else ExitCode.OK


COMMANDS = (db,)
