"""Compile a template document into an immutable :class:`Template`, or say everything wrong with it.

A compiler, not a loader: the raw document (from TOML, or from an assessment's JSON snapshot) is
walked once, every problem is collected with its dotted path, and only a document with no
problems becomes a model. Defaults are filled here, never in the document, so the canonical JSON
and hash describe exactly what the author wrote.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from qa_tui.domain import Kind, QuestionType, ScoringMethod
from qa_tui.errors import Problem, TemplateInvalid
from qa_tui.templates.model import (
    Band,
    Condition,
    Limiter,
    Option,
    Question,
    Scale,
    Scoring,
    ScoringRule,
    Section,
    Template,
)

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
KEY_RE = re.compile(r"^[1-9a-z]$")
RESERVED_KEYS = frozenset("jknearuxq0")
"""Keys the assessment screen uses to move around; an option may not take them."""

TOP_KEYS = ("id", "version", "title", "kind", "description", "source", "notes", "scales",
            "sections", "scoring")
SCALE_KEYS = ("title", "options", "allow_na", "note_required_for")
OPTION_KEYS = ("value", "label", "key", "description", "concern")
SECTION_KEYS = ("id", "title", "description", "questions")
QUESTION_KEYS = ("id", "text", "type", "scale", "options", "guidance", "evidence_prompt",
                 "required", "weight", "critical", "allow_na", "show_if", "min", "max")
SHOW_IF_KEYS = ("question", "equals", "in", "not_equals", "not_in")
RULE_KEYS = ("method", "bands", "limiters", "scale")
SCORING_KEYS = (*RULE_KEYS, "description", "overall")
BAND_KEYS = ("low", "high", "rating", "description")
LIMITER_KEYS = ("values", "cap")

YES_NO = Scale(
    id="yes_no",
    title="Yes or no",
    options=(Option(value="yes", label="Yes", key="1"), Option(value="no", label="No", key="2")),
)


@dataclass
class _Ctx:
    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(self.file, path, message, code))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _unknown_keys(ctx: _Ctx, table: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in table:
        if key in allowed:
            continue
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else f" (expected one of: {', '.join(allowed)})"
        ctx.add(_join(path, str(key)), f"unknown key {key!r}{suffix}", "unknown-key")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text(ctx: _Ctx, table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
          max_len: int = 20_000) -> str:
    value = table.get(key)
    if value is None:
        if required:
            ctx.add(_join(path, key), "is required", "missing")
        return ""
    if not isinstance(value, str):
        ctx.add(_join(path, key), f"must be text, not {_type_name(value)}", "type")
        return ""
    if required and not value.strip():
        ctx.add(_join(path, key), "must not be empty", "empty")
    if len(value) > max_len:
        ctx.add(_join(path, key), f"is too long ({len(value)} characters; at most {max_len})")
    bad = next((ch for ch in value if ch not in "\n\t" and unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        ctx.add(_join(path, key), f"contains a control character (U+{ord(bad):04X}); "
                "terminals would act on it")
    return value.strip()


def _bool(ctx: _Ctx, table: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        ctx.add(_join(path, key), f"must be true or false, not {_type_name(value)}", "type")
        return default
    return value


def _type_name(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _table_list(ctx: _Ctx, value: Any, path: str, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        ctx.add(path, f"must be a list of {what}, not {_type_name(value)}", "type")
        return []
    good = []
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            good.append(item)
        else:
            ctx.add(f"{path}[{i}]", f"must be a table, not {_type_name(item)}", "type")
            good.append({})
    return good


def _check_json(ctx: _Ctx, value: Any, path: str) -> None:
    """Refuse values JSON cannot carry (TOML dates and times), so snapshots round-trip exactly."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            _check_json(ctx, v, _join(path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_json(ctx, v, f"{path}[{i}]")
    elif isinstance(value, float) and not math.isfinite(value):
        ctx.add(path, "numbers must be finite", "type")
    elif value is not None and not isinstance(value, str | int | float | bool):
        ctx.add(path, f"{type(value).__name__} values are not allowed (write dates as text)", "type")


