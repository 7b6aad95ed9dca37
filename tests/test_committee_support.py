"""Returns with known answers for the committee tests: a four-question visit template, a few
organisations with hand-computed ratings, exported through the real services."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from qa_tui.services import Services

from .test_consolidate_support import services_at

MINI_VISIT = """
id = "mini-visit"
version = "1"
title = "Mini visit"
kind = "visit"
description = "Four questions, for tests."
source = "tests"

[scales.ypn]
title = "Yes / Partly / No"
allow_na = true
options = [
  { value = 2, label = "Yes" },
  { value = 1, label = "Partly" },
  { value = 0, label = "No", concern = true },
]

[scoring]
method = "percent_bands"
bands = [
  { low = 0, high = 49, rating = "Inadequate" },
  { low = 50, high = 79, rating = "Requires improvement" },
  { low = 80, high = 94, rating = "Good" },
  { low = 95, high = 100, rating = "Outstanding" },
]

[[sections]]
id = "safe"
title = "Safe"

[[sections.questions]]
id = "Q1"
text = "Staff know how to raise a safeguarding concern."
scale = "ypn"
critical = true
required = false

[[sections.questions]]
id = "Q2"
text = "The environment is clean."
scale = "ypn"
required = false

[[sections.questions]]
id = "Q3"
text = "Staffing matches the rota."
scale = "ypn"
required = false

[[sections.questions]]
id = "Q4"
text = "People say they are treated with dignity."
scale = "ypn"
required = false
"""

AS_OF = dt.date(2026, 5, 15)
"""Judged in 2026/27 Q1, so the default --since is 1 April 2026."""
ESCALATION_NOTE = "Locked door; staff did not know the safeguarding lead"


@dataclass(frozen=True)
class Visit:
    org: str
    code: str | None
    date: str
    answers: tuple[str, ...]
    """Q1..Q4 in order; "" leaves a question blank."""
    complete: bool = True
    overdue_high: bool = False


VISITS = (
    # Alpha, one ODS code under three spellings: Outstanding, then Good (31 March), then
    # Requires improvement with a safeguarding escalation (1 April): worse.
    Visit("Alpha Care", "RAA", "2025-12-01", ("Yes", "Yes", "Yes", "Yes")),       # 100%
    Visit("Alpha Care Limited", "raa", "2026-03-31", ("Yes", "Yes", "Yes", "Partly")),  # 88%
    Visit("Alpha Care", "RAA", "2026-04-01", ("No", "Yes", "Yes", "Yes")),        # 75%
    # Beta: Requires improvement, then Outstanding (better); a later draft.
    Visit("Beta House", "RBB", "2026-02-10", ("Yes", "Partly", "Partly", "Partly")),  # 63%
    Visit("Beta House", "RBB", "2026-05-01", ("Yes", "Yes", "Yes", "Yes")),       # 100%
    Visit("Beta House", "RBB", "2026-05-10", ("Partly", "No", "", ""), complete=False),  # 25%
    # Gamma, no code: Good, with an overdue high-priority action.
    Visit("Gamma Lodge", None, "2026-04-20", ("Yes", "Yes", "Yes", "Partly"), overdue_high=True),
    # Delta: two answers of four, a provisional Outstanding.
    Visit("Delta Clinic", "RDD", "2026-04-25", ("Yes", "Yes", "", "")),
)


def mini_services(root: Path, name: str = "committee") -> Services:
    folder = root / name / "config" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mini-visit.toml").write_text(MINI_VISIT, encoding="utf-8")
    return services_at(root, name)


def record(svc: Services, visit: Visit) -> str:
    detail = svc.assessments.start("mini-visit", org_name=visit.org, org_code=visit.code,
                                   visit_date=visit.date, assessors=["A. Tester"])
    aid = detail.record.id
    for qid, value in zip(("Q1", "Q2", "Q3", "Q4"), visit.answers, strict=True):
        if value:
            svc.assessments.answer(aid, qid, value)
        if value == "No" and qid == "Q1":
            svc.assessments.set_note(aid, qid, ESCALATION_NOTE)
    if visit.overdue_high:
        svc.assessments.add_action(aid, "Review the medicines audit", owner="Matron",
                                   due="2026-05-01", priority="high")
    if visit.complete:
        svc.assessments.complete(aid)
    return aid


def export_visits(root: Path, visits: tuple[Visit, ...] = VISITS) -> Path:
    """Each visit recorded and exported to ``root/returns``; the folder is returned."""
    svc = mini_services(root)
    out = root / "returns"
    try:
        for visit in visits:
            svc.returns.export(record(svc, visit), out)
    finally:
        svc.close()
    return out


def committee_rows(path: Path) -> list[dict[str, Any]]:
    """The Committee table's rows (the one table on the sheet), by header."""
    ws = load_workbook(path)["Committee"]
    (table,) = ws.tables.values()
    cells = ws[table.ref]
    header = [c.value for c in cells[0]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]
            if row[0].value is not None]


def pdf_pages(xlsx: Path, sheet: str, scratch: Path) -> tuple[int, str]:
    """Print one sheet with LibreOffice (a copy holding only it) and return (pages, page size).

    Never skips: LibreOffice is a test dependency here and in CI (.ci/run installs it)."""
    wb = load_workbook(xlsx)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    single = scratch / f"{sheet}-only.xlsx"
    wb.save(single)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to check how the workbook prints"
    profile = scratch / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(scratch), str(single)],
                   check=True, capture_output=True, timeout=240)
    pdf = single.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["Pages"].strip()), fields["Page size"].strip()
