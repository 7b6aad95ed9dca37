"""Use case: compare two assessments of the same template (moderation, self vs ICB, visit vs
visit). The figures come from :mod:`qa_tui.templates.compare`; this module finds the two
assessments, refuses a pair that cannot be compared, and shapes the result for the front ends.

``Compared.to_json`` is the contract of ``qa-tui compare A B --json``: keys may be added, never
removed or renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_tui.errors import Refused
from qa_tui.services.assessments import AssessmentService
from qa_tui.services.views import AssessmentDetail
from qa_tui.templates.compare import Comparison, GroupDiff, SectionDiff, Side, compare


@dataclass(frozen=True)
class Compared:
    a: AssessmentDetail
    b: AssessmentDetail
    comparison: Comparison

    def to_json(self) -> dict[str, Any]:
        c = self.comparison
        return {
            "a": _header(self.a),
            "b": _header(self.b),
            "template": c.template_id,
            "same_version": c.same_version,
            "questions": [
                {"id": q.id, "section": q.section_id,
                 "a": {"value": q.a_value, "label": q.a_label, "note": q.a_note},
                 "b": {"value": q.b_value, "label": q.b_label, "note": q.b_note},
                 "delta": q.delta, "steps": q.steps, "flagged": q.flagged,
                 "computed": q.computed}
                for q in c.questions
            ],
            "groups": [_group_json(g) for g in c.groups],
            "sections": [_section_json(s) for s in c.sections],
            "overall": _section_json(c.overall),
            "agreement": {
                "exact": c.agreement.exact, "within_one": c.agreement.within_one,
                "kappa_weighted": c.agreement.kappa_weighted, "n": c.agreement.n,
                "na": c.agreement.na, "unanswered": c.agreement.unanswered,
            },
        }


def _header(d: AssessmentDetail) -> dict[str, Any]:
    rec = d.record
    return {"id": rec.id, "organisation": rec.org_name, "organisation_code": rec.org_code,
            "site": rec.site, "visit_date": rec.visit_date.isoformat(), "status": rec.status,
            "assessors": list(rec.assessors), "template_version": d.template.version,
            "rating": d.report.overall.rating, "score_pct": d.report.overall.score_pct}


def _group_json(g: GroupDiff) -> dict[str, Any]:
    """A repeating group: its rows are not compared one by one (``compared`` is false), only
    counted, with the rows per band of each computed field that has bands."""
    return {"group": g.group, "title": g.title, "a_rows": g.a_rows, "b_rows": g.b_rows,
            "compared": False,
            "bands": {b.field: {"a": dict(b.a), "b": dict(b.b)} for b in g.bands},
            "summary": g.summary}


def _section_json(s: SectionDiff) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "a_score": s.a_score, "b_score": s.b_score,
            "a_rating": s.a_rating, "b_rating": s.b_rating, "gap": s.gap,
            "rating_steps": s.rating_steps}


def compare_assessments(assessments: AssessmentService, a_id: str, b_id: str) -> Compared:
    """``b`` against ``a``; refused unless both are assessments of one template."""
    a = assessments.get(assessments.resolve_id(a_id, deleted=None))
    b = assessments.get(assessments.resolve_id(b_id, deleted=None))
    if a.id == b.id:
        raise Refused("an assessment compared with itself says nothing; name two",
                      where=a.id[:8])
    if a.template.id != b.template.id:
        raise Refused(f"{a.id[:8]} uses {a.template.id} and {b.id[:8]} uses {b.template.id}: "
                      "only assessments of one template can be compared question by question")
    result = compare(Side(a.template, a.answers, a.report, a.rows),
                     Side(b.template, b.answers, b.report, b.rows))
    return Compared(a, b, result)


def write_comparison(compared: Compared, path: Path, *, force: bool = False) -> Path:
    """The comparison as a workbook (Agreement, Sections, Questions), written atomically."""
    from qa_tui.consolidate.compare_book import comparison_workbook
    from qa_tui.returns.files import save_file

    save_file(path, comparison_workbook(compared.to_json()), force=force)
    return path
