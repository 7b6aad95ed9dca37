"""``qa-tui compare``: figures a moderator can check by hand, through the CLI and the engine."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from qa_tui.domain import AnswerState
from qa_tui.templates import compile_template, score
from qa_tui.templates.compare import Side, compare, weighted_kappa

SCALE = {"title": "r", "allow_na": True, "options": [
    {"value": 1, "label": "Inadequate"}, {"value": 2, "label": "Requires improvement"},
    {"value": 3, "label": "Good"}, {"value": 4, "label": "Outstanding"}]}
BANDS = [{"low": 25, "high": 38, "rating": "Inadequate"},
         {"low": 39, "high": 62, "rating": "Requires improvement"},
         {"low": 63, "high": 87, "rating": "Good"}, {"low": 88, "high": 100, "rating": "Outstanding"}]
TEMPLATE = compile_template({
    "id": "inline", "version": "1", "title": "Inline", "kind": "self-assessment",
    "description": "d", "source": "s", "scales": {"r": SCALE},
    "sections": [
        {"id": "s1", "title": "One", "questions": [
            {"id": f"Q{i}", "text": f"Q{i}?", "scale": "r"} for i in range(1, 5)]},
        {"id": "s2", "title": "Two", "questions": [
            {"id": "Q5", "text": "Q5?", "scale": "r"},
            {"id": "T1", "text": "Comment", "type": "text", "required": False}]},
    ],
    "scoring": {"method": "percent_bands", "bands": BANDS},
})


def side(**values: object) -> Side:
    answers = {q: AnswerState(na=True) if v == "na" else AnswerState(v)  # type: ignore[arg-type]
               for q, v in values.items()}
    return Side(TEMPLATE, answers, score(TEMPLATE, answers))


def test_kappa_matches_a_hand_computed_case() -> None:
    # ranks 0-3: observed disagreement 6/3 = 2; chance 42/3/6 = 2.333; kappa = 1 - 2/2.333
    pairs = [(3, 2), (2, 2), (2, 0), (1, 1), (0, 3), (3, 3)]
    assert weighted_kappa([(a, b, 4) for a, b in pairs]) == 0.143


def test_identical_assessments_agree_fully() -> None:
    a = side(Q1=1, Q2=2, Q3=3, Q4=4, Q5=2)
    result = compare(a, a)
    assert (result.agreement.exact, result.agreement.within_one) == (100.0, 100.0)
    assert result.agreement.kappa_weighted == 1.0 and result.agreement.n == 5
    assert all(s.gap == 0 for s in result.sections)
    assert not any(q.flagged for q in result.questions)


def test_opposite_extremes_are_flagged_and_kappa_is_negative() -> None:
    result = compare(side(Q1=1, Q2=4, Q3=1, Q4=4), side(Q1=4, Q2=1, Q3=4, Q4=1))
    assert (result.agreement.exact, result.agreement.within_one) == (0.0, 0.0)
    assert result.agreement.kappa_weighted == -1.0
    assert [q.steps for q in result.questions[:4]] == [3, -3, 3, -3]
    assert [q.delta for q in result.questions[:4]] == [3.0, -3.0, 3.0, -3.0]
    assert all(q.flagged for q in result.questions[:4])


def test_na_and_blanks_are_counted_apart_and_an_all_na_section_has_no_gap() -> None:
    result = compare(side(Q1=3, Q2=3, Q3="na", Q5="na"), side(Q1=3, Q2=2, Q3=3, Q4=1, Q5="na"))
    agreement = result.agreement
    assert (agreement.n, agreement.na, agreement.unanswered) == (2, 2, 2)  # Q4, and T1 on both
    assert (agreement.exact, agreement.within_one) == (50.0, 100.0)
    two = next(s for s in result.sections if s.id == "s2")
    assert (two.a_score, two.b_score, two.gap) == (None, None, None)


def test_one_identical_answer_throughout_has_no_kappa() -> None:
    result = compare(side(Q1=3, Q2=3), side(Q1=3, Q2=3))
    assert result.agreement.exact == 100.0 and result.agreement.kappa_weighted is None


def _start(cli, answers: dict[str, str], org: str = "Trust A") -> str:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", org).out.strip()
    for q, v in answers.items():
        args = ["answer", aid, q, "--na"] if v == "na" else ["answer", aid, q, v]
        assert cli(*args).code == 0
    return aid


def test_compare_through_the_cli_with_json_and_a_workbook(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = _start(cli, {"WL1": "4", "WL2": "3", "WL3": "3", "WL4": "2", "WL5": "1", "WL6": "4"})
    b = _start(cli, {"WL1": "3", "WL2": "3", "WL3": "1", "WL4": "2", "WL5": "4", "WL6": "4",
                     "WL7": "na"})
    out = tmp_path / "compare.xlsx"
    result = cli("compare", a[:8], b[:8], "--json", "-o", str(out))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["agreement"] == {"exact": 50.0, "within_one": 66.7, "kappa_weighted": 0.143,
                                 "n": 6, "na": 1, "unanswered": 1}  # WL8 blank on both
    wl5 = next(q for q in data["questions"] if q["id"] == "WL5")
    assert (wl5["a"]["label"], wl5["b"]["label"], wl5["delta"], wl5["flagged"]) == (
        "Significant shortfalls", "Exceptional standard", 3.0, True)
    assert [s["id"] for s in data["sections"]] == ["well-led"]
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Agreement", "Sections", "Questions"]
    rows = {r[0]: r[1] for r in book["Agreement"].iter_rows(values_only=True)}
    assert rows["Exact agreement %"] == 50 and rows["Weighted kappa (linear)"] == 0.143
    questions = list(book["Questions"].iter_rows(values_only=True))
    assert ("WL5", "well-led", "Significant shortfalls", "Exceptional standard", 3, 3,
            "more than one step") == questions[5][:7]
    text = cli("compare", a, b)
    assert "!! WL5" in text.out and "weighted kappa 0.143" in text.out


def test_compare_refuses_what_cannot_be_compared(cli) -> None:  # type: ignore[no-untyped-def]
    a = _start(cli, {})
    other = cli("new", "--template", "complaints-standards", "--org", "Trust A").out.strip()
    refused = cli("compare", a, other)
    assert refused.code == 1 and "only assessments of one template" in refused.err
    assert cli("compare", a, a).code == 1
    assert "no assessment" in cli("compare", a, "ffffffff").err
    bad = cli("compare", a, other, "-o", "out.csv")
    assert bad.code == 2


@pytest.mark.parametrize("note", ["=HYPERLINK(\"http://x\")", "@SUM(A1)"])
def test_a_note_that_looks_like_a_formula_stays_text(cli, tmp_path: Path, note: str) -> None:  # type: ignore[no-untyped-def]
    a = _start(cli, {"WL1": "4"})
    b = _start(cli, {"WL1": "1"})
    assert cli("note", a, "WL1", note).code == 0
    out = tmp_path / "c.xlsx"
    assert cli("compare", a, b, "-o", str(out)).code == 0
    book = openpyxl.load_workbook(out)
    cell = book["Questions"]["H2"]
    assert cell.value == note and cell.data_type == "s"
