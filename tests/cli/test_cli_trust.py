"""Issue 10 through the real entry point: one number means one answer, exclusive options,
escalations that cannot hide, and drafts that say they are drafts."""

from __future__ import annotations

import json

from tests.conftest import CliResult


def visit(cli) -> str:  # type: ignore[no-untyped-def]
    r = cli("new", "--template", "qa-visit", "--org", "Riverside Care Home", "--org-code", "ZCC",
            "--date", "2026-03-01")
    assert r.code == 0, r.err
    return r.out.strip()


def answers(cli, aid: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    shown: CliResult = cli("show", aid, "--json")
    assert shown.code == 0, shown.err
    return json.loads(shown.out)


def test_a_number_means_the_value_show_json_gives_and_history_agrees(cli) -> None:  # type: ignore[no-untyped-def]
    aid = visit(cli)
    # Today "2" records Partly (the key was matched before the value). The value 2 is Yes.
    r = cli("answer", aid, "V1.2", "2")
    assert r.code == 0, r.err
    assert "V1.2 = Yes" in r.out
    doc = answers(cli, aid)
    assert doc["answers"]["V1.2"]["value"] == 2 and doc["answers"]["V1.2"]["label"] == "Yes"
    # Letters y/p/n answer a Yes/Partly/No scale; a position digit means nothing there.
    assert cli("answer", aid, "V1.3", "p").code == 0
    assert answers(cli, aid)["answers"]["V1.3"]["label"] == "Partly"
    refused = cli("answer", aid, "V1.4", "3")
    assert refused.code == 1
    assert "y=Yes (2), p=Partly (1), n=No (0)" in refused.err
    assert "V1.4" not in answers(cli, aid)["answers"]
    log = cli("history", aid)
    assert "answer V1.2: - -> Yes (2)" in log.out, log.out
    assert "answer V1.3: - -> Partly (1)" in log.out


def test_an_ambiguous_token_is_refused_with_the_choices(cli) -> None:  # type: ignore[no-untyped-def]
    aid = visit(cli)
    # "people" starts four labels of V2.1: refused, nothing saved, the choices listed.
    r = cli("answer", aid, "V2.1", "people")
    assert r.code == 1
    assert "ambiguous" in r.err and "1=People placed far from family and home" in r.err
    assert "V2.1" not in answers(cli, aid)["answers"]


def test_templates_show_gives_keys_values_and_exclusive_options(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("templates", "show", "qa-visit").out
    assert "[y] Yes (2)  [p] Partly (1)  [n] No (0)" in out
    assert "[9] None of these (only on its own)" in out
    saf = cli("templates", "show", "cqc-saf-well-led").out
    assert "[1] Significant shortfalls  [2] Some shortfalls" in saf


def test_none_of_these_cannot_be_combined(cli) -> None:  # type: ignore[no-untyped-def]
    aid = visit(cli)
    r = cli("answer", aid, "V2.1", "2,9")
    assert r.code == 1
    assert "V2.1: 'None of these' cannot be combined with other options" in r.err
    assert "V2.1" not in answers(cli, aid)["answers"]
    assert cli("answer", aid, "V2.1", "9").code == 0
    assert answers(cli, aid)["answers"]["V2.1"]["value"] == ["none"]


def test_an_escalation_shows_everywhere_and_needs_its_record_to_complete(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    aid = visit(cli)
    assert cli("answer", aid, "V2.5", "n").code == 0  # a critical No: escalate
    listed = json.loads(cli("list", "--json").out)
    assert listed[0]["escalations"] == ["V2.5"]
    # 1 of the 31 scored questions (qa-visit 1.2): floor(100 / 31) = 3
    assert listed[0]["coverage_pct"] == 3 and listed[0]["provisional"] is True
    assert "⚠ ESCALATE V2.5" in cli("list").out
    doc = answers(cli, aid)
    assert doc["escalations"] == ["V2.5"] and doc["escalations_unrecorded"] == ["V2.5"]
    assert doc["coverage_pct"] == 3 and doc["provisional"] is True
    assert cli("show", aid).out.startswith("⚠ ESCALATE: concern on critical question(s) V2.5")
    refused = cli("complete", aid)
    assert refused.code == 1
    assert ("V2.5 is escalated ('No' on a critical question) and needs its escalation record "
            "as the evidence note: who was told, when, and what was agreed") in refused.err
    # A draft exports with a warning (exit 0) and says DRAFT and ESCALATION on its Cover.
    exported = cli("export", aid, "-o", str(tmp_path))
    assert exported.code == 0, exported.err
    assert "warning:" in exported.err and "a DRAFT return (provisional rating, 3% of scored" \
        in exported.err
    wb = load_workbook(exported.out.strip())
    cover = {row[0]: row[1] for row in wb["Cover"].iter_rows(values_only=True) if row[0]}
    assert cover["Status"] == "draft"  # rows 1-24 keep their values: earlier readers accept it
    assert cover["Draft or final"].startswith("DRAFT: not complete")
    assert cover["Escalation flags"] == "V2.5"
    assert cover["Escalation record"].startswith("⚠ ESCALATE V2.5: record owed on V2.5")
    assert cover["Rating with coverage"].endswith("(provisional, 3% answered)")
    status_row = next(c for c in wb["Cover"]["A"] if c.value == "Status").row
    assert wb["Cover"].cell(status_row, 2).fill.start_color.rgb.endswith("FCE5CD")  # amber
    summary = list(wb["Summary"].iter_rows(values_only=True))
    assert summary[0][8:10] == ("Rating with coverage", "Escalations")
    closed = next(r for r in summary if r[0] == "closed")
    # 1 of V2.2-V2.7 (V2.8 weighs nothing since 1.2): floor(100 / 6) = 16
    assert closed[8].endswith("(provisional, 16% answered)") and closed[9] == "⚠ V2.5"
    # The record is the escalated question's evidence note; then the reason goes.
    assert cli("note", aid, "V2.5", "Told the home manager 2 Mar 10:00; safeguarding lead "
               "informed; visit again in 2 weeks").code == 0
    doc = answers(cli, aid)
    assert doc["escalations"] == ["V2.5"] and doc["escalations_unrecorded"] == []
    assert "V2.5 is escalated" not in cli("complete", aid).err
