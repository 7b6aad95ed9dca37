"""Compile a template's optional ``[report]`` table: how answers map onto a provider report.

Kept out of :mod:`qa_tui.templates.compiler` because it only reads questions and scales the
compiler has already checked; every problem is added to the same context, with its dotted path.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from qa_tui.templates.fields import Ctx, join_path, read_text, type_name, unknown_keys
from qa_tui.templates.model import Question, ReportSpec, Scale, ScaleReport

REPORT_KEYS = ("working_days", "people_voice", "escalation_records", "scales", "assurance",
               "assurance_title")
SCALE_REPORT_KEYS = ("strengths", "improvements")
MAX_WORKING_DAYS = 60


def compile_report(ctx: Ctx, raw: Any, scales: Mapping[str, Scale],
                   questions: Mapping[str, Question], ratings: tuple[str, ...]) -> ReportSpec:
    """The :class:`ReportSpec` of ``raw`` (None: all defaults); problems go to ``ctx``."""
    if raw is None:
        return ReportSpec()
    if not isinstance(raw, Mapping):
        ctx.add("report", f"must be a table, not {type_name(raw)}", "type")
        return ReportSpec()
    unknown_keys(ctx, raw, REPORT_KEYS, "report")
    days = raw.get("working_days", 10)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
        ctx.add("report.working_days", f"must be a whole number of days from 1 to "
                f"{MAX_WORKING_DAYS}, not {days!r}")
        days = 10
    return ReportSpec(
        working_days=days,
        people_voice=_question_ids(ctx, raw.get("people_voice", []), questions,
                                   "report.people_voice"),
        escalation_records=_question_ids(ctx, raw.get("escalation_records", []), questions,
                                         "report.escalation_records"),
        scales=MappingProxyType(_scales(ctx, raw.get("scales", {}), scales)),
        assurance=MappingProxyType(_assurance(ctx, raw.get("assurance", {}), ratings)),
        assurance_title=read_text(ctx, raw, "assurance_title", "report", required=False,
                                  max_len=100),
    )


def _question_ids(ctx: Ctx, raw: Any, questions: Mapping[str, Question],
                  path: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        ctx.add(path, "must be a list of question ids", "type")
        return ()
    for i, qid in enumerate(raw):
        if qid not in questions:
            hint = difflib.get_close_matches(qid, list(questions), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            ctx.add(f"{path}[{i}]", f"no question {qid!r}{more}", "unknown-question")
    return tuple(dict.fromkeys(raw))


def _scales(ctx: Ctx, raw: Any, scales: Mapping[str, Scale]) -> dict[str, ScaleReport]:
    if not isinstance(raw, Mapping):
        ctx.add("report.scales", "must be a table of scale ids", "type")
        return {}
    out: dict[str, ScaleReport] = {}
    for name, table in raw.items():
        path = f"report.scales.{name}"
        scale = scales.get(str(name))
        if scale is None:
            hint = difflib.get_close_matches(str(name), list(scales), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            ctx.add(path, f"unknown scale {name!r}{more}", "unknown-scale")
            continue
        if not isinstance(table, Mapping):
            ctx.add(path, f"must be a table, not {type_name(table)}", "type")
            continue
        unknown_keys(ctx, table, SCALE_REPORT_KEYS, path)
        values = {repr(o.value) for o in scale.options}
        picked: list[tuple[Any, ...]] = []
        for key in SCALE_REPORT_KEYS:
            items = table.get(key, [])
            if not isinstance(items, list):
                ctx.add(join_path(path, key), "must be a list of option values", "type")
                items = []
            for i, v in enumerate(items):
                if repr(v) not in values:
                    ctx.add(f"{path}.{key}[{i}]", f"{v!r} is not a value of scale {name}")
            picked.append(tuple(items))
        both = {repr(v) for v in picked[0]} & {repr(v) for v in picked[1]}
        if both:
            ctx.add(path, f"{', '.join(sorted(both))} cannot be both a strength and an improvement")
        out[str(name)] = ScaleReport(picked[0], picked[1])
    return out


def _assurance(ctx: Ctx, raw: Any, ratings: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        ctx.add("report.assurance", "must be a table of rating = \"wording\"", "type")
        return {}
    out: dict[str, str] = {}
    for rating in raw:
        path = f"report.assurance.{rating}"
        if ratings and rating not in ratings:
            ctx.add(path, f"{rating!r} is not a rating of this template "
                    f"({', '.join(ratings)})", "unknown-rating")
        out[str(rating)] = read_text(ctx, raw, rating, "report.assurance", max_len=200)
    return out
