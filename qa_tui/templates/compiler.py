"""Compile a template document into an immutable :class:`Template`, or say everything wrong with it.

A compiler, not a loader: the raw document (from TOML, or from an assessment's JSON snapshot) is
walked once, every problem is collected with its dotted path and :class:`ProblemCode`, and only
a document with no problems becomes a model. Defaults are filled here, never in the document, so
the canonical JSON and hash describe exactly what the author wrote.

:func:`compile_template` runs the stages in document order, each a small function that reads
its part and records its problems: the document itself, the header (id, version, kind), the
scales, the sections and their questions (with ``show_if`` conditions), the scoring rules, the
report, and the header's texts. Problems come out in that order.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from qa_tui.domain import Kind, QuestionType, ScoringMethod
from qa_tui.errors import Problem, ProblemCode, TemplateInvalid
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
    ScoringRule,
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

Code = ProblemCode

YES_NO = Scale(
    id="yes_no",
    title="Yes or no",
    options=(Option(value="yes", label="Yes", key="y"), Option(value="no", label="No", key="n")),
)


def compile_template(data: Mapping[str, Any], *, file: str = "<template>",
                     snapshot: bool = False) -> Template:
    """Build a :class:`Template` or raise :class:`TemplateInvalid` listing every problem.

    ``snapshot``: the document is an assessment's (or a return's) frozen copy, written under
    earlier rules. A key that a later rule refuses is then given its default instead, so an
    assessment in progress never stops opening because the rules moved on."""
    ctx = Ctx(file, snapshot=snapshot)
    _check_document(ctx, data)
    header = _header(ctx, data)
    scales = _scales(ctx, data)
    body = _sections(ctx, data, scales)
    scoring = _scoring(ctx, data, scales, body)
    ratings = tuple(dict.fromkeys(scoring.section.ratings() + scoring.overall.ratings()))
    report = compile_report(ctx, data.get("report"), scales, body.questions, ratings)
    _texts(ctx, data)
    if ctx.problems:
        raise TemplateInvalid(ctx.problems)
    return Template(
        id=str(header.id),
        version=str(header.version).strip(),
        title=read_text(ctx, data, "title", ""),
        kind=header.kind,
        description=read_text(ctx, data, "description", ""),
        source=read_text(ctx, data, "source", ""),
        notes=read_text(ctx, data, "notes", "", required=False),
        scales=MappingProxyType(scales),
        sections=body.sections,
        all_sections=body.all_sections,
        scoring=scoring,
        report=report,
        data=MappingProxyType(dict(data)),
    )


# -- the document and its header ----------------------------------------------------------------


def _check_document(ctx: Ctx, data: Any) -> None:
    """A table of plain JSON values, and no key the format does not know; anything else that
    cannot be walked at all is refused at once."""
    if not isinstance(data, Mapping):
        raise TemplateInvalid([Problem(ctx.file, "", "a template must be a table of keys",
                                       Code.NOT_A_TEMPLATE)])
    try:
        check_json(ctx, data, "")
    except RecursionError:
        raise TemplateInvalid([Problem(ctx.file, "", "values are nested too deeply",
                                       Code.NOT_A_TEMPLATE)]) from None
    unknown_keys(ctx, data, TOP_KEYS, "")


@dataclass(frozen=True)
class _Header:
    id: Any
    version: Any
    kind: Kind


def _header(ctx: Ctx, data: Mapping[str, Any]) -> _Header:
    tid = data.get("id")
    if tid is None:
        ctx.add("id", "is required: lower-case words joined by '-' (e.g. cqc-saf-well-led)",
                Code.MISSING)
    elif not isinstance(tid, str) or not ID_RE.match(tid):
        ctx.add("id", f"{tid!r} is not a template id: use lower-case words joined by '-' "
                "(e.g. cqc-saf-well-led)", Code.BAD_ID)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        ctx.add("version", "is required as text (e.g. \"1.0\")", Code.MISSING)
    return _Header(tid, version, _kind(ctx, data.get("kind")))


def _kind(ctx: Ctx, raw: Any) -> Kind:
    try:
        return Kind(str(raw))
    except ValueError:
        if raw is None:
            ctx.add("kind", "is required: visit or self-assessment", Code.MISSING)
        else:
            ctx.add("kind", f"{raw!r} is not a kind (visit, self-assessment)", Code.BAD_CHOICE)
        return Kind.SELF_ASSESSMENT


def _texts(ctx: Ctx, data: Mapping[str, Any]) -> None:
    """The header's texts: title, description and source required, notes optional."""
    for name in ("title", "description", "source", "notes"):
        read_text(ctx, data, name, "", required=name in ("title", "description", "source"),
                  max_len=200 if name == "title" else 20_000)


