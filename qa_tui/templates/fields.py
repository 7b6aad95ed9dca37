"""Located readers for template documents: each reads one field and records any problem.

Every reader takes the problem collector and the dotted path, so the compiler can report every
problem of a file at once with its place, instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qa_tui.errors import Problem, ProblemCode
from qa_tui.printable import first_unsafe


@dataclass
class Ctx:
    """The problems found so far in one file."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    snapshot: bool = False
    """Compiling an assessment's frozen copy: rules added later give way (see the compiler)."""

    def add(self, path: str, message: str, code: ProblemCode | str = ProblemCode.INVALID) -> None:
        """Record a problem; ``code`` is a :class:`ProblemCode` (or its text, which must be one)."""
        self.problems.append(Problem(self.file, path, message, ProblemCode(code)))


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def unknown_keys(ctx: Ctx, table: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in table:
        if key in allowed:
            continue
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else f" (expected one of: {', '.join(allowed)})"
        ctx.add(join_path(path, str(key)), f"unknown key {key!r}{suffix}", "unknown-key")


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


ONE_LINE = frozenset({"title", "label", "rating"})
"""Template strings the app shows on one line."""


def read_text(ctx: Ctx, table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
          max_len: int = 20_000) -> str:
    value = table.get(key)
    if value is None:
        if required:
            ctx.add(join_path(path, key), "is required", "missing")
        return ""
    if not isinstance(value, str):
        ctx.add(join_path(path, key), f"must be text, not {type_name(value)}", "type")
        return ""
    if required and not value.strip():
        ctx.add(join_path(path, key), "must not be empty", "empty")
    if len(value) > max_len:
        ctx.add(join_path(path, key), f"is too long ({len(value)} characters; at most {max_len})",
                ProblemCode.TOO_LONG)
    # The same test as the app's screens and the CLI use: titles, labels and ratings are shown
    # on one line (a list row, an option), so a line break there would show escaped too.
    bad = first_unsafe(value, allow="" if key in ONE_LINE else "\n\t")
    if bad is not None:
        what = "a control character" if unicodedata.category(bad) == "Cc" else \
            "a character that reorders or breaks lines"
        ctx.add(join_path(path, key), f"contains {what} (U+{ord(bad):04X}); the app would show "
                "it escaped, not as written", ProblemCode.UNSAFE_TEXT)
    return value.strip()


def read_bool(ctx: Ctx, table: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        ctx.add(join_path(path, key), f"must be true or false, not {type_name(value)}", "type")
        return default
    return value


def type_name(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def table_list(ctx: Ctx, value: Any, path: str, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        ctx.add(path, f"must be a list of {what}, not {type_name(value)}", "type")
        return []
    good = []
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            good.append(item)
        else:
            ctx.add(f"{path}[{i}]", f"must be a table, not {type_name(item)}", "type")
            good.append({})
    return good


def check_json(ctx: Ctx, value: Any, path: str) -> None:
    """Refuse values JSON cannot carry (TOML dates and times), so snapshots round-trip exactly."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            check_json(ctx, v, join_path(path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_json(ctx, v, f"{path}[{i}]")
    elif isinstance(value, float) and not math.isfinite(value):
        ctx.add(path, "numbers must be finite", "type")
    elif value is not None and not isinstance(value, str | int | float | bool):
        ctx.add(path, f"{type(value).__name__} values are not allowed (write dates as text)", "type")


def check_unique(ctx: Ctx, path: str, what: str, items: list[tuple[int, str]]) -> None:
    seen: dict[str, int] = {}
    for i, value in items:
        if value in seen:
            ctx.add(f"{path}[{i}].{what}", f"duplicate {what} {value} (also at {path}[{seen[value]}])",
                    "duplicate")
        else:
            seen[value] = i
