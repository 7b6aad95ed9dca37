"""Returns that carry coverage and escalations (issue 10): additive only, so a reader that
predates them still accepts a new return, and a new reader still accepts every old one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from qa_tui.returns import read_return
from qa_tui.returns.document import ReturnData
from qa_tui.returns.layout import visible_sheets
from qa_tui.returns.package import Package, read_grid, shared_strings, workbook_sheets
from qa_tui.returns.reader import compare
from qa_tui.services import Services

from tests.conftest import ROOT


def _as_an_earlier_writer_saw_it(data: ReturnData) -> ReturnData:
    s = data.scores
    return replace(data, perspective=None, review=None, scores=replace(
        s, coverage_pct=None, provisional=None, escalations_unrecorded=None,
        sections=tuple(replace(x, coverage_pct=None, provisional=None) for x in s.sections)))


def test_an_earlier_reader_accepts_a_return_with_coverage(services: Services,
                                                         tmp_path: Path) -> None:
    aid = services.assessments.start("qa-visit", org_name="Riverside Care Home",
                                     visit_date="2026-03-01").id
    services.assessments.answer(aid, "V2.5", "n")
    path = services.returns.export(aid, tmp_path).path
    checked = read_return(path)
    # 1 of the 31 scored questions (qa-visit 1.2): floor(100 / 31) = 3
    assert checked.data.scores.coverage_pct == 3 and checked.data.scores.provisional
    assert checked.data.scores.escalations_unrecorded == ("V2.5",)
    # The cells an earlier reader compares (Cover rows 1-24, Summary A-H) hold what it expects.
    earlier = _as_an_earlier_writer_saw_it(checked.data)
    pkg = Package.open(path)
    parts, _, shared = workbook_sheets(pkg)
    strings = shared_strings(pkg, shared)
    for model in visible_sheets(earlier, checked.template, checked.sha256):
        compare(model, read_grid(pkg, parts[model.name], model.name, strings))
    cover = load_workbook(path)["Cover"]
    assert [cover.cell(r, 1).value for r in (25, 26, 27)] == [
        "Rating with coverage", "Draft or final", "Escalation record"]


def test_every_committed_example_still_verifies_with_its_earlier_layout() -> None:
    files = sorted((ROOT / "exports" / "examples").glob("*.xlsx"))
    assert files
    for path in files:
        checked = read_return(path)
        assert checked.data.scores.coverage_pct is None  # written before coverage existed
