"""Turn a return's data and its template into a :class:`ReportView`.

Fed by :class:`qa_tui.returns.ReturnData` (plain frozen values), whether the assessment comes
from the database or from a verified return file: one path, so both give the same report.
The template's ``[report]`` table (see ``assessments/README.md``) decides which answers are
strengths, improvements and people's voice; defaults apply where it is silent.
"""

from __future__ import annotations

from qa_tui.domain import AnswerState, JsonValue, Kind
from qa_tui.report.groups import group_part, report_computed, section_computed
from qa_tui.report.holidays import add_working_days
from qa_tui.report.view import ActionLine, Finding, GroupPart, ReportView, SectionPart, long_date
from qa_tui.returns import ReturnData
from qa_tui.templates import Question, Template, answer_label, score
from qa_tui.templates.model import ReportSpec

STRENGTH, IMPROVEMENT = "strength", "improvement"


def classify(question: Question, value: JsonValue, spec: ReportSpec) -> str | None:
    """``strength``, ``improvement`` or None for one answer value.

    Defaults: an option marked ``concern`` is an improvement; on a numeric scale the top value is
    a strength and any value at or below the middle of the scale an improvement. A template's
    ``[report.scales.ID]`` lists replace the defaults for that scale.
    """
    scale = question.scale
    if scale is None or value is None:
        return None
    values = value if isinstance(value, list) else [value]
    chosen = spec.scales.get(scale.id)
    if chosen is not None:
        def has(listed: tuple[JsonValue, ...]) -> bool:
            return any(v == x and type(v) is type(x) for v in values for x in listed)
        if has(chosen.improvements):
            return IMPROVEMENT
        return STRENGTH if has(chosen.strengths) else None
    options = [o for v in values if (o := scale.option(v)) is not None]
    if any(o.concern for o in options):
        return IMPROVEMENT
    if not scale.numeric or isinstance(value, list) or not options:
        return None
    number = float(options[0].value)
    if number >= scale.max_value:
        return STRENGTH
    if number <= (scale.max_value + scale.min_value) / 2:
        return IMPROVEMENT
    return None


def _coverage(answered: int, total: int) -> str:
    pct = 100 * answered // total if total else 100
    return f"{answered} of {total} questions answered ({pct}%)"


def _rating(rating: str | None, score_pct: float | None) -> str:
    if rating is None:
        return "Not rated"
    return f"{rating} (score {score_pct:g}%)" if score_pct is not None else rating


def _headline_label(template: Template) -> str:
    """ICB visits rate by assurance level, not with CQC's rating words: say which it is."""
    ratings = template.scoring.overall.ratings()
    if ratings and all(r.casefold().endswith("assurance") for r in ratings):
        return "Assurance level"
    return "Overall rating"


def build_view(data: ReturnData, template: Template, *, reviewer: str | None = None,
               perspective: str | None = None) -> ReportView:
    """The report of one return. ``reviewer`` and ``perspective`` come from later issues."""
    spec = template.report
    answers = {a.question_id: AnswerState(a.value, a.na, a.note) for a in data.answers}
    visible = score(template, answers).visible

    def finding(q: Question) -> Finding:
        a = answers[q.id]
        return Finding(q.id, q.text, answer_label(q, a.value, a.na), a.note)

    parts: list[SectionPart | GroupPart] = []
    results = {s.id: s for s in data.scores.sections}
    computed = report_computed(data, template)
    for section in template.all_sections:
        if section.repeat is not None:
            parts.append(group_part(section, data, computed))
            continue
        strengths, improvements = [], []
        for q in section.questions:
            a = answers.get(q.id)
            if a is None or a.na or q.id not in visible:
                continue
            kind = classify(q, a.value, spec)
            if kind == STRENGTH:
                strengths.append(finding(q))
            elif kind == IMPROVEMENT:
                improvements.append(finding(q))
        result = results.get(section.id)
        parts.append(SectionPart(
            section.id, section.title,
            _rating(result.result.rating, result.result.score_pct) if result else "Not rated",
            _coverage(result.answered, result.total) if result else "",
            tuple(strengths), tuple(improvements),
            section_computed(section, computed, visible)))

    def listed(ids: tuple[str, ...]) -> tuple[Finding, ...]:
        """Findings for the given questions that are shown and say something."""
        found = []
        for qid in ids:
            question, state = template.question(qid), answers.get(qid)
            if question is not None and state is not None and qid in visible \
                    and (state.value is not None or state.note):
                found.append(finding(question))
        return tuple(found)

    concerns = listed(data.scores.escalations)
    records = listed(spec.escalation_records)
    voices = listed(spec.people_voice)
    actions = tuple(ActionLine(a.description, a.owner or "To be agreed",
                               long_date(a.due_date) or "To be agreed", a.priority.capitalize(),
                               a.status.capitalize(), a.question_id or "")
                    for a in data.actions)

    overall = data.scores.overall
    if spec.assurance and overall.rating is not None:
        headline_label = spec.assurance_title or "Assurance level"
        wording = spec.assurance.get(overall.rating, overall.rating)
        headline = f"{wording} (rating {_rating(overall.rating, overall.score_pct)})"
    else:
        headline_label = _headline_label(template)
        headline = _rating(overall.rating, overall.score_pct)

    visit_type = "Visit" if data.kind == Kind.VISIT.value else "Self-assessment"
    cover = [("Provider", data.org_name), ("ODS code", data.org_code or "Not given"),
             ("Site or service", data.site or "Not given"),
             ("Visit date", long_date(data.visit_date)), ("Visit type", visit_type)]
    if perspective:
        cover.append(("Perspective", perspective))
    cover += [("Assessment team", ", ".join(data.assessors) or "Not recorded"),
              ("Template", f"{data.template_title} (version {data.template_version})"),
              ("Status", "Complete" if data.status == "complete" else "Draft, not yet complete")]

    deadline = add_working_days(data.visit_date, spec.working_days)
    deadline_text = (
        f"Please send any comments on the factual accuracy of this report by "
        f"{long_date(deadline)}: {spec.working_days} working days after the visit, not counting "
        "weekends and bank holidays in England. Comments received after that date may not be "
        "reflected in the final report.")
    title = ("Quality assurance visit: feedback report" if data.kind == Kind.VISIT.value
             else "Self-assessment: feedback report")
    return ReportView(
        title=title, cover=tuple(cover), headline_label=headline_label, headline=headline,
        coverage=_coverage(data.scores.answered, data.scores.total), summary=data.summary,
        parts=tuple(parts), concerns=concerns, records=records, voices=voices, actions=actions,
        deadline=deadline, deadline_text=deadline_text, assessors=data.assessors,
        reviewer=reviewer,
        footer=f"{data.org_name} | {long_date(data.visit_date)} | assessment {data.id[:8]}, "
               f"revision {data.revision}",
        created=data.updated_at, author=data.assessors[0] if data.assessors else "qa-tui",
        people_voice_marked=bool(spec.people_voice))
