"""Comparison on a template with repeating groups and computed questions: ``qa-tui compare``,
the Compare screen, the Self vs ICB sheet and the committee pack neither crash nor misreport.

Hand-computed (risk-test, tests/groups_support.py): A, the walked ICB visit, answers C1 No and
C2 Yes (NOS, the count of No, = 1) and has four risks scored 12 High, 25 Extreme, 2 Low and
6 Moderate. B, the provider's self-assessment, answers C1 Yes and C2 No (NOS = 1) and has one
risk scored 2 x 2 = 4 Moderate and a second row left blank (no value). Agreement rests on C1
and C2 only (two steps apart each way): NOS is computed, never counted as blank.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from qa_tui.config import Paths
from qa_tui.returns.files import save_file
from qa_tui.returns.writer import write_return
from qa_tui.services import Services
from qa_tui.services.compare import compare_assessments
from qa_tui.services.returns import return_data
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.compare import CompareScreen
from tests.groups_support import risk_services, walked_risk_visit

from tests.conftest import run_cli
from tests.test_consolidate_support import table_rows
from tests.test_ui_support import pilot_test, screen_text, until

SUMMARY = ("RISK (Risk register): A 4 rows, B 2 rows; SCORE bands A: Low 1, Moderate 1, High 1, "
           "Extreme 1; B: Moderate 1, no value 1")
NOT_COMPARED = "Rows of repeating groups are not compared row by row"


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = risk_services(paths)
    yield services
    services.close()


def pair(svc: Services) -> tuple[str, str]:
    a = walked_risk_visit(svc)
    s = svc.assessments
    b = s.start("risk-test", org_name="Riverside Care", org_code="ZRV", visit_date="2026-04-01",
                assessors=["B. Provider"]).id
    s.answer(b, "C1", "y")
    s.answer(b, "C2", "n")
    s.add_row(b, "RISK")
    s.add_row(b, "RISK")
    for field, value in (("DESC", "Agency staff"), ("LIKELIHOOD", "2"), ("CONSEQUENCE", "2")):
        s.answer(b, f"RISK[1].{field}", value)
    return a, b


def test_computed_questions_are_shown_not_counted_and_groups_summarised(svc: Services) -> None:
    a, b = pair(svc)
    c = compare_assessments(svc.assessments, a, b).comparison
    assert (c.agreement.n, c.agreement.unanswered, c.agreement.na) == (2, 0, 0)
    nos = next(q for q in c.questions if q.id == "NOS")
    assert nos.computed and (nos.a_label, nos.b_label, nos.delta, nos.steps) == ("1", "1", 0.0,
                                                                                 None)
    assert nos.a_note == "count of 'No' in C1, C2 = 1 (C1)"
    assert not any("[" in q.id for q in c.questions)  # no row field is paired across sides
    (group,) = c.groups
    assert (group.group, group.a_rows, group.b_rows) == ("RISK", 4, 2)
    assert group.summary == SUMMARY


def test_compare_cli_json_text_and_workbook(cli, svc: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = pair(svc)
    svc.assessments.answer(b, "C2", "y")  # now B has no No: NOS 0 against A's 1
    out = tmp_path / "cmp.xlsx"
    r = cli("compare", a, b, "--json", "-o", str(out))
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["agreement"]["unanswered"] == 0 and data["agreement"]["n"] == 2
    nos = next(q for q in data["questions"] if q["id"] == "NOS")
    assert (nos["computed"], nos["a"]["value"], nos["b"]["value"], nos["delta"]) == (
        True, 1, 0, -1.0)
    assert next(q for q in data["questions"] if q["id"] == "C1")["computed"] is False
    (group,) = data["groups"]
    assert group["compared"] is False and (group["a_rows"], group["b_rows"]) == (4, 2)
    assert group["bands"] == {"SCORE": {"a": {"Low": 1, "Moderate": 1, "High": 1, "Extreme": 1},
                                        "b": {"Moderate": 1, "no value": 1}}}
    text = cli("compare", a, b).out
    assert "   NOS      A: 1  B: 0  (computed)" in text
    assert "blank on either side 0" in text
    assert f"{NOT_COMPARED} (each assessment lists its own rows):" in text
    assert f"  {SUMMARY}" in text
    rows = {r[0]: r[1] for r in load_workbook(out)["Agreement"].iter_rows(values_only=True)}
    assert rows["Blank on either side"] == 0
    assert rows["Repeating groups"].startswith(NOT_COMPARED)
    assert rows["Group RISK"] == SUMMARY


def test_a_template_without_groups_says_nothing_of_rows(cli) -> None:  # type: ignore[no-untyped-def]
    a = cli("new", "--template", "cqc-saf-well-led", "--org", "Trust A").out.strip()
    b = cli("new", "--template", "cqc-saf-well-led", "--org", "Trust B").out.strip()
    r = cli("compare", a, b, "--json")
    assert r.code == 0 and json.loads(r.out)["groups"] == []
    assert "repeating" not in cli("compare", a, b).out


@pilot_test
async def test_the_compare_screen_summarises_the_groups(svc: Services) -> None:
    a, b = pair(svc)
    app = build_app(services=svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(CompareScreen(compare_assessments(svc.assessments, a, b)))
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "the Compare screen")
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "Left out: 0 N/A on either side · 0 blank on either side." in text
        assert NOT_COMPARED in text
        assert "RISK (Risk register): A 4 rows, B 2 rows" in text


def _export(svc: Services, aid: str, folder: Path, perspective: str) -> None:
    detail = svc.assessments.get(aid)
    document = return_data(detail).to_document()
    document["assessment"]["perspective"] = perspective
    save_file(folder / f"{aid[:8]}-{perspective}.xlsx", write_return(document, detail.template))


def _notes(ws: Any) -> str:
    (table,) = ws.tables.values()
    top = int(table.ref.split(":")[0][1:])
    return " ".join(c.value for c in ws["A"][1:top - 1] if isinstance(c.value, str))


def test_self_vs_icb_and_the_committee_pack_with_rows(svc: Services, tmp_path: Path) -> None:
    a, b = pair(svc)
    svc.assessments.answer(b, "RISK[2].DESC", "Estates")
    svc.assessments.answer(b, "RISK[2].LIKELIHOOD", "1")
    svc.assessments.answer(b, "RISK[2].CONSEQUENCE", "1")
    svc.assessments.complete(b)
    returns = tmp_path / "returns"
    returns.mkdir()
    _export(svc, a, returns, "icb")
    _export(svc, b, returns, "self")
    out = tmp_path / "pack.xlsx"
    r = run_cli("consolidate", str(returns), "-o", str(out), "--json",
                env={"QA_TUI_HOME": str(tmp_path / "home")})
    assert r.code == 0, r.err
    assert json.loads(r.out)["self_vs_icb_pairs"] == 1
    wb = load_workbook(out)
    ws = wb["Self vs ICB"]
    rows = table_rows(ws)
    key = "Largest disagreements (self vs ICB / peer)"
    assert [(x["Section"], x["Self rating"], x["ICB / peer rating"], x[key]) for x in rows] == [
        ("Overall", "Good", "Good", "C1: self Yes, ICB No (+2); C2: self No, ICB Yes (-2)"),
        ("Checks", "Good", "Good", "C1: self Yes, ICB No (+2); C2: self No, ICB Yes (-2)"),
    ]
    notes = " ".join(_notes(ws).split())
    assert ("Rows of repeating groups (Risk register test: RISK) are not compared: each return "
            "lists its own rows") in notes
    committee = " ".join(_notes(wb["Committee"]).split())
    assert ("Repeating groups (Risk register test: RISK) are not rated and not summarised "
            "here: each return's rows are on Responses") in committee
    responses = table_rows(wb["Responses"])
    assert {(x["Question id"], x["Row"]) for x in responses if x["Row"]} >= {
        ("SCORE", 1), ("SCORE", 2), ("SCORE", 4), ("DESC", 2)}
