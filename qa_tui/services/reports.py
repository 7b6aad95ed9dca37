"""The provider report as a use case: from an assessment here or from a return file.

Both sources become the same :class:`qa_tui.returns.ReturnData` (a return file is verified
first, through the one reader import and consolidation use), so the report of an assessment and
the report of its exported return are the same text. The same gates as export apply: the bin,
and probable patient identifiers (refused unless allowed). Files are written privately (0600)
under a temporary name and renamed, like returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_tui.errors import InvalidInput, ReasonCode, Refused
from qa_tui.report import FORMATS, ReportView, build_view, render
from qa_tui.returns import ReturnData, SaveOutcome, read_return, return_filename, save_file
from qa_tui.services.assessments import AssessmentService
from qa_tui.services.privacy import scan_return
from qa_tui.services.returns import return_data
from qa_tui.templates import Template


@dataclass(frozen=True)
class ReportResult:
    assessment_id: str
    revision: int
    path: Path
    outcome: SaveOutcome
    fmt: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.assessment_id, "revision": self.revision, "path": str(self.path),
                "outcome": self.outcome, "format": self.fmt}


def report_filename(data: ReturnData, fmt: str) -> str:
    """The return's own name with ``-report``: ``ZCC_qa-visit_2025-06-24_8c4eed7e-report.docx``."""
    name = return_filename(org_code=data.org_code, org_name=data.org_name,
                           template_id=data.template_id, visit_date=data.visit_date,
                           return_id=data.id, extension=fmt)
    stem, _, ext = name.rpartition(".")
    return f"{stem}-report.{ext}"


def looks_like_file(target: str) -> bool:
    """A report source that names a file rather than an assessment id."""
    return target.lower().endswith((".xlsx", ".xlsm")) or Path(target).is_file()


class ReportService:
    def __init__(self, assessments: AssessmentService, export_dir: Path) -> None:
        self.assessments = assessments
        self.export_dir = export_dir

    def source(self, target: str) -> tuple[ReturnData, Template, str]:
        """The data and template of ``target`` (an id, an id prefix or a return file), and
        the place to name in refusals."""
        if looks_like_file(target):
            verified = read_return(target)
            return verified.data, verified.template, str(verified.path)
        detail = self.assessments.get(self.assessments.resolve_id(target))
        if detail.record.deleted_at is not None:
            raise Refused("this assessment is in the bin; restore it to report on it",
                          where=detail.id[:8])
        return return_data(detail), detail.template, detail.id[:8]

    def reviewer_of(self, data: ReturnData) -> str | None:
        """The reviewer named in the sign-off block: the second reviewer who approved it."""
        if data.review is not None and data.review.state == "approved":
            return data.review.reviewer
        return None

    def view(self, target: str, *, allow_identifiers: bool = False) -> ReportView:
        """The report's content, after the identifier gate."""
        return self._gated(target, allow_identifiers)[1]

    def _gated(self, target: str, allow_identifiers: bool) -> tuple[ReturnData, ReportView]:
        data, template, where = self.source(target)
        if not allow_identifiers:
            hits = scan_return(data, template)
            if hits:
                raise Refused("probable patient identifiers; remove them",
                              [hit.reason() for hit in hits], where=where,
                              code=ReasonCode.IDENTIFIER)
        return data, build_view(data, template, reviewer=self.reviewer_of(data),
                                perspective=data.perspective)

    def write(self, target: str, out_dir: Path | None = None, *, fmt: str = "docx",
              force: bool = False, allow_identifiers: bool = False) -> ReportResult:
        """Write the report of ``target`` into ``out_dir`` (default: the export folder).
        A different file already there (perhaps edited in Word) is kept unless ``force``."""
        if fmt not in FORMATS:
            raise InvalidInput(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        data, view = self._gated(target, allow_identifiers)
        path = Path(out_dir or self.export_dir) / report_filename(data, fmt)
        try:
            outcome = save_file(path, render(view, fmt), force=force)
        except Refused as exc:
            if not path.exists():
                raise
            raise ReportFileExists(exc.message, where=str(path)) from None
        return ReportResult(data.id, data.revision, path, outcome, fmt)


class ReportFileExists(Refused):
    """A different report already has the name (perhaps edited in Word since): a person may
    choose to replace it (``force``); nothing is replaced silently."""

    code = ReasonCode.FILE_EXISTS
