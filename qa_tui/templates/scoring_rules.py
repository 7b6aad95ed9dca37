"""Compile the ``scoring`` table: methods, band tables and limiters, checked against the scales.

Bands must be contiguous whole numbers that reach down to the lowest score the template's
questions can give and up to the highest: whole percents ending at 100 for ``percent_bands``,
whole points ending at the most a section (or the whole template) can total for
``total_bands``. ``cqc_aggregate`` needs exactly four ratings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from qa_tui.domain import ScoringMethod
from qa_tui.templates.fields import (
    Ctx,
    check_unique,
    join_path,
    read_text,
    table_list,
    unknown_keys,
)
from qa_tui.templates.model import Band, Limiter, Question, Scale, ScoringRule

RULE_KEYS = ("method", "bands", "limiters", "scale")
SCORING_KEYS = (*RULE_KEYS, "description", "overall", "provisional_below")
BAND_KEYS = ("low", "high", "rating", "description")
LIMITER_KEYS = ("values", "cap")


def compile_bands(ctx: Ctx, raw: Any, path: str, floor_pct: int, *, ceiling: int = 100,
                  unit: str = "percent") -> tuple[Band, ...]:
    """Bands over ``floor_pct``..``ceiling`` in whole ``unit``s (percent, or points)."""
    items = table_list(ctx, raw, path, "bands")
    bands: list[Band] = []
    for i, item in enumerate(items):
        bpath = f"{path}[{i}]"
        unknown_keys(ctx, item, BAND_KEYS, bpath)
        ends: list[int] = []
        for key in ("low", "high"):
            value = item.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= ceiling:
                ctx.add(join_path(bpath, key),
                        f"must be a whole {unit} from 0 to {ceiling}, not {value!r}")
            else:
                ends.append(value)
        rating = read_text(ctx, item, "rating", bpath, max_len=100)
        if len(ends) != 2:
            continue
        low, high = ends
        if low > high:
            ctx.add(bpath, f"low {low} is above high {high}", "bad-band")
            continue
        bands.append(Band(low, high, rating, read_text(ctx, item, "description", bpath,
                                                    required=False)))
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered != bands:
        ctx.add(path, "bands must be listed from the lowest to the highest", "bad-band")
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.low <= a.high:
            ctx.add(path, f"bands overlap: {a.rating} {a.low}-{a.high} and {b.rating} {b.low}-{b.high}",
                    "bad-band")
        elif b.low > a.high + 1:
            ctx.add(path, f"bands leave a gap: nothing covers {a.high + 1}-{b.low - 1}", "bad-band")
    if ordered:
        if ordered[-1].high != ceiling:
            ctx.add(path, f"the top band must end at {ceiling}, not {ordered[-1].high}", "bad-band")
        if ordered[0].low > floor_pct:
            low_text = f"{floor_pct}%" if unit == "percent" else f"{floor_pct} points"
            ctx.add(path, f"the lowest band starts at {ordered[0].low} but a score can be as low "
                    f"as {low_text}", "bad-band")
    check_unique(ctx, path, "rating", [(i, b.rating.casefold()) for i, b in enumerate(bands)])
    return tuple(bands)


def total_range(scored: list[Question], sections: list[list[Question]] | None) -> tuple[int, int]:
    """The lowest and highest totals a level can reach: over every scored question for the
    overall rating, or the widest section for section ratings."""
    def bounds(questions: list[Question]) -> tuple[float, float]:
        return (sum(q.scale.min_value * q.weight for q in questions if q.scale is not None),
                sum(q.scale.max_value * q.weight for q in questions if q.scale is not None))
    pools = [p for p in (sections or [scored]) if p]
    ranges = [bounds(p) for p in pools] or [(0.0, 0.0)]
    return (math.floor(min(lo for lo, _ in ranges)),
            math.floor(max(hi for _, hi in ranges) + 0.5))


def compile_rule(ctx: Ctx, raw: Mapping[str, Any], path: str, scales: Mapping[str, Scale],
          scored: list[Question], *, level: str,
          inner: ScoringRule | None = None,
          sections: list[list[Question]] | None = None) -> ScoringRule:
    """``sections``: the scored questions of each section, for ``total_bands`` at section level."""
    try:
        method = ScoringMethod(raw.get("method", "none"))
    except ValueError:
        choices = ", ".join(m.value for m in ScoringMethod)
        ctx.add(join_path(path, "method"), f"{raw.get('method')!r} is not a scoring method ({choices})")
        return ScoringRule(ScoringMethod.NONE)
    if method is ScoringMethod.NONE:
        return ScoringRule(method)
    if not scored:
        ctx.add(join_path(path, "method"), f"{method.value} needs scored questions (scale questions "
                "with numeric values and a weight above 0); use method = \"none\"")
        return ScoringRule(ScoringMethod.NONE)
    floor = min(math.floor(100 * q.scale.min_value / q.scale.max_value) if q.scale and
                q.scale.max_value > 0 else 0 for q in scored)
    bands: tuple[Band, ...] = ()
    scale: Scale | None = None
    if method in (ScoringMethod.PERCENT_BANDS, ScoringMethod.TOTAL_BANDS):
        if "bands" not in raw:
            ctx.add(join_path(path, "bands"), f"{method.value} needs a band table", "missing")
        elif method is ScoringMethod.PERCENT_BANDS:
            bands = compile_bands(ctx, raw["bands"], join_path(path, "bands"), floor)
        else:
            low, high = total_range(scored, sections if level == "section" else None)
            bands = compile_bands(ctx, raw["bands"], join_path(path, "bands"), low, ceiling=high,
                                  unit="number of points")
    elif "bands" in raw:
        ctx.add(join_path(path, "bands"),
                f"bands apply to percent_bands and total_bands only, not {method.value}")
    if method in (ScoringMethod.MEAN, ScoringMethod.WORST) or (
            method is ScoringMethod.CQC_AGGREGATE and (level == "section" or inner is None
                                                       or not inner.ratings() or "scale" in raw)):
        name = raw.get("scale")
        used = {q.scale.id for q in scored if q.scale is not None}
        if name is None and len(used) == 1:
            name = next(iter(used))
        if name is None:
            ctx.add(join_path(path, "scale"), f"{method.value} needs the scale whose labels name "
                    "the rating (scored questions use several)", "missing")
        elif name not in scales:
            ctx.add(join_path(path, "scale"), f"unknown scale {name!r}", "unknown-scale")
        else:
            scale = scales[name]
    rule = ScoringRule(method, bands=bands, scale=scale)
    if method is ScoringMethod.CQC_AGGREGATE:
        ratings = rule.ratings() if (level == "section" or scale is not None) else (
            inner.ratings() if inner else ())
        if len(ratings) != 4:
            ctx.add(join_path(path, "method"), "cqc_aggregate needs exactly four ratings from worst "
                    f"to best (Inadequate .. Outstanding); found {len(ratings)}")
    limiters: list[Limiter] = []
    for i, item in enumerate(table_list(ctx, raw.get("limiters", []), join_path(path, "limiters"),
                                         "limiters")):
        lpath = f"{path}.limiters[{i}]"
        unknown_keys(ctx, item, LIMITER_KEYS, lpath)
        values = item.get("values")
        cap = read_text(ctx, item, "cap", lpath)
        names = rule.ratings() or (inner.ratings() if inner else ())
        if cap and cap not in names:
            ctx.add(join_path(lpath, "cap"), f"{cap!r} is not one of the ratings ({', '.join(names)})")
        if not isinstance(values, list) or not values:
            ctx.add(join_path(lpath, "values"), "must be a non-empty list of answer values")
            continue
        limiters.append(Limiter(tuple(values), cap))
    return ScoringRule(method, bands=bands, limiters=tuple(limiters), scale=scale)
