"""The return workbook as a person and another program see it: sheets, tables, types, colours,
injection safety, determinism, long JSON, and a second reader (calamine) agreeing with openpyxl."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from qa_tui.returns import read_return, restore, write_return
from qa_tui.returns.layout import AMBER, BLUE, GREEN, RED
from qa_tui.returns.textsafe import TRIGGERS
from qa_tui.services import Services

from tests.test_return_support import AWKWARD, all_types_services, sample


@pytest.fixture
def exported(services: Services, tmp_path: Path) -> Path:
    aid = sample(services)
    return services.returns.export(aid, tmp_path / "out").path


def test_sheets_tables_panes_and_widths(exported: Path) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames == ["Cover", "Summary", "Responses", "Actions", "_return"]
    assert [ws.sheet_state for ws in wb] == ["visible"] * 4 + ["hidden"]
    assert wb.active.title == "Cover"
    responses, actions = wb["Responses"], wb["Actions"]
    assert dict(responses.tables.items()) == {"ResponsesTable": "A1:K9"}  # 8 questions
    assert dict(actions.tables.items()) == {"ActionsTable": "A1:G4"}  # 3 actions
    for ws in (wb["Summary"], responses, actions):
        assert ws.freeze_panes == "A2"
    assert [c.value for c in responses[1]] == [
        "Section id", "Section", "Question id", "Question", "Answer", "Answer value", "N/A",
        "Score", "Evidence note", "Answered at (UTC)", "Status"]
    assert responses.column_dimensions["I"].width == 60
    assert responses["I2"].alignment.wrap_text and responses["D2"].alignment.wrap_text
    assert wb["Cover"].column_dimensions["B"].width == 80


def test_values_are_typed(exported: Path) -> None:
    wb = load_workbook(exported)
    cover = {row[0].value: row[1] for row in wb["Cover"].iter_rows(min_row=3)}
    assert cover["Visit date"].value == dt.datetime(2026, 3, 1)
    assert cover["Visit date"].number_format == "yyyy-mm-dd"
    assert cover["Revision"].data_type == "n"
    assert isinstance(cover["Started (UTC)"].value, dt.datetime)
    responses = wb["Responses"]
    assert responses["F2"].value == 1 and responses["F2"].data_type == "n"  # answer value
    assert responses["H2"].value == 1  # score
    assert isinstance(responses["J2"].value, dt.datetime)
    assert responses["G4"].value == "Yes" and responses["K4"].value == "N/A"
    due = wb["Actions"]["E2"]
    assert due.value == dt.datetime(2026, 4, 30) and due.number_format == "yyyy-mm-dd"
    assert isinstance(wb["Summary"]["F2"].value, float)


def test_ratings_are_coloured_and_always_worded(exported: Path) -> None:
    wb = load_workbook(exported)
    responses = wb["Responses"]
    seen = {}
    for row in responses.iter_rows(min_row=2):
        answer = row[4]
        if answer.fill.fill_type == "solid":
            assert answer.value  # the word is always there
            seen[row[5].value] = answer.fill.fgColor.rgb[-6:]
    assert seen == {1: RED, 2: AMBER, 3: GREEN, 4: BLUE}
    rating = wb["Summary"]["G2"]
    assert rating.value and rating.fill.fill_type == "solid"


def test_no_formulas_and_trigger_text_is_marked_literal(exported: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    wb = load_workbook(exported)
    marked = 0
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in TRIGGERS:
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    marked += 1
    assert marked >= 5


def test_same_document_gives_identical_bytes(services: Services, tmp_path: Path) -> None:
    aid = sample(services)
    detail = services.assessments.get(aid)
    document = services.returns.document(aid)
    first = write_return(document, detail.template)
    assert write_return(document, detail.template) == first
    exported_path = tmp_path / "a.xlsx"
    exported_path.write_bytes(first)
    with zipfile.ZipFile(exported_path) as z:
        stamps = {info.date_time for info in z.infolist()}
        core = z.read("docProps/core.xml").decode()
    saved = detail.record.updated_at
    assert stamps == {(saved.year, saved.month, saved.day, saved.hour, saved.minute,
                       saved.second - saved.second % 2)}
    assert saved.strftime("%Y-%m-%dT%H:%M:%SZ") in core


def test_long_json_is_split_across_cells(services: Services, tmp_path: Path) -> None:
    long_note = ("Ünïcødé evidence line with _x0041_ and =formula\n" * 420)[:20_000].strip()
    aid = sample(services, notes=[long_note])
    path = services.returns.export(aid, tmp_path).path
    wb = load_workbook(path)
    machine = wb["_return"]
    parts = machine["B4"].value
    assert parts > 5
    cells = [machine.cell(row=5 + i, column=2).value for i in range(parts)]
    assert all(len(c) <= 32_767 for c in cells)
    checked = read_return(path)
    assert checked.data.answers[0].note == long_note
    assert restore(wb["Responses"]["I2"].value) == long_note


def _openpyxl_rows(path: Path, sheet: str) -> list[list[object]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet]
    ws.reset_dimensions()
    rows = [[restore(v) if isinstance(v, str) else v for v in row]
            for row in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def _calamine_rows(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _norm(value: object) -> object:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


@pytest.mark.parametrize("sheet", ["Cover", "Summary", "Responses", "Actions", "_return"])
def test_calamine_sees_what_openpyxl_sees(tmp_path: Path, sheet: str) -> None:
    svc = all_types_services(tmp_path)
    try:
        aid = svc.assessments.start("all-types", org_name="Ward Ünïcødé", site="=site").id
        for qid, raw in [("Q1", "1"), ("Q2", "green"), ("Q3", "red, blue"), ("Q4", "no"),
                         ("Q5", "=1+1 is not a formula"), ("Q6", "-3"), ("Q7", "2026-02-28"),
                         ("Q8", "4"), ("Q9", "@SUM(A1)")]:
            svc.assessments.answer(aid, qid, raw, note=AWKWARD[int(qid[1]) % len(AWKWARD)])
        path = svc.returns.export(aid, tmp_path).path
    finally:
        svc.close()
    ours = [[_norm(v) for v in row] for row in _openpyxl_rows(path, sheet)]
    theirs = [[_norm(v) for v in row] for row in _calamine_rows(path, sheet)]
    width = max(len(r) for r in ours + theirs)
    pad = [r + [None] * (width - len(r)) for r in ours], [r + [None] * (width - len(r))
                                                          for r in theirs]
    assert pad[0] == pad[1]
    flat = [v for row in ours for v in row]
    if sheet == "Responses":
        assert "=1+1 is not a formula" in flat and "@SUM(A1)" in flat and -3.0 in flat


def test_a_tool_that_resaves_the_workbook_unchanged_keeps_it_valid(exported: Path,
                                                                    tmp_path: Path) -> None:
    resaved = tmp_path / "resaved.xlsx"
    load_workbook(exported).save(resaved)
    assert read_return(resaved).sha256 == read_return(exported).sha256