# -- scales ----------------------------------------------------------------------------------------


def _scales(ctx: Ctx, data: Mapping[str, Any]) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    raw_scales = data.get("scales", {})
    if not isinstance(raw_scales, Mapping):
        ctx.add("scales", "must be a table of named scales", Code.TYPE)
        raw_scales = {}
    for name, raw in raw_scales.items():
        scale = _scale(ctx, str(name), raw, f"scales.{name}")
        if scale is not None:
            scales[str(name)] = scale
    return scales


def _scale(ctx: Ctx, scale_id: str, raw: Any, path: str) -> Scale | None:
    if not isinstance(raw, Mapping):
        ctx.add(path, f"must be a table, not {type_name(raw)}", Code.TYPE)
        return None
    unknown_keys(ctx, raw, SCALE_KEYS, path)
    if not NAME_RE.match(scale_id):
        ctx.add(path, f"scale id {scale_id!r} must be letters, digits, '.', '_' or '-'",
                Code.BAD_ID)
    options = compile_options(ctx, raw.get("options"), join_path(path, "options"))
    needing = _note_required_for(ctx, raw, path, options)
    return Scale(
        id=scale_id,
        title=read_text(ctx, raw, "title", path, required=False) or scale_id,
        options=options,
        allow_na=read_bool(ctx, raw, "allow_na", path, False),
        note_required_for=needing,
    )


def _note_required_for(ctx: Ctx, raw: Mapping[str, Any], path: str,
                       options: tuple[Option, ...]) -> tuple[Any, ...]:
    needing = raw.get("note_required_for", [])
    values = {repr(o.value) for o in options}
    if not isinstance(needing, list):
        ctx.add(join_path(path, "note_required_for"), "must be a list of option values", Code.TYPE)
        return ()
    for i, v in enumerate(needing):
        if repr(v) not in values:
            ctx.add(f"{path}.note_required_for[{i}]", f"{v!r} is not a value of this scale")
    return tuple(needing)


# -- sections and questions ----------------------------------------------------------------------


@dataclass
class _Body:
    """The sections compiled so far, and every question by id (in document order)."""

    sections: tuple[Section, ...] = ()
    """The ordinary sections: what scoring, reports and returns walk."""
    all_sections: tuple[Section, ...] = ()
    """Every section in document order, repeating ones included."""
    questions: dict[str, Question] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    """Each question id's dotted path, for "duplicate ... (also ...)"."""


def _sections(ctx: Ctx, data: Mapping[str, Any], scales: Mapping[str, Scale]) -> _Body:
    body = _Body()
    raw_sections = data.get("sections")
    if raw_sections is None:
        ctx.add("sections", "is required: a template needs at least one section", Code.MISSING)
        raw_sections = []
    section_tables = table_list(ctx, raw_sections, "sections", "sections")
    if isinstance(raw_sections, list) and not raw_sections and "sections" in data:
        ctx.add("sections", "must not be empty", Code.EMPTY)
    all_ids = _all_question_ids(data.get("sections"))
    seen_sections: dict[str, int] = {}
    sections: list[Section] = []
    for i, raw_section in enumerate(section_tables):
        sections.append(_section(ctx, raw_section, i, scales, body, all_ids, seen_sections))
    groups.check_groups(ctx, list(zip([f"sections[{i}]" for i in range(len(sections))],
                                      sections, strict=False)), body.questions)
    body.all_sections = tuple(sections)
    body.sections = tuple(s for s in sections if s.repeat is None)
    return body


