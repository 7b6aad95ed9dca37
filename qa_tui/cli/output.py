"""The CLI's contract with scripts: exit codes, where text goes, and how errors read.

Data goes to stdout; every diagnostic goes to stderr as one line per problem, prefixed
``qa-tui:``. No other module writes to stderr.
"""

from __future__ import annotations

import json
import sys
from enum import IntEnum
from typing import Any

import click


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1
    """Some input was rejected or invalid (the rest was still processed)."""
    USAGE = 2


def emit(text: str = "") -> None:
    click.echo(text)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def error(message: str) -> None:
    """One diagnostic line on stderr; newlines inside a message are folded so it stays one line."""
    click.echo(f"qa-tui: {' '.join(str(message).split())}", err=True)


def warn(message: str) -> None:
    error(f"warning: {message}")


def is_tty() -> bool:
    return sys.stdout.isatty()
