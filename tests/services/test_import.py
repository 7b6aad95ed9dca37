"""Import as a use case: round trips into another database, idempotence, revisions, and never
overwriting local work that was not exported."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qa_tui.errors import Refused, ReturnInvalid
from qa_tui.services import Services

from tests.test_return_support import AWKWARD, all_types_services, fresh_services, sample


def _same_assessment(a: Services, b: Services, aid: str) -> None:
    left, right = a.assessments.get(aid), b.assessments.get(aid)
    ignore = {"synced_revision": None, "origin": ""}
    assert replace(left.record, **ignore) == replace(right.record, **ignore)
    assert left.answers == right.answers
    assert left.answered_at == right.answered_at
    assert left.actions == right.actions
    assert left.report == right.report
    assert left.to_json() == right.to_json()


@pytest.fixture
def laptop(tmp_path: Path) -> Services:
    other = fresh_services(tmp_path, "laptop")
    yield other
    other.close()


def test_round_trip_into_a_fresh_database(services: Services, laptop: Services,
                                          tmp_path: Path) -> None:
    aid = sample(services)
    path = services.returns.export(aid, tmp_path / "out").path
    result = laptop.returns.import_file(path)
    assert (result.outcome, result.revision, result.previous_revision) == \
        ("added", services.assessments.get(aid).record.revision, None)
    assert result.message().startswith(f"added {aid[:8]} (revision ")
    _same_assessment(services, laptop, aid)
    imported = laptop.assessments.get(aid).record
    assert imported.origin == "import" and imported.synced_revision == imported.revision
    notes = {a.note for a in laptop.assessments.get(aid).answers.values()}
    assert set(AWKWARD[:2] + AWKWARD[3:8]) <= notes  # WL3 is N/A without a note
    events = laptop.assessments.history(aid)
    assert [e.kind for e in events] == ["import"] and events[0].target == path.name


def test_round_trip_of_every_question_type(tmp_path: Path) -> None:
    long_text = "Ünïcødé\n" + "very long evidence, " * 900
    first, second = all_types_services(tmp_path, "a"), all_types_services(tmp_path, "b")
    try:
        svc = first.assessments
        aid = svc.start("all-types", org_name="=Trust", org_code="ZZ1", site="-3 ward",
                        assessors=["@someone", "+Lead assessor"]).id
        for qid, raw, note in [("Q1", "1", "=shortfall"), ("Q2", "=Green", ""),
                               ("Q3", "blue, red", long_text.strip()), ("Q4", "no", ""),
                               ("Q5", "=1+1\nsecond line", "@note"), ("Q6", "-3", "+1"),
                               ("Q7", "2026-02-28", ""), ("Q8", "4", ""),
                               ("Q9", "_x0041_ literal", "")]:
            svc.answer(aid, qid, raw, note=note or None)
        svc.add_action(aid, "-do this first", due="2026-05-01", question_id="Q1")
        svc.complete(aid)
        path = first.returns.export(aid, tmp_path / "out").path
        assert second.returns.import_file(path).outcome == "added"
        _same_assessment(first, second, aid)
        detail = second.assessments.get(aid)
        assert detail.answer("Q3").value == ["red", "blue"]
        assert detail.answer("Q6").value == -3 and detail.answer("Q5").value.startswith("=1+1")
    finally:
        first.close()
        second.close()


def test_export_import_export_gives_identical_bytes(services: Services, laptop: Services,
                                                    tmp_path: Path) -> None:
    aid = sample(services)
    original = services.returns.export(aid, tmp_path / "a").path
    laptop.returns.import_file(original)
    again = laptop.returns.export(aid, tmp_path / "b").path
    assert again.read_bytes() == original.read_bytes()


def test_import_is_idempotent(services: Services, laptop: Services, tmp_path: Path) -> None:
    path = services.returns.export(sample(services), tmp_path).path
    laptop.returns.import_file(path)
    again = laptop.returns.import_file(path)
    assert again.outcome == "unchanged"
    assert again.message().startswith("already up to date")
    assert [e.kind for e in laptop.assessments.history(again.assessment_id)] == ["import"]


def test_a_newer_revision_updates_and_an_older_one_is_refused(
        services: Services, laptop: Services, tmp_path: Path) -> None:
    aid = sample(services)
    old = services.returns.export(aid, tmp_path / "v1").path
    laptop.returns.import_file(old)
    svc = services.assessments
    svc.reopen(aid)
    svc.clear(aid, "WL3")  # the N/A without a note: its row goes
    svc.answer(aid, "WL4", "4", note="better now")
    new = services.returns.export(aid, tmp_path / "v2").path
    result = laptop.returns.import_file(new)
    assert result.outcome == "updated" and result.previous_revision < result.revision
    _same_assessment(services, laptop, aid)
    assert "WL3" not in laptop.assessments.get(aid).answers
    with pytest.raises(Refused, match=r"older than the copy here \(return revision \d+; this "
                                      r"database has revision \d+\)"):
        laptop.returns.import_file(old)
    assert [e.kind for e in laptop.assessments.history(aid)] == ["import", "import"]


def test_local_changes_not_yet_exported_are_never_overwritten(
        services: Services, laptop: Services, tmp_path: Path) -> None:
    aid = sample(services)
    laptop.returns.import_file(services.returns.export(aid, tmp_path / "v1").path)
    laptop.assessments.reopen(aid)
    laptop.assessments.set_note(aid, "WL1", "written on the laptop")
    services.assessments.reopen(aid)
    services.assessments.answer(aid, "WL2", "3")
    services.assessments.answer(aid, "WL5", "3")
    newer = services.returns.export(aid, tmp_path / "v2").path
    with pytest.raises(Refused, match="the copy here has changes not yet exported"):
        laptop.returns.import_file(newer)
    assert laptop.assessments.get(aid).answer("WL1").note == "written on the laptop"


def test_the_same_revision_changed_in_two_places_is_refused(
        services: Services, laptop: Services, tmp_path: Path) -> None:
    aid = sample(services)
    laptop.returns.import_file(services.returns.export(aid, tmp_path / "v1").path)
    services.assessments.reopen(aid)
    laptop.assessments.reopen(aid)
    laptop.assessments.set_note(aid, "WL1", "laptop")
    services.assessments.set_note(aid, "WL1", "desktop")
    fork = services.returns.export(aid, tmp_path / "v2").path
    with pytest.raises(Refused, match="changed in two places"):
        laptop.returns.import_file(fork)


def test_an_assessment_in_the_bin_is_not_revived(services: Services, laptop: Services,
                                                 tmp_path: Path) -> None:
    aid = sample(services)
    path = services.returns.export(aid, tmp_path).path
    laptop.returns.import_file(path)
    laptop.assessments.delete(aid)
    with pytest.raises(Refused, match="is in the bin here"):
        laptop.returns.import_file(path)


def test_an_invalid_file_changes_nothing(laptop: Services, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a return")
    with pytest.raises(ReturnInvalid):
        laptop.returns.import_file(bad)
    assert laptop.assessments.list() == []


def test_an_unknown_template_travels_in_the_snapshot(tmp_path: Path, laptop: Services) -> None:
    source = all_types_services(tmp_path, "source")
    try:
        aid = source.assessments.start("all-types", org_name="Snapshot Trust").id
        source.assessments.answer(aid, "Q1", "3")
        path = source.returns.export(aid, tmp_path / "out").path
    finally:
        source.close()
    assert "all-types" not in laptop.library.entries
    laptop.returns.import_file(path)
    detail = laptop.assessments.get(aid)
    assert detail.template.id == "all-types" and detail.label("Q1") == "Good"
    laptop.assessments.answer(aid, "Q8", "2")  # and work can go on from the snapshot
