"""Read and verify a return: the one entry point import and consolidation use.

Checks, in order, each failing with its own one-line reason (:class:`ReturnInvalid`): the file
is a sound, size-limited workbook; it is a qa-tui return of a known format version; the JSON in
``_return`` matches its SHA-256, is canonical and well-typed; the template snapshot is intact
and compiles; every answer fits its question; and every cell of the visible sheets agrees with
the JSON (an edit names the sheet, row, key and column).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_tui.errors import ReturnInvalid, TemplateInvalid
from qa_tui.returns.document import FORMAT, FORMAT_VERSION, ReturnData
from qa_tui.returns.layout import SheetModel, Value, visible_sheets
from qa_tui.returns.package import (
    CellValue,
    Formula,
    Grid,
    Package,
    check_contents,
    describe,
    read_grid,
    shared_strings,
    workbook_sheets,
)
from qa_tui.returns.package import column_letter as get_column_letter
from qa_tui.returns.recompute import check_bundled, check_scores
from qa_tui.returns.rows import check_groups, check_ordinary, check_stored
from qa_tui.templates import Template, canonical_json, compile_template, sha256_hex

SHEETS = ("Cover", "Summary", "Responses", "Actions", "_return")


@dataclass(frozen=True)
class VerifiedReturn:
    """A return that passed every check: its typed data, JSON, hash and compiled template."""

    path: Path
    data: ReturnData
    document: dict[str, Any]
    sha256: str
    template: Template


def read_return(path: str | Path) -> VerifiedReturn:
    """Verify ``path`` and return what it holds; :class:`ReturnInvalid` (``where`` = the file)
    says why it cannot be trusted."""
    path = Path(path)
    try:
        return _read(path)
    except ReturnInvalid as exc:
        raise ReturnInvalid(exc.message, where=str(path)) from None


def _read(path: Path) -> VerifiedReturn:
    pkg = Package.open(path)
    parts, states, shared_part = workbook_sheets(pkg)
    if "_return" not in parts:
        raise ReturnInvalid("is not a qa-tui return (it has no _return sheet)")
    check_contents(pkg)
    strings = shared_strings(pkg, shared_part)
    machine = read_grid(pkg, parts["_return"], "_return", strings)
    text, digest = _machine_block(machine)
    if sha256_hex(text) != digest:
        raise ReturnInvalid("the return data does not match its SHA-256 (damaged or edited)")
    try:
        document = json.loads(text)
    except ValueError:
        raise ReturnInvalid("the return data in _return is not valid JSON") from None
    if canonical_json(document) != text:
        raise ReturnInvalid("the return data in _return is not in canonical form")
    data = ReturnData.from_document(document)
    template = _template(data)
    _check_answers(data, template)
    check_bundled(data)
    check_scores(data, template)
    for name in SHEETS[:4]:
        if name not in parts:
            raise ReturnInvalid(f"the {name} sheet is missing")
    grids = {name: read_grid(pkg, parts[name], name, strings) for name in SHEETS[:4]}
    for model in visible_sheets(data, template, digest):
        compare(model, grids[model.name])
    for name, grid in (*grids.items(), ("_return", machine)):
        _no_formulas(name, grid)
    return VerifiedReturn(path, data, document, digest, template)


def _no_formulas(name: str, grid: Grid) -> None:
    """No cell of a return is ever a formula, compared or not (``WEBSERVICE``, ``HYPERLINK``
    and DDE formulas reach outside the file the moment it is opened)."""
    for (r, c), value in sorted(grid.items()):
        if isinstance(value, Formula):
            raise ReturnInvalid(f"sheet {name} cell {get_column_letter(c)}{r} holds a formula "
                                "(refused: no cell of a return is ever a formula)")


def _machine_block(grid: Grid) -> tuple[str, str]:
    def cell(row: int, col: int) -> CellValue:
        return grid.get((row, col))

    if cell(1, 1) != "format" or cell(1, 2) != FORMAT:
        raise ReturnInvalid("is not a qa-tui return (its _return sheet does not name the format)")
    version = cell(2, 2)
    if cell(2, 1) != "format_version" or not isinstance(version, float):
        raise ReturnInvalid("the _return sheet has no format version")
    if version != FORMAT_VERSION:
        shown = int(version) if version.is_integer() else version
        raise ReturnInvalid(f"format version {shown} is not supported "
                            f"(this qa-tui reads version {FORMAT_VERSION})")
    digest, count = cell(3, 2), cell(4, 2)
    if cell(3, 1) != "sha256" or not isinstance(digest, str) or len(digest) != 64:
        raise ReturnInvalid("the _return sheet has no SHA-256")
    if cell(4, 1) != "json_parts" or not isinstance(count, float) or not count.is_integer():
        raise ReturnInvalid("the _return sheet does not say how many JSON parts it has")
    chunks: list[str] = []
    for i in range(int(count)):
        key, value = cell(5 + i, 1), cell(5 + i, 2)
        if key != "json" or not isinstance(value, str):
            raise ReturnInvalid(f"the _return sheet is missing JSON part {i + 1} of {int(count)}")
        chunks.append(value)
    return "".join(chunks), digest


@functools.lru_cache(maxsize=64)
def _compile_snapshot(text: str, name: str) -> Template:
    """Compiled templates are immutable, and a batch of returns shares a handful of snapshots:
    compile each distinct one once (about a third of the time spent checking a return)."""
    return compile_template(json.loads(text), file=name, snapshot=True)


_COMPILED: dict[tuple[str, str], Template] = {}
"""Compiled snapshots by (verified template hash, template id): a hit costs no serialising of
the ~26 KB snapshot to find its canonical text (issue 20: a third of the JSON work per file)."""


def _template(data: ReturnData) -> Template:
    # data.template_hash is the SHA-256 of the snapshot's canonical JSON: ReturnData's parser
    # refused the return otherwise, so it identifies the snapshot as well as its text does.
    key = (data.template_hash, data.template_id)
    template = _COMPILED.get(key)
    if template is None:
        try:
            template = _compile_snapshot(canonical_json(data.template_snapshot),
                                         f"template snapshot {data.template_id}")
        except TemplateInvalid as exc:
            raise ReturnInvalid(f"the template snapshot is not a valid template "
                                f"({exc.message})") from None
        if len(_COMPILED) >= 64:
            _COMPILED.clear()
        _COMPILED[key] = template
    if (template.id, template.version) != (data.template_id, data.template_version):
        raise ReturnInvalid("the template snapshot is not the template the return names")
    return template


def _check_answers(data: ReturnData, template: Template) -> None:
    seen: set[str] = set()
    for a in data.answers:
        q = template.question(a.question_id)
        where = f"the answer to {a.question_id}"
        if q is None:
            raise ReturnInvalid(f"{where}: no such question in the template")
        check_ordinary(template, a)
        if a.question_id in seen:
            raise ReturnInvalid(f"{where} appears twice")
        seen.add(a.question_id)
        check_stored(q, a, where)
    check_groups(data, template)
    ids = [a.id for a in data.actions]
    if len(set(ids)) != len(ids):
        raise ReturnInvalid("an action id appears twice")
    for action in data.actions:
        if action.question_id is not None and template.question(action.question_id) is None:
            raise ReturnInvalid(f"action {action.id[:8]} names an unknown question "
                                f"{action.question_id}")


# -- visible sheets against the JSON ---------------------------------------------------------

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def to_excel(value: dt.date) -> float:
    """Excel's serial number of a date or naive datetime (1900 system, dates from 1900-03-01)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400e6