def _options(ctx: _Ctx, raw: Any, path: str, *, digit_keys_by_value: bool) -> tuple[Option, ...]:
    """Options of a scale or an inline choice list; plain strings are shorthand for labels."""
    if not isinstance(raw, list) or not raw:
        ctx.add(path, "must be a non-empty list of options", "empty" if raw == [] else "type")
        return ()
    if len(raw) > 9:
        ctx.add(path, f"has {len(raw)} options; at most 9 (one digit key each)")
    options: list[Option] = []
    for i, item in enumerate(raw):
        opath = f"{path}[{i}]"
        if isinstance(item, str):
            item = {"value": item, "label": item}
        if not isinstance(item, Mapping):
            ctx.add(opath, f"must be a table or text, not {_type_name(item)}", "type")
            continue
        _unknown_keys(ctx, item, OPTION_KEYS, opath)
        value = item.get("value")
        if value is None:
            ctx.add(_join(opath, "value"), "is required", "missing")
        elif not (_is_number(value) or isinstance(value, str)):
            ctx.add(_join(opath, "value"), f"must be a number or text, not {_type_name(value)}",
                    "type")
        label = _text(ctx, item, "label", opath, max_len=200)
        key = item.get("key")
        options.append(Option(
            value=value,
            label=label,
            key=key if isinstance(key, str) else "",
            description=_text(ctx, item, "description", opath, required=False),
            concern=_bool(ctx, item, "concern", opath, False),
        ))
    digit_valued = all(isinstance(o.value, int) and not isinstance(o.value, bool)
                       and 1 <= o.value <= 9 for o in options)
    resolved: list[Option] = []
    for i, opt in enumerate(options):
        key = opt.key
        if not key:
            key = str(opt.value) if digit_valued and digit_keys_by_value else str(i + 1)
        elif not KEY_RE.match(key):
            ctx.add(f"{path}[{i}].key", f"{key!r} must be one character, 1-9 or a-z")
        elif key in RESERVED_KEYS:
            ctx.add(f"{path}[{i}].key",
                    f"{key!r} is reserved for moving around an assessment (j k n e a r u x q 0)")
        elif digit_valued and key.isdigit() and key != str(opt.value):
            ctx.add(f"{path}[{i}].key",
                    f"key {key!r} differs from the option's value {opt.value}; on a 1-9 scale a "
                    "digit means that value")
        resolved.append(Option(opt.value, opt.label, key, opt.description, opt.concern))
    _unique(ctx, path, "value", [(i, repr(o.value)) for i, o in enumerate(resolved)
                                 if o.value is not None])
    _unique(ctx, path, "label", [(i, o.label.casefold()) for i, o in enumerate(resolved) if o.label])
    _unique(ctx, path, "key", [(i, o.key) for i, o in enumerate(resolved)])
    return tuple(resolved)


def _unique(ctx: _Ctx, path: str, what: str, items: list[tuple[int, str]]) -> None:
    seen: dict[str, int] = {}
    for i, value in items:
        if value in seen:
            ctx.add(f"{path}[{i}].{what}", f"duplicate {what} {value} (also at {path}[{seen[value]}])",
                    "duplicate")
        else:
            seen[value] = i


def _scale(ctx: _Ctx, scale_id: str, raw: Any, path: str) -> Scale | None:
    if not isinstance(raw, Mapping):
        ctx.add(path, f"must be a table, not {_type_name(raw)}", "type")
        return None
    _unknown_keys(ctx, raw, SCALE_KEYS, path)
    if not NAME_RE.match(scale_id):
        ctx.add(path, f"scale id {scale_id!r} must be letters, digits, '.', '_' or '-'")
    options = _options(ctx, raw.get("options"), _join(path, "options"), digit_keys_by_value=True)
    needing = raw.get("note_required_for", [])
    values = {repr(o.value) for o in options}
    if not isinstance(needing, list):
        ctx.add(_join(path, "note_required_for"), "must be a list of option values", "type")
        needing = []
    for i, v in enumerate(needing):
        if repr(v) not in values:
            ctx.add(f"{path}.note_required_for[{i}]", f"{v!r} is not a value of this scale")
    return Scale(
        id=scale_id,
        title=_text(ctx, raw, "title", path, required=False) or scale_id,
        options=options,
        allow_na=_bool(ctx, raw, "allow_na", path, False),
        note_required_for=tuple(needing),
    )


