"""Compile a template document into an immutable :class:`Template`, or say everything wrong with it.

A compiler, not a loader: the raw document (from TOML, or from an assessment's JSON snapshot) is
walked once, every problem is collected with its dotted path, and only a document with no
problems becomes a model. Defaults are filled here, never in the document, so the canonical JSON
and hash describe exactly what the author wrote.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from qa_tui.domain import Kind, QuestionType, ScoringMethod
from qa_tui.errors import Problem, TemplateInvalid
from qa_tui.templates.fields import (
    Ctx,
    check_json,
    is_number,
    join_path,
    read_bool,
    read_text,
    table_list,
    type_name,
    unknown_keys,
)
from qa_tui.templates import groups
from qa_tui.templates.model import (
    Condition,
    Option,
    Question,
    Scale,
    Scoring,
    Section,
    Template,
)
from qa_tui.templates.options import compile_options
from qa_tui.templates.report_spec import compile_report
from qa_tui.templates.scoring_rules import RULE_KEYS, SCORING_KEYS, compile_rule

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

TOP_KEYS = ("id", "version", "title", "kind", "description", "source", "notes", "scales",
            "sections", "scoring", "report")
SCALE_KEYS = ("title", "options", "allow_na", "note_required_for")
SECTION_KEYS = ("id", "title", "description", "questions", "repeat")
QUESTION_KEYS = ("id", "text", "type", "scale", "options", "guidance", "evidence_prompt",
                 "required", "weight", "critical", "allow_na", "show_if", "min", "max",
                 *groups.QUESTION_KEYS)
SHOW_IF_KEYS = ("question", "equals", "in", "not_equals", "not_in")

YES_NO = Scale(
    id="yes_no",
    title="Yes or no",
    options=(Option(value="yes", label="Yes", key="y"), Option(value="no", label="No", key="n")),
)


def _scale(ctx: Ctx, scale_id: str, raw: Any, path: str) -> Scale | None:
    if not isinstance(raw, Mapping):
        ctx.add(path, f"must be a table, not {type_name(raw)}", "type")
        return None
    unknown_keys(ctx, raw, SCALE_KEYS, path)
    if not NAME_RE.match(scale_id):
        ctx.add(path, f"scale id {scale_id!r} must be letters, digits, '.', '_' or '-'")
    options = compile_options(ctx, raw.get("options"), join_path(path, "options"))
    needing = raw.get("note_required_for", [])
    values = {repr(o.value) for o in options}
    if not isinstance(needing, list):
        ctx.add(join_path(path, "note_required_for"), "must be a list of option values", "type")
        needing = []
    for i, v in enumerate(needing):
        if repr(v) not in values:
            ctx.add(f"{path}.note_required_for[{i}]", f"{v!r} is not a value of this scale")
    return Scale(
        id=scale_id,
        title=read_text(ctx, raw, "title", path, required=False) or scale_id,
        options=options,
        allow_na=read_bool(ctx, raw, "allow_na", path, False),
        note_required_for=tuple(needing),
    )


def _condition(ctx: Ctx, raw: Any, path: str, earlier: Mapping[str, Question],
               later: set[str]) -> Condition | None:
    if not isinstance(raw, Mapping):
        ctx.add(path, "must be a table such as { question = \"Q1\", equals = \"yes\" }", "type")
        return None
    unknown_keys(ctx, raw, SHOW_IF_KEYS, path)
    target = raw.get("question")
    ops = [k for k in ("equals", "in", "not_equals", "not_in") if k in raw]
    if not isinstance(target, str):
        ctx.add(join_path(path, "question"), "must name an earlier question", "missing")
        return None
    if len(ops) != 1:
        ctx.add(path, "needs exactly one of equals, in, not_equals, not_in")
        return None
    op = ops[0]
    values = raw[op] if op in ("in", "not_in") else [raw[op]]
    if not isinstance(values, list) or not values:
        ctx.add(join_path(path, op), "must be a non-empty list", "type")
        return None
    source = earlier.get(target)
    if source is None:
        if target in later:
            ctx.add(join_path(path, "question"), f"{target!r} comes later; show_if may only look back",
                    "forward-reference")
        else:
            hint = difflib.get_close_matches(target, list(earlier), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            ctx.add(join_path(path, "question"), f"no question {target!r}{more}", "unknown-question")
        return None
    if source.scale is not None:
        allowed = {repr(o.value) for o in source.scale.options}
        for v in values:
            if repr(v) not in allowed:
                ctx.add(join_path(path, op), f"{v!r} is not an answer of {target} "
                        f"(values: {', '.join(repr(o.value) for o in source.scale.options)})")
    return Condition(question=target, values=tuple(values), negate=op.startswith("not_"))


def _question(ctx: Ctx, raw: Mapping[str, Any], path: str, scales: Mapping[str, Scale],
              earlier: Mapping[str, Question], later: set[str]) -> Question | None:
    unknown_keys(ctx, raw, QUESTION_KEYS, path)
    qid = raw.get("id")
    if not isinstance(qid, str) or not NAME_RE.match(qid):
        ctx.add(join_path(path, "id"), "is required: letters, digits, '.', '_' or '-' (e.g. WL1 or W1.2)",
                "missing" if qid is None else "invalid")
        qid = ""
    type_raw = raw.get("type", "scale" if "scale" in raw else None)
    try:
        qtype = QuestionType(type_raw)
    except ValueError:
        choices = ", ".join(t.value for t in QuestionType)
        if type_raw is None:
            ctx.add(join_path(path, "type"), f"is required ({choices}), or give a scale", "missing")
        else:
            ctx.add(join_path(path, "type"), f"{type_raw!r} is not a question type ({choices})")
        return None
    scale: Scale | None = None
    if qtype is QuestionType.SCALE:
        name = raw.get("scale")
        if not isinstance(name, str):
            ctx.add(join_path(path, "scale"), "is required for a scale question", "missing")
        elif name not in scales:
            hint = difflib.get_close_matches(name, list(scales), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else f" (scales: {', '.join(scales) or 'none'})"
            ctx.add(join_path(path, "scale"), f"unknown scale {name!r}{more}", "unknown-scale")
        else:
            scale = scales[name]
    elif qtype in (QuestionType.CHOICE, QuestionType.MULTI):
        if "scale" in raw and isinstance(raw["scale"], str) and raw["scale"] in scales:
            scale = scales[raw["scale"]]
        else:
            opts = compile_options(ctx, raw.get("options"), join_path(path, "options"))
            scale = Scale(id=f"{qid}.options", title=qid, options=opts)
    elif qtype is QuestionType.YES_NO:
        scale = YES_NO
    if scale is not None and qtype is not QuestionType.MULTI and "options" in raw:
        for i, opt in enumerate(scale.options):
            if opt.exclusive:
                ctx.add(f"{join_path(path, 'options')}[{i}].exclusive",
                        "applies to multiple-choice (type = \"multi\") options only")
    weight = raw.get("weight", 1)
    if not is_number(weight) or weight < 0:
        ctx.add(join_path(path, "weight"), f"must be a number of 0 or more, not {weight!r}")
        weight = 1
    bounds: list[float | None] = []
    for key in ("min", "max"):
        value = raw.get(key)
        if value is not None and (qtype is not QuestionType.NUMBER or not is_number(value)):
            ctx.add(join_path(path, key), "applies to number questions only, as a number")
            value = None
        bounds.append(value)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        ctx.add(join_path(path, "min"), f"min {bounds[0]} is greater than max {bounds[1]}")
    show_if = None
    if "show_if" in raw:
        show_if = _condition(ctx, raw["show_if"], join_path(path, "show_if"), earlier, later)
    default_na = scale.allow_na if scale is not None else False
    critical = read_bool(ctx, raw, "critical", path, False)
    if critical and (scale is None or not any(o.concern for o in scale.options)):
        ctx.add(join_path(path, "critical"),
                "a critical question needs answers marked concern = true to flag escalation")
    return groups.finish_question(ctx, raw, path, Question(
        id=qid,
        text=read_text(ctx, raw, "text", path, max_len=2_000),
        type=qtype,
        scale=scale,
        guidance=read_text(ctx, raw, "guidance", path, required=False),
        evidence_prompt=read_text(ctx, raw, "evidence_prompt", path, required=False),
        required=read_bool(ctx, raw, "required", path, qtype is not QuestionType.TEXT),
        weight=float(weight),
        critical=critical,
        allow_na=read_bool(ctx, raw, "allow_na", path, default_na),
        show_if=show_if,
        minimum=bounds[0],
        maximum=bounds[1],
    ))


def compile_template(data: Mapping[str, Any], *, file: str = "<template>",
                     snapshot: bool = False) -> Template:
    """Build a :class:`Template` or raise :class:`TemplateInvalid` listing every problem.

    ``snapshot``: the document is an assessment's (or a return's) frozen copy, written under
    earlier rules. A key that a later rule refuses is then given its default instead, so an
    assessment in progress never stops opening because the rules moved on."""
    ctx = Ctx(file, snapshot=snapshot)
    if not isinstance(data, Mapping):
        raise TemplateInvalid([Problem(file, "", "a template must be a table of keys")])
    try:
        check_json(ctx, data, "")
    except RecursionError:
        raise TemplateInvalid([Problem(file, "", "values are nested too deeply")]) from None
    unknown_keys(ctx, data, TOP_KEYS, "")
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
    section_tables = table_list(ctx, raw_sections, "sections", "sections")
    if isinstance(raw_sections, list) and not raw_sections and "sections" in data:
        ctx.add("sections", "must not be empty", "empty")
    for i, raw_section in enumerate(section_tables):
        spath = f"sections[{i}]"
        unknown_keys(ctx, raw_section, SECTION_KEYS, spath)
        sid = raw_section.get("id")
        if not isinstance(sid, str) or not NAME_RE.match(sid):
            ctx.add(join_path(spath, "id"), "is required: letters, digits, '.', '_' or '-'",
                    "missing" if sid is None else "invalid")
            sid = ""
        elif sid in seen_sections:
            ctx.add(join_path(spath, "id"),
                    f"duplicate section id {sid!r} (also sections[{seen_sections[sid]}])", "duplicate")
        else:
            seen_sections[sid] = i
        questions: list[Question] = []
        repeat = groups.compile_repeat(ctx, raw_section, spath)
        # A repeating section's fields are unique within the group, not the template.
        own, own_where = (seen_questions, where) if repeat is None else ({}, {})
        raw_questions = raw_section.get("questions")
        if raw_questions is None or raw_questions == []:
            ctx.add(join_path(spath, "questions"), "an empty section: add at least one question", "empty")
            raw_questions = []
        for j, raw_q in enumerate(table_list(ctx, raw_questions, join_path(spath, "questions"),
                                              "questions")):
            qpath = f"{spath}.questions[{j}]"
            later = all_ids - set(seen_questions)
            q = _question(ctx, raw_q, qpath, scales, own, later)
            if q is None:
                continue
            if q.id and q.id in own:
                ctx.add(join_path(qpath, "id"), f"duplicate question id {q.id!r} (also {own_where[q.id]})",
                        "duplicate")
                continue
            if q.id:
                own[q.id] = q
                own_where[q.id] = qpath
            questions.append(q)
        sections.append(Section(sid, read_text(ctx, raw_section, "title", spath, max_len=200),
                                read_text(ctx, raw_section, "description", spath, required=False),
                                tuple(questions), repeat))
        groups.check_section(ctx, sections[-1], spath)
    groups.check_groups(ctx, list(zip([f"sections[{i}]" for i in range(len(sections))],
                                      sections, strict=False)), seen_questions)
    all_sections, sections = sections, [s for s in sections if s.repeat is None]

    scored = [q for q in seen_questions.values() if q.scored]
    raw_scoring = data.get("scoring", {"method": "none"})
    if not isinstance(raw_scoring, Mapping):
        ctx.add("scoring", "must be a table", "type")
        raw_scoring = {"method": "none"}
    unknown_keys(ctx, raw_scoring, SCORING_KEYS, "scoring")
    by_section = [[q for q in sec.questions if q.scored] for sec in sections]
    section_rule = compile_rule(ctx, raw_scoring, "scoring", scales, scored, level="section",
                                sections=by_section)
    raw_overall = raw_scoring.get("overall")
    if raw_overall is None:
        overall_rule = section_rule
    elif not isinstance(raw_overall, Mapping):
        ctx.add("scoring.overall", "must be a table", "type")
        overall_rule = section_rule
    else:
        unknown_keys(ctx, raw_overall, RULE_KEYS, "scoring.overall")
        merged = {k: v for k, v in raw_scoring.items() if k in RULE_KEYS and k != "limiters"}
        method = raw_overall.get("method", merged.get("method", "none"))
        if method != ScoringMethod.PERCENT_BANDS.value:
            # The section's percent bands mean nothing to another method, and total bands
            # never carry over: the overall total reaches further than any section's.
            merged.pop("bands", None)
        if method == ScoringMethod.CQC_AGGREGATE.value:
            merged.pop("scale", None)  # overall cqc_aggregate combines section ratings unless
            # [scoring.overall] itself names a scale (then it combines the answers)
        merged.update(raw_overall)
        overall_rule = compile_rule(ctx, merged, "scoring.overall", scales, scored, level="overall",
                             inner=section_rule)

    provisional_below = _read_percent(ctx, raw_scoring, "provisional_below", "scoring", 80)
    ratings = tuple(dict.fromkeys(section_rule.ratings() + overall_rule.ratings()))
    report = compile_report(ctx, data.get("report"), scales, seen_questions, ratings)
    for name in ("title", "description", "source", "notes"):
        read_text(ctx, data, name, "", required=name in ("title", "description", "source"),
              max_len=200 if name == "title" else 20_000)
    if ctx.problems:
        raise TemplateInvalid(ctx.problems)
    return Template(
        id=str(tid),
        version=str(version).strip(),
        title=read_text(ctx, data, "title", ""),
        kind=kind,
        description=read_text(ctx, data, "description", ""),
        source=read_text(ctx, data, "source", ""),
        notes=read_text(ctx, data, "notes", "", required=False),
        scales=MappingProxyType(scales),
        sections=tuple(sections),
        all_sections=tuple(all_sections),
        scoring=Scoring(section_rule, overall_rule,
                        read_text(ctx, raw_scoring, "description", "scoring", required=False),
                        provisional_below),
        report=report,
        data=MappingProxyType(dict(data)),
    )


def _read_percent(ctx: Ctx, table: Mapping[str, Any], key: str, path: str, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        ctx.add(join_path(path, key), f"must be a whole percent from 0 to 100, not {value!r}", "type")
        return default
    return value


def _all_question_ids(raw_sections: Any) -> set[str]:
    ids: set[str] = set()
    if isinstance(raw_sections, list):
        for section in raw_sections:
            if isinstance(section, Mapping) and isinstance(section.get("questions"), list):
                ids.update(q["id"] for q in section["questions"]
                           if isinstance(q, Mapping) and isinstance(q.get("id"), str))
    return ids

