"""Plain-text views for people at a terminal (scripts use ``--json``).

Each view is a list of lines; ``output.emit`` prints them and escapes whatever a value brings
(a newline in a name stays inside its line).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail, AssessmentSummary, HistoryEntry
    from qa_tui.templates import Template


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
    lines.append(f"  progress: {report.answered}/{report.total} ({report.progress_pct}%)")
    lines.append("")
    lines.append(f"Overall: {report.overall.rating or '-'}  ({report.overall.trace})")
    if report.escalations:
        lines.append(f"  ESCALATE: concern on critical question(s) {', '.join(report.escalations)}")
    lines.append("")
    for s in report.sections:
        lines.append(f"{s.id}  {s.title}  {s.answered}/{s.total}  score {_pct(s.score_pct)}  "
                     f"rating {s.rating or '-'}")
        lines.append(f"    {s.outcome.trace}")
        for q in d.template.sections[[x.id for x in d.template.sections].index(s.id)].questions:
            if q.id not in report.visible:
                continue
            a = d.answer(q.id)
            mark = "*" if q.required and not a.answered else " "
            lines.append(f"  {mark} {q.id:<8} {d.label(q.id) or '(not answered)'}")
            if a.note:
                for row in textwrap.wrap(a.note, 72):
                    lines.append(f"      note: {row}")
    if report.required_open:
        lines.append("")
        lines.append(f"Required and open: {', '.join(report.required_open)}")
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
        rows.append(f"{s.id[:8]:<8}  {s.org_name[:28]:<28}  {s.template_id[:24]:<24}  "
                    f"{s.visit_date.isoformat():<10}  {s.status:<8}  {s.progress_pct:>7}%  "
                    f"{s.rating or '-'}")
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
    lines.append("")
    for scale in t.scales.values():
        na = ", N/A allowed" if scale.allow_na else ""
        opts = "  ".join(f"[{o.key}] {o.label}" for o in scale.options)
        lines.append(f"Scale {scale.id} ({scale.title}{na}): {opts}")
    for section in t.sections:
        lines.append("")
        lines.append(f"{section.id}  {section.title}  ({len(section.questions)} questions)")
        for q in section.questions:
            flags = [q.type.value if q.type.value != "scale" else (q.scale.id if q.scale else "")]
            if not q.required:
                flags.append("optional")
            if q.critical:
                flags.append("critical")
            if q.show_if:
                flags.append(f"shown if {q.show_if.question}")
            first = textwrap.shorten(q.text, 90, placeholder="...")
            lines.append(f"  {q.id:<8} {first}  [{', '.join(f for f in flags if f)}]")
    return lines


def history_rows(entries: list[HistoryEntry]) -> list[str]:
    rows = []
    for e in entries:
        target = f" {e.target}" if e.target else ""
        rows.append(f"{e.id:>5}  {e.at.strftime('%Y-%m-%d %H:%M:%S')}Z  {e.actor:<12}  "
                    f"{e.kind}{target}: {_short(e.old)} -> {_short(e.new)}")
    return rows or ["No events."]


def _short(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        if "value" in value or "na" in value:
            text = "N/A" if value.get("na") else repr(value.get("value"))
            if value.get("note"):
                text += " + note"
            return text
        return ", ".join(f"{k}={v!r}" for k, v in value.items() if v not in (None, ""))[:80]
    return str(value)[:80]
