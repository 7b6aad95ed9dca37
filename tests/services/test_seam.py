"""The seam between the use cases and the front ends: frozen views only, one action shape, and
every change handing back the assessment as it left it (issue 18, items 2 and 3)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from qa_tui.domain import ActionView
from qa_tui.returns import ReturnData
from qa_tui.services import ActionChanges, AssessmentDetail, AssessmentHeader, Services
from qa_tui.services.views import action_json, action_record, action_view
from qa_tui.store import ActionRecord, AssessmentRecord

SAF = "cqc-saf-well-led"


def _same(services: Services, returned: AssessmentDetail) -> None:
    """What a change returned is what a fresh read gives: nothing stale, nothing missing."""
    fresh = services.assessments.get(returned.id)
    assert returned.record == fresh.record
    assert returned.actions == fresh.actions
    assert returned.to_json() == fresh.to_json()


def test_every_change_returns_the_fresh_detail(services: Services) -> None:
    svc, actions = services.assessments, services.actions
    aid = svc.start(SAF, org_name="Seam Trust", assessors=["A. Assessor"]).id
    _same(services, svc.answer(aid, "WL1", "3", note="seen"))
    _same(services, svc.set_note(aid, "WL1", "seen twice"))
    _same(services, svc.clear(aid, "WL1"))
    _same(services, svc.set_summary(aid, "A short summary."))
    added = actions.add(aid, "Refresh the policy", owner="COO", due="2026-06-30",
                        question_id="WL3")
    assert [a.id for a in added.detail.actions] == [added.action.id]
    assert added.action.description == "Refresh the policy"
    _same(services, added.detail)
    edited = actions.edit(aid, added.action.id[:6], ActionChanges(owner="CEO"))
    assert edited.action.owner == "CEO" and edited.detail.actions == (edited.action,)
    _same(services, edited.detail)
    closed = actions.close(aid, added.action.id)
    assert closed.action.status == "closed" and closed.detail.record.revision == 8
    _same(services, closed.detail)
    undone = services.undo.undo(aid)
    assert undone is not None and undone.action_id == added.action.id
    assert undone.detail is not None and undone.detail.actions[0].status == "open"
    _same(services, undone.detail)
    binned = svc.delete(aid)
    assert binned.record.deleted_at is not None
    _same(services, binned)
    back = svc.restore(aid)
    assert back.record.deleted_at is None
    _same(services, back)
    assert svc.restore(aid).record == back.record  # not in the bin: nothing changes
    for qid in [q.id for q in back.template.questions]:
        svc.answer(aid, qid, "3", note="evidence")
    done = svc.complete(aid)
    assert done.is_complete
    _same(services, done)
    _same(services, svc.reopen(aid))


def test_the_views_carry_every_field_of_the_records() -> None:
    """A field added to a store record reaches the front ends only through its view: adding
    it to the record alone fails here rather than going missing quietly."""
    assert [f.name for f in fields(AssessmentHeader)] == [f.name for f in fields(AssessmentRecord)]
    action_fields = {f.name for f in fields(ActionRecord)}
    assert action_fields - {f.name for f in fields(ActionView)} == {
        "assessment_id", "carried_from_assessment", "carried_from_action"}
    assert {f.name for f in fields(ActionView)} - action_fields == {"carried_from"}


def test_the_old_names_still_answer_with_the_action(services: Services) -> None:
    """AssessmentService keeps add_action and friends (delegating), for callers elsewhere."""
    svc = services.assessments
    aid = svc.start(SAF, org_name="Seam Trust").id
    action = svc.add_action(aid, "Fix it", priority="high")
    assert isinstance(action, ActionView) and action.priority == "high"
    assert svc.close_action(aid, action.id).status == "closed"
    assert svc.edit_action(aid, action.id, ActionChanges(status="open")).closed_at is None
    undone = svc.undo(aid)
    assert undone is not None and str(undone) == f"action {action.id[:8]} restored"


def test_action_changes_touch_only_what_they_name(services: Services) -> None:
    svc, actions = services.assessments, services.actions
    aid = svc.start(SAF, org_name="Seam Trust").id
    made = actions.add(aid, "Audit dignity", owner="Matron", due="2026-05-01").action
    kept = actions.edit(aid, made.id, ActionChanges(priority="low")).action
    assert (kept.description, kept.owner, kept.due_date, kept.priority) == (
        "Audit dignity", "Matron", made.due_date, "low")
    no_date = actions.edit(aid, made.id, ActionChanges(due="")).action
    assert no_date.due_date is None and no_date.owner == "Matron"
    same = actions.edit(aid, made.id, ActionChanges())
    assert same.action == no_date  # nothing named, nothing changed: no event, same revision
    assert same.detail.record.revision == svc.get(aid).record.revision
    assert [e.kind for e in svc.history(aid)].count("action.edit") == 2


def test_one_action_shape_from_the_store_to_the_return(services: Services,
                                                       tmp_path: Path) -> None:
    """The actions a return carries are the very values the detail shows, and each JSON form
    of an action comes from that one value."""
    svc, actions = services.assessments, services.actions
    first = svc.start(SAF, org_name="Seam Trust", visit_date="2026-01-10")
    actions.add(first.id, "Carry me", owner="Matron", question_id="WL1")
    follow = services.followups.start(first.id, visit_date="2026-03-01")
    [carried] = follow.carried
    assert carried.carried_from is not None and carried.carried_from.assessment_id == first.id
    raised = actions.add(follow.detail.id, "Raised here", due="2026-07-01").action
    detail = svc.get(follow.detail.id)
    assert isinstance(detail.record, AssessmentHeader)
    for view in detail.actions:
        assert action_view(action_record(view, detail.id)) == view  # one conversion each way
    result = services.returns.export(detail.id, tmp_path, fmt="json")
    document: dict[str, Any] = json.loads(result.path.read_text(encoding="utf-8"))
    data = ReturnData.from_document(document)
    assert data.actions == detail.actions
    stored = {a["id"]: a for a in document["actions"]}
    shown = {a["id"]: a for a in detail.to_json()["actions"]}
    for view in detail.actions:
        whole = stored[view.id]
        assert set(whole) - set(shown[view.id]) == {"updated_at"}
        assert shown[view.id] == action_json(view)
        assert (whole["carried_from"] if view.carried else None) == shown[view.id]["carried_from"]
    assert stored[raised.id]["due_date"] == "2026-07-01" and "carried_from" not in stored[raised.id]
