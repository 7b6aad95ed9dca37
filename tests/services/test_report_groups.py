"""The provider report shows repeating groups (a table per group, one line per row, computed
values with their band) in the section's place, and the computed questions of ordinary
sections with their working."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

from qa_tui.config import Paths
from qa_tui.errors import ReasonCode, Refused
from qa_tui.report import build_view
from qa_tui.services import Services
from qa_tui.services.returns import return_data
from tests.groups_support import RISKS, WIDE_RISK_TEMPLATE, risk_services, walked_risk_visit

from tests.report_support import docx_text


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = risk_services(paths)
    yield services
    services.close()


def test_the_view_has_the_register_in_its_place(svc: Services) -> None:
    aid = walked_risk_visit(svc)
    view = svc.reports.view(aid)
    assert [type(p).__name__ for p in view.parts] == ["SectionPart", "GroupPart"]
    assert [p.id for p in view.parts] == ["checks", "risks"]
    assert [s.id for s in view.sections] == ["checks"]  # the rated sections, as before
    (group,) = view.groups
    assert group.group == "RISK" and group.title == "Risk register"
    assert group.rows_text == "4 rows recorded."
    assert group.headers == ("#", "Describe the risk", "Likelihood", "Consequence",
                             "Risk score (likelihood x consequence)", "Who owns the risk?")
    assert sum(group.widths) == 100 and group.widths[0] < min(group.widths[1:])
    # each column fits its longest word ("Consequence", "Possible"): no word broken across lines
    assert group.widths[3] >= 1.4 * (len("Consequence") + 2)
    assert group.widths[1] >= 1.25 * (len("Resuscitation") + 2)
    assert group.widths[1] > group.widths[2]  # free text wider than a choice
    assert group.rows[0] == ("1", RISKS[0][0], "Possible\nRota gaps on 9 of 28 nights", "Likely",
                             "12 (High)", "Ward manager")
    assert [r[4] for r in group.rows] == ["12 (High)", "25 (Extreme)", "2 (Low)", "6 (Moderate)"]
    (checks,) = view.sections
    assert [(f.question_id, f.answer) for f in checks.computed] == [("NOS", "1")]
    assert checks.computed[0].note == "count of 'No' in C1, C2 = 1 (C1)"


def test_the_report_of_the_return_is_the_same(svc: Services, tmp_path: Path) -> None:
    """Computed values are recomputed from the return's answers (never carried in it)."""
    aid = walked_risk_visit(svc)
    exported = svc.returns.export(aid, tmp_path).path
    assert svc.reports.view(str(exported)) == svc.reports.view(aid)


def test_both_formats_draw_the_register_in_order(svc: Services, tmp_path: Path) -> None:
    aid = walked_risk_visit(svc)
    docx = svc.reports.write(aid, tmp_path, fmt="docx").path.read_bytes()
    text = "\n".join(docx_text(docx))
    html = unescape(re.sub(r"<[^>]+>", " ", svc.reports.write(aid, tmp_path, fmt="html")
                           .path.read_text(encoding="utf-8")))
    for whole in (text, html):
        shown = whole[whole.index("Findings by section"):]
        order = ["Checks", "Computed", "Checks answered No", "Risk register",
                 "4 rows recorded.", "Risk score (likelihood x consequence)", RISKS[0][0],
                 "Rota gaps on 9 of 28 nights", "12 (High)", "25 (Extreme)",
                 "Head of estates and facilities management", "2 (Low)", "6 (Moderate)",
                 "Immediate concerns and escalation", "Recruit to the night vacancies"]
        at = [shown.find(x) for x in order]
        assert -1 not in at and at == sorted(at), list(zip(order, at, strict=True))


def test_an_empty_group_says_so(svc: Services) -> None:
    a = svc.assessments
    aid = a.start("risk-test", org_name="Example Trust").id
    (group,) = svc.reports.view(aid).groups
    assert group.rows == () and group.rows_text == "No rows were recorded."
    a.add_row(aid, "RISK")
    (group,) = svc.reports.view(aid).groups
    assert group.rows == (("1", "—", "—", "—", "—", "—"),)
    assert group.rows_text == "1 row recorded."


def test_a_group_with_many_fields_lists_them_in_one_column(paths: Paths) -> None:
    """More fields than fit across A4 (each column as wide as its longest word): the row title,
    then one "Field: answer" line for each other field."""
    services = risk_services(paths, WIDE_RISK_TEMPLATE)
    try:
        a = services.assessments
        aid = a.start("risk-test", org_name="Example Trust").id
        a.add_row(aid, "RISK")
        a.answer(aid, "RISK[1].DESC", "Staffing")
        a.answer(aid, "RISK[1].X2", "Seen")
        a.set_note(aid, "RISK[1].X2", "On the ward")
        (group,) = services.reports.view(aid).groups
        assert group.headers == ("#", "Describe the risk", "Details")
        assert group.widths == (5, 35, 60)
        assert group.rows[0][:2] == ("1", "Staffing")
        lines = group.rows[0][2].split("\n")
        assert lines[0] == "Likelihood: —" and "Describe the risk: Staffing" not in lines
        assert "Extra 2: Seen" in lines and lines[lines.index("Extra 2: Seen") + 1] == \
            "Note: On the ward"
        assert "Extra 0: —" in lines  # the full stop of "Extra 0." dropped before the answer
        assert "Who owns the risk? —" in lines
    finally:
        services.close()


def test_rows_come_from_the_returns_groups(svc: Services) -> None:
    """The view is built from the return's data alone: without its ``groups``, no rows."""
    aid = walked_risk_visit(svc, complete=False)
    detail = svc.assessments.get(aid)
    data = return_data(detail)
    assert build_view(data, detail.template).groups[0].rows
    assert build_view(replace(data, groups=None), detail.template).groups[0].rows == ()


def test_an_identifier_in_a_row_stops_the_report(svc: Services, tmp_path: Path) -> None:
    """The report is gated like the export: a row's text is scanned too."""
    aid = walked_risk_visit(svc, complete=False)
    svc.assessments.answer(aid, "RISK[3].OWNER", "Patient 943 476 5919")
    with pytest.raises(Refused) as caught:
        svc.reports.write(aid, tmp_path / "out", fmt="html")
    assert caught.value.code is ReasonCode.IDENTIFIER
    assert any("RISK[3].OWNER" in r.text for r in caught.value.reasons)
    assert not (tmp_path / "out").exists()