def _section(ctx: Ctx, raw: Mapping[str, Any], i: int, scales: Mapping[str, Scale], body: _Body,
             all_ids: set[str], seen_sections: dict[str, int]) -> Section:
    spath = f"sections[{i}]"
    unknown_keys(ctx, raw, SECTION_KEYS, spath)
    sid = raw.get("id")
    if not isinstance(sid, str) or not NAME_RE.match(sid):
        ctx.add(join_path(spath, "id"), "is required: letters, digits, '.', '_' or '-'",
                Code.MISSING if sid is None else Code.BAD_ID)
        sid = ""
    elif sid in seen_sections:
        ctx.add(join_path(spath, "id"),
                f"duplicate section id {sid!r} (also sections[{seen_sections[sid]}])",
                Code.DUPLICATE)
    else:
        seen_sections[sid] = i
    questions: list[Question] = []
    repeat = groups.compile_repeat(ctx, raw, spath)
    # A repeating section's fields are unique within the group, not the template.
    own = body if repeat is None else _Body()
    raw_questions = raw.get("questions")
    if raw_questions is None or raw_questions == []:
        ctx.add(join_path(spath, "questions"), "an empty section: add at least one question",
                Code.EMPTY)
        raw_questions = []
    for j, raw_q in enumerate(table_list(ctx, raw_questions, join_path(spath, "questions"),
                                          "questions")):
        qpath = f"{spath}.questions[{j}]"
        q = _question(ctx, raw_q, qpath, scales, own.questions, all_ids - set(body.questions))
        if q is not None and _first_of_its_id(ctx, q, qpath, own):
            questions.append(q)
    section = Section(sid, read_text(ctx, raw, "title", spath, max_len=200),
                      read_text(ctx, raw, "description", spath, required=False), tuple(questions),
                      repeat)
    groups.check_section(ctx, section, spath)
    return section


def _first_of_its_id(ctx: Ctx, q: Question, qpath: str, body: _Body) -> bool:
    """Record ``q`` under its id; False (and a problem) if the id is taken."""
    if q.id and q.id in body.questions:
        ctx.add(join_path(qpath, "id"),
                f"duplicate question id {q.id!r} (also {body.where[q.id]})", Code.DUPLICATE)
        return False
    if q.id:
        body.questions[q.id] = q
        body.where[q.id] = qpath
    return True


def _question(ctx: Ctx, raw: Mapping[str, Any], path: str, scales: Mapping[str, Scale],
              earlier: Mapping[str, Question], later: set[str]) -> Question | None:
    unknown_keys(ctx, raw, QUESTION_KEYS, path)
    qid = _question_id(ctx, raw, path)
    qtype = _question_type(ctx, raw, path)
    if qtype is None:
        return None
    scale = _question_scale(ctx, raw, path, qid, qtype, scales)
    weight = _weight(ctx, raw, path)
    minimum, maximum = _bounds(ctx, raw, path, qtype)
    show_if = None
    if "show_if" in raw:
        show_if = _condition(ctx, raw["show_if"], join_path(path, "show_if"), earlier, later)
    critical = _critical(ctx, raw, path, scale)
    return groups.finish_question(ctx, raw, path, Question(
        id=qid,
        text=read_text(ctx, raw, "text", path, max_len=2_000),
        type=qtype,
        scale=scale,
        guidance=read_text(ctx, raw, "guidance", path, required=False),
        evidence_prompt=read_text(ctx, raw, "evidence_prompt", path, required=False),
        required=read_bool(ctx, raw, "required", path, qtype is not QuestionType.TEXT),
        weight=weight,
        critical=critical,
        allow_na=read_bool(ctx, raw, "allow_na", path,
                           scale.allow_na if scale is not None else False),
        show_if=show_if,
        minimum=minimum,
        maximum=maximum,
    ))


