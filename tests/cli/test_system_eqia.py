"""The bundled ``system-eqia`` template (issue #17 item 4): what it covers, how it rates (by the
worst impact, never a percentage), when it escalates, and its risk register's computed score."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from qa_tui.domain import AnswerState, Kind, QuestionType, ScoringMethod
from qa_tui.templates import Template, bundled_dir, load_template_file, score
from qa_tui.templates.computed import computed_values

NINE = ["Age", "Disability", "Gender reassignment", "Marriage and civil partnership",
        "Pregnancy and maternity", "Race", "Religion or belief", "Sex", "Sexual orientation"]
INCLUSION = ["People experiencing homelessness", "People with drug or alcohol dependence",
             "Vulnerable migrants", "Gypsy, Roma and Traveller communities", "Sex workers",
             "People in contact with the justice system", "Victims of modern slavery", "Carers",
             "Core20 (the most deprived 20%)"]
QUALITY = ["Patient safety", "Clinical effectiveness", "Patient experience", "Workforce"]


@pytest.fixture(scope="module")
def eqia() -> Template:
    return load_template_file(bundled_dir() / "system-eqia.toml")


def impact_ids(template: Template) -> list[str]:
    return [q.id for q in template.questions if q.scale is not None and q.scale.id == "impact"]


def answers_with(template: Template, default: int = 3, **overrides: Any) -> dict[str, AnswerState]:
    """Every impact question ``default`` (Neutral) with a note, the rest of the form answered;
    ``overrides`` by id with dots as underscores (``EQ2_3=1``)."""
    out = {qid: AnswerState(default, note="evidence") for qid in impact_ids(template)}
    out.update({"EQ1.1": AnswerState("A new booking line"), "EQ1.2": AnswerState("service-change"),
                "EQ1.3": AnswerState(["patients"]), "EQ1.4": AnswerState("Head of Commissioning"),
                "EQ1.5": AnswerState("2026-03-02"), "EQ1.6": AnswerState("Activity by IMD"),
                "EQ6.1": AnswerState(["survey"]), "EQ6.2": AnswerState("Patients"),
                "EQ6.3": AnswerState("Phone lines are busy"), "EQ6.4": AnswerState("Call-back added"),
                "EQ7.1": AnswerState("proceed"), "EQ7.2": AnswerState("no"),
                "EQ7.3": AnswerState("Due regard given"), "EQ8.1": AnswerState("2026-09-01"),
                "EQ8.2": AnswerState("Director of Nursing"), "EQ8.3": AnswerState("2026-03-03"),
                "EQ8.4": AnswerState("agreed"), "EQ8.5": AnswerState("Head of Quality")})
    for key, value in overrides.items():
        qid = key.replace("_", ".")
        out[qid] = value if isinstance(value, AnswerState) else AnswerState(value, note="evidence")
    return out


def test_eqia_covers_the_groups_and_the_quality_domains(eqia: Template) -> None:
    assert eqia.kind is Kind.SELF_ASSESSMENT
    assert [s.id for s in eqia.all_sections] == [
        "scope", "protected", "inclusion", "quality", "risks", "engagement", "decision",
        "signoff"]
    names = [eqia.question(qid).text.split(":")[0] for qid in impact_ids(eqia)]  # type: ignore[union-attr]
    assert names == NINE + INCLUSION + QUALITY
    scale = eqia.scales["impact"]
    assert [(o.label, o.value, o.key) for o in scale.options] == [
        ("Positive", 4, "4"), ("Neutral", 3, "3"), ("Unknown", 2, "2"), ("Negative", 1, "1")]
    assert scale.note_required_for == (1, 2)  # negative and unknown need the evidence
    assert not scale.allow_na  # every group is to be considered: that is the duty
    # each impact has a follow-up, shown only for a Negative, that escalates when not mitigated
    for qid in impact_ids(eqia):
        follow = eqia.question(f"{qid}M")
        assert follow is not None and follow.critical and follow.show_if is not None
        assert (follow.show_if.question, follow.show_if.values) == (qid, (1,))
    decision = eqia.question("EQ7.1")
    assert decision is not None and decision.type is QuestionType.CHOICE
    assert [o.label for o in decision.scale.options] == [  # type: ignore[union-attr]
        "Proceed", "Proceed with mitigations", "Stop or rethink"]
    assert "not the ICB's" in eqia.notes and "Derived by qa-tui" in eqia.source
    assert re.search(r"Equality Act 2010.*s149", eqia.source)
    assert "Core20PLUS5" in eqia.source and "inclusion health" in eqia.source


def test_the_risk_register_repeats_with_a_computed_banded_score(eqia: Template) -> None:
    risks = eqia.group("RISK")
    assert risks is not None and risks.repeat is not None
    assert (risks.repeat.min_rows, risks.repeat.max_rows, risks.repeat.row_title) == (0, 30, "DESC")
    assert [q.id for q in risks.questions] == [
        "DESC", "LIKELIHOOD", "CONSEQUENCE", "SCORE", "MITIGATION", "OWNER", "REVIEW"]
    score_q = eqia.question("RISK[2].SCORE")
    assert score_q is not None and score_q.compute is not None
    assert [(b.low, b.high, b.label) for b in score_q.compute.bands] == [
        (1, 3, "Low"), (4, 6, "Moderate"), (8, 12, "High"), (15, 25, "Extreme")]
    for field in ("LIKELIHOOD", "CONSEQUENCE"):
        q = eqia.question(f"RISK[1].{field}")
        assert q is not None and q.weight == 0 and [o.value for o in q.scale.options] == [  # type: ignore[union-attr]
            1, 2, 3, 4, 5]


@pytest.mark.parametrize(("likelihood", "consequence", "label"), [
    (1, 1, "1 (Low)"), (3, 1, "3 (Low)"), (2, 2, "4 (Moderate)"), (2, 3, "6 (Moderate)"),
    (2, 4, "8 (High)"), (3, 4, "12 (High)"), (3, 5, "15 (Extreme)"), (5, 5, "25 (Extreme)"),
])
def test_every_score_of_the_5x5_matrix_falls_in_a_band(eqia: Template, likelihood: int,
                                                       consequence: int, label: str) -> None:
    answers = {"RISK[1].LIKELIHOOD": AnswerState(likelihood),
               "RISK[1].CONSEQUENCE": AnswerState(consequence)}
    value = computed_values(eqia, answers, {"RISK": 1})["RISK[1].SCORE"]
    assert value.label == label
    assert value.trace.startswith(f"LIKELIHOOD {likelihood} x CONSEQUENCE {consequence} = ")
    products = {a * b for a in range(1, 6) for b in range(1, 6)}
    band_of = {p: next(b.label for b in eqia.question("RISK[1].SCORE").compute.bands  # type: ignore[union-attr]
                       if b.low <= p <= b.high) for p in products}
    assert len(band_of) == len(products)  # no product of the matrix falls in a gap


def test_rated_by_the_worst_impact_not_a_percentage(eqia: Template) -> None:
    assert eqia.scoring.section.method is ScoringMethod.WORST
    assert eqia.scoring.overall.method is ScoringMethod.WORST
    assert "not rated by a percentage" in eqia.scoring.description
    # all Neutral but two Positive: the worst is Neutral, everywhere
    report = score(eqia, answers_with(eqia, EQ2_1=4, EQ4_2=4))
    assert report.overall.rating == "Neutral"
    assert report.section("protected").rating == "Neutral"
    # one Unknown on carers: the inclusion section and overall are Unknown, the rest Neutral
    report = score(eqia, answers_with(eqia, EQ3_8=2))
    assert report.section("inclusion").outcome.trace == "worst answer 2 (EQ3.8) -> Unknown"
    assert report.overall.rating == "Unknown"
    assert report.section("protected").rating == "Neutral"
    # a Negative on race, mitigated: the rating says Negative, nothing escalates
    report = score(eqia, answers_with(eqia, EQ2_6=1, EQ2_6M=AnswerState("mitigated")))
    assert report.overall.trace == "worst answer 1 (EQ2.6) -> Negative"
    assert report.escalations == () and report.required_open == ()
    for section in ("scope", "engagement", "decision", "signoff"):
        assert report.section(section).rating is None


def test_escalates_a_negative_impact_not_mitigated_or_an_extreme_risk(eqia: Template) -> None:
    report = score(eqia, answers_with(eqia))
    assert "EQ2.6M" not in report.visible  # the follow-up shows only after a Negative
    report = score(eqia, answers_with(eqia, EQ2_6=1))
    assert "EQ2.6M" in report.visible and "EQ2.6M" in report.required_open
    report = score(eqia, answers_with(eqia, EQ2_6=1, EQ2_6M="not-mitigated"))
    assert report.escalations == ("EQ2.6M",)
    report = score(eqia, answers_with(eqia, EQ4_1=1, EQ4_1M="justified", EQ7_2="yes"))
    assert report.escalations == ("EQ7.2",)
    # Negative and Unknown owe their evidence; a justification owes its reasons
    bare = answers_with(eqia, EQ2_2=AnswerState(1), EQ2_2M=AnswerState("justified"),
                        EQ3_1=AnswerState(2))
    assert set(score(eqia, bare).notes_owed) == {"EQ2.2", "EQ2.2M", "EQ3.1"}


def test_engagement_asks_why_when_there_was_none(eqia: Template) -> None:
    answers = answers_with(eqia, EQ6_1=AnswerState(["none"]))
    for qid in ("EQ6.2", "EQ6.3", "EQ6.4"):
        answers.pop(qid)
    report = score(eqia, answers)
    assert {"EQ6.2", "EQ6.3", "EQ6.4"}.isdisjoint(report.visible)
    assert "EQ6.5" in report.required_open
    option = eqia.question("EQ6.1").scale.option("none")  # type: ignore[union-attr]
    assert option is not None and option.exclusive


# --- walked end to end through the CLI ----------------------------------------------------------

def _token(template: Template, qid: str) -> str:
    """A plausible answer typed as an assessor would: Neutral impacts, words for choices."""
    q = template.question(qid)
    assert q is not None
    typed = {QuestionType.TEXT: "Seen in the proposal paper", QuestionType.DATE: "2026-03-02"}
    if q.type in typed:
        return typed[q.type]
    if q.scale is not None and q.scale.id == "impact":
        return "Neutral"
    assert q.scale is not None
    chosen = {"EQ7.1": "Proceed with mitigations", "EQ7.2": "No", "EQ8.4": "Agreed"}
    return chosen.get(qid, q.scale.options[0].label)


def test_system_eqia_walked_through_the_cli_with_two_risks(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    template = load_template_file(bundled_dir() / "system-eqia.toml")
    listed = cli("templates")
    assert listed.code == 0 and "system-eqia" in listed.out
    started = cli("new", "--template", "system-eqia", "--org", "Northshire ICB",
                  "--org-code", "QHM", "--assessor", "Quality lead", "--date", "2026-03-02")
    assert started.code == 0, started.err
    aid = started.out.strip()
    # follow-ups of a Negative, and "why no engagement", stay hidden with these answers
    hidden = {q.id for q in template.questions if q.id.endswith("M")} | {"EQ6.5"}
    for q in template.questions:
        if q.id in hidden or q.compute is not None:
            continue
        result = cli("answer", aid, q.id, _token(template, q.id), "--note", "evidence seen")
        assert result.code == 0, (q.id, result.err)
    # a negative impact on race, mitigated by the first risk: its follow-up appears
    assert cli("answer", aid, "EQ2.6", "Negative", "--note", "No interpreters at night").code == 0
    assert cli("answer", aid, "EQ2.6M", "Mitigated", "--note", "Risk 1").code == 0
    # the register: two rows, each scored likelihood x consequence
    for n, (desc, likelihood, consequence) in enumerate(
            [("No interpreters on the night line", "3", "4"),
             ("Call-back misses people without phones", "2", "2")], start=1):
        added = cli("row", "add", aid, "RISK")
        assert (added.code, added.out.strip()) == (0, str(n)), added.err
        for field, value in (("DESC", desc), ("LIKELIHOOD", likelihood),
                             ("CONSEQUENCE", consequence),
                             ("MITIGATION", "Telephone interpreting contract extended"),
                             ("OWNER", "Head of Urgent Care Commissioning"),
                             ("REVIEW", "2026-06-01")):
            result = cli("answer", aid, f"RISK[{n}].{field}", value)
            assert result.code == 0, (n, field, result.err)
    refused = cli("answer", aid, "RISK[1].SCORE", "25")
    assert refused.code != 0 and "computed" in refused.err
    shown = json.loads(cli("show", aid, "--json").out)
    risks = shown["groups"]["RISK"]
    assert [(r["SCORE"]["value"], r["SCORE"]["band"]) for r in risks] == [(12, "High"),
                                                                          (4, "Moderate")]
    assert risks[0]["OWNER"]["value"] == "Head of Urgent Care Commissioning"
    assert shown["progress_pct"] == 100, (shown["required_open"], [k for k, v in shown["answers"].items() if v["value"] is None])
    assert shown["overall"]["rating"] == "Negative"  # the worst impact found, not a percentage
    assert shown["escalations"] == []
    text = cli("show", aid).out
    assert "LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High" in text
    assert "LIKELIHOOD 2 x CONSEQUENCE 2 = 4 -> Moderate" in text
    completed = cli("complete", aid)
    assert completed.code == 0, completed.err
    exported = cli("export", aid, "-o", str(tmp_path))
    assert exported.code == 0, exported.err
    path = Path(exported.out.strip().splitlines()[-1])
    verified = cli("verify", str(path))
    assert verified.code == 0 and "ok" in verified.out
    # the return lists the register one line per field per row, the score recomputed
    import openpyxl

    from tests.cli.test_groups_returns import table

    lines = {(r["Question id"], r["Row"]): r
             for r in table(openpyxl.load_workbook(path)["Responses"])}
    assert lines[("DESC", 1)]["Answer"] == "No interpreters on the night line"
    assert lines[("SCORE", 1)]["Answer"] == "12 (High)"
    assert lines[("SCORE", 2)]["Answer"] == "4 (Moderate)"
    assert lines[("EQ2.6", None)]["Answer"] == "Negative"
    # and imported elsewhere (the quality team's laptop), it comes back whole
    monkeypatch.setenv("QA_TUI_HOME", str(tmp_path / "quality-team"))
    assert cli("import", str(path)).code == 0
    again = json.loads(cli("show", aid, "--json").out)
    assert [(r["SCORE"]["value"], r["OWNER"]["value"]) for r in again["groups"]["RISK"]] == [
        (12, "Head of Urgent Care Commissioning"), (4, "Head of Urgent Care Commissioning")]
    assert again["overall"]["rating"] == "Negative" and again["status"] == "complete"


# --- the demo data --------------------------------------------------------------------------

def test_demo_eqias_are_the_icbs_and_consistent(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qa_tui.services.demo import TEXT_ANSWERS, create_demo
    from qa_tui.services.demo_eqia import SITES

    create_demo(services, count=120, seed=5)
    eqias = [services.assessments.get(s.id) for s in services.assessments.list()
             if s.template_id == "system-eqia"]
    assert len(eqias) >= 5 and any(d.rows.get("RISK") for d in eqias)
    for d in eqias:
        rec = d.record
        assert rec.org_name.endswith("Integrated Care Board") and rec.site in SITES
        assert not set(TEXT_ANSWERS) & {a.value for a in d.answers.values()
                                        if isinstance(a.value, str)}  # no ward text
        scores = [d.computed(f"RISK[{n}].SCORE") for n in range(1, d.rows.get("RISK", 0) + 1)]
        assert all(s is not None and s.band for s in scores)  # every row fully scored
        extreme = any(s.value >= 15 for s in scores if s is not None and s.value is not None)
        if d.answer("EQ7.2").answered:
            assert (d.answer("EQ7.2").value == "yes") == extreme
        for qid in impact_ids(d.template):
            if d.answer(qid).value in (1, 2):
                assert "Shortfall" not in d.answer(qid).note and d.answer(qid).note
        if rec.status == "complete":
            assert not services.assessments.completion_blockers(d)
    # a demo EQIA with its register goes out in a return and is read back
    with_rows = next(d for d in eqias if d.rows.get("RISK"))
    path = services.returns.export(with_rows.id, tmp_path).path
    from qa_tui.returns import read_return

    assert read_return(path).data.id == with_rows.id
