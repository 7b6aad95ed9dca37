"""Repeating groups and computed fields through the real CLI entry point."""

from __future__ import annotations

import json

from qa_tui.config import resolve_paths
from tests.groups_support import write_template


def start(cli) -> str:  # type: ignore[no-untyped-def]
    write_template(resolve_paths().templates_dir)
    r = cli("new", "--template", "risk-test", "--org", "Example Trust")
    assert r.code == 0, r.err
    return r.out.strip()


def test_rows_end_to_end(cli) -> None:  # type: ignore[no-untyped-def]
    aid = start(cli)
    r = cli("answer", aid, "RISK[1].DESC", "Staffing gaps")
    assert r.code != 0 and "RISK has 0 rows; add one with row add" in r.err
    for n in ("1", "2"):
        r = cli("row", "add", aid, "risk")
        assert (r.code, r.out.strip()) == (0, n), r.err
    r = cli("answer", aid, "risk[1].desc", "Staffing gaps")
    assert r.code == 0 and r.out.startswith("RISK[1].DESC = Staffing gaps"), (r.out, r.err)
    assert cli("answer", aid, "RISK[1].LIKELIHOOD", "3").code == 0
    r = cli("answer", aid, "RISK[1].CONSEQUENCE", "4")
    assert r.code == 0 and r.out.startswith("RISK[1].CONSEQUENCE = Likely"), r.out
    assert cli("note", aid, "RISK[1].DESC", "Two vacancies on nights").code == 0
    assert cli("answer", aid, "RISK[2].DESC", "Estates").code == 0
    assert cli("clear", aid, "RISK[2].DESC").code == 0
    r = cli("answer", aid, "RISK[1].SCORE", "5")
    assert r.code != 0 and "RISK[1].SCORE is computed from other answers" in r.err
    r = cli("answer", aid, "RISK[3].DESC", "x")
    assert r.code != 0 and "RISK has 2 rows; add one with row add" in r.err
    r = cli("answer", aid, "RISK[1].NOPE", "x")
    assert r.code != 0 and "no field 'NOPE' in group RISK" in r.err

    data = json.loads(cli("show", aid, "--json").out)
    rows = data["groups"]["RISK"]
    assert len(rows) == 2
    assert rows[0]["DESC"] == {"value": "Staffing gaps", "label": "Staffing gaps", "na": False,
                               "note": "Two vacancies on nights"}
    assert (rows[0]["SCORE"]["value"], rows[0]["SCORE"]["label"], rows[0]["SCORE"]["band"]) == \
        (12, "12 (High)", "High")
    assert rows[1]["DESC"]["value"] is None and rows[1]["SCORE"]["value"] is None

    text = cli("show", aid).out
    assert "RISK: 2 rows (at least 1, at most 5)" in text
    assert "Risk 1: Staffing gaps" in text
    assert "RISK[1].SCORE" in text and "12 (High)" in text
    assert "LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High" in text
    assert "note: Two vacancies on nights" in text
    required = next(line for line in text.splitlines() if line.startswith("Required and open:"))
    assert "RISK[2].DESC" in required and "RISK[2].LIKELIHOOD" in required  # rows count too
    assert "RISK[1].DESC" not in required

    r = cli("row", "remove", aid, "RISK", "1")
    assert r.code == 0 and r.out.strip() == "RISK[1] removed; RISK has 1 row"
    data = json.loads(cli("show", aid, "--json").out)
    assert len(data["groups"]["RISK"]) == 1 and data["groups"]["RISK"][0]["DESC"]["value"] is None
    r = cli("undo", aid)
    assert r.code == 0, r.err
    data = json.loads(cli("show", aid, "--json").out)
    assert data["groups"]["RISK"][0]["DESC"]["value"] == "Staffing gaps"
    assert data["groups"]["RISK"][0]["SCORE"]["value"] == 12
    r = cli("row", "remove", aid, "RISK", "7")
    assert r.code != 0 and "RISK has no row 7" in r.err
    history = cli("history", aid).out
    assert "row.add RISK[1]" in history and "row.remove RISK[1]" in history


def test_templates_show_renders_groups_and_computed(cli) -> None:  # type: ignore[no-untyped-def]
    write_template(resolve_paths().templates_dir)
    r = cli("templates", "show", "risk-test")
    assert r.code == 0, r.err
    assert ("risks  Risk register  (repeating group RISK: 1-5 rows, rows named by DESC; "
            "5 fields, addressed RISK[N].FIELD)") in r.out
    assert "= LIKELIHOOD x CONSEQUENCE; bands 1-3 Low, 4-6 Moderate, 8-12 High, 15-25 Extreme" \
        in r.out
    assert "= count of 0 in C1, C2" in r.out
    assert "SCORE" in r.out and "[computed" in r.out


def test_identifiers_in_rows_are_found(cli) -> None:  # type: ignore[no-untyped-def]
    aid = start(cli)
    assert cli("row", "add", aid, "RISK").code == 0
    assert cli("answer", aid, "RISK[1].DESC", "Patient 943 476 5919 fell").code == 0
    assert cli("note", aid, "RISK[1].OWNER", "see 943 476 5919").code == 0
    r = cli("scan", aid)
    assert r.code == 1
    assert "RISK[1].DESC answer" in r.out and "RISK[1].OWNER note" in r.out
