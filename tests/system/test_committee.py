"""The committee pack from the outside: crafted returns with hand-computed ratings, consolidated
through the real CLI, the workbook read back with openpyxl and printed with LibreOffice.

The visits (tests/test_committee_support.py): Alpha (one ODS code under three spellings)
Outstanding -> Good on 31 March -> Requires improvement with a safeguarding escalation on
1 April; Beta Requires improvement -> Outstanding, then a draft; Gamma (no code) Good with an
overdue high-priority action; Delta two answers of four (a provisional Outstanding). Judged
as of 15 May 2026, so escalations count from 1 April 2026 (2026/27 Q1).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from qa_tui.consolidate.quarters import fy_quarter, quarter_label, quarter_start
from qa_tui.consolidate.register import parse_register
from qa_tui.consolidate.summary import perspective_of
from qa_tui.returns.layout import rating_fill

from tests.conftest import call_cli
from tests.test_committee_support import (
    AS_OF,
    ESCALATION_NOTE,
    Visit,
    committee_rows,
    export_visits,
    pdf_pages,
)
from tests.test_consolidate_support import table_rows, tables

RATINGS = ("Inadequate", "Requires improvement", "Good", "Outstanding")
REGISTER = """RAA,ALPHA CARE HOMES LIMITED,Y63,QHM,1 High Street,,Newcastle,,,NE1 1AA,20000101
RBB,BETA HOUSE,Y63,QHM,2 High Street,,Durham,,,DH1 1AA,20000101
RGG,GAMMA LODGE,Y63,QHM,3 High Street,,Sunderland,,,SR1 1AA,20000101
"""


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_visits(tmp_path_factory.mktemp("committee"))


def consolidate(returns: Path, out: Path, *args: str) -> dict[str, Any]:
    r = call_cli("consolidate", str(returns), "-o", str(out), "--as-of", AS_OF.isoformat(),
                 "--json", *args, env={"QA_TUI_HOME": str(out.parent / "home")})
    assert r.code == 0, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


@pytest.fixture(scope="module")
def default_run(returns: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("default") / "pack.xlsx"
    return out, consolidate(returns, out)


def test_committee_rows_order_direction_and_escalations(default_run: tuple[Path, dict]) -> None:
    out, data = default_run
    rows = committee_rows(out)
    assert [(r["Organisation"], r["ODS code"]) for r in rows] == [
        ("Alpha Care", "RAA"), ("Gamma Lodge", None), ("Delta Clinic", "RDD"),
        ("Beta House", "RBB")]  # attention first: escalation, overdue, provisional, none
    alpha, gamma, delta, beta = rows
    esc = "Escalations since 01 Apr 2026"  # the start of the quarter of --as-of
    assert alpha["Rating (coverage)"] == "Requires improvement (100% coverage)"
    assert alpha["Previous rating"] == "Good" and alpha["Direction of travel"] == "worse"
    assert alpha[esc] == 1 and alpha["Latest return"].date() == dt.date(2026, 4, 1)
    assert alpha["Perspective"] == "icb"  # a visit template, no perspective key
    assert alpha["Headline"].startswith("1 escalation since 01 Apr 2026; worse than before")
    assert gamma["Rating (coverage)"] == "Good (100% coverage)"
    assert gamma["Open high-priority actions"] == 1 == gamma["Overdue high-priority actions"]
    assert gamma["Previous rating"] is None and gamma["Direction of travel"] is None
    assert delta["Rating (coverage)"] == "Provisional: Outstanding (50% coverage)"
    assert "provisional" in delta["Headline"]
    assert beta["Rating (coverage)"] == "Outstanding (100% coverage)"  # the draft left out
    assert beta["Previous rating"] == "Requires improvement"
    assert beta["Direction of travel"] == "better" and beta[esc] == 0
    assert beta["Headline"].startswith("No concerns flagged")
    assert (data["drafts_excluded"], data["escalations"], data["orgs_unmatched"]) == (1, 1, 0)


def test_committee_header_states_what_is_included(default_run: tuple[Path, dict]) -> None:
    out, _ = default_run
    ws = load_workbook(out)["Committee"]
    head = [ws.cell(row=i, column=1).value for i in range(1, 5)]
    assert head[0] == "Quality committee summary"
    assert head[1].startswith("Batch: 8 files from ")
    assert head[2] == "Returns: 8 accepted, 0 superseded, 0 rejected; 1 draft left out of ratings."
    assert "(4 organisations, visits 01 Dec 2025 to 01 May 2026)" in head[3]
    assert "escalations counted from 01 Apr 2026" in head[3]
    fill = ws.cell(row=7, column=6).fill.fgColor.rgb  # Alpha's rating on its colour
    assert ws.row_dimensions[7].height > 30  # tall enough for its wrapped headline
    assert fill.endswith(rating_fill(RATINGS.index("Requires improvement"), 4))


def test_escalations_are_apart_from_data_quality(default_run: tuple[Path, dict]) -> None:
    out, _ = default_run
    wb = load_workbook(out)
    (row,) = table_rows(wb["Escalations"])
    assert row["Organisation"] == "Alpha Care" and row["Question id"] == "Q1"
    assert row["Visit date"].date() == dt.date(2026, 4, 1) and row["Answer"] == "No"
    assert row["Escalation record"] == ESCALATION_NOTE
    assert row["Question"] == "Staff know how to raise a safeguarding concern."
    kinds = {r["Exception"] for r in table_rows(wb["Exceptions"])}
    assert "Escalation" not in kinds


def test_drafts_come_in_only_when_asked_and_are_marked(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts.xlsx"
    data = consolidate(returns, out, "--include-drafts")
    assert data["drafts_excluded"] == 0
    beta = next(r for r in committee_rows(out) if r["Organisation"] == "Beta House")
    # the draft: Partly + No of four = 25%, from 2 of 4 answers
    assert beta["Rating (coverage)"] == "Provisional: Inadequate (50% coverage) (draft)"
    assert beta["Previous rating"] == "Outstanding" and beta["Direction of travel"] == "worse"
    ratings = [r for rows in tables(load_workbook(out)["Ratings"]).values() for r in rows]
    assert len(ratings) == 8 and any(r["Status"] == "draft" for r in ratings)


def test_ratings_sheet_leaves_drafts_out_by_default(default_run: tuple[Path, dict]) -> None:
    out, _ = default_run
    rows = [r for rows in tables(load_workbook(out)["Ratings"]).values() for r in rows]
    assert len(rows) == 7 and all(r["Status"] == "complete" for r in rows)
    delta = next(r for r in rows if r["Organisation"] == "Delta Clinic")
    assert delta["Overall"] == "Outstanding (provisional: 50% of scored questions answered)"


def test_trend_puts_returns_in_their_financial_quarter(default_run: tuple[Path, dict]) -> None:
    out, _ = default_run
    ws = load_workbook(out)["Trend"]
    found = tables(ws)
    grid = {r["Organisation"]: r for r in found["Trend1"]}
    assert list(found["Trend1"][0])[2:] == ["2025/26 Q3", "2025/26 Q4", "2026/27 Q1"]
    alpha = grid["Alpha Care"]  # 31 March is 2025/26 Q4; 1 April is 2026/27 Q1
    assert (alpha["2025/26 Q3"], alpha["2025/26 Q4"], alpha["2026/27 Q1"]) == \
        ("Outstanding", "Good", "Requires improvement")
    assert (grid["Beta House"]["2025/26 Q4"], grid["Beta House"]["2026/27 Q1"]) == \
        ("Requires improvement", "Outstanding")
    assert grid["Delta Clinic"]["2026/27 Q1"] == "Outstanding (provisional)"
    counts = {r["Quarter"]: r for r in found["TrendCount1"]}
    assert counts["2025/26 Q4"]["Good"] == 1 and counts["2025/26 Q4"]["Requires improvement"] == 1
    assert counts["2026/27 Q1"]["Outstanding"] == 2 and counts["2026/27 Q1"]["Good"] == 1
    (chart,) = ws._charts
    assert chart.tagname == "barChart" and chart.type == "col"
    assert chart.y_axis.majorUnit == 1 and chart.y_axis.number_format.formatCode == "0"


def test_register_names_one_organisation_under_its_code(returns: Path, tmp_path: Path) -> None:
    register = tmp_path / "etr.csv"
    register.write_text(REGISTER, encoding="utf-8")
    out = tmp_path / "registered.xlsx"
    data = consolidate(returns, out, "--orgs", str(register))
    assert data["orgs_unmatched"] == 1  # Delta Clinic: its code and name are not registered
    rows = committee_rows(out)
    names = [r["Organisation"] for r in rows]
    assert names.count("ALPHA CARE HOMES LIMITED") == 1 and "Alpha Care" not in names
    gamma = next(r for r in rows if r["Organisation"] == "GAMMA LODGE")
    assert gamma["ODS code"] == "RGG"  # matched by name, the register's code shown
    exceptions = table_rows(load_workbook(out)["Exceptions"])
    differs = [r for r in exceptions if r["Exception"] == "Organisation name differs"]
    assert sorted(r["Organisation"] for r in differs) == [
        "Alpha Care", "Alpha Care", "Alpha Care Limited"]
    (unmatched,) = [r for r in exceptions if r["Exception"] == "Organisation not in register"]
    assert unmatched["Organisation"] == "Delta Clinic"
    esc = table_rows(load_workbook(out)["Escalations"])
    assert [r["Organisation"] for r in esc] == ["ALPHA CARE HOMES LIMITED"]


def test_a_bad_register_is_refused_with_its_place(returns: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Organisation code,Name\nRAA,Alpha\n12,No letters\n", encoding="utf-8")
    out = tmp_path / "never.xlsx"
    r = call_cli("consolidate", str(returns), "-o", str(out), "--orgs", str(bad),
                 env={"QA_TUI_HOME": str(tmp_path / "home")})
    assert r.code != 0 and "line 3" in r.err and str(bad) in r.err
    assert not out.exists()


def test_committee_prints_on_one_a4_landscape_page_for_20_organisations(tmp_path: Path) -> None:
    visits = tuple(
        Visit(f"{name} Community Healthcare NHS Foundation Trust", f"R{i:02d}", date, answers)
        for i, (name, date, answers) in enumerate(
            (f"Organisation {chr(65 + i)}", f"2026-0{1 + i % 5}-1{i % 9}",
             ("Yes", "No" if i % 4 == 0 else "Yes", "Partly", "Yes" if i % 3 else ""))
            for i in range(20)))
    folder = export_visits(tmp_path, visits)
    out = tmp_path / "twenty.xlsx"
    consolidate(folder, out)
    assert len(committee_rows(out)) == 20
    ws = load_workbook(out)["Committee"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$6:$6" and ws.print_area
    pages, size = pdf_pages(out, "Committee", tmp_path)
    assert pages == 1
    assert size.startswith("841.89 x 595.") and "(A4)" in size


def test_every_sheet_is_set_up_to_print(default_run: tuple[Path, dict]) -> None:
    out, _ = default_run
    for ws in load_workbook(out).worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (1, None)
        assert ws.print_area and ws.print_title_rows, ws.title


def test_quarters_and_the_default_since() -> None:
    assert quarter_label(fy_quarter(dt.date(2026, 3, 31))) == "2025/26 Q4"
    assert quarter_label(fy_quarter(dt.date(2026, 4, 1))) == "2026/27 Q1"
    assert quarter_label(fy_quarter(dt.date(2025, 12, 31))) == "2025/26 Q3"
    assert quarter_start(dt.date(2026, 2, 14)) == dt.date(2026, 1, 1)
    assert quarter_start(dt.date(2026, 6, 30)) == dt.date(2026, 4, 1)
    assert quarter_start(dt.date(2026, 10, 1)) == dt.date(2026, 10, 1)


def test_perspective_comes_from_the_return_or_the_template_kind() -> None:
    assert perspective_of({"assessment": {"perspective": "peer"}}, "visit") == "peer"
    assert perspective_of({"assessment": {}}, "visit") == "icb"
    assert perspective_of({}, "self-assessment") == "self"


def test_register_reads_the_ods_layout_with_or_without_a_header() -> None:
    plain = parse_register(REGISTER)
    assert plain.entries["RAA"].name == "ALPHA CARE HOMES LIMITED"
    assert plain.entries["RAA"].parent == "QHM"
    headed = parse_register("Name,Organisation Code,Commissioner\n"
                            "The Beta House,rbb,00L\n")
    assert headed.entries["RBB"].parent == "00L"
    match = headed.match(None, "Beta  House")  # 'The', case and spacing ignored
    assert (match.key, match.how) == ("RBB", "name")
    assert headed.match("RBB", "Beta House Ltd").differs


def test_register_problems_are_all_named_with_their_lines(tmp_path: Path) -> None:
    from qa_tui.consolidate.register import read_register
    from qa_tui.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        parse_register("Code,Name\nRAA,Alpha\nRAA,Another\n,Blank\nRCC,\n", "r.csv")
    message = caught.value.message
    assert "line 3: code RAA appears twice" in message and "line 4" in message
    assert "line 5: organisation RCC has no name" in message and caught.value.where == "r.csv"
    with pytest.raises(InvalidInput, match="no name column"):
        parse_register("ODS code,Town\nRAA,Durham\n")
    excel = tmp_path / "excel.csv"  # saved by Excel as Windows-1252
    excel.write_bytes("Code,Name\nRAA,Caf\xe9 Care\n".encode("cp1252"))
    assert read_register(excel).entries["RAA"].name == "Café Care"
