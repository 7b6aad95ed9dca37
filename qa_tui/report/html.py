"""The provider report as one self-contained, print-ready HTML file.

One file with inline CSS and ``@page`` A4: no scripts, no external resources (fonts, images,
links), so it opens offline, prints the same everywhere and cannot call out. Every piece of text
goes through :func:`html.escape`: what people typed is shown, never interpreted. The output
depends only on the view, so the same assessment revision gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from qa_tui.report.view import ACTION_WIDTHS, Finding, GroupPart, ReportView, SectionPart, long_date

CSS = """
@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
html { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 10.5pt;
  color: #1d1d1b; line-height: 1.4; }
body { margin: 0; }
h1 { font-size: 18pt; color: #005eb8; margin: 0 0 8pt 0; }
h2 { font-size: 13pt; color: #005eb8; border-bottom: 1.5pt solid #005eb8; margin: 16pt 0 6pt 0;
  page-break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt 0; page-break-after: avoid; }
p { margin: 0 0 6pt 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 8pt 0; }
th, td { border: 0.75pt solid #aeb7bd; padding: 3pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-wrap: break-word; }
th { background: #e8edee; }
tr { page-break-inside: avoid; }
table.cover th { width: 30%; }
.note { white-space: pre-wrap; }
.muted { color: #425563; }
.headline { font-size: 12pt; font-weight: bold; }
tr.signature td { height: 24pt; }
footer { margin-top: 16pt; font-size: 8.5pt; color: #425563; }
"""


def _e(text: str) -> str:
    """Escaped text; line breaks people typed become ``<br>`` (the only markup we add)."""
    return escape(text, quote=True).replace("\n", "<br>\n")


def _table(headers: tuple[str, ...], widths: tuple[int, ...], rows: Sequence[Sequence[str]],
           *, note_columns: tuple[int, ...] = (), row_class: str = "") -> list[str]:
    out = ["<table>", "<colgroup>"]
    out += [f'<col style="width: {w}%">' for w in widths]
    out += ["</colgroup>", "<thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in headers]
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        cells = [f'<td class="note">{_e(c)}</td>' if i in note_columns else f"<td>{_e(c)}</td>"
                 for i, c in enumerate(row)]
        opening = f'<tr class="{row_class}">' if row_class else "<tr>"
        out.append(opening + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _findings(items: tuple[Finding, ...], answer_heading: str = "Finding") -> list[str]:
    return _table(("Question", answer_heading, "Evidence"), (40, 15, 45),
                  [(f"{f.question_id} {f.question}", f.answer, f.note or "No note recorded.")
                   for f in items], note_columns=(2,))


def _section(part: SectionPart) -> list[str]:
    out = [f"<h3>{_e(part.title)}</h3>",
           f"<p><strong>Rating:</strong> {_e(part.rating)}. "
           f'<span class="muted">{_e(part.coverage)}.</span></p>']
    out.append("<p><strong>Strengths</strong></p>")
    out += _findings(part.strengths) if part.strengths else ["<p>None recorded.</p>"]
    out.append("<p><strong>Areas for improvement</strong></p>")
    out += _findings(part.improvements) if part.improvements else ["<p>None recorded.</p>"]
    if part.computed:
        out.append("<p><strong>Computed</strong></p>")
        out += _table(("Question", "Value", "How it is computed"), (40, 15, 45),
                      [(f"{f.question_id} {f.question}", f.answer, f.note)
                       for f in part.computed])
    return out


def _group(part: GroupPart) -> list[str]:
    out = [f"<h3>{_e(part.title)}</h3>", f'<p class="muted">{_e(part.rows_text)}</p>']
    if part.rows:
        out += _table(part.headers, part.widths, part.rows,
                      note_columns=tuple(range(1, len(part.headers))))
    return out


def render_html(view: ReportView) -> bytes:
    """The report as UTF-8 HTML bytes."""
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           f"<title>{_e(view.title)}: {_e(view.cover[0][1])}</title>",
           f"<style>{CSS}</style>", "</head>", "<body>", f"<h1>{_e(view.title)}</h1>",
           '<table class="cover"><tbody>']
    out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in view.cover]
    out += ["</tbody></table>", "<h2>Summary</h2>",
            f'<p class="headline">{_e(view.headline_label)}: {_e(view.headline)}</p>',
            f'<p class="muted">Coverage: {_e(view.coverage)}.</p>',
            f'<p class="note">{_e(view.summary or "No summary has been written yet.")}</p>',
            "<h2>Findings by section</h2>"]
    for part in view.parts:
        out += _section(part) if isinstance(part, SectionPart) else _group(part)
    out.append("<h2>Immediate concerns and escalation</h2>")
    if view.concerns:
        out.append("<p>These concerns were raised on the day; the evidence records what was "
                   "found and who was told.</p>")
        out += _findings(view.concerns, "Answer")
    else:
        out.append("<p>No critical question was answered with a concern.</p>")
    if view.records:
        out.append("<p><strong>Escalation records</strong></p>")
        out += _table(("Record", "Detail"), (40, 60),
                      [(f"{r.question_id} {r.question}", r.detail) for r in view.records],
                      note_columns=(1,))
    out.append("<h2>What people told us</h2>")
    if view.voices:
        out += _table(("Question", "What we heard"), (40, 60),
                      [(f"{v.question_id} {v.question}", v.detail) for v in view.voices],
                      note_columns=(1,))
    elif view.people_voice_marked:
        out.append("<p>No feedback from people was recorded.</p>")
    else:
        out.append("<p>This template does not mark any questions as people's voice; see the "
                   "evidence under each section.</p>")
    out.append("<h2>Actions</h2>")
    if view.actions:
        out += _table(("Action", "Owner", "Due", "Priority", "Status"), ACTION_WIDTHS,
                      [(a.description, a.owner, a.due, a.priority, a.status)
                       for a in view.actions], note_columns=(0,))
    else:
        out.append("<p>No actions were raised.</p>")
    out += ["<h2>Factual accuracy</h2>", f"<p>{_e(view.deadline_text)}</p>",
            "<h2>Sign-off</h2>"]
    rows = [(name, "Assessor", "", "") for name in view.assessors]
    if view.reviewer:
        rows.append((view.reviewer, "Reviewer", "", ""))
    out += _table(("Name", "Role", "Signature", "Date"), (35, 20, 30, 15), rows,
                  row_class="signature")
    out += [f"<footer>{_e(view.footer)}. Deadline for comments: "
            f"{_e(long_date(view.deadline))}.</footer>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
