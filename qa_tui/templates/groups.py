"""Compile repeating sections (``repeat``) and computed fields (``type = "computed"``).

Kept apart from :mod:`qa_tui.templates.compiler` so the compiler only calls in at a few points:
:func:`compile_repeat` for a section's ``repeat`` table, :func:`finish_question` for every
question, :func:`check_section` once a section is built, :func:`check_groups` once all are.
Every problem is reported with the file and dotted place, like every other template check.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from qa_tui.domain import QuestionType
from qa_tui.templates.fields import (
    Ctx,
    is_number,
    join_path,
    read_text,
    table_list,
    type_name,
    unknown_keys,
)
from qa_tui.templates.model import Compute, ComputeBand, Question, Repeat, Section

GROUP_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
REPEAT_KEYS = ("group", "min_rows", "max_rows", "row_title")
COMPUTE_KEYS = ("op", "of", "value")
BAND_KEYS = ("low", "high", "label")
QUESTION_KEYS = ("compute", "bands")
"""Question keys this module adds to the compiler's list."""
OPS = ("product", "sum", "count")
DEFAULT_MAX_ROWS = 50
MAX_ROWS_LIMIT = 200
NOT_FOR_COMPUTED = ("scale", "options", "critical", "allow_na", "min", "max", "evidence_prompt")
"""Keys that make no sense on a value nobody answers or notes."""


def compile_repeat(ctx: Ctx, raw_section: Mapping[str, Any], spath: str) -> Repeat | None:
    """A section's ``repeat`` table, or None for an ordinary section."""
    if "repeat" not in raw_section:
        return None
    path = join_path(spath, "repeat")
    raw = raw_section["repeat"]
    if not isinstance(raw, Mapping):
        ctx.add(path, "must be a table such as { group = \"RISK\", max_rows = 30 }", "type")
        return None
    unknown_keys(ctx, raw, REPEAT_KEYS, path)
    group = raw.get("group")
    if not isinstance(group, str) or not GROUP_RE.match(group):
        ctx.add(join_path(path, "group"), f"{group!r} is not a group id: capital letters, digits "
                "and '_', starting with a letter (e.g. RISK)", "missing" if group is None else "invalid")
        group = ""
    min_rows = _whole(ctx, raw, "min_rows", path, 0, 0, MAX_ROWS_LIMIT)
    max_rows = _whole(ctx, raw, "max_rows", path, DEFAULT_MAX_ROWS, 1, MAX_ROWS_LIMIT)
    if min_rows > max_rows:
        ctx.add(join_path(path, "min_rows"), f"min_rows {min_rows} is more than max_rows {max_rows}")
    title = raw.get("row_title")
    if title is not None and not isinstance(title, str):
        ctx.add(join_path(path, "row_title"), f"must name a field, not {type_name(title)}", "type")
        title = None
    return Repeat(group, min_rows, max_rows, title)


