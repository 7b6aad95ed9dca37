"""Refusals are typed: each reason has a code and the question, action or file it is about,
and the services' words never name a front end's flag (the CLI and the TUI add their own)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qa_tui.cli.refusals import worded
from qa_tui.errors import Reason, ReasonCode, Refused
from qa_tui.services import Services
from qa_tui.ui.exporting import export_return

from tests.conftest import ROOT
from tests.report_support import walked_visit

NHS = "943 476 5919"


def test_identifiers_in_a_note_and_an_action_are_reasons_with_their_place(
        services: Services, tmp_path: Path) -> None:
    aid = walked_visit(services, complete=False)
    svc = services.assessments
    svc.set_note(aid, "V1.1", f"Patient NHS no {NHS} was seen")
    svc.add_action(aid, f"Call back {NHS}", owner="Ward manager", question_id="V3.2")
    action_id = next(a.id for a in svc.get(aid).actions if a.description.startswith("Call"))
    with pytest.raises(Refused) as caught:
        services.returns.export(aid, tmp_path)
    refused = caught.value
    assert refused.code == ReasonCode.IDENTIFIER
    assert refused.message == "probable patient identifiers; remove them"
    assert [(r.code, r.question_id, r.action_id, r.text) for r in refused.reasons] == [
        (ReasonCode.IDENTIFIER, "V1.1", None, "V1.1 note: probable NHS number"),
        (ReasonCode.IDENTIFIER, "V3.2", action_id,
         f"action {action_id[:8]} description: probable NHS number")]
    assert "--" not in str(refused) and NHS not in str(refused)
    # the CLI's line is the one it always printed
    assert worded(refused) == (
        f"{aid[:8]}: probable patient identifiers; remove them, or export with "
        "--allow-identifiers if they are not about patients: V1.1 note: probable NHS number; "
        f"action {action_id[:8]} description: probable NHS number")
    # the TUI lists the reasons as given, each with its question
    outcome = export_return(services, aid)
    assert not outcome.ok and outcome.reasons == refused.reasons
    assert outcome.text == ("Not exported: probable patient identifiers; remove them, or export "
                            "with --allow-identifiers if they are not about patients")


def test_an_open_critical_question_and_gaps_block_completion_by_question(
        services: Services) -> None:
    aid = walked_visit(services, complete=False)
    svc = services.assessments
    svc.set_note(aid, "V3.2", "")  # the critical No loses its escalation record
    required = next(q.id for q in svc.get(aid).template.questions if q.required)
    svc.clear(aid, required)
    with pytest.raises(Refused) as caught:
        svc.complete(aid)
    reasons = caught.value.reasons
    assert (ReasonCode.REQUIRED_OPEN, required) in [(r.code, r.question_id) for r in reasons]
    escalated = [r for r in reasons if r.code is ReasonCode.ESCALATION_UNRECORDED]
    assert [r.question_id for r in escalated] == ["V3.2"]
    assert escalated[0].text.startswith("V3.2 is escalated ('No' on a critical question)")
    assert all(isinstance(r, Reason) and r.question_id for r in reasons)


def test_a_file_in_the_way_is_a_typed_reason_and_the_cli_adds_force(
        services: Services, tmp_path: Path) -> None:
    aid = walked_visit(services, complete=False)
    first = services.returns.export(aid, tmp_path)
    first.path.write_bytes(b"someone else's spreadsheet")
    with pytest.raises(Refused) as caught:
        services.returns.export(aid, tmp_path)
    refused = caught.value
    assert refused.code == ReasonCode.FILE_EXISTS
    assert [(r.code, r.file, r.text) for r in refused.reasons] == [
        (ReasonCode.FILE_EXISTS, str(first.path), "it holds a file that is not a valid return")]
    assert str(refused) == (f"{first.path}: a different file already exists there; it holds "
                            "a file that is not a valid return")
    assert worded(refused) == (f"{first.path}: a different file already exists there (use "
                               "--force to replace it); it holds a file that is not a valid "
                               "return")


def test_a_plain_string_reason_is_typed_other() -> None:
    refused = Refused("cannot", ["one", Reason(ReasonCode.NOTE_OWED, "two", question_id="Q")])
    assert [r.code for r in refused.reasons] == [ReasonCode.OTHER, ReasonCode.NOTE_OWED]
    assert str(refused) == "cannot: one; two"


def _strings(path: Path) -> list[str]:
    """The string literals of a module that are not documentation (a string standing alone
    as a statement: a docstring, or the note under an attribute)."""
    tree = ast.parse(path.read_text("utf-8"))
    notes = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in notes]


def test_services_never_name_a_cli_flag() -> None:
    found = [(path.name, text) for path in sorted((ROOT / "qa_tui" / "services").glob("*.py"))
             for text in _strings(path) if "--force" in text or "--allow-identifiers" in text]
    assert found == []
