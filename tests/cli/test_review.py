"""Perspective and second-reviewer review states, from the outside: the CLI, returns read
back with openpyxl, import on another database, and the consolidated workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

from qa_tui.returns import read_return
from qa_tui.services.returns import _content

ANSWERS = {"WL1": "3", "WL2": "3", "WL3": "3", "WL4": "3", "WL5": "3", "WL6": "3",
           "WL7": "3", "WL8": "3"}


def show(cli: Any, aid: str, **env: str) -> dict[str, Any]:
    result = cli("show", aid, "--json", env=env or None)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def completed(cli: Any, org: str = "Alpha Trust", *extra: str,
              template: str = "cqc-saf-well-led") -> str:
    """A complete assessment by the assessor Jo Smith."""
    aid: str = cli("new", "--template", template, "--org", org, "--assessor", "Jo Smith",
                   *extra).out.strip()
    for qid, value in ANSWERS.items():
        assert cli("answer", aid, qid, value).code == 0
    assert cli("complete", aid).code == 0, "complete"
    return aid


def cover(path: Path) -> dict[str, Any]:
    sheet = openpyxl.load_workbook(path)["Cover"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}


def test_perspective_defaults_from_the_template_kind_and_can_be_set(cli: Any) -> None:
    own = cli("new", "--template", "cqc-saf-well-led", "--org", "Alpha Trust").out.strip()
    visit = cli("new", "--template", "qa-visit", "--org", "Alpha Trust").out.strip()
    peer = cli("new", "--template", "cqc-saf-well-led", "--org", "Alpha Trust",
               "--perspective", "peer").out.strip()
    assert [show(cli, a)["perspective"] for a in (own, visit, peer)] == ["self", "icb", "peer"]
    listed = {x["id"]: x["perspective"] for x in json.loads(cli("list", "--json").out)}
    assert listed == {own: "self", visit: "icb", peer: "peer"}
    bad = cli("new", "--template", "qa-visit", "--org", "Alpha Trust", "--perspective", "x")
    assert bad.code == 2 and "perspective" in bad.err.lower()
    assert "perspective: peer" in cli("show", peer).out


def test_a_reviewer_who_is_an_assessor_is_refused_whatever_the_case_or_spaces(cli: Any) -> None:
    aid = completed(cli)
    for name in ("Jo Smith", "  jo   SMITH ", "josmith"):
        result = cli("review", "approve", aid, "--reviewer", name)
        assert result.code == 1 and "assessors" in result.err, name
        result = cli("review", "return", aid, "--reviewer", name, "--reason", "x")
        assert result.code == 1 and "assessors" in result.err, name
    after = show(cli, aid)
    assert after["review"] is None and after["status"] == "complete"


def test_approve_needs_a_complete_assessment(cli: Any) -> None:
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Alpha Trust").out.strip()
    result = cli("review", "approve", aid, "--reviewer", "Sam Lee")
    assert result.code == 1 and "complete" in result.err
    assert show(cli, aid)["review"] is None


def test_approve_and_return_are_audited_raise_the_revision_and_reopen_clears(
        cli: Any) -> None:
    aid = completed(cli)
    start = show(cli, aid)["revision"]
    assert cli("review", "return", aid, "--reviewer", "Sam Lee", "--reason", "").code == 1
    returned = cli("review", "return", aid, "--reviewer", "Sam Lee", "--reason",
                   "WL3: no evidence of the speak-up data")
    assert returned.code == 0, returned.err
    back = show(cli, aid)
    assert back["status"] == "draft" and back["revision"] == start + 1
    assert back["review"]["state"] == "returned" and back["review"]["reviewer"] == "Sam Lee"
    assert back["review"]["note"] == "WL3: no evidence of the speak-up data"
    assert "returned by Sam Lee" in cli("show", aid).out
    assert cli("review", "approve", aid, "--reviewer", "Sam Lee").code == 1  # a draft now
    assert cli("complete", aid).code == 0
    assert show(cli, aid)["review"] is None  # completing again answers the return
    approved = cli("review", "approve", aid, "--reviewer", "Sam Lee", "--note", "Agreed")
    assert approved.code == 0, approved.err
    now = show(cli, aid)
    assert now["review"] == {"state": "approved", "reviewer": "Sam Lee",
                             "at": now["review"]["at"], "note": "Agreed"}
    assert now["revision"] == start + 3 and now["status"] == "complete"
    reopened = cli("reopen", aid)
    assert "approval by Sam Lee is cleared" in reopened.out
    assert show(cli, aid)["review"] is None
    history = json.loads(cli("history", aid, "--json").out)
    reviews = [(e["kind"], e["target"]) for e in history if e["kind"] == "review"]
    assert reviews == [("review", "returned"), ("review", "approved"), ("review", "cleared")]
    assert "review approved" in cli("history", aid).out


def test_the_review_and_perspective_travel_in_the_return_and_import_elsewhere(
        cli: Any, tmp_path: Path) -> None:
    aid = completed(cli, "Alpha Trust", "--perspective", "peer")
    assert cli("review", "approve", aid, "--reviewer", "Sam Lee", "--note", "Agreed").code == 0
    out = tmp_path / "out"
    path = Path(cli("export", aid, "-o", str(out)).out.strip())
    checked = read_return(path)
    document = checked.document["assessment"]
    assert document["perspective"] == "peer"
    assert document["review"]["state"] == "approved" and document["review"]["note"] == "Agreed"
    rows = cover(path)
    assert rows["Perspective"] == "peer"
    assert rows["Review"].startswith("approved by Sam Lee on ") and rows["Review"].endswith(
        ": Agreed")
    labels = list(rows)
    assert labels.index("Perspective") > labels.index("Escalation record")  # at the bottom
    other = {"QA_TUI_DB": str(tmp_path / "other.sqlite3")}
    imported = cli("import", str(path), env=other)
    assert imported.code == 0, imported.err
    there = show(cli, aid, **other)
    here = show(cli, aid)
    assert there["perspective"] == "peer" and there["review"] == here["review"]
    assert there["revision"] == here["revision"]
    again = cli("import", str(path), env=other)
    assert again.code == 0 and "already up to date" in again.out


def test_a_return_without_perspective_or_review_still_verifies_and_imports(
        cli: Any, tmp_path: Path) -> None:
    """A return written before the keys existed: the example returns in exports/."""
    examples = sorted((Path(__file__).resolve().parents[2] / "exports" / "examples")
                      .glob("*.xlsx"))
    for path in examples:
        data = read_return(path).document["assessment"]
        assert "perspective" not in data and "review" not in data
        result = cli("import", str(path))
        assert result.code == 0, result.err
        kind = data["kind"]
        assert show(cli, data["id"])["perspective"] == (
            "self" if kind == "self-assessment" else "icb")
        assert show(cli, data["id"])["review"] is None


def test_a_default_perspective_is_the_same_content_as_none() -> None:
    """So a return without the key matches its imported copy (which now has one)."""
    base = {"format": "qa-tui-return", "assessment": {"kind": "visit", "id": "x"}}
    said = {"format": "qa-tui-return", "assessment": {"kind": "visit", "id": "x",
                                                      "perspective": "icb"}}
    other = {"format": "qa-tui-return", "assessment": {"kind": "visit", "id": "x",
                                                       "perspective": "peer"}}
    assert _content(base) == _content(said) != _content(other)


def test_approved_only_keeps_unapproved_returns_out_of_the_ratings(
        cli: Any, tmp_path: Path) -> None:
    approved = completed(cli, "Alpha Trust")
    waiting = completed(cli, "Beta Trust")
    sent_back = completed(cli, "Gamma Trust")
    draft = cli("new", "--template", "cqc-saf-well-led", "--org", "Delta Trust").out.strip()
    assert cli("review", "approve", approved, "--reviewer", "Sam Lee").code == 0
    assert cli("review", "return", sent_back, "--reviewer", "Sam Lee",
               "--reason", "check WL3").code == 0
    out = tmp_path / "returns"
    for aid in (approved, waiting, sent_back, draft):
        assert cli("export", aid, "-o", str(out)).code == 0
    book = tmp_path / "approved.xlsx"
    result = cli("consolidate", str(out), "-o", str(book), "--approved-only")
    assert result.code == 0, result.err
    assert "3 not approved left out of ratings" in result.out
    wb = openpyxl.load_workbook(book)

    committee = [r for r in wb["Committee"].iter_rows(values_only=True) if r and r[0]]
    by_org = {r[0]: r for r in committee if r[0] and str(r[0]).endswith("Trust")}
    assert by_org["Alpha Trust"][5].startswith("Good")
    for org in ("Beta Trust", "Gamma Trust", "Delta Trust"):
        assert str(by_org[org][5]).startswith("No approved return"), org

    ratings = [r for r in wb["Ratings"].iter_rows(values_only=True)]
    rated_orgs = {r[0] for r in ratings if r[0] in {"Alpha Trust", "Beta Trust",
                                                   "Gamma Trust", "Delta Trust"}}
    assert rated_orgs == {"Alpha Trust"}

    trend = {c for r in wb["Trend"].iter_rows(values_only=True) for c in r if c}
    assert "Alpha Trust" in trend and not trend & {"Beta Trust", "Gamma Trust", "Delta Trust"}

    exceptions = list(wb["Exceptions"].iter_rows(values_only=True))
    head = list(exceptions[0])
    not_approved = {r[head.index("Organisation")]: r[head.index("Detail")]
                    for r in exceptions[1:] if r[0] == "Not approved"}
    assert set(not_approved) == {"Beta Trust", "Gamma Trust", "Delta Trust"}
    assert all(detail.startswith("not approved") for detail in not_approved.values())

    returns = list(wb["Returns"].iter_rows(values_only=True))
    head = list(returns[0])
    review = {r[0]: r[head.index("Review")] for r in returns[1:]}
    assert review["Alpha Trust"].startswith("approved by Sam Lee")
    assert review["Gamma Trust"].startswith("returned by Sam Lee") and \
        review["Gamma Trust"].endswith("check WL3")
    assert review["Beta Trust"] is None and review["Delta Trust"] is None

    everything = tmp_path / "all.xlsx"
    assert cli("consolidate", str(out), "-o", str(everything)).code == 0
    rows = openpyxl.load_workbook(everything)["Ratings"].iter_rows(values_only=True)
    assert {r[0] for r in rows} >= {"Alpha Trust", "Beta Trust"}  # without the flag: both


def test_a_review_that_contradicts_the_status_is_refused(cli: Any) -> None:
    """An approval of a draft, or a return of a complete assessment, is not a qa-tui return."""
    import pytest

    from qa_tui.errors import ReturnInvalid
    from qa_tui.returns import ReturnData
    from qa_tui.services import build_services

    aid = completed(cli)
    assert cli("review", "approve", aid, "--reviewer", "Sam Lee").code == 0
    services = build_services()
    try:
        document = services.returns.document(aid)
    finally:
        services.close()
    assert ReturnData.from_document(document).review is not None
    for state, status in (("approved", "draft"), ("returned", "complete"), ("maybe", "draft")):
        bad = json.loads(json.dumps(document))
        bad["assessment"]["review"]["state"] = state
        bad["assessment"]["status"] = status
        with pytest.raises(ReturnInvalid, match="assessment.review.state"):
            ReturnData.from_document(bad)
    bad = json.loads(json.dumps(document))
    bad["assessment"]["perspective"] = "board"
    with pytest.raises(ReturnInvalid, match="assessment.perspective"):
        ReturnData.from_document(bad)


def test_undo_never_crosses_a_review(cli: Any) -> None:
    aid = completed(cli)
    assert cli("review", "return", aid, "--reviewer", "Sam Lee", "--reason", "WL3").code == 0
    result = cli("undo", aid)
    assert show(cli, aid)["review"]["state"] == "returned"
    assert show(cli, aid)["answers"]["WL8"]["value"] == 3, result.out