def _question_id(ctx: Ctx, raw: Mapping[str, Any], path: str) -> str:
    qid = raw.get("id")
    if not isinstance(qid, str) or not NAME_RE.match(qid):
        ctx.add(join_path(path, "id"),
                "is required: letters, digits, '.', '_' or '-' (e.g. WL1 or W1.2)",
                Code.MISSING if qid is None else Code.BAD_ID)
        return ""
    return qid


def _question_type(ctx: Ctx, raw: Mapping[str, Any], path: str) -> QuestionType | None:
    type_raw = raw.get("type", "scale" if "scale" in raw else None)
    try:
        return QuestionType(type_raw)
    except ValueError:
        choices = ", ".join(t.value for t in QuestionType)
        if type_raw is None:
            ctx.add(join_path(path, "type"), f"is required ({choices}), or give a scale",
                    Code.MISSING)
        else:
            ctx.add(join_path(path, "type"), f"{type_raw!r} is not a question type ({choices})",
                    Code.BAD_CHOICE)
        return None


def _question_scale(ctx: Ctx, raw: Mapping[str, Any], path: str, qid: str, qtype: QuestionType,
                    scales: Mapping[str, Scale]) -> Scale | None:
    """The answers a question offers: a named scale, its own options, or yes/no."""
    scale: Scale | None = None
    if qtype is QuestionType.SCALE:
        scale = _named_scale(ctx, raw.get("scale"), join_path(path, "scale"), scales)
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
    return scale


def _named_scale(ctx: Ctx, name: Any, path: str, scales: Mapping[str, Scale]) -> Scale | None:
    if not isinstance(name, str):
        ctx.add(path, "is required for a scale question", Code.MISSING)
        return None
    if name not in scales:
        hint = difflib.get_close_matches(name, list(scales), n=1)
        more = f" (did you mean {hint[0]!r}?)" if hint else \
            f" (scales: {', '.join(scales) or 'none'})"
        ctx.add(path, f"unknown scale {name!r}{more}", Code.UNKNOWN_SCALE)
        return None
    return scales[name]


def _weight(ctx: Ctx, raw: Mapping[str, Any], path: str) -> float:
    weight = raw.get("weight", 1)
    if not is_number(weight) or weight < 0:
        ctx.add(join_path(path, "weight"), f"must be a number of 0 or more, not {weight!r}")
        weight = 1
    return float(weight)


def _bounds(ctx: Ctx, raw: Mapping[str, Any], path: str,
            qtype: QuestionType) -> tuple[float | None, float | None]:
    """``min`` and ``max``: number questions only, and not crossed."""
    bounds: list[float | None] = []
    for key in ("min", "max"):
        value = raw.get(key)
        if value is not None and (qtype is not QuestionType.NUMBER or not is_number(value)):
            ctx.add(join_path(path, key), "applies to number questions only, as a number")
            value = None
        bounds.append(value)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        ctx.add(join_path(path, "min"), f"min {bounds[0]} is greater than max {bounds[1]}")
    return bounds[0], bounds[1]


def _critical(ctx: Ctx, raw: Mapping[str, Any], path: str, scale: Scale | None) -> bool:
    critical = read_bool(ctx, raw, "critical", path, False)
    if critical and (scale is None or not any(o.concern for o in scale.options)):
        ctx.add(join_path(path, "critical"),
                "a critical question needs answers marked concern = true to flag escalation")
    return critical


# -- conditions ------------------------------------------------------------------------------------


