"""The assessment use cases, against a real database file in a private home and against a
PostgreSQL central store (the same tests, parametrised)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from qa_tui.config import Paths, with_db
from qa_tui.errors import Ambiguous, InvalidInput, NotFound, Refused
from qa_tui.services import Services, build_services
from qa_tui.services import assessments as assessments_module
from qa_tui.templates import TemplateEntry, TemplateLibrary, compile_template

from tests.conftest import FixedClock

SAF = "cqc-saf-well-led"


@pytest.fixture(params=["sqlite", "postgresql"])
def services(request: pytest.FixtureRequest, paths: Paths):  # type: ignore[no-untyped-def]
    """The use cases on both engines (overrides conftest's SQLite-only fixture here)."""
    if request.param == "postgresql":
        paths = with_db(paths, str(request.getfixturevalue("pg_store_url")))
    svc = build_services(paths, actor="tester", clock=FixedClock())
    yield svc
    svc.close()


def start(services: Services, **kwargs: object):  # type: ignore[no-untyped-def]
    args = {"org_name": "Example NHS Trust", "org_code": "rtd", "site": "Ward 4",
            "assessors": ["A. Assessor", " "], "visit_date": "2026-03-01"}
    args.update(kwargs)
    return services.assessments.start(SAF, **args)  # type: ignore[arg-type]


def events(services: Services, aid: str) -> list[str]:
    return [e.kind for e in services.assessments.history(aid)]


def test_start_records_snapshot_and_cleans_fields(services: Services) -> None:
    d = start(services)
    rec = d.record
    assert rec.org_code == "RTD"
    assert rec.assessors == ("A. Assessor",)
    assert rec.visit_date.isoformat() == "2026-03-01"
    assert rec.template_id == SAF and rec.status == "draft" and rec.revision == 1
    assert len(rec.template_hash) == 64
    assert d.report.total == 8 and d.report.answered == 0
    assert events(services, d.id) == ["start"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"org_name": " "}, "organisation name is required"),
        ({"org_code": "12"}, "ODS code '12' is not of the right shape"),
        ({"org_code": "12345"}, "is not of the right shape"),
        ({"visit_date": "01/03/2026"}, "is not a date in the form YYYY-MM-DD"),
        ({"visit_date": "2026-02-30"}, "is not a date in the form YYYY-MM-DD"),
        ({"org_name": "Bad\x07name"}, "control characters"),
    ],
)
def test_start_refuses_bad_fields(services: Services, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        start(services, **kwargs)
    assert services.assessments.list() == []


def test_unknown_template_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound, match="no template 'nope'"):
        services.assessments.start("nope", org_name="Example")


@pytest.mark.parametrize(("raw", "value"), [("3", 3), ("good standard", 3), ("GOOD", 3),
                                             ("some", 2), ("4", 4)])
def test_answer_accepts_value_key_label_and_prefix(services: Services, raw: str, value: int) -> None:
    d = start(services)
    d = services.assessments.answer(d.id, "wl1", raw)
    assert d.answers["WL1"].value == value


@pytest.mark.parametrize("raw", ["7", "0", "excellent", "", "3.5"])
def test_bad_answer_changes_nothing(services: Services, raw: str) -> None:
    d = start(services)
    with pytest.raises(InvalidInput, match="WL1"):
        services.assessments.answer(d.id, "WL1", raw)
    after = services.assessments.get(d.id)
    assert after.record.revision == d.record.revision
    assert after.answers == {}
    assert events(services, d.id) == ["start"]


def test_unknown_question_is_not_found(services: Services) -> None:
    d = start(services)
    with pytest.raises(NotFound, match="no question 'WL9'"):
        services.assessments.answer(d.id, "WL9", "3")


def test_na_and_notes_and_clear(services: Services) -> None:
    d = start(services)
    svc = services.assessments
    d = svc.answer(d.id, "WL2", None, na=True, note="Not in scope this year")
    assert d.answers["WL2"].na and d.label("WL2") == "N/A"
    d = svc.answer(d.id, "WL2", "2")
    assert d.answers["WL2"].value == 2 and not d.answers["WL2"].na
    assert d.answers["WL2"].note == "Not in scope this year"
    d = svc.clear(d.id, "WL2")
    assert d.answers["WL2"].value is None
    assert d.answers["WL2"].note == "Not in scope this year", "clearing keeps the note"
    assert not d.answers["WL2"].answered


def test_every_change_is_one_event_and_bumps_revision(services: Services) -> None:
    d = start(services)
    svc = services.assessments
    svc.answer(d.id, "WL1", "3", note="seen")
    svc.set_note(d.id, "WL1", "seen twice")
    svc.answer(d.id, "WL1", "3")  # no change: no event
    action = svc.add_action(d.id, "Refresh the FTSU policy", owner="Director of People",
                            due="2026-06-30", priority="high", question_id="wl3")
    svc.close_action(d.id, action.id[:6])
    after = svc.get(d.id)
    assert after.record.revision == 5
    assert events(services, d.id) == ["start", "answer", "answer", "action.add", "action.edit"]
    assert after.actions[0].question_id == "WL3" and after.actions[0].status == "closed"


