"""Actions raised on a row field keep pointing at the right row as rows come and go."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from qa_tui.config import Paths, resolve_paths
from qa_tui.services import Services
from tests.groups_support import risk_services, write_template


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = risk_services(paths)
    yield services
    services.close()


def three_rows(svc: Services) -> str:
    a = svc.assessments
    aid = a.start("risk-test", org_name="Example Trust").id
    for n, desc in enumerate(["First", "Second", "Third"], 1):
        a.add_row(aid, "RISK")
        a.answer(aid, f"RISK[{n}].DESC", desc)
    return aid


def ready_to_complete(svc: Services) -> str:
    """Three rows with every required field answered, and C1: completion is allowed."""
    aid = three_rows(svc)
    for n in (1, 2, 3):
        svc.assessments.answer(aid, f"RISK[{n}].LIKELIHOOD", "2")
        svc.assessments.answer(aid, f"RISK[{n}].CONSEQUENCE", "2")
    svc.assessments.answer(aid, "C1", "y")
    return aid


def refs(svc: Services, aid: str) -> dict[str, str | None]:
    return {x.id: x.question_id for x in svc.assessments.get(aid).actions}


def test_removing_an_earlier_row_renumbers_the_action(svc: Services) -> None:
    a = svc.assessments
    aid = three_rows(svc)
    on_third = a.add_action(aid, "Fix the third", question_id="risk[3].desc")
    on_first = a.add_action(aid, "Fix the first", question_id="RISK[1].DESC")
    general = a.add_action(aid, "Whole visit")
    assert on_third.question_id == "RISK[3].DESC"
    before = a.get(aid).actions
    a.remove_row(aid, "RISK", 2)
    assert refs(svc, aid) == {on_third.id: "RISK[2].DESC", on_first.id: "RISK[1].DESC",
                              general.id: None}
    detail = a.get(aid)
    assert detail.answer("RISK[2].DESC").value == "Third"  # the action still follows its row
    moved = next(x for x in detail.actions if x.id == on_third.id)
    assert moved.updated_at == on_third.updated_at  # only its place moved
    assert a.undo(aid) is not None
    assert a.get(aid).actions == before


def test_removing_the_actions_row_keeps_the_action_detached(svc: Services) -> None:
    a = svc.assessments
    aid = three_rows(svc)
    on_third = a.add_action(aid, "Fix the third", question_id="RISK[3].DESC")
    on_second = a.add_action(aid, "Fix the second", question_id="RISK[2].LIKELIHOOD")
    before = a.get(aid).actions
    a.remove_row(aid, "RISK", 3)
    after = refs(svc, aid)
    assert after == {on_third.id: None, on_second.id: "RISK[2].LIKELIHOOD"}
    kept = next(x for x in a.get(aid).actions if x.id == on_third.id)
    assert (kept.description, kept.status) == ("Fix the third", "open")
    event = a.history(aid)[-1]
    assert event.kind == "row.remove" and event.target == "RISK[3]"
    assert event.old["actions"] == {on_third.id: "RISK[3].DESC"}
    assert event.new["actions_detached"] == [on_third.id]
    undone = a.undo(aid)
    assert str(undone) == "row RISK[3] removed: put back with its answers and 1 action on it"
    assert a.get(aid).actions == before


def test_undo_of_a_removal_after_later_changes(svc: Services) -> None:
    """Remove row 1 (its action detached, row 2's action moves to row 1), add an action on the
    new row 1, undo that, then undo the removal: every reference is as it was."""
    a = svc.assessments
    aid = three_rows(svc)
    first = a.add_action(aid, "On first", question_id="RISK[1].OWNER")
    second = a.add_action(aid, "On second", question_id="RISK[2].DESC")
    a.remove_row(aid, "RISK", 1)
    assert refs(svc, aid) == {first.id: None, second.id: "RISK[1].DESC"}
    late = a.add_action(aid, "Late", question_id="RISK[1].OWNER")
    assert a.undo(aid) is not None  # withdraws (closes) the late action; it stays on row 1
    assert a.undo(aid) is not None  # puts row 1 back: the late action moves with its row
    assert refs(svc, aid) == {first.id: "RISK[1].OWNER", second.id: "RISK[2].DESC",
                              late.id: "RISK[2].OWNER"}


def test_undo_of_a_row_add_detaches_actions_on_it(svc: Services) -> None:
    a = svc.assessments
    aid = three_rows(svc)
    a.add_row(aid, "RISK")
    action = a.add_action(aid, "On the fourth", question_id="RISK[4].DESC")
    assert a.undo(aid) is not None  # the action is withdrawn
    assert a.undo(aid) is not None  # the row goes again
    detail = a.get(aid)
    assert detail.rows == {"RISK": 3}
    assert refs(svc, aid) == {action.id: None}
    assert a.history(aid)[-1].new["state"]["actions_detached"] == [action.id]


def test_export_after_removing_an_actions_row(svc: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The return's reader refuses an action naming a row the return lacks: a detached action
    keeps the export readable, and the import carries the renumbered reference."""
    a = svc.assessments
    aid = ready_to_complete(svc)
    gone = a.add_action(aid, "On the second", question_id="RISK[2].DESC")
    moved = a.add_action(aid, "On the third", question_id="RISK[3].DESC")
    a.remove_row(aid, "RISK", 2)
    a.complete(aid)
    path = svc.returns.export(aid, tmp_path / "out.xlsx").path
    data = svc.returns.verify(path).data
    assert {x.id: x.question_id for x in data.actions} == {gone.id: None,
                                                          moved.id: "RISK[2].DESC"}


def test_cli_row_remove_says_which_actions_were_detached(cli) -> None:  # type: ignore[no-untyped-def]
    write_template(resolve_paths().templates_dir)
    aid = cli("new", "--template", "risk-test", "--org", "Example Trust").out.strip()
    for _ in range(3):
        assert cli("row", "add", aid, "RISK").code == 0
    r = cli("action", "add", aid, "Fix it", "--question", "RISK[3].DESC")
    assert r.code == 0, r.err
    on_third = r.out.strip()
    r = cli("action", "add", aid, "Fix that", "--question", "RISK[2].DESC")
    on_second = r.out.strip()

    r = cli("row", "remove", aid, "RISK", "2")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["RISK[2] removed; RISK has 2 rows",
                                  f"action {on_second[:8]} was on RISK[2].DESC: kept, no longer "
                                  "on a question (undo puts it back)"]
    actions = {x["id"]: x["question_id"] for x in json.loads(cli("show", aid, "--json").out)
               ["actions"]}
    assert actions == {on_third: "RISK[2].DESC", on_second: None}
    history = cli("history", aid).out
    assert "row.remove RISK[2]" in history and on_second in history
    assert cli("undo", aid).code == 0
    actions = {x["id"]: x["question_id"] for x in json.loads(cli("show", aid, "--json").out)
               ["actions"]}
    assert actions == {on_third: "RISK[3].DESC", on_second: "RISK[2].DESC"}


def test_follow_up_carries_row_actions_off_their_row(svc: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The follow-up starts with no rows, so a carried action on ``RISK[2].DESC`` would name a
    row it lacks (and its return would be refused): it is carried, off the question, and the
    carry event keeps where it was."""
    a = svc.assessments
    aid = ready_to_complete(svc)
    on_row = a.add_action(aid, "On a row", question_id="RISK[2].DESC")
    on_c1 = a.add_action(aid, "On C1", question_id="C1")
    a.complete(aid)
    started = svc.followups.start(aid)
    new = started.detail
    assert new.rows == {"RISK": 0}
    carried = {x.carried_from.action_id if x.carried_from else None: x.question_id
               for x in new.actions}
    assert carried == {on_row.id: None, on_c1.id: "C1"}
    carry = [e for e in a.history(new.id) if e.kind == "action.carry"]
    froms = {e.new["carried_from"]["action_id"]: e.new["carried_from"] for e in carry}
    assert froms[on_row.id]["question_id"] == "RISK[2].DESC"
    assert "question_id" not in froms[on_c1.id]
    a.add_row(new.id, "RISK")
    for field, value in (("DESC", "Again"), ("LIKELIHOOD", "1"), ("CONSEQUENCE", "1")):
        a.answer(new.id, f"RISK[1].{field}", value)
    a.answer(new.id, "C1", "y")
    a.complete(new.id)
    svc.returns.verify(svc.returns.export(new.id, tmp_path).path)  # readable