def _whole(ctx: Ctx, raw: Mapping[str, Any], key: str, path: str, default: int,
           low: int, high: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        ctx.add(join_path(path, key), f"must be a whole number from {low} to {high}, not {value!r}")
        return default
    return value


def finish_question(ctx: Ctx, raw: Mapping[str, Any], path: str, question: Question) -> Question:
    """Attach a computed question's formula (refusing keys it cannot have); refuse ``compute``
    and ``bands`` on any other question."""
    if question.type is not QuestionType.COMPUTED:
        for key in QUESTION_KEYS:
            if key in raw:
                ctx.add(join_path(path, key), "applies to computed questions only "
                        "(type = \"computed\")")
        return question
    for key in NOT_FOR_COMPUTED:
        if key in raw:
            ctx.add(join_path(path, key), f"a computed question cannot have {key!r}: nobody "
                    "answers it; the engine computes it")
    if raw.get("required") is True:
        ctx.add(join_path(path, "required"), "a computed question is never required: nobody "
                "answers it")
    weight = raw.get("weight", 0)
    if not is_number(weight) or weight != 0:
        ctx.add(join_path(path, "weight"), "a computed question is not scored: leave out weight "
                "(or give 0)")
    compute = _compute(ctx, raw, path)
    return dataclasses.replace(question, required=False, weight=0.0, critical=False,
                               allow_na=False, scale=None, compute=compute)


def _compute(ctx: Ctx, raw: Mapping[str, Any], path: str) -> Compute | None:
    cpath = join_path(path, "compute")
    table = raw.get("compute")
    if not isinstance(table, Mapping):
        ctx.add(cpath, "is required for a computed question: a table such as "
                "{ op = \"product\", of = [\"LIKELIHOOD\", \"CONSEQUENCE\"] }",
                "missing" if table is None else "type")
        return None
    unknown_keys(ctx, table, COMPUTE_KEYS, cpath)
    op = table.get("op")
    if op not in OPS:
        ctx.add(join_path(cpath, "op"), f"{op!r} is not an operation ({', '.join(OPS)})",
                "missing" if op is None else "invalid")
    of = table.get("of")
    if not isinstance(of, list) or not of or not all(isinstance(x, str) for x in of):
        ctx.add(join_path(cpath, "of"), "must be a non-empty list of question ids", "type")
        of = []
    for i, qid in enumerate(of):
        if qid in of[:i]:
            ctx.add(f"{join_path(cpath, 'of')}[{i}]", f"{qid!r} is listed twice", "duplicate")
    value = table.get("value")
    if op == "count" and (value is None or isinstance(value, Mapping | list)):
        ctx.add(join_path(cpath, "value"), "count needs value = the answer to count (e.g. \"no\")",
                "missing")
    elif op != "count" and "value" in table:
        ctx.add(join_path(cpath, "value"), "applies to op = \"count\" only")
    return Compute(str(op), tuple(of), value if op == "count" else None,
                   _bands(ctx, raw.get("bands", []), join_path(path, "bands")))


def _bands(ctx: Ctx, raw: Any, path: str) -> tuple[ComputeBand, ...]:
    bands: list[tuple[int, ComputeBand]] = []
    for i, table in enumerate(table_list(ctx, raw, path, "bands")):
        bpath = f"{path}[{i}]"
        unknown_keys(ctx, table, BAND_KEYS, bpath)
        low, high = table.get("low"), table.get("high")
        if not is_number(low) or not is_number(high):
            ctx.add(bpath, "needs numbers low and high (inclusive)", "missing")
            continue
        if low > high:
            ctx.add(join_path(bpath, "low"), f"low {low} is more than high {high}")
            continue
        bands.append((i, ComputeBand(low, high, read_text(ctx, table, "label", bpath, max_len=80))))
    ordered = sorted(bands, key=lambda ib: ib[1].low)
    for (j, before), (i, band) in zip(ordered, ordered[1:], strict=False):
        if band.low <= before.high:
            ctx.add(f"{path}[{i}]", f"{_span(band)} overlaps {path}[{j}] ({_span(before)}): "
                    "bands must not overlap", "overlap")
    return tuple(b for _, b in bands)


def _span(band: ComputeBand) -> str:
    return f"{band.low:g}-{band.high:g}"


def check_section(ctx: Ctx, section: Section, spath: str) -> None:
    """Cross-checks inside one built section: computed inputs, ``row_title``, ``show_if``."""
    where = "row" if section.repeat is not None else "section"
    by_id = {q.id: q for q in section.questions}
    for j, q in enumerate(section.questions):
        qpath = f"{spath}.questions[{j}]"
        if section.repeat is not None and q.show_if is not None:
            ctx.add(join_path(qpath, "show_if"), "is not available in a repeating section")
        if q.compute is not None:
            _check_inputs(ctx, q, by_id, join_path(qpath, "compute"), where)
    if section.repeat is not None and section.repeat.row_title is not None:
        title = by_id.get(section.repeat.row_title)
        if title is None or title.compute is not None:
            ctx.add(join_path(spath, "repeat.row_title"), f"{section.repeat.row_title!r} is not "
                    f"an answered field of this section ({', '.join(by_id) or 'none'})",
                    "unknown-question")


def _check_inputs(ctx: Ctx, q: Question, by_id: Mapping[str, Question], path: str,
                  where: str) -> None:
    assert q.compute is not None
    for i, qid in enumerate(q.compute.of):
        ipath = f"{join_path(path, 'of')}[{i}]"
        source = by_id.get(qid)
        if source is None:
            hint = difflib.get_close_matches(qid, list(by_id), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            ctx.add(ipath, f"no question {qid!r} in the same {where}{more}", "unknown-question")
        elif source.compute is not None:
            ctx.add(ipath, f"{qid!r} is itself computed: compute from answered questions")
        elif q.compute.op != "count" and not numeric(source):
            ctx.add(ipath, f"{qid!r} is not numeric: {q.compute.op} needs numbers or a numeric "
                    "scale")
        elif q.compute.op == "count" and source.scale is not None \
                and not any(o.value == q.compute.value for o in source.scale.options):
            ctx.add(join_path(path, "value"), f"{q.compute.value!r} is not an answer of {qid}")


def numeric(question: Question) -> bool:
    """True when every answer of ``question`` is a number."""
    if question.type is QuestionType.NUMBER:
        return True
    return question.type is not QuestionType.MULTI and question.scale is not None \
        and question.scale.numeric


def check_groups(ctx: Ctx, sections: Sequence[tuple[str, Section]],
                 question_ids: Mapping[str, Any]) -> None:
    """Group ids are unique among groups and never a question id (ids ignore case)."""
    questions = {qid.casefold(): qid for qid in question_ids}
    seen: dict[str, str] = {}
    for spath, section in sections:
        if section.repeat is None or not section.repeat.group:
            continue
        gid = section.repeat.group
        path = join_path(spath, "repeat.group")
        if gid.casefold() in seen:
            ctx.add(path, f"duplicate group id {gid!r} (also {seen[gid.casefold()]})", "duplicate")
        elif gid.casefold() in questions:
            ctx.add(path, f"group id {gid!r} clashes with question {questions[gid.casefold()]!r}",
                    "duplicate")
        seen.setdefault(gid.casefold(), path)