def _same(expected: Value, actual: CellValue) -> bool:
    if isinstance(actual, Formula):
        return False
    if expected is None or expected == "":
        return actual is None
    if isinstance(expected, str):
        return isinstance(actual, str) and actual == expected
    if not isinstance(actual, float) or isinstance(actual, bool):
        return False
    if isinstance(expected, dt.datetime):
        return abs(actual - to_excel(expected)) < 0.5 / 86_400
    if isinstance(expected, dt.date):
        return actual == to_excel(expected)
    return math.isclose(actual, float(expected), rel_tol=1e-12, abs_tol=1e-9)


def compare(model: SheetModel, grid: Grid) -> None:
    """Raise ``edited after export: ...`` at the first cell that differs from the model."""
    width = len(model.columns)
    for r, row in enumerate(model.rows, start=1):
        for c, expected in enumerate(row, start=1):
            actual = grid.get((r, c))
            if not _same(expected, actual):
                raise ReturnInvalid(_edited(model, r, c, expected, actual))
    if model.extra_rows_allowed:
        return
    for (r, c) in sorted(grid):
        if r > len(model.rows) and c <= width:
            raise ReturnInvalid(f"edited after export: {model.name} row {r} was added "
                                f"(cell {get_column_letter(c)}{r})")


def _edited(model: SheetModel, r: int, c: int, expected: Value, actual: CellValue) -> str:
    key = model.keys[r - 1]
    place = f"{model.name} row {r}" + (f" ({key})" if key not in ("header", "title",
                                                                   "blank") else "")
    column = model.columns[c - 1].header if key != "header" else \
        f"{get_column_letter(c)} (header)"
    if model.name == "Cover" and c == 2:
        column = "Value"
    if isinstance(actual, Formula):
        what = "holds a formula"
    elif len(_shown(expected)) <= 40 and len(_shown(actual)) <= 40:
        what = f"is {_shown(actual)}, expected {_shown(expected)}"
    else:
        what = "differs"
    return f"edited after export: {place}, column {column} {what}"


def _shown(value: Value | CellValue) -> str:
    """A value as a person would recognise it (notes can be pages long: callers check)."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, str):
        return repr(value)
    return describe(value)
