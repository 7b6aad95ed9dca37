"""Repeating groups and computed fields through the return: export, read back, import,
consolidate, and hostile returns that claim too many rows or a bad address."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from qa_tui.config import resolve_paths
from qa_tui.errors import ReturnInvalid
from qa_tui.returns import ReturnData, read_return, write_return
from qa_tui.returns.reader import _template
from tests.groups_support import write_template
from tests.test_return_support import schema_errors


def table(ws: Any) -> list[dict[str, Any]]:
    (ref,) = [t.ref for t in ws.tables.values()]
    cells = ws[ref]
    header = [c.value for c in cells[0]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]


@pytest.fixture
def exported(cli, tmp_path: Path) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    write_template(resolve_paths().templates_dir)
    aid = cli("new", "--template", "risk-test", "--org", "Example Trust").out.strip()
    for args in (("answer", aid, "C1", "n"), ("row", "add", aid, "RISK"),
                 ("row", "add", aid, "RISK"), ("answer", aid, "RISK[1].DESC", "Staffing gaps"),
                 ("answer", aid, "RISK[1].LIKELIHOOD", "3"),
                 ("answer", aid, "RISK[1].CONSEQUENCE", "4"),
                 ("note", aid, "RISK[1].DESC", "Two vacancies on nights"),
                 ("answer", aid, "RISK[2].DESC", "Estates"),
                 ("answer", aid, "RISK[2].LIKELIHOOD", "1")):
        r = cli(*args)
        assert r.code == 0, (args, r.err)
    out = tmp_path / "out"
    r = cli("export", aid, "-o", str(out))
    assert r.code == 0, r.err
    return aid, Path(r.out.strip().splitlines()[-1])


def test_export_read_back_import_and_consolidate(cli, exported: tuple[str, Path],  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    aid, path = exported
    wb = openpyxl.load_workbook(path)
    rows = table(wb["Responses"])
    headers = list(rows[0])
    assert headers[:4] == ["Section id", "Section", "Question id", "Question"]
    assert headers[-2:] == ["Status", "Row"]  # columns are only ever added at the right
    by = {(r["Question id"], r["Row"]): r for r in rows}
    assert by[("C1", None)]["Answer"] == "No"
    assert by[("NOS", None)]["Answer value"] == 1
    assert by[("DESC", 1)]["Answer"] == "Staffing gaps"
    assert by[("DESC", 1)]["Evidence note"] == "Two vacancies on nights"
    assert by[("SCORE", 1)]["Answer"] == "12 (High)" and by[("SCORE", 1)]["Answer value"] == 12
    assert by[("SCORE", 1)]["Status"] == "Computed: LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High"
    assert by[("SCORE", 2)]["Answer value"] is None
    assert by[("OWNER", 2)]["Status"] == "Not answered"
    assert len([r for r in rows if r["Row"] is not None]) == 10  # 5 fields x 2 rows
    doc = json.loads(json.dumps(read_return(path).document))
    assert [list(row) for row in doc["groups"]["RISK"]] == [
        ["CONSEQUENCE", "DESC", "LIKELIHOOD"], ["DESC", "LIKELIHOOD"]]
    assert "SCORE" not in json.dumps(doc["groups"])  # computed values are never carried
    schema = json.loads((Path(__file__).parents[2] / "exports" / "return-v1.schema.json")
                        .read_text("utf-8"))
    assert schema_errors(doc, schema, schema) == []

    # import into a second home: rows, answers and computed values come back
    other = tmp_path / "home2"
    monkeypatch.setenv("QA_TUI_HOME", str(other))
    r = cli("import", str(path))
    assert r.code == 0, r.err
    shown = json.loads(cli("show", aid, "--json").out)
    risk = shown["groups"]["RISK"]
    assert len(risk) == 2
    assert risk[0]["DESC"]["note"] == "Two vacancies on nights"
    assert (risk[0]["SCORE"]["value"], risk[0]["SCORE"]["band"]) == (12, "High")
    assert shown["computed"]["NOS"]["value"] == 1
    assert cli("row", "remove", aid, "RISK", "2").code == 0  # the rows are live rows here
    out = tmp_path / "again"
    r = cli("import", str(path))  # the original revision is older now: nothing changes
    assert cli("undo", aid).code == 0

    # consolidate: rows carried with their Row column, computed values recomputed
    book = tmp_path / "consolidated.xlsx"
    r = cli("consolidate", str(path), "-o", str(book))
    assert r.code == 0, r.err
    cons = table(openpyxl.load_workbook(book)["Responses"])
    got = {(c["Question id"], c["Row"]): c for c in cons}
    assert got[("DESC", 1)]["Answer"] == "Staffing gaps"
    assert got[("SCORE", 1)]["Answer value"] == 12 and got[("SCORE", 1)]["Answer"] == "12 (High)"
    assert got[("LIKELIHOOD", 2)]["Answer value"] == 1
    assert got[("C1", None)]["Answer"] == "No"
    assert got[("NOS", None)]["Answer value"] == 1
    assert ("SCORE", 2) not in got  # no value: nothing to report
    del out


def forged(path: Path, tmp_path: Path, change: Any) -> Path:
    """A copy of the return with its document changed and re-signed (a deliberate forger)."""
    verified = read_return(path)
    doc = json.loads(json.dumps(verified.document))
    change(doc)
    data = ReturnData.from_document(doc)  # the reader's own parse: refuses 10^6 rows here
    target = tmp_path / "forged.xlsx"
    target.write_bytes(write_return(doc, _template(data)))
    return target


def test_visible_computed_cell_edited_is_refused(exported: tuple[str, Path],
                                                 tmp_path: Path) -> None:
    _, path = exported
    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "SCORE" and row[11].value == 1:
            row[5].value = 25
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    with pytest.raises(ReturnInvalid, match="edited after export"):
        read_return(edited)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["groups"].__setitem__("RISK", [{}] * 1_000_000),
     "groups.RISK: claims 1000000 rows; a group has at most 200 (refused)"),
    (lambda d: d["groups"].__setitem__("RISK", [{}] * 6),
     "groups.RISK has 6 rows; the template allows at most 5 (refused)"),
    (lambda d: d["answers"].append({"question_id": "RISK[9].DESC", "value": "x", "na": False,
                                    "note": "", "answered_at": "2026-03-02T09:00:00.000000Z"}),
     "the answer to RISK[9].DESC: a row field belongs under groups, not answers (refused)"),
    (lambda d: d["groups"]["RISK"][0].__setitem__("SCORE", {
        "value": 25, "na": False, "note": "", "answered_at": "2026-03-02T09:00:00.000000Z"}),
     "the answer to RISK[1].SCORE: SCORE is computed; a return never carries its value"),
    (lambda d: d["groups"]["RISK"][0].__setitem__("NOPE", {
        "value": 1, "na": False, "note": "", "answered_at": "2026-03-02T09:00:00.000000Z"}),
     "the answer to RISK[1].NOPE: group RISK has no field NOPE"),
    (lambda d: d["groups"].__setitem__("RUSK", []),
     "groups.RUSK: the template has no repeating group RUSK"),
    (lambda d: d["groups"]["RISK"][0]["LIKELIHOOD"].__setitem__("value", 9),
     "the answer to RISK[1].LIKELIHOOD is not valid: 9 is not an answer here"),
])
def test_hostile_returns_are_refused_and_change_nothing(
        cli, exported: tuple[str, Path], tmp_path: Path, change: Any, message: str  # type: ignore[no-untyped-def]
) -> None:
    aid, path = exported
    before = cli("show", aid, "--json").out
    with pytest.raises(ReturnInvalid) as caught:
        bad = forged(path, tmp_path, change)
        read_return(bad)
    assert message in caught.value.message
    if "bad" in locals():
        r = cli("import", str(bad))
        assert r.code != 0 and message in r.err
    assert cli("show", aid, "--json").out == before


def test_a_return_without_groups_keeps_its_layout(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Example Trust").out.strip()
    out = tmp_path / "plain"
    r = cli("export", aid, "-o", str(out))
    assert r.code == 0, r.err
    path = Path(r.out.strip().splitlines()[-1])
    assert "groups" not in read_return(path).document
    header = [c.value for c in openpyxl.load_workbook(path)["Responses"][1]]
    assert "Row" not in header
    shutil.rmtree(out)
