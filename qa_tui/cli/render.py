"""Plain-text views for people at a terminal (scripts use ``--json``).

Each view is a list of lines; ``output.emit`` prints them and escapes whatever a value brings
(a newline in a name stays inside its line).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from qa_tui.cli.render_rows import computed_line, formula_text, group_outline, groups_text
from qa_tui.services.review import review_words
from qa_tui.services.rows import blockers as row_blockers
from qa_tui.templates import answer_label, overall_words

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail, AssessmentSummary, HistoryEntry
    from qa_tui.templates import Option, Question, Template


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:g}%"


def detail_text(d: AssessmentDetail) -> list[str]:
    rec, report = d.record, d.report
    code = f" ({rec.org_code})" if rec.org_code else ""
    lines = [
        f"{rec.org_name}{code}" + (f" - {rec.site}" if rec.site else ""),
        f"  {d.template.title} [{d.template.id} {d.template.version}]",
        f"  id {rec.id}  revision {rec.revision}  {rec.status}  visit {rec.visit_date.isoformat()}",
    ]
    if rec.assessors:
        lines.append(f"  assessors: {', '.join(rec.assessors)}")
    lines.append(f"  perspective: {rec.perspective}  review: {review_words(rec)}")
    lines.append(f"  progress: {report.answered}/{report.total} ({report.progress_pct}%)")
    lines.append("")
    if report.escalations:
        lines.insert(0, f"⚠ ESCALATE: concern on critical question(s) "
                        f"{', '.join(report.escalations)}")
    lines.append(f"Overall: {overall_words(report)}  ({report.overall.trace})")
    if report.escalations:
        lines.append(f"  ESCALATE: concern on critical question(s) {', '.join(report.escalations)}")
    if report.escalations_unrecorded:
        lines.append(f"  escalation record owed (evidence note: who was told, when, what was "
                     f"agreed): {', '.join(report.escalations_unrecorded)}")
    lines.append("")
    for s in report.sections:
        lines.append(f"{s.id}  {s.title}  {s.answered}/{s.total}  score {_pct(s.score_pct)}  "
                     f"rating {s.rating or '-'}")
        lines.append(f"    {s.outcome.trace}")
        for q in d.template.sections[[x.id for x in d.template.sections].index(s.id)].questions:
            if q.id not in report.visible:
                continue
            if q.compute is not None:
                lines.extend(line for line in computed_line(d, q) if line)
                continue
            a = d.answer(q.id)
            mark = "*" if q.required and not a.answered else " "
            lines.append(f"  {mark} {q.id:<8} {d.label(q.id) or '(not answered)'}")
            if a.note:
                for row in textwrap.wrap(a.note, 72):
                    lines.append(f"      note: {row}")
    lines.extend(groups_text(d))
    # rows count too: completion refuses an open required row field or too few rows
    open_rows = [r.question_id or r.text for r in row_blockers(d.template, d.rows, d.answers)]
    if report.required_open or open_rows:
        lines.append("")
        lines.append(f"Required and open: {', '.join([*report.required_open, *open_rows])}")
    if report.notes_owed:
        lines.append(f"Evidence notes owed: {', '.join(report.notes_owed)}")
    if d.actions:
        lines.append("")
        lines.append("Actions:")
        for act in d.actions:
            due = act.due_date.isoformat() if act.due_date else "no due date"
            about = f" [{act.question_id}]" if act.question_id else ""
            lines.append(f"  {act.id[:8]} {act.status:<6} {act.priority:<6} {due}  "
                         f"{act.owner or '(no owner)'}{about}: {act.description}")
    return lines


def summary_rows(items: list[AssessmentSummary]) -> list[str]:
    if not items:
        return ["No assessments yet. Start one with: qa-tui new --template ID --org NAME"]
    header = (f"{'ID':<8}  {'ORGANISATION':<28}  {'TEMPLATE':<24}  {'VISIT':<10}  {'STATUS':<8}  "
              "PROGRESS  RATING")
    rows = [header]
    for s in items:
        flag = f"  ⚠ ESCALATE {', '.join(s.escalations)}" if s.escalations else ""
        rows.append(f"{s.id[:8]:<8}  {s.org_name[:28]:<28}  {s.template_id[:24]:<24}  "
                    f"{s.visit_date.isoformat():<10}  {s.status:<8}  {s.progress_pct:>7}%  "
                    f"{s.rating_words or s.rating or '-'}{flag}")
    return rows


def template_outline(t: Template) -> list[str]:
    lines = [f"{t.title}", f"  {t.id} version {t.version} ({t.kind.value})",
             f"  source: {t.source}"]
    if t.notes:
        lines.append("  notes: " + " ".join(t.notes.split()))
    rule = t.scoring
    lines.append(f"  scoring: sections by {rule.section.method.value}, overall by "
                 f"{rule.overall.method.value}")
    for band in rule.section.bands:
        lines.append(f"    {band.low:>3}-{band.high:<3} {band.rating}")
    if rule.overall.bands and rule.overall.bands != rule.section.bands:
        unit = " of points" if rule.overall.method.value == "total_bands" else ""
        lines.append(f"  overall bands (on the total{unit}):" if unit else "  overall bands:")
        for band in rule.overall.bands:
            lines.append(f"    {band.low:>3}-{band.high:<3} {band.rating}")
    lines.append("")
    for scale in t.scales.values():
        na = ", N/A allowed" if scale.allow_na else ""
        opts = "  ".join(option_text(scale.numeric, o) for o in scale.options)
        lines.append(f"Scale {scale.id} ({scale.title}{na}): {opts}")
    for section in t.all_sections:
        lines.append("")
        if section.repeat is not None:
            lines.extend(group_outline(section))
        else:
            lines.append(f"{section.id}  {section.title}  ({len(section.questions)} questions)")
        for q in section.questions:
            flags = [q.type.value if q.type.value != "scale" else (q.scale.id if q.scale else "")]
            if not q.required and q.compute is None:
                flags.append("optional")
            if q.critical:
                flags.append("critical")
            if q.show_if:
                flags.append(f"shown if {q.show_if.question}")
            first = textwrap.shorten(q.text, 90, placeholder="...")
            lines.append(f"  {q.id:<8} {first}  [{', '.join(f for f in flags if f)}]")
            if q.compute is not None:
                lines.append(f"           {formula_text(q)}")
            if q.scale is not None and q.scale.id not in t.scales:
                lines.append("           " + "  ".join(option_text(q.scale.numeric, o)
                                                       for o in q.scale.options))
    return lines


def option_text(numeric: bool, o: Option) -> str:
    """An option as the outline shows it: ``[y] Yes (2)``; value shown where it is a number and
    the key is not that number; ``only on its own`` for an exclusive option."""
    text = f"[{o.key}] {o.label}"
    if numeric and o.key != str(o.value):
        text += f" ({o.value})"
    if o.exclusive:
        text += " (only on its own)"
    return text


def history_rows(entries: list[HistoryEntry], template: Template | None = None) -> list[str]:
    """The audit log; answers read as their labels with the stored value beside them
    (``Yes (2)``), so the log agrees with ``show`` and the return."""
    rows = []
    for e in entries:
        target = f" {e.target}" if e.target else ""
        question = template.question(e.target) if template is not None and e.target else None
        rows.append(f"{e.id:>5}  {e.at.strftime('%Y-%m-%d %H:%M:%S')}Z  {e.actor:<12}  "
                    f"{e.kind}{target}: {_short(e.old, question)} -> {_short(e.new, question)}")
    return rows or ["No events."]


def _short(value: object, question: Question | None = None) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        if "value" in value or "na" in value:
            text = "N/A" if value.get("na") else _answer_text(value.get("value"), question)
            if value.get("note"):
                text += " + note"
            return text
        return ", ".join(f"{k}={v!r}" for k, v in value.items() if v not in (None, ""))[:80]
    return str(value)[:80]


def _answer_text(value: Any, question: Question | None) -> str:
    if value is None:
        return "(no answer)"
    if question is None or question.scale is None:
        return repr(value)
    label = answer_label(question, value)
    return f"{label} ({value!r})" if question.scale.numeric else label
