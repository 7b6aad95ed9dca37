"""Template rules that change what a person must do, checked through the real CLI."""

from __future__ import annotations

import json


def test_low_score_needs_a_note_before_completion(cli) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Justify Trust").out.strip()
    for q in range(1, 9):
        assert cli("answer", aid, f"WL{q}", "3").code == 0
    assert cli("answer", aid, "WL3", "1").code == 0
    refused = cli("complete", aid)
    assert refused.code == 1
    assert "WL3 needs an evidence note for the answer 'Significant shortfalls'" in refused.err
    assert json.loads(cli("show", aid, "--json").out)["notes_owed"] == ["WL3"]
    assert cli("note", aid, "WL3", "FTSU guardian post vacant since May").code == 0
    done = cli("complete", aid)
    assert done.code == 0, done.err
    data = json.loads(cli("show", aid, "--json").out)
    assert data["status"] == "complete" and data["notes_owed"] == []
    # 3*7 + 1 = 22 of 32 = 68.75% -> 69 -> Good
    assert data["overall"]["trace"] == "22 of 32 (69%) -> Good, band 63-87"


def test_critical_no_flags_the_visit_for_escalation(cli) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "qa-visit", "--org", "Riverside Care Home",
              "--site", "Dementia unit").out.strip()
    assert cli("answer", aid, "V1.1", "yes").code == 0
    assert json.loads(cli("show", aid, "--json").out)["escalations"] == []
    assert cli("answer", aid, "V2.4", "no", "--note", "Blanket rule: lounge locked 8pm").code == 0
    data = json.loads(cli("show", aid, "--json").out)
    assert data["escalations"] == ["V2.4"]
    assert "ESCALATE" in cli("show", aid).out and "V2.4" in cli("show", aid).out


def test_conditional_question_appears_with_its_condition(cli) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "qa-visit", "--org", "Riverside Care Home").out.strip()
    before = json.loads(cli("show", aid, "--json").out)
    assert cli("answer", aid, "V2.8", "partly", "--note", "Staff unsure who to tell").code == 0
    after = json.loads(cli("show", aid, "--json").out)
    assert after["progress_pct"] >= 0
    total = {s["id"]: s["total"] for s in before["sections"]}
    grown = {s["id"]: s["total"] for s in after["sections"]}
    assert grown["closed"] == total["closed"] + 1
    assert "V2.9" in after["required_open"] and "V2.9" not in before["required_open"]
