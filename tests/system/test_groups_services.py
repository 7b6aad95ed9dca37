"""Rows of repeating groups through the services: answer, add, remove, undo, audit, complete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa_tui.config import Paths
from qa_tui.errors import NotFound, ReasonCode, Refused
from qa_tui.services import Services
from tests.groups_support import risk_services


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = risk_services(paths)
    yield services
    services.close()


def start(svc: Services) -> str:
    return svc.assessments.start("risk-test", org_name="Example Trust").id


def test_answer_a_row_field_needs_the_row(svc: Services) -> None:
    a = svc.assessments
    aid = start(svc)
    assert a.get(aid).rows == {"RISK": 0}
    with pytest.raises(Refused) as caught:
        a.answer(aid, "RISK[1].DESC", "Staffing gaps")
    assert caught.value.message == "RISK has 0 rows; add one with row add"
    detail = a.add_row(aid, "risk")
    assert detail.rows == {"RISK": 1}
    detail = a.answer(aid, "risk[1].desc", "Staffing gaps")
    assert detail.answer("RISK[1].DESC").value == "Staffing gaps"
    with pytest.raises(Refused, match="RISK has 1 row; add one with row add"):
        a.answer(aid, "RISK[2].DESC", "More")
    with pytest.raises(NotFound, match="no field 'NOPE' in group RISK"):
        a.answer(aid, "RISK[1].NOPE", "x")
    with pytest.raises(NotFound, match="no repeating group 'RUSK'"):
        a.add_row(aid, "RUSK")


def test_computed_fields_are_refused_and_computed(svc: Services) -> None:
    a = svc.assessments
    aid = start(svc)
    a.add_row(aid, "RISK")
    for call in (lambda: a.answer(aid, "RISK[1].SCORE", "3"),
                 lambda: a.set_note(aid, "RISK[1].SCORE", "x"),
                 lambda: a.clear(aid, "RISK[1].SCORE"),
                 lambda: a.answer(aid, "NOS", "1")):
        with pytest.raises(Refused, match="is computed from other answers: it cannot be "
                           "answered, noted or cleared"):
            call()
    a.answer(aid, "RISK[1].LIKELIHOOD", "3")
    detail = a.answer(aid, "RISK[1].CONSEQUENCE", "4")
    score = detail.computed("RISK[1].SCORE")
    assert score is not None and (score.value, score.band) == (12, "High")
    assert detail.label("RISK[1].SCORE") == "12 (High)"
    detail = a.answer(aid, "C1", "n")
    assert detail.computed("NOS").value == 1  # type: ignore[union-attr]
    data = detail.to_json()
    assert data["groups"]["RISK"][0]["SCORE"]["value"] == 12
    assert data["groups"]["RISK"][0]["SCORE"]["band"] == "High"
    assert data["groups"]["RISK"][0]["LIKELIHOOD"] == {
        "value": 3, "label": "Possible", "na": False, "note": ""}
    assert data["computed"]["NOS"]["value"] == 1


def test_remove_renumbers_and_undo_restores_exactly(svc: Services) -> None:
    a = svc.assessments
    aid = start(svc)
    for n, desc in enumerate(["First", "Second", "Third"], 1):
        a.add_row(aid, "RISK")
        a.answer(aid, f"RISK[{n}].DESC", desc)
        a.answer(aid, f"RISK[{n}].LIKELIHOOD", str(n))
    a.set_note(aid, "RISK[2].DESC", "seen on the ward")
    before = a.get(aid)
    detail = a.remove_row(aid, "RISK", 2)
    assert detail.rows == {"RISK": 2}
    assert detail.answer("RISK[2].DESC").value == "Third"
    assert detail.answer("RISK[2].LIKELIHOOD").value == 3
    assert "RISK[3].DESC" not in detail.answers
    assert detail.row_name("RISK", 2) == "Risk 2: Third"
    history = a.history(aid)
    assert history[-1].kind == "row.remove" and history[-1].target == "RISK[2]"
    assert {k: history[-1].old["answers"]["DESC"][k] for k in ("value", "na", "note")} == {
        "value": "Second", "na": False, "note": "seen on the ward"}
    undone = a.undo(aid)
    assert undone is not None and "RISK[2]" in str(undone)
    after = a.get(aid)
    assert after.rows == {"RISK": 3}
    assert dict(after.answers) == dict(before.answers)
    assert dict(after.answered_at) == dict(before.answered_at)  # when each was answered, too
    assert a.history(aid)[-1].kind == "undo"


def test_add_is_undoable_and_bounded(svc: Services) -> None:
    a = svc.assessments
    aid = start(svc)
    for _ in range(5):
        a.add_row(aid, "RISK")
    with pytest.raises(Refused, match="RISK already has 5 rows, the most this template allows"):
        a.add_row(aid, "RISK")
    assert a.undo(aid) is not None
    assert a.get(aid).rows == {"RISK": 4}
    assert [e.kind for e in a.history(aid)].count("row.add") == 5
    with pytest.raises(NotFound, match="RISK has no row 9"):
        a.remove_row(aid, "RISK", 9)


def test_completion_needs_min_rows_and_required_fields(svc: Services) -> None:
    a = svc.assessments
    aid = start(svc)
    a.answer(aid, "C1", "y")
    with pytest.raises(Refused) as caught:
        a.complete(aid)
    texts = [r.text for r in caught.value.reasons]
    assert "RISK needs at least 1 row (it has 0); add one with row add" in texts
    assert ReasonCode.ROWS_MISSING in {r.code for r in caught.value.reasons}
    a.add_row(aid, "RISK")
    with pytest.raises(Refused) as caught:
        a.complete(aid)
    reasons = [r.text for r in caught.value.reasons]
    assert {r.question_id for r in caught.value.reasons} >= {"RISK[1].DESC"}
    assert "RISK[1].DESC is required and not answered" in reasons
    assert "RISK[1].LIKELIHOOD is required and not answered" in reasons
    assert not any("SCORE" in r or "OWNER" in r for r in reasons)
    a.answer(aid, "RISK[1].DESC", "Gaps")
    a.answer(aid, "RISK[1].LIKELIHOOD", "2")
    a.answer(aid, "RISK[1].CONSEQUENCE", "2")
    assert a.complete(aid).is_complete
    with pytest.raises(Refused, match="complete"):
        a.add_row(aid, "RISK")


def test_rows_on_the_postgresql_store(pg_store_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The v6 row_counts column and row answers round-trip on the central store too."""
    from qa_tui.config import resolve_paths

    paths = resolve_paths(db=pg_store_url, env={"QA_TUI_HOME": str(tmp_path / "h")})
    services = risk_services(paths)
    try:
        a = services.assessments
        aid = start(services)
        a.add_row(aid, "RISK")
        a.add_row(aid, "RISK")
        a.answer(aid, "RISK[2].DESC", "Estates")
        a.remove_row(aid, "RISK", 1)
        detail = a.get(aid)
        assert detail.rows == {"RISK": 1} and detail.answer("RISK[1].DESC").value == "Estates"
        assert a.undo(aid) is not None
        detail = a.get(aid)
        assert detail.rows == {"RISK": 2} and detail.answer("RISK[2].DESC").value == "Estates"
    finally:
        services.close()