def _condition(ctx: Ctx, raw: Any, path: str, earlier: Mapping[str, Question],
               later: set[str]) -> Condition | None:
    """``show_if``: one operator over an earlier question's answers."""
    if not isinstance(raw, Mapping):
        ctx.add(path, "must be a table such as { question = \"Q1\", equals = \"yes\" }", Code.TYPE)
        return None
    unknown_keys(ctx, raw, SHOW_IF_KEYS, path)
    target = raw.get("question")
    ops = [k for k in ("equals", "in", "not_equals", "not_in") if k in raw]
    if not isinstance(target, str):
        ctx.add(join_path(path, "question"), "must name an earlier question", Code.MISSING)
        return None
    if len(ops) != 1:
        ctx.add(path, "needs exactly one of equals, in, not_equals, not_in")
        return None
    op = ops[0]
    values = raw[op] if op in ("in", "not_in") else [raw[op]]
    if not isinstance(values, list) or not values:
        ctx.add(join_path(path, op), "must be a non-empty list", Code.TYPE)
        return None
    source = _condition_source(ctx, target, join_path(path, "question"), earlier, later)
    if source is None:
        return None
    if source.scale is not None:
        allowed = {repr(o.value) for o in source.scale.options}
        for v in values:
            if repr(v) not in allowed:
                ctx.add(join_path(path, op), f"{v!r} is not an answer of {target} "
                        f"(values: {', '.join(repr(o.value) for o in source.scale.options)})")
    return Condition(question=target, values=tuple(values), negate=op.startswith("not_"))


def _condition_source(ctx: Ctx, target: str, path: str, earlier: Mapping[str, Question],
                      later: set[str]) -> Question | None:
    source = earlier.get(target)
    if source is not None:
        return source
    if target in later:
        ctx.add(path, f"{target!r} comes later; show_if may only look back",
                Code.FORWARD_REFERENCE)
    else:
        hint = difflib.get_close_matches(target, list(earlier), n=1)
        more = f" (did you mean {hint[0]!r}?)" if hint else ""
        ctx.add(path, f"no question {target!r}{more}", Code.UNKNOWN_QUESTION)
    return None


# -- scoring ---------------------------------------------------------------------------------------


def _scoring(ctx: Ctx, data: Mapping[str, Any], scales: Mapping[str, Scale],
             body: _Body) -> Scoring:
    """The section rule, the overall rule (inheriting the section's where it says nothing),
    the description and the provisional threshold."""
    scored = [q for q in body.questions.values() if q.scored]
    raw_scoring = data.get("scoring", {"method": "none"})
    if not isinstance(raw_scoring, Mapping):
        ctx.add("scoring", "must be a table", Code.TYPE)
        raw_scoring = {"method": "none"}
    unknown_keys(ctx, raw_scoring, SCORING_KEYS, "scoring")
    by_section = [[q for q in sec.questions if q.scored] for sec in body.sections]
    section_rule = compile_rule(ctx, raw_scoring, "scoring", scales, scored, level="section",
                                sections=by_section)
    overall_rule = _overall_rule(ctx, raw_scoring, scales, scored, section_rule)
    provisional_below = _read_percent(ctx, raw_scoring, "provisional_below", "scoring", 80)
    return Scoring(section_rule, overall_rule,
                   _scoring_description(raw_scoring), provisional_below)


def _overall_rule(ctx: Ctx, raw_scoring: Mapping[str, Any], scales: Mapping[str, Scale],
                  scored: list[Question], section_rule: ScoringRule) -> ScoringRule:
    raw_overall = raw_scoring.get("overall")
    if raw_overall is None:
        return section_rule
    if not isinstance(raw_overall, Mapping):
        ctx.add("scoring.overall", "must be a table", Code.TYPE)
        return section_rule
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
    return compile_rule(ctx, merged, "scoring.overall", scales, scored, level="overall",
                        inner=section_rule)


def _scoring_description(raw_scoring: Mapping[str, Any]) -> str:
    """``scoring.description``, as it has always been read: not checked (a value that is not
    text reads as none), so its problems go to a collector of their own."""
    return read_text(Ctx("<scoring>"), raw_scoring, "description", "scoring", required=False)


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

