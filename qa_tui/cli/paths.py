"""Path arguments as people give them on Windows as well as in a POSIX shell.

Explorer's "Copy as path" pastes ``"C:\\My returns\\a.xlsx"`` with its quotes; in ``cmd.exe``
an environment variable keeps them (``set QA_TUI_DB="D:\\qa.sqlite3"``) and a quoted folder
ending in ``\\`` arrives with a stray ``"``. :class:`TypedPath` cleans those up (and expands
``~``) before click checks the path, so every command accepts them.
"""

from __future__ import annotations

from typing import Any

import click

from qa_tui.config import typed_path


class TypedPath(click.Path):
    """``click.Path`` that first drops surrounding quotes and expands ``~``."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            value = str(typed_path(value))
        return super().convert(value, param, ctx)
