"""The "Self vs ICB" sheet from the outside: self-assessments and ICB visits of one template,
recorded and exported through the real services, consolidated through the real CLI, the sheet
read back with openpyxl.

Template: two sections of two Yes (2) / Partly (1) / No (0) questions, percent bands
Inadequate <50, Requires improvement 50-79, Good 80-94, Outstanding 95+. Hand-computed:

- Oakham (ROK; the ICB returns spell it "Oakham Care Ltd", code "rok", and the latest spelling
  names it, as on Committee): self all Yes ->
  Outstanding everywhere. ICB (latest, 1 May) No, Partly, Yes, Partly -> Safe 1/4 = 25%
  Inadequate, Caring 3/4 = 75% Requires improvement, overall 4/8 = 50% Requires improvement.
  Gaps self minus ICB: overall +2, Safe +3, Caring +2: over-confident. An older ICB visit
  (all Yes) and a later ICB draft must not be the one paired.
- Birch (RBI): self Yes, Partly, Yes, Partly (75% RI in both sections, 75% overall RI); ICB
  Yes, Partly, Partly, Partly (Safe 75% RI, Caring 50% RI, overall 63% RI): no rating gap,
  one question one step apart (Q3).
- Cedar (RCE): a self return only.
- Dove (RDO): a peer review rather than an ICB visit: self Yes, Yes, Yes, No (Safe 100%
  Outstanding, Caring 2/4 = 50% RI, overall 6/8 = 75% RI); peer Yes, Yes, Yes, Partly (Caring
  3/4 = 75% RI, overall 7/8 = 88% Good): overall -1 (self below the peer), Q4 -1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from qa_tui.returns.files import save_file
from qa_tui.returns.writer import write_return
from qa_tui.services import Services
from qa_tui.services.returns import return_data

from tests.conftest import call_cli
from tests.test_committee_support import pdf_pages
from tests.test_consolidate_support import services_at, table_rows

TEMPLATE = """
id = "mini-self"
version = "1"
title = "Mini well-led"
kind = "self-assessment"
description = "Four questions in two sections, for tests."
source = "tests"

