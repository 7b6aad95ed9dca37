"""The provider feedback report: a plain view of one assessment, drawn as Word or HTML.

Below the services layer: fed by a return's data and its template, it knows nothing of storage
or of Textual. ``python-docx`` is imported only when a Word document is drawn.
"""

from __future__ import annotations

from qa_tui.report.build import build_view, classify
from qa_tui.report.holidays import add_working_days, bank_holidays, is_working_day
from qa_tui.report.html import render_html
from qa_tui.report.view import ActionLine, Finding, GroupPart, ReportView, SectionPart, long_date

FORMATS = ("docx", "html")


def render(view: ReportView, fmt: str) -> bytes:
    """The report in ``fmt`` (``docx`` or ``html``)."""
    if fmt == "html":
        return render_html(view)
    from qa_tui.report.word import render_docx

    return render_docx(view)


__all__ = [
    "FORMATS", "ActionLine", "Finding", "GroupPart", "ReportView", "SectionPart", "add_working_days",
    "bank_holidays", "build_view", "classify", "is_working_day", "long_date", "render",
    "render_html",
]