def _condition(ctx: _Ctx, raw: Any, path: str, earlier: Mapping[str, Question],
               later: set[str]) -> Condition | None:
    if not isinstance(raw, Mapping):
        ctx.add(path, "must be a table such as { question = \"Q1\", equals = \"yes\" }", "type")
        return None
    _unknown_keys(ctx, raw, SHOW_IF_KEYS, path)
    target = raw.get("question")
    ops = [k for k in ("equals", "in", "not_equals", "not_in") if k in raw]
    if not isinstance(target, str):
        ctx.add(_join(path, "question"), "must name an earlier question", "missing")
        return None
    if len(ops) != 1:
        ctx.add(path, "needs exactly one of equals, in, not_equals, not_in")
        return None
    op = ops[0]
    values = raw[op] if op in ("in", "not_in") else [raw[op]]
    if not isinstance(values, list) or not values:
        ctx.add(_join(path, op), "must be a non-empty list", "type")
        return None
    source = earlier.get(target)
    if source is None:
        if target in later:
            ctx.add(_join(path, "question"), f"{target!r} comes later; show_if may only look back",
                    "forward-reference")
        else:
            hint = difflib.get_close_matches(target, list(earlier), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            ctx.add(_join(path, "question"), f"no question {target!r}{more}", "unknown-question")
        return None
    if source.scale is not None:
        allowed = {repr(o.value) for o in source.scale.options}
        for v in values:
            if repr(v) not in allowed:
                ctx.add(_join(path, op), f"{v!r} is not an answer of {target} "
                        f"(values: {', '.join(repr(o.value) for o in source.scale.options)})")
    return Condition(question=target, values=tuple(values), negate=op.startswith("not_"))


def _question(ctx: _Ctx, raw: Mapping[str, Any], path: str, scales: Mapping[str, Scale],
              earlier: Mapping[str, Question], later: set[str]) -> Question | None:
    _unknown_keys(ctx, raw, QUESTION_KEYS, path)
    qid = raw.get("id")
    if not isinstance(qid, str) or not NAME_RE.match(qid):
        ctx.add(_join(path, "id"), "is required: letters, digits, '.', '_' or '-' (e.g. WL1 or W1.2)",
                "missing" if qid is None else "invalid")
        qid = ""
    type_raw = raw.get("type", "scale" if "scale" in raw else None)
    try:
        qtype = QuestionType(type_raw)
    except ValueError:
        choices = ", ".join(t.value for t in QuestionType)
        if type_raw is None:
            ctx.add(_join(path, "type"), f"is required ({choices}), or give a scale", "missing")
        else:
            ctx.add(_join(path, "type"), f"{type_raw!r} is not a question type ({choices})")
        return None
    scale: Scale | None = None
    if qtype is QuestionType.SCALE:
        name = raw.get("scale")
        if not isinstance(name, str):
            ctx.add(_join(path, "scale"), "is required for a scale question", "missing")
        elif name not in scales:
            hint = difflib.get_close_matches(name, list(scales), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else f" (scales: {', '.join(scales) or 'none'})"
            ctx.add(_join(path, "scale"), f"unknown scale {name!r}{more}", "unknown-scale")
        else:
            scale = scales[name]
    elif qtype in (QuestionType.CHOICE, QuestionType.MULTI):
        if "scale" in raw and isinstance(raw["scale"], str) and raw["scale"] in scales:
            scale = scales[raw["scale"]]
        else:
            opts = _options(ctx, raw.get("options"), _join(path, "options"), digit_keys_by_value=False)
            scale = Scale(id=f"{qid}.options", title=qid, options=opts)
    elif qtype is QuestionType.YES_NO:
        scale = YES_NO
    weight = raw.get("weight", 1)
    if not _is_number(weight) or weight < 0:
        ctx.add(_join(path, "weight"), f"must be a number of 0 or more, not {weight!r}")
        weight = 1
    bounds: list[float | None] = []
    for key in ("min", "max"):
        value = raw.get(key)
        if value is not None and (qtype is not QuestionType.NUMBER or not _is_number(value)):
            ctx.add(_join(path, key), "applies to number questions only, as a number")
            value = None
        bounds.append(value)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        ctx.add(_join(path, "min"), f"min {bounds[0]} is greater than max {bounds[1]}")
    show_if = None
    if "show_if" in raw:
        show_if = _condition(ctx, raw["show_if"], _join(path, "show_if"), earlier, later)
    default_na = scale.allow_na if scale is not None else False
    critical = _bool(ctx, raw, "critical", path, False)
    if critical and (scale is None or not any(o.concern for o in scale.options)):
        ctx.add(_join(path, "critical"),
                "a critical question needs answers marked concern = true to flag escalation")
    return Question(
        id=qid,
        text=_text(ctx, raw, "text", path, max_len=2_000),
        type=qtype,
        scale=scale,
        guidance=_text(ctx, raw, "guidance", path, required=False),
        evidence_prompt=_text(ctx, raw, "evidence_prompt", path, required=False),
        required=_bool(ctx, raw, "required", path, qtype is not QuestionType.TEXT),
        weight=float(weight),
        critical=critical,
        allow_na=_bool(ctx, raw, "allow_na", path, default_na),
        show_if=show_if,
        minimum=bounds[0],
        maximum=bounds[1],
    )


def _bands(ctx: _Ctx, raw: Any, path: str, floor_pct: int) -> tuple[Band, ...]:
    items = _table_list(ctx, raw, path, "bands")
    bands: list[Band] = []
    for i, item in enumerate(items):
        bpath = f"{path}[{i}]"
        _unknown_keys(ctx, item, BAND_KEYS, bpath)
        ends: list[int] = []
        for key in ("low", "high"):
            value = item.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
                ctx.add(_join(bpath, key), f"must be a whole percent from 0 to 100, not {value!r}")
            else:
                ends.append(value)
        rating = _text(ctx, item, "rating", bpath, max_len=100)
        if len(ends) != 2:
            continue
        low, high = ends
        if low > high:
            ctx.add(bpath, f"low {low} is above high {high}", "bad-band")
            continue
        bands.append(Band(low, high, rating, _text(ctx, item, "description", bpath,
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
        if ordered[-1].high != 100:
            ctx.add(path, f"the top band must end at 100, not {ordered[-1].high}", "bad-band")
        if ordered[0].low > floor_pct:
            ctx.add(path, f"the lowest band starts at {ordered[0].low} but a score can be as low "
                    f"as {floor_pct}%", "bad-band")
    _unique(ctx, path, "rating", [(i, b.rating.casefold()) for i, b in enumerate(bands)])
    return tuple(bands)


def _rule(ctx: _Ctx, raw: Mapping[str, Any], path: str, scales: Mapping[str, Scale],
          scored: list[Question], *, level: str,
          inner: ScoringRule | None = None) -> ScoringRule:
    try:
        method = ScoringMethod(raw.get("method", "none"))
    except ValueError:
        choices = ", ".join(m.value for m in ScoringMethod)
        ctx.add(_join(path, "method"), f"{raw.get('method')!r} is not a scoring method ({choices})")
        return ScoringRule(ScoringMethod.NONE)
    if method is ScoringMethod.NONE:
        return ScoringRule(method)
    if not scored:
        ctx.add(_join(path, "method"), f"{method.value} needs scored questions (scale questions "
                "with numeric values and a weight above 0); use method = \"none\"")
        return ScoringRule(ScoringMethod.NONE)
    floor = min(math.floor(100 * q.scale.min_value / q.scale.max_value) if q.scale and
                q.scale.max_value > 0 else 0 for q in scored)
    bands: tuple[Band, ...] = ()
    scale: Scale | None = None
    if method is ScoringMethod.PERCENT_BANDS:
        if "bands" not in raw:
            ctx.add(_join(path, "bands"), "percent_bands needs a band table", "missing")
        else:
            bands = _bands(ctx, raw["bands"], _join(path, "bands"), floor)
    elif "bands" in raw:
        ctx.add(_join(path, "bands"), f"bands apply to percent_bands only, not {method.value}")
    if method in (ScoringMethod.MEAN, ScoringMethod.WORST) or (
            method is ScoringMethod.CQC_AGGREGATE and (level == "section" or inner is None
                                                       or not inner.ratings() or "scale" in raw)):
        name = raw.get("scale")
        used = {q.scale.id for q in scored if q.scale is not None}
        if name is None and len(used) == 1:
            name = next(iter(used))
        if name is None:
            ctx.add(_join(path, "scale"), f"{method.value} needs the scale whose labels name "
                    "the rating (scored questions use several)", "missing")
        elif name not in scales:
            ctx.add(_join(path, "scale"), f"unknown scale {name!r}", "unknown-scale")
        else:
            scale = scales[name]
    rule = ScoringRule(method, bands=bands, scale=scale)
    if method is ScoringMethod.CQC_AGGREGATE:
        ratings = rule.ratings() if (level == "section" or scale is not None) else (
            inner.ratings() if inner else ())
        if len(ratings) != 4:
            ctx.add(_join(path, "method"), "cqc_aggregate needs exactly four ratings from worst "
                    f"to best (Inadequate .. Outstanding); found {len(ratings)}")
    limiters: list[Limiter] = []
    for i, item in enumerate(_table_list(ctx, raw.get("limiters", []), _join(path, "limiters"),
                                         "limiters")):
        lpath = f"{path}.limiters[{i}]"
        _unknown_keys(ctx, item, LIMITER_KEYS, lpath)
        values = item.get("values")
        cap = _text(ctx, item, "cap", lpath)
        names = rule.ratings() or (inner.ratings() if inner else ())
        if cap and cap not in names:
            ctx.add(_join(lpath, "cap"), f"{cap!r} is not one of the ratings ({', '.join(names)})")
        if not isinstance(values, list) or not values:
            ctx.add(_join(lpath, "values"), "must be a non-empty list of answer values")
            continue
        limiters.append(Limiter(tuple(values), cap))
    return ScoringRule(method, bands=bands, limiters=tuple(limiters), scale=scale)


def compile_template(data: Mapping[str, Any], *, file: str = "<template>") -> Template:
    """Build a :class:`Template` or raise :class:`TemplateInvalid` listing every problem."""
    ctx = _Ctx(file)
    if not isinstance(data, Mapping):
        raise TemplateInvalid([Problem(file, "", "a template must be a table of keys")])
    try:
        _check_json(ctx, data, "")
    except RecursionError:
        raise TemplateInvalid([Problem(file, "", "values are nested too deeply")]) from None
    _unknown_keys(ctx, data, TOP_KEYS, "")
    tid = data.get("id")
    if tid is None:
        ctx.add("id", "is required: lower-case words joined by '-' (e.g. cqc-saf-well-led)",
                "missing")
    elif not isinstance(tid, str) or not ID_RE.match(tid):
        ctx.add("id", f"{tid!r} is not a template id: use lower-case words joined by '-' "
                "(e.g. cqc-saf-well-led)")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        ctx.add("version", "is required as text (e.g. \"1.0\")", "missing")
    try:
        kind = Kind(str(data.get("kind")))
    except ValueError:
        if data.get("kind") is None:
            ctx.add("kind", "is required: visit or self-assessment", "missing")
        else:
            ctx.add("kind", f"{data.get('kind')!r} is not a kind (visit, self-assessment)")
        kind = Kind.SELF_ASSESSMENT

    scales: dict[str, Scale] = {}
    raw_scales = data.get("scales", {})
    if not isinstance(raw_scales, Mapping):
        ctx.add("scales", "must be a table of named scales", "type")
        raw_scales = {}
    for name, raw in raw_scales.items():
        scale = _scale(ctx, str(name), raw, f"scales.{name}")
        if scale is not None:
            scales[str(name)] = scale

    all_ids = _all_question_ids(data.get("sections"))
    sections: list[Section] = []
    seen_questions: dict[str, Question] = {}
    seen_sections: dict[str, int] = {}
    where: dict[str, str] = {}
    raw_sections = data.get("sections")
    if raw_sections is None:
        ctx.add("sections", "is required: a template needs at least one section", "missing")
        raw_sections = []
    section_tables = _table_list(ctx, raw_sections, "sections", "sections")
    if isinstance(raw_sections, list) and not raw_sections and "sections" in data:
        ctx.add("sections", "must not be empty", "empty")
    for i, raw_section in enumerate(section_tables):
        spath = f"sections[{i}]"
        _unknown_keys(ctx, raw_section, SECTION_KEYS, spath)
        sid = raw_section.get("id")
        if not isinstance(sid, str) or not NAME_RE.match(sid):
            ctx.add(_join(spath, "id"), "is required: letters, digits, '.', '_' or '-'",
                    "missing" if sid is None else "invalid")
            sid = ""
        elif sid in seen_sections:
            ctx.add(_join(spath, "id"), f"duplicate section id {sid!r} (also sections[{seen_sections[sid]}])",
                    "duplicate")
        else:
            seen_sections[sid] = i
        questions: list[Question] = []
        raw_questions = raw_section.get("questions")
        if raw_questions is None or raw_questions == []:
            ctx.add(_join(spath, "questions"), "an empty section: add at least one question", "empty")
            raw_questions = []
        for j, raw_q in enumerate(_table_list(ctx, raw_questions, _join(spath, "questions"),
                                              "questions")):
            qpath = f"{spath}.questions[{j}]"
            later = all_ids - set(seen_questions)
            q = _question(ctx, raw_q, qpath, scales, seen_questions, later)
            if q is None:
                continue
            if q.id and q.id in seen_questions:
                ctx.add(_join(qpath, "id"), f"duplicate question id {q.id!r} (also {where[q.id]})",
                        "duplicate")
                continue
            if q.id:
                seen_questions[q.id] = q
                where[q.id] = qpath
            questions.append(q)
        sections.append(Section(sid, _text(ctx, raw_section, "title", spath, max_len=200),
                                _text(ctx, raw_section, "description", spath, required=False),
                                tuple(questions)))

    scored = [q for q in seen_questions.values() if q.scored]
    raw_scoring = data.get("scoring", {"method": "none"})
    if not isinstance(raw_scoring, Mapping):
        ctx.add("scoring", "must be a table", "type")
        raw_scoring = {"method": "none"}
    _unknown_keys(ctx, raw_scoring, SCORING_KEYS, "scoring")
    section_rule = _rule(ctx, raw_scoring, "scoring", scales, scored, level="section")
    raw_overall = raw_scoring.get("overall")
    if raw_overall is None:
        overall_rule = section_rule
    elif not isinstance(raw_overall, Mapping):
        ctx.add("scoring.overall", "must be a table", "type")
        overall_rule = section_rule
    else:
        _unknown_keys(ctx, raw_overall, RULE_KEYS, "scoring.overall")
        merged = {k: v for k, v in raw_scoring.items() if k in RULE_KEYS and k != "limiters"}
        method = raw_overall.get("method", merged.get("method", "none"))
        if method != ScoringMethod.PERCENT_BANDS.value:
            merged.pop("bands", None)  # the section's bands mean nothing to another method
        if method == ScoringMethod.CQC_AGGREGATE.value:
            merged.pop("scale", None)  # overall cqc_aggregate combines section ratings unless
            # [scoring.overall] itself names a scale (then it combines the answers)
        merged.update(raw_overall)
        overall_rule = _rule(ctx, merged, "scoring.overall", scales, scored, level="overall",
                             inner=section_rule)

    for name in ("title", "description", "source", "notes"):
        _text(ctx, data, name, "", required=name in ("title", "description", "source"),
              max_len=200 if name == "title" else 20_000)
    if ctx.problems:
        raise TemplateInvalid(ctx.problems)
    return Template(
        id=str(tid),
        version=str(version).strip(),
        title=_text(ctx, data, "title", ""),
        kind=kind,
        description=_text(ctx, data, "description", ""),
        source=_text(ctx, data, "source", ""),
        notes=_text(ctx, data, "notes", "", required=False),
        scales=MappingProxyType(scales),
        sections=tuple(sections),
        scoring=Scoring(section_rule, overall_rule,
                        _text(ctx, raw_scoring, "description", "scoring", required=False)),
        data=MappingProxyType(dict(data)),
    )


def _all_question_ids(raw_sections: Any) -> set[str]:
    ids: set[str] = set()
    if isinstance(raw_sections, list):
        for section in raw_sections:
            if isinstance(section, Mapping) and isinstance(section.get("questions"), list):
                ids.update(q["id"] for q in section["questions"]
                           if isinstance(q, Mapping) and isinstance(q.get("id"), str))
    return ids