[scales.ypn]
title = "Yes / Partly / No"
allow_na = true
options = [
  { value = 2, label = "Yes" },
  { value = 1, label = "Partly" },
  { value = 0, label = "No" },
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
required = false

[[sections.questions]]
id = "Q2"
text = "The environment is clean."
scale = "ypn"
required = false

[[sections]]
id = "caring"
title = "Caring"

[[sections.questions]]
id = "Q3"
text = "People are treated with dignity."
scale = "ypn"
required = false

[[sections.questions]]
id = "Q4"
text = "People are involved in their care."
scale = "ypn"
required = false
"""

# org, code, visit date, perspective, answers Q1..Q4, complete
RETURNS = (
    ("Oakham Care", "ROK", "2026-03-01", "self", ("Yes", "Yes", "Yes", "Yes"), True),
    ("Oakham Care Ltd", "rok", "2026-01-10", "icb", ("Yes", "Yes", "Yes", "Yes"), True),
    ("Oakham Care Ltd", "rok", "2026-05-01", "icb", ("No", "Partly", "Yes", "Partly"), True),
    ("Oakham Care Ltd", "rok", "2026-06-01", "icb", ("Yes", "Yes", "Yes", "Yes"), False),
    ("Birch House", "RBI", "2026-02-01", "self", ("Yes", "Partly", "Yes", "Partly"), True),
    ("Birch House", "RBI", "2026-04-01", "icb", ("Yes", "Partly", "Partly", "Partly"), True),
    ("Cedar Lodge", "RCE", "2026-02-15", "self", ("Yes", "Yes", "Partly", "Yes"), True),
    ("Dove Court", "RDO", "2026-02-20", "self", ("Yes", "Yes", "Yes", "No"), True),
    ("Dove Court", "RDO", "2026-03-20", "peer", ("Yes", "Yes", "Yes", "Partly"), True),
)
RI = "Requires improvement"


def export(svc: Services, aid: str, out: Path, perspective: str) -> None:
    """The real export; an ICB return is the same return with ``perspective: icb`` (the key
    the perspective work adds; the reader already honours it)."""
    if perspective == "self":
        svc.returns.export(aid, out)
        return
    detail = svc.assessments.get(aid)
    document = return_data(detail).to_document()
    document["assessment"]["perspective"] = perspective
    save_file(out / f"{aid[:8]}-{perspective}.xlsx", write_return(document, detail.template))


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("selfvsicb")
    folder = root / "svi" / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "mini-self.toml").write_text(TEMPLATE, encoding="utf-8")
    svc = services_at(root, "svi")
    returns = root / "returns"
    returns.mkdir()
    try:
        for org, code, date, perspective, answers, complete in RETURNS:
            aid = svc.assessments.start("mini-self", org_name=org, org_code=code,
                                        visit_date=date, assessors=["A. Tester"]).record.id
            for qid, value in zip(("Q1", "Q2", "Q3", "Q4"), answers, strict=True):
                svc.assessments.answer(aid, qid, value)
            if complete:
                svc.assessments.complete(aid)
            export(svc, aid, returns, perspective)
    finally:
        svc.close()
    out = root / "pack.xlsx"
    r = call_cli("consolidate", str(returns), "-o", str(out), "--json",
                 env={"QA_TUI_HOME": str(root / "home")})
    assert r.code == 0, r.err
    plain = call_cli("consolidate", str(returns), "-o", str(root / "again.xlsx"),
                     env={"QA_TUI_HOME": str(root / "home")})
    assert "3 self vs ICB pair(s), 1 over-confident" in plain.out + plain.err
    # --approved-only: none of these returns was approved, so nothing is paired either
    approved = call_cli("consolidate", str(returns), "-o", str(root / "approved.xlsx"), "--json",
                        "--approved-only", env={"QA_TUI_HOME": str(root / "home")})
    assert json.loads(approved.out)["self_vs_icb_pairs"] == 0, approved.err
    return out, json.loads(r.out)


def sheet_rows(out: Path) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    wb = load_workbook(out)
    ws = wb["Self vs ICB"]
    (table,) = ws.tables.values()
    top = int(table.ref.split(":")[0][1:])
    notes = [c.value for c in ws["A"][1:top - 2] if isinstance(c.value, str)]
    return wb.sheetnames, table_rows(ws), notes


def test_pairs_gaps_order_and_flags(pack: tuple[Path, dict[str, Any]]) -> None:
    out, data = pack
    names, rows, _ = sheet_rows(out)
    assert names.index("Self vs ICB") == names.index("Escalations") + 1
    got = [(r["Organisation"], r["ODS code"], r["Section"], r["Self rating"],
            r["ICB / peer rating"], r["Gap in steps (self minus ICB)"], r["Flag"])
           for r in rows]
    over = "Over-confident: self {} steps above"
    assert got == [
        ("Oakham Care Ltd", "ROK", "Overall", "Outstanding", RI, 2, over.format(2)),
        ("Oakham Care Ltd", "ROK", "Safe", "Outstanding", "Inadequate", 3, over.format(3)),
        ("Oakham Care Ltd", "ROK", "Caring", "Outstanding", RI, 2, over.format(2)),
        ("Birch House", "RBI", "Overall", RI, RI, 0, None),
        ("Birch House", "RBI", "Safe", RI, RI, 0, None),
        ("Birch House", "RBI", "Caring", RI, RI, 0, None),
        ("Dove Court", "RDO", "Overall", RI, "Good", -1, None),
        ("Dove Court", "RDO", "Safe", "Outstanding", "Outstanding", 0, None),
        ("Dove Court", "RDO", "Caring", RI, RI, 0, None),
    ]
    oakham, safe, caring, birch, birch_safe, birch_caring, dove, _, dove_caring = rows
    assert (oakham["Self score %"], oakham["ICB / peer score %"]) == (100, 50)
    assert (safe["Self score %"], safe["ICB / peer score %"]) == (100, 25)
    assert {r["Compared with"] for r in rows[:6]} == {"icb"}
    assert {r["Compared with"] for r in rows[6:]} == {"peer"}
    key = "Largest disagreements (self vs ICB / peer)"
    assert oakham[key] == ("Q1: self Yes, ICB No (+2); Q2: self Yes, ICB Partly (+1); "
                           "Q4: self Yes, ICB Partly (+1)")
    assert safe[key] == "Q1: self Yes, ICB No (+2); Q2: self Yes, ICB Partly (+1)"
    assert caring[key] == "Q4: self Yes, ICB Partly (+1)"
    assert birch_caring[key] == "Q3: self Yes, ICB Partly (+1)"
    assert birch_safe[key] is None and birch["Template"] == "Mini well-led"
    assert dove_caring[key] == "Q4: self No, peer Partly (-1)" == dove[key]
    assert (data["self_vs_icb_pairs"], data["overconfident"]) == (3, 1)


def test_header_names_the_pairs_and_the_one_sided(pack: tuple[Path, dict[str, Any]]) -> None:
    out, _ = pack
    _, _, notes = sheet_rows(out)
    assert all(len(n) <= 190 for n in notes)  # wrapped to the printed width
    text = " ".join(notes)
    assert "Pairs made (3): Birch House (mini-self): self 01 Feb 2026" in text
    assert "Dove Court (mini-self): self 20 Feb 2026 (" in text and "with peer 20 Mar 2026" in text
    assert "Oakham Care Ltd (mini-self): self 01 Mar 2026" in text  # the latest spelling
    assert "with icb 01 May 2026" in text  # the latest completed ICB visit, not the draft
    assert "10 Jan 2026" not in text and "01 Jun 2026" not in text
    assert "Only one side (1): Cedar Lodge (mini-self): self only." in text


def test_prints_like_the_committee_sheet(pack: tuple[Path, dict[str, Any]],
                                        tmp_path: Path) -> None:
    ws = load_workbook(pack[0])["Self vs ICB"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    (table,) = ws.tables.values()
    top = table.ref.split(":")[0][1:]
    assert ws.print_title_rows == f"${top}:${top}" and ws.print_area
    pages, size = pdf_pages(pack[0], "Self vs ICB", tmp_path)  # LibreOffice, never skipped
    assert pages == 1 and "(A4)" in size


def test_no_pairs_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "only" / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "mini-self.toml").write_text(TEMPLATE, encoding="utf-8")
    svc = services_at(tmp_path, "only")
    try:
        aid = svc.assessments.start("mini-self", org_name="Solo", org_code="RSO",
                                    visit_date="2026-01-01", assessors=["A"]).record.id
        svc.assessments.answer(aid, "Q1", "Yes")
        svc.assessments.complete(aid)
        svc.returns.export(aid, tmp_path / "returns")
    finally:
        svc.close()
    out = tmp_path / "pack.xlsx"
    r = call_cli("consolidate", str(tmp_path / "returns"), "-o", str(out), "--json",
                 env={"QA_TUI_HOME": str(tmp_path / "home")})
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert (data["self_vs_icb_pairs"], data["overconfident"]) == (0, 0)
    _, rows, notes = sheet_rows(out)
    assert [r["Organisation"] for r in rows] == [
        "No organisation has both a self and an ICB or peer return of one template in this "
        "batch."]
    assert any("Only one side (1): Solo (mini-self): self only." in n for n in notes)
