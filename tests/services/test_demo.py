"""Demo data: plausible, varied, the same for the same seed, and valid enough to export."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qa_tui.domain import clean_ods_code
from qa_tui.returns import read_return
from qa_tui.services import Services
from qa_tui.services.demo import ASSESSORS, ICB_ONLY, PROVIDER_LEADS, create_demo

from tests.test_return_support import fresh_services


def _everything(services: Services) -> list[dict]:
    return [services.assessments.get(s.id).to_json() for s in services.assessments.list()]


def test_same_seed_same_data(tmp_path: Path) -> None:
    one, two = fresh_services(tmp_path, "one"), fresh_services(tmp_path, "two")
    try:
        first = create_demo(one, count=30, seed=5)
        second = create_demo(two, count=30, seed=5)
        assert first.created == second.created and len(first.created) == 30
        assert _everything(one) == _everything(two)
        third = fresh_services(tmp_path, "three")
        try:
            assert set(create_demo(third, count=30, seed=6).created).isdisjoint(first.created)
        finally:
            third.close()
    finally:
        one.close()
        two.close()


def test_the_data_is_varied_and_plausible(services: Services) -> None:
    create_demo(services, count=80, seed=2)
    details = [services.assessments.get(s.id) for s in services.assessments.list()]
    assert len(details) == 80
    assert len({d.record.org_name for d in details}) >= 5
    assert {d.record.template_id for d in details} == set(services.library.ids())
    assert Counter(d.record.status for d in details).keys() == {"draft", "complete"}
    assert len({d.record.visit_date for d in details}) >= 40
    assert sum(len(d.actions) for d in details) >= 20
    assert any(a.note for d in details for a in d.answers.values())
    for d in details:
        rec = d.record
        assert clean_ods_code(rec.org_code) == rec.org_code and rec.assessors
        assert rec.created_at <= rec.updated_at and rec.revision >= 1 + len(d.answers)
        if rec.status == "complete":
            assert not services.assessments.completion_blockers(d)
            assert rec.completed_at is not None
        for qid, answer in d.answers.items():
            assert d.template.question(qid) is not None and answer.answered
        # ICB-only templates go to ICBs, never to trusts; a provider's self-assessment is done
        # by the provider's own people; visits by the ICB's assessors.
        is_icb = rec.org_name.endswith("Integrated Care Board")
        assert is_icb == (rec.template_id in ICB_ONLY), (rec.template_id, rec.org_name)
        if rec.kind == "self-assessment" and not is_icb:
            assert set(rec.assessors) <= set(PROVIDER_LEADS), rec.assessors
        elif rec.kind == "visit":
            assert set(rec.assessors) <= set(ASSESSORS), rec.assessors


def test_a_second_run_with_the_same_seed_adds_nothing(services: Services) -> None:
    create_demo(services, count=10, seed=9)
    again = create_demo(services, count=10, seed=9)
    assert again.created == () and len(again.skipped) == 10
    assert "already here" in again.message()
    assert len(services.assessments.list()) == 10


def test_demo_assessments_export_and_verify(services: Services, tmp_path: Path) -> None:
    create_demo(services, count=12, seed=3)
    for summary in services.assessments.list():
        path = services.returns.export(summary.id, tmp_path).path
        assert read_return(path).data.id == summary.id
        if summary.status == "draft":  # the demo's events never pretend to be undoable edits
            assert services.assessments.undo(summary.id) is None
