"""Plain-text views of repeating groups and computed fields, for ``show`` and ``templates show``."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from qa_tui.templates import row_address

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail
    from qa_tui.templates import Question, Section


def formula_text(q: Question) -> str:
    """``= LIKELIHOOD x CONSEQUENCE; bands 1-3 Low, 4-6 Moderate``: a computed field's rule."""
    spec = q.compute
    if spec is None:
        return ""
    if spec.op == "count":
        text = f"= count of {spec.value!r} in {', '.join(spec.of)}"
    else:
        text = "= " + (" x " if spec.op == "product" else " + ").join(spec.of)
    if spec.bands:
        text += "; bands " + ", ".join(f"{b.low:g}-{b.high:g} {b.label}" for b in spec.bands)
    return text


def group_outline(section: Section) -> list[str]:
    """A repeating section in ``templates show``: its group, row limits and fields."""
    repeat = section.repeat
    assert repeat is not None
    titled = f", rows named by {repeat.row_title}" if repeat.row_title else ""
    return [f"{section.id}  {section.title}  (repeating group {repeat.group}: "
            f"{repeat.min_rows}-{repeat.max_rows} rows{titled}; {len(section.questions)} "
            f"fields, addressed {repeat.group}[N].FIELD)"]


def groups_text(d: AssessmentDetail) -> list[str]:
    """The rows of every repeating group in ``show``, each field with its answer or value."""
    lines: list[str] = []
    for section in d.template.groups:
        repeat = section.repeat
        assert repeat is not None
        count = d.rows.get(repeat.group, 0)
        lines.append("")
        lines.append(f"{section.id}  {section.title}  {repeat.group}: {count} row"
                     f"{'s' if count != 1 else ''} (at least {repeat.min_rows}, at most "
                     f"{repeat.max_rows})")
        if not count:
            lines.append(f"    no rows yet: qa-tui row add {d.id[:8]} {repeat.group}")
        for n in range(1, count + 1):
            lines.append(f"  {d.row_name(repeat.group, n)}")
            for q in section.questions:
                key = row_address(repeat.group, n, q.id)
                lines.extend(_field_lines(d, key, q))
    return lines


def _field_lines(d: AssessmentDetail, key: str, q: Question) -> list[str]:
    if q.compute is not None:
        value = d.computed(key)
        lines = [f"    = {key:<20} {d.label(key) or '(no value yet)'}"]
        if value is not None:
            lines.append(f"        {value.trace}")
        return lines
    a = d.answer(key)
    mark = "*" if q.required and not a.answered else " "
    lines = [f"    {mark} {key:<20} {d.label(key) or '(not answered)'}"]
    for row in textwrap.wrap(a.note, 72) if a.note else []:
        lines.append(f"        note: {row}")
    return lines


def computed_line(d: AssessmentDetail, q: Question) -> list[str]:
    """An ordinary section's computed question in ``show``: value, band and how."""
    value = d.computed(q.id)
    return [f"  = {q.id:<8} {d.label(q.id) or '(no value yet)'}",
            f"      {value.trace}" if value is not None else ""]
