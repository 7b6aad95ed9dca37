"""The CLI's contract with scripts: exit codes, where text goes, and how errors read.

Data goes to stdout; every diagnostic goes to stderr as one line per problem, prefixed
``qa-tui:``. No other module writes to stdout or stderr, so this is the one boundary where text
from outside (file names, organisation names, notes, ``QA_TUI_ACTOR``) is made safe for a
terminal: every control character is printed as a visible escape (see ``qa_tui.printable``), so
a name can neither send escape sequences nor forge an extra line.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable
from enum import IntEnum
from typing import Any

import click

from qa_tui.printable import json_safe, printable


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1
    """Some input was rejected or invalid (the rest was still processed)."""
    USAGE = 2


def emit(*lines: str) -> None:
    """Each argument as one line on stdout (none: a blank line); a newline or any other control
    character inside a line is printed escaped, so data can never start a line of its own."""
    for line in lines or ("",):
        click.echo(printable(line))


def emit_json(data: Any) -> None:
    click.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)))


_BATCH = 256


def emit_json_list(items: Iterable[Any]) -> None:
    """``emit_json(list(items))``, the same text, written a batch of items at a time: the
    list of 10,000 assessments is never one JSON string (issue 20: encoding it whole was
    half the peak memory of ``list --json``). An item indented one level deeper is its own
    dump with two spaces after each newline (a JSON string never holds a raw newline)."""
    batch: list[str] = []
    opened = False
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        batch.append(("[\n  " if not opened else ",\n  ") + text)
        opened = True
        if len(batch) >= _BATCH:
            click.echo(json_safe("".join(batch)), nl=False)
            batch.clear()
    if not opened:
        click.echo("[]")
        return
    click.echo(json_safe("".join(batch) + "\n]"))


def error(message: str) -> None:
    """One diagnostic line on stderr: control characters (newlines too) are printed escaped, so
    it stays one line whatever file name or value it quotes."""
    click.echo(f"qa-tui: {printable(str(message).strip())}", err=True)


def click_error(exc: click.ClickException) -> None:
    """Click's own usage message (which quotes what was typed), escaped line by line."""
    buffer = io.StringIO()
    exc.show(file=buffer)
    for line in buffer.getvalue().splitlines():
        click.echo(printable(line), err=True)


def warn(message: str) -> None:
    error(f"warning: {message}")


def is_tty() -> bool:
    return sys.stdout.isatty()