def test_undo_walks_back_through_the_log(services: Services) -> None:
    d = start(services)
    svc = services.assessments
    svc.answer(d.id, "WL1", "3")
    svc.answer(d.id, "WL1", "1", note="gaps")
    action = svc.add_action(d.id, "Fix it")
    withdrawn = svc.undo(d.id)
    assert withdrawn is not None and "withdrawn" in str(withdrawn)
    assert withdrawn.action_id == action.id
    assert svc.get(d.id).actions[0].status == "closed"
    back = svc.undo(d.id)
    assert back is not None and str(back) == "WL1: back to 3" and back.question_id == "WL1"
    got = svc.get(d.id).answers["WL1"]
    assert (got.value, got.note) == (3, "")
    assert str(svc.undo(d.id)) == "WL1: back to unanswered"
    assert "WL1" not in svc.get(d.id).answers
    assert svc.undo(d.id) is None
    assert events(services, d.id).count("undo") == 3
    assert action.id


def test_complete_lists_every_blocker_then_succeeds(services: Services) -> None:
    d = start(services)
    svc = services.assessments
    for qid in ("WL1", "WL2", "WL3"):
        svc.answer(d.id, qid, "3")
    with pytest.raises(Refused) as refused:
        svc.complete(d.id)
    assert [r.text.split()[0] for r in refused.value.reasons] == ["WL4", "WL5", "WL6", "WL7", "WL8"]
    assert svc.get(d.id).record.status == "draft"
    for qid in ("WL4", "WL5", "WL6", "WL7"):
        svc.answer(d.id, qid, "3")
    svc.answer(d.id, "WL8", None, na=True)
    done = svc.complete(d.id)
    assert done.record.status == "complete" and done.record.completed_at is not None
    assert done.report.overall.rating == "Good"
    assert done.report.overall.trace == "21 of 28 (75%) -> Good, band 63-87"
    with pytest.raises(Refused, match="complete; reopen"):
        svc.answer(d.id, "WL1", "4")
    svc.reopen(d.id)
    assert svc.answer(d.id, "WL1", "4").answers["WL1"].value == 4


def test_bin_delete_restore_purge(services: Services) -> None:
    svc = services.assessments
    d = start(services)
    svc.delete(d.id)
    assert svc.list() == [] and [s.id for s in svc.list(deleted=True)] == [d.id]
    with pytest.raises(NotFound):
        svc.answer(d.id, "WL1", "3")
    svc.restore(d.id)
    assert [s.id for s in svc.list()] == [d.id]
    with pytest.raises(Refused, match="only assessments in the bin"):
        svc.purge(d.id)
    svc.delete(d.id)
    svc.purge(d.id)
    assert svc.list(deleted=True) == []


def test_resolve_id_prefix_and_ambiguity(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter([uuid.UUID("aaaa1111-0000-4000-8000-000000000001"),
                uuid.UUID("aaaa2222-0000-4000-8000-000000000002")])
    monkeypatch.setattr(assessments_module.uuid, "uuid4", lambda: next(ids))
    a, b = start(services), start(services)
    svc = services.assessments
    assert svc.resolve_id("AAAA1") == a.id
    assert svc.resolve_id(b.id) == b.id
    with pytest.raises(Ambiguous, match="matches 2 assessments"):
        svc.resolve_id("aaaa")
    with pytest.raises(NotFound):
        svc.resolve_id("ffff")


def test_show_json_contract(services: Services) -> None:
    d = start(services)
    svc = services.assessments
    svc.answer(d.id, "WL1", "3", note="Board papers")
    svc.add_action(d.id, "Publish the green plan", owner="COO")
    data = svc.get(d.id).to_json()
    for key in ("id", "revision", "status", "organisation", "site", "visit_date", "template",
                "answers", "sections", "overall", "actions"):
        assert key in data
    assert data["organisation"] == {"name": "Example NHS Trust", "code": "RTD"}
    assert set(data["template"]) >= {"id", "version", "title"}
    assert set(data["answers"]["WL1"]) >= {"value", "label", "na", "note"}
    assert data["answers"]["WL1"]["label"] == "Good standard"
    assert set(data["sections"][0]) >= {"id", "title", "answered", "total", "score_pct", "rating"}
    assert data["overall"]["rating"] == "Good" and data["overall"]["score_pct"] == 75.0
    assert data["actions"][0]["description"] == "Publish the green plan"


def test_snapshot_keeps_assessment_stable_when_template_changes(paths, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = {
        "id": "tiny", "version": "1", "title": "Tiny", "kind": "visit", "description": "d",
        "source": "s", "scales": {"yn": {"options": [{"value": 1, "label": "Yes"},
                                                     {"value": 0, "label": "No"}]}},
        "scoring": {"method": "none"},
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "Q1", "text": "One?", "scale": "yn"}]}],
    }
    library = TemplateLibrary({"tiny": TemplateEntry(compile_template(doc), tmp_path, "user")})
    svc = build_services(paths, clock=FixedClock(), library=library)
    d = svc.assessments.start("tiny", org_name="Org")
    doc2 = {**doc, "version": "2", "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "Q9", "text": "Other?", "scale": "yn"}]}]}
    svc.library.entries["tiny"] = TemplateEntry(compile_template(doc2), tmp_path, "user")
    again = svc.assessments.answer(d.id, "Q1", "yes")
    assert again.template.version == "1" and again.answers["Q1"].value == 1
    svc.close()
