"""The computed values of an assessment in words, for the Review screen.

Computed questions and computed fields of rows (a risk score) are nobody's answer, so they never
appear among the gaps; Review lists them with their band so the assessor sees, before
completing, what the return and the report will say (``Risk 2: Roof leaks · SCORE 25
(Extreme)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_tui.templates import row_address

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail


def computed_summary(detail: AssessmentDetail) -> str:
    """Every computed value with its band, ordinary questions first by section, then each
    repeating group's rows; empty when the template computes nothing."""
    lines: list[str] = []
    visible = detail.report.visible
    for section in detail.template.sections:
        for q in section.questions:
            if q.compute is not None and q.id in visible:
                lines.append(f"  {q.id} {q.text}: {detail.label(q.id) or 'no value yet'}")
    for section in detail.template.groups:
        repeat = section.repeat
        assert repeat is not None
        fields = [q for q in section.questions if q.compute is not None]
        if not fields:
            continue
        count = detail.rows.get(repeat.group, 0)
        lines.append(f"  {section.title} ({repeat.group}, {count} row{'s' if count != 1 else ''})"
                     + ("" if count else ": no rows yet"))
        for n in range(1, count + 1):
            values = " · ".join(
                f"{q.id} {detail.label(row_address(repeat.group, n, q.id)) or 'no value yet'}"
                for q in fields)
            lines.append(f"    {detail.row_name(repeat.group, n)} · {values}")
    if not lines:
        return ""
    return "Computed from the answers (value and band):\n" + "\n".join(lines)
