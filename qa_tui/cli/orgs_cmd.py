"""``qa-tui orgs load FILE.csv``: keep an organisation register for suggestions as you type."""

from __future__ import annotations

from pathlib import Path

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json


@click.group()
def orgs() -> None:
    """The organisation register (NHS ODS CSV layout) kept in the user data folder."""


@orgs.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_cli
def load(app: CliContext, file: Path, as_json: bool) -> int:
    """Check FILE and keep it as the register: the New screen then offers its names and
    codes as you type. A bad file is refused and the earlier register kept."""
    from qa_tui.services.orgs import load_register

    loaded = load_register(app.paths, file)
    if as_json:
        emit_json({"path": str(loaded.path), "organisations": loaded.organisations})
    else:
        emit(loaded.message())
    return ExitCode.OK


COMMANDS = (orgs,)
