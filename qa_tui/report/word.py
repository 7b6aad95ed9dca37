"""The provider report as a Word document (python-docx): the format a quality lead edits and sends.

Page A4 portrait with 18 mm side margins; every table has fixed column widths that add up to the
width between the margins, so no table runs off the page. The document's core properties carry
the assessment's last change, never the time of writing, and the zip members a fixed timestamp,
so the same assessment revision gives the same bytes. Text from people goes in as runs of plain
text: Word never interprets it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import _Cell

from qa_tui.domain import naive_utc
from qa_tui.report.view import (
    ACTION_WIDTHS,
    Finding,
    GroupPart,
    ReportView,
    SectionPart,
    long_date,
)

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
SIDE_MARGIN_MM, TOP_MARGIN_MM = 18, 20
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * SIDE_MARGIN_MM
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = "E8EDEE"


def _setup(doc: DocumentObject, view: ReportView) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.left_margin = section.right_margin = Mm(SIDE_MARGIN_MM)
    section.top_margin = section.bottom_margin = Mm(TOP_MARGIN_MM)
    section.footer.paragraphs[0].text = view.footer
    section.footer.paragraphs[0].runs[0].font.size = Pt(8)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for level in (1, 2, 3):
        style = doc.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.color.rgb = NHS_BLUE if level < 3 else RGBColor(0x1D, 0x1D, 0x1B)
    props = doc.core_properties
    stamp = naive_utc(view.created)
    props.created = props.modified = props.last_printed = stamp
    props.author = props.last_modified_by = view.author
    props.title = f"{view.title}: {view.cover[0][1]}"
    props.subject = view.footer
    props.revision = 1
    props.keywords = props.comments = props.category = ""


def _table(doc: DocumentObject, headers: Sequence[str], widths_pct: Sequence[int],
           rows: Sequence[Sequence[str]], *, header_row: bool = True,
           row_height: Length | None = None) -> None:
    """A grid table whose fixed widths add up to the text width; the header row (or, without
    one, the first column) shaded."""
    widths = [Mm(TEXT_WIDTH_MM * pct / 100) for pct in widths_pct]
    table = doc.add_table(rows=(1 if header_row else 0) + len(rows), cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # <w:tblLayout w:type="fixed"/>: Word keeps the widths given
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    all_rows = ([list(headers)] if header_row else []) + [list(r) for r in rows]
    for r, values in enumerate(all_rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = widths[c]
            if (header_row and r == 0) or (not header_row and c == 0):
                _shade(cell)
            lines = value.split("\n")
            paragraph = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    paragraph = cell.add_paragraph()
                run = paragraph.add_run(line)
                run.bold = (header_row and r == 0) or (not header_row and c == 0)
    if row_height is not None:
        for row in table.rows[1 if header_row else 0:]:
            row.height = row_height
    doc.add_paragraph()


def _shade(cell: _Cell) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = props.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                              qn("w:fill"): HEADER_FILL})
    props.append(shading)


def _findings(doc: DocumentObject, items: tuple[Finding, ...], heading: str = "Finding",
              last: str = "Evidence") -> None:
    _table(doc, ("Question", heading, last), (40, 15, 45),
           [(f"{f.question_id} {f.question}", f.answer, f.note or "No note recorded.")
            for f in items])


def _section(doc: DocumentObject, part: SectionPart) -> None:
    doc.add_heading(part.title, level=3)
    p = doc.add_paragraph()
    p.add_run("Rating: ").bold = True
    p.add_run(f"{part.rating}. {part.coverage}.")
    for label, items in (("Strengths", part.strengths),
                         ("Areas for improvement", part.improvements)):
        doc.add_paragraph().add_run(label).bold = True
        if items:
            _findings(doc, items)
        else:
            doc.add_paragraph("None recorded.")
    if part.computed:
        doc.add_paragraph().add_run("Computed").bold = True
        _table(doc, ("Question", "Value", "How it is computed"), (40, 15, 45),
               [(f"{f.question_id} {f.question}", f.answer, f.note) for f in part.computed])


def _group(doc: DocumentObject, part: GroupPart) -> None:
    doc.add_heading(part.title, level=3)
    doc.add_paragraph(part.rows_text)
    if part.rows:
        _table(doc, part.headers, part.widths, part.rows)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member stamped ZIP_TIME, so bytes depend on content only."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(view: ReportView) -> bytes:
    """The report as .docx bytes."""
    doc = Document()
    _setup(doc, view)
    doc.add_heading(view.title, level=1)
    _table(doc, (), (30, 70), list(view.cover), header_row=False)
    doc.add_heading("Summary", level=2)
    p = doc.add_paragraph()
    p.add_run(f"{view.headline_label}: {view.headline}").bold = True
    doc.add_paragraph(f"Coverage: {view.coverage}.")
    for line in (view.summary or "No summary has been written yet.").split("\n"):
        doc.add_paragraph(line)
    doc.add_heading("Findings by section", level=2)
    for part in view.parts:
        if isinstance(part, SectionPart):
            _section(doc, part)
        else:
            _group(doc, part)
    doc.add_heading("Immediate concerns and escalation", level=2)
    if view.concerns:
        doc.add_paragraph("These concerns were raised on the day; the evidence records what was "
                          "found and who was told.")
        _findings(doc, view.concerns, "Answer")
    else:
        doc.add_paragraph("No critical question was answered with a concern.")
    if view.records:
        doc.add_paragraph().add_run("Escalation records").bold = True
        _table(doc, ("Record", "Detail"), (40, 60),
               [(f"{r.question_id} {r.question}", r.detail) for r in view.records])
    doc.add_heading("What people told us", level=2)
    if view.voices:
        _table(doc, ("Question", "What we heard"), (40, 60),
               [(f"{v.question_id} {v.question}", v.detail) for v in view.voices])
    elif view.people_voice_marked:
        doc.add_paragraph("No feedback from people was recorded.")
    else:
        doc.add_paragraph("This template does not mark any questions as people's voice; see "
                          "the evidence under each section.")
    doc.add_heading("Actions", level=2)
    if view.actions:
        _table(doc, ("Action", "Owner", "Due", "Priority", "Status"), ACTION_WIDTHS,
               [(a.description, a.owner, a.due, a.priority, a.status) for a in view.actions])
    else:
        doc.add_paragraph("No actions were raised.")
    doc.add_heading("Factual accuracy", level=2)
    doc.add_paragraph(view.deadline_text)
    doc.add_heading("Sign-off", level=2)
    rows = [(name, "Assessor", "", "") for name in view.assessors]
    if view.reviewer:
        rows.append((view.reviewer, "Reviewer", "", ""))
    _table(doc, ("Name", "Role", "Signature", "Date"), (35, 20, 30, 15), rows,
           row_height=Mm(10))
    doc.add_paragraph(f"Deadline for comments: {long_date(view.deadline)}.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())
