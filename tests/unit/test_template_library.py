"""The bundled template library: every template compiles, has the content it promises, and
scores a chosen pattern of answers to the rating worked out by hand (in the comments)."""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from qa_tui.domain import AnswerState, Kind, QuestionType, ScoringMethod
from qa_tui.templates import (
    Template,
    TemplateLibrary,
    bundled_dir,
    compile_template,
    load_template_file,
    read_template_document,
    score,
)

MINIMUM_QUESTIONS = {
    "cqc-well-led-kloe": 30,
    "cqc-saf-well-led": 8,
    "ics-quality-functions": 20,
    "qa-visit": 25,
    "nenc-quality-strategy": 25,
    "complaints-standards": 12,
    "ftsu-assessment": 18,
    "ld-autism-oversight": 24,
    "eds-2022": 11,
    "system-eqia": 60,
}
VERSIONS = {
    "cqc-well-led-kloe": "1.1",
    "cqc-saf-well-led": "1.2",
    "ics-quality-functions": "1.1",
    "qa-visit": "1.2",  # 1.1 added [report]; 1.2 assurance levels, weight-0 15 Steps, figures
    "nenc-quality-strategy": "1.0",
    "complaints-standards": "1.1",
    "ftsu-assessment": "1.0",
    "ld-autism-oversight": "1.0",
    "eds-2022": "1.0",
    "system-eqia": "1.0",
}
PREFIX = {
    "cqc-well-led-kloe": r"W[1-8]\.\d+",
    "cqc-saf-well-led": r"WL[1-8]",
    "ics-quality-functions": r"QF\d\.\d+",
    "qa-visit": r"V\d\.\d+",
    "nenc-quality-strategy": r"NQ\d\.\d+",
    "complaints-standards": r"CS\d\.\d+",
    "ftsu-assessment": r"FS\d\.\d+",
    "ld-autism-oversight": r"LD\d\.\d+",
    "eds-2022": r"EDS[1-3][A-D]",
    "system-eqia": r"EQ[1-8]\.\d+M?",
}


@pytest.fixture(scope="module")
def library() -> TemplateLibrary:
    return TemplateLibrary.load()


def tpl(template_id: str) -> Template:
    return load_template_file(bundled_dir() / f"{template_id}.toml")


def state(value: Any, note: str = "") -> AnswerState:
    return AnswerState(na=True) if value == "na" else AnswerState(value, note=note)


def fill(template: Template, default: Any, overrides: Mapping[str, Any] | None = None,
         note: str = "evidence seen") -> dict[str, AnswerState]:
    """Answer every scored question with ``default`` unless overridden; notes on all."""
    overrides = dict(overrides or {})
    out: dict[str, AnswerState] = {}
    for q in template.questions:
        if q.id in overrides:
            out[q.id] = state(overrides.pop(q.id), note)
        elif q.type is QuestionType.SCALE:
            out[q.id] = state(default, note)
    assert not overrides, f"unknown question ids {sorted(overrides)}"
    return out


# --- the library as a whole ---------------------------------------------------------------------

def test_every_bundled_template_compiles(library: TemplateLibrary) -> None:
    assert library.problems == []
    assert sorted(library.ids()) == sorted(MINIMUM_QUESTIONS)
    assert {e.origin for e in library.all()} == {"bundled"}
    for path in sorted(bundled_dir().glob("*.toml")):
        template = load_template_file(path)
        assert path.stem == template.id


@pytest.mark.parametrize(("template_id", "minimum"), sorted(MINIMUM_QUESTIONS.items()))
def test_question_counts_and_id_prefixes(template_id: str, minimum: int) -> None:
    template = tpl(template_id)
    assert len(template.questions) >= minimum
    pattern = re.compile(PREFIX[template_id])
    assert all(pattern.fullmatch(q.id) for q in template.questions), template_id


@pytest.mark.parametrize("template_id", sorted(MINIMUM_QUESTIONS))
def test_every_template_is_documented(template_id: str) -> None:
    template = tpl(template_id)
    assert re.search(r"\b(19|20)\d\d\b", template.source), "source names the year"
    assert template.notes, "notes say what is derived or still to be checked"
    assert template.scoring.description
    assert template.version == VERSIONS[template_id]
    for q in template.questions:
        if q.type is QuestionType.SCALE:
            assert q.guidance, q.id
    for section in template.sections:
        assert re.fullmatch(r"[a-z0-9-]{1,16}", section.id), section.id


def test_question_ids_never_clash_between_templates() -> None:
    seen: dict[str, str] = {}
    for template_id in MINIMUM_QUESTIONS:
        for q in tpl(template_id).questions:
            assert q.id not in seen, f"{q.id} in {template_id} and {seen.get(q.id)}"
            seen[q.id] = template_id


def test_option_keys_avoid_the_navigation_keys() -> None:
    # ``n`` is free for an option: on a Yes/Partly/No question it answers No.
    for template_id in MINIMUM_QUESTIONS:
        for q in tpl(template_id).questions:
            if q.scale is not None:
                assert not {o.key for o in q.scale.options} & set("jkearuxqg0"), q.id


@pytest.mark.parametrize("template_id", sorted(MINIMUM_QUESTIONS))
def test_bundled_keys_follow_the_one_number_one_answer_rule(template_id: str) -> None:
    """A digit key is the option's value on a scale of numbers; other number scales use letters."""
    for q in tpl(template_id).questions:
        if q.scale is None or not q.scale.numeric:
            continue
        for o in q.scale.options:
            assert o.key == str(o.value) if q.scale.digit_values else o.key.isalpha(), q.id
    if template_id == "qa-visit":
        scale = tpl(template_id).scales["ypn"]
        assert [o.key for o in scale.options] == ["y", "p", "n"]


# --- cqc-well-led-kloe ------------------------------------------------------------------------

def test_kloe_structure() -> None:
    template = tpl("cqc-well-led-kloe")
    assert [s.id for s in template.sections] == [f"w{i}" for i in range(1, 9)]
    for i, section in enumerate(template.sections, start=1):
        assert section.title.startswith(f"W{i} ")
        assert [q.id for q in section.questions] == \
            [f"W{i}.{j}" for j in range(1, len(section.questions) + 1)]
    assert [len(s.questions) for s in template.sections] == [4, 6, 9, 5, 6, 7, 5, 5]
    scale = template.scales["cqc-rating"]
    assert [(o.value, o.label, o.key) for o in scale.options] == [
        (4, "Outstanding", "4"), (3, "Good", "3"), (2, "Requires improvement", "2"),
        (1, "Inadequate", "1")]
    assert scale.allow_na
    assert template.scoring.section.method is ScoringMethod.CQC_AGGREGATE
    assert template.scoring.overall.method is ScoringMethod.CQC_AGGREGATE
    assert template.scoring.overall.scale is None  # overall combines the eight KLOE ratings


def test_kloe_pattern_with_every_rule() -> None:
    template = tpl("cqc-well-led-kloe")
    answers = fill(template, 3, {
        "W1.1": 4, "W1.2": 4, "W1.3": 4, "W1.4": 4,   # W1: 4 Outstanding -> Outstanding
        "W2.1": 4,                                    # W2: 1 Outstanding, 5 Good -> Good
        "W3.1": 2, "W3.2": 2,                         # W3: two RI -> Requires improvement
        "W4.1": 1, "W4.5": "na",                      # W4: one Inadequate -> RI (W4.5 N/A)
        "W6.1": 4, "W6.2": 4,                         # W6: 2 Outstanding, rest Good -> Outstanding
        "W8.1": 1, "W8.2": 1,                         # W8: two Inadequate -> Inadequate
    })                                                # W5, W7: all Good -> Good
    report = score(template, answers)
    assert [s.rating for s in report.sections] == [
        "Outstanding", "Good", "Requires improvement", "Requires improvement", "Good",
        "Outstanding", "Good", "Inadequate"]
    assert report.section("w4").outcome.trace == \
        "3 Good, 1 Inadequate -> Requires improvement (one at the lowest rating)"
    # Overall over the 8 KLOE ratings: one Inadequate -> Requires improvement.
    assert report.overall.rating == "Requires improvement"
    assert report.overall.trace == (
        "sections: 2 Outstanding, 3 Good, 2 Requires improvement, 1 Inadequate -> "
        "Requires improvement (one at the lowest rating)")
    assert report.required_open == ()
    assert (report.answered, report.total) == (47, 47)


def test_kloe_fidelity_prompts_and_method_label() -> None:
    template = tpl("cqc-well-led-kloe")
    w3 = template.question("W3.8")
    assert w3 is not None and "wellbeing of staff" in w3.text
    w39 = template.question("W3.9")
    assert w39 is not None and "is conflict resolved" in w39.text
    w56 = template.question("W5.6")
    assert w56 is not None and "financial pressures" in w56.text.lower()
    # CQC aggregates key questions, not prompts: the method is labelled as ours.
    assert "CQC's aggregation rules" not in template.scoring.description
    assert "qa-tui's own method" in template.scoring.description
    assert "numbering is qa-tui's" in template.notes


def test_kloe_outstanding_overall() -> None:
    template = tpl("cqc-well-led-kloe")
    # W1 all 4 and W6 all 4 -> two Outstanding KLOEs, the other six Good -> Outstanding.
    answers = fill(template, 3, {f"W1.{j}": 4 for j in range(1, 5)} |
                   {f"W6.{j}": 4 for j in range(1, 8)})
    report = score(template, answers)
    assert report.overall.rating == "Outstanding"
    assert report.overall.trace == ("sections: 2 Outstanding, 6 Good -> Outstanding "
                                    "(two or more at the top rating and the rest at the third)")


# --- cqc-saf-well-led -------------------------------------------------------------------------

def test_saf_statements_scale_and_scoring_unchanged() -> None:
    template = tpl("cqc-saf-well-led")
    assert [q.id for q in template.questions] == [f"WL{i}" for i in range(1, 9)]
    assert [s.id for s in template.sections] == ["well-led"]
    names = ["Shared direction and culture", "Capable, compassionate and inclusive leaders",
             "Freedom to speak up", "Workforce equality, diversity and inclusion",
             "Governance, management and sustainability", "Partnerships and communities",
             "Learning, improvement and innovation", "Environmental sustainability"]
    for q, name in zip(template.questions, names, strict=True):
        assert q.text.startswith(name), q.id
    scale = template.scales["saf-score"]
    assert [o.value for o in scale.options] == [1, 2, 3, 4]
    assert scale.allow_na and scale.note_required_for == (1, 2)
    rule = template.scoring.section
    assert rule.method is ScoringMethod.PERCENT_BANDS
    assert [(b.low, b.high, b.rating) for b in rule.bands] == [
        (25, 38, "Inadequate"), (39, 62, "Requires improvement"), (63, 87, "Good"),
        (88, 100, "Outstanding")]
    assert template.scoring.overall == rule
    assert rule.limiters == ()


def test_saf_fidelity_notes_and_full_wording() -> None:
    template = tpl("cqc-saf-well-led")
    assert "consulted (October to December 2025)" in template.notes
    assert "62.5%" in template.notes and "qa-tui's choice" in template.notes
    wl2, wl5 = template.question("WL2"), template.question("WL5")
    assert wl2 is not None and wl2.text.endswith("integrity, openness and honesty.")
    assert wl5 is not None and wl5.text.endswith("share this securely with others when appropriate.")
    # 20 of 32 = 62.5% rounds half up to 63: Good, as the notes say.
    answers = {f"WL{i}": state(v) for i, v in enumerate([3, 3, 3, 3, 2, 2, 2, 2], start=1)}
    assert score(template, answers).overall.trace == "20 of 32 (63%) -> Good, band 63-87"


def test_saf_evidence_prompts_cover_the_six_categories() -> None:
    categories = ["People's experience", "Feedback from staff and leaders",
                  "Feedback from partners", "Observation", "Processes", "Outcomes"]
    for q in tpl("cqc-saf-well-led").questions:
        assert q.required
        for category in categories:
            assert f"{category}:" in q.evidence_prompt, (q.id, category)


def test_saf_pattern() -> None:
    template = tpl("cqc-saf-well-led")
    # 4+4+4+3+3+4+4+2 = 28 of 32 = 87.5% -> rounds to 88 -> Outstanding
    values = dict(zip([f"WL{i}" for i in range(1, 9)], [4, 4, 4, 3, 3, 4, 4, 2], strict=True))
    report = score(template, {k: state(v) for k, v in values.items()})
    assert report.overall.trace == "28 of 32 (88%) -> Outstanding, band 88-100"
    assert report.section("well-led").rating == "Outstanding"
    assert report.overall.score_pct == 87.5
    # WL8 scored 2 with no note: the justification rule owes a note
    assert report.notes_owed == ("WL8",)
    values_with_note = {k: state(v, "evidence") for k, v in values.items()}
    assert score(template, values_with_note).notes_owed == ()


SAF = [f"WL{i}" for i in range(1, 9)]


@pytest.mark.parametrize(("values", "trace"), [
    # two answered, six N/A: 1+2 = 3 of 8 = 37.5% -> 38 -> still Inadequate
    ([1, 2], "3 of 8 (38%) -> Inadequate, band 25-38"),
    # eight answered: 12 of 32 = 37.5% -> 38 Inadequate; 13 of 32 = 40.6% -> 41 RI
    ([1, 1, 1, 1, 2, 2, 2, 2], "12 of 32 (38%) -> Inadequate, band 25-38"),
    ([1, 1, 1, 2, 2, 2, 2, 2], "13 of 32 (41%) -> Requires improvement, band 39-62"),
    # seven answered: 10 of 28 = 35.7% -> 36 Inadequate; 11 of 28 = 39.3% -> 39 RI
    ([1, 1, 1, 1, 2, 2, 2], "10 of 28 (36%) -> Inadequate, band 25-38"),
    ([1, 1, 1, 2, 2, 2, 2], "11 of 28 (39%) -> Requires improvement, band 39-62"),
    # 17 of 28 = 60.7% -> 61 RI; 20 of 32 = 62.5% -> 63 Good; 1+4 = 5 of 8 = 62.5% -> 63 Good
    ([2, 2, 2, 2, 3, 3, 3], "17 of 28 (61%) -> Requires improvement, band 39-62"),
    ([2, 2, 2, 2, 3, 3, 3, 3], "20 of 32 (63%) -> Good, band 63-87"),
    ([1, 4], "5 of 8 (63%) -> Good, band 63-87"),
    # 24 of 28 = 85.7% -> 86 Good; 27 of 32 = 84.4% -> 84 Good
    ([3, 3, 3, 3, 4, 4, 4], "24 of 28 (86%) -> Good, band 63-87"),
    ([3, 3, 3, 3, 3, 4, 4, 4], "27 of 32 (84%) -> Good, band 63-87"),
    # 3+4 = 7 of 8 = 87.5% -> 88 Outstanding; 28 of 32 likewise; 25 of 28 = 89.3% -> 89
    ([3, 4], "7 of 8 (88%) -> Outstanding, band 88-100"),
    ([3, 3, 3, 3, 4, 4, 4, 4], "28 of 32 (88%) -> Outstanding, band 88-100"),
    ([3, 3, 3, 4, 4, 4, 4], "25 of 28 (89%) -> Outstanding, band 88-100"),
    # extremes: 1 of 4 = 25% Inadequate; all 4s = 100% Outstanding
    ([1], "1 of 4 (25%) -> Inadequate, band 25-38"),
    ([4] * 8, "32 of 32 (100%) -> Outstanding, band 88-100"),
])
def test_saf_bands_at_the_boundaries(values: list[int], trace: str) -> None:
    template = tpl("cqc-saf-well-led")
    answers = {qid: state("na") for qid in SAF}
    answers |= {qid: state(v, "note") for qid, v in zip(SAF, values, strict=False)}
    report = score(template, answers)
    assert report.overall.trace == trace
    # N/A left out of both the sum and the maximum
    assert report.overall.points == sum(values)
    assert report.overall.max_points == 4 * len(values)
    assert report.answered == 8


@pytest.mark.parametrize(("low_weight", "low", "high", "trace"), [
    # Exact percentages between whole ones, on the SAF band table (weights make the denominator):
    # 47 x 1 + 53 x 2 = 153 of 400 = 38.25% -> 38 Inadequate
    (47, 1, 2, "153 of 400 (38%) -> Inadequate, band 25-38"),
    # 45 x 1 + 55 x 2 = 155 of 400 = 38.75% -> 39 Requires improvement
    (45, 1, 2, "155 of 400 (39%) -> Requires improvement, band 39-62"),
    # 51 x 2 + 49 x 3 = 249 of 400 = 62.25% -> 62 Requires improvement
    (51, 2, 3, "249 of 400 (62%) -> Requires improvement, band 39-62"),
    # 49 x 2 + 51 x 3 = 251 of 400 = 62.75% -> 63 Good
    (49, 2, 3, "251 of 400 (63%) -> Good, band 63-87"),
    # 51 x 3 + 49 x 4 = 349 of 400 = 87.25% -> 87 Good
    (51, 3, 4, "349 of 400 (87%) -> Good, band 63-87"),
    # 49 x 3 + 51 x 4 = 351 of 400 = 87.75% -> 88 Outstanding
    (49, 3, 4, "351 of 400 (88%) -> Outstanding, band 88-100"),
])
def test_saf_band_table_between_whole_percents(low_weight: int, low: int, high: int,
                                               trace: str) -> None:
    document = read_template_document(bundled_dir() / "cqc-saf-well-led.toml")
    questions = document["sections"][0]["questions"]  # type: ignore[index]
    questions[0]["weight"] = low_weight
    questions[1]["weight"] = 100 - low_weight
    template = compile_template(document)
    answers = {qid: state("na") for qid in SAF} | {"WL1": state(low, "n"), "WL2": state(high, "n")}
    assert score(template, answers).overall.trace == trace


# --- ics-quality-functions --------------------------------------------------------------------

def test_ics_pattern() -> None:
    template = tpl("ics-quality-functions")
    assert [s.id for s in template.sections] == [
        "planning", "control", "improvement", "assurance", "safety", "sqg", "escalation", "duties",
        "specialist"]
    assert [o.label for o in template.scales["maturity"].options] == [
        "Not in place", "Developing", "Established", "Embedded and evidenced"]
    answers = fill(template, 3, {
        "QF1.1": 4, "QF1.2": 4, "QF1.3": 4,            # planning 12/12 = 100 -> Embedded
        "QF3.1": 2, "QF3.2": 2, "QF3.3": 2,            # improvement 6/12 = 50 -> Developing
        "QF4.1": 1, "QF4.2": 1, "QF4.3": 2, "QF4.4": "na",  # assurance 4/12 = 33.3 -> Limited
        "QF6.1": 2,                                    # sqg 8/12 = 66.7 -> 67 Established
        **{f"QF8.{j}": 2 for j in range(1, 7)},        # duties 12/24 = 50 -> Developing
    })                                    # control 9/12, safety 15/20, escalation 12/16, specialist 18/24
    answers["QF4.1"] = state(1)                        # "Not in place" without a note
    answers["QF4.2"] = state(1)
    report = score(template, answers)
    assert [s.rating for s in report.sections] == [
        "Embedded", "Established", "Developing", "Limited", "Established", "Established",
        "Established", "Developing", "Established"]
    assert report.section("assurance").outcome.trace == "4 of 12 (33%) -> Limited, band 25-37"
    # Overall: 12+9+6+4+15+8+12+12+18 = 96 of 4 x 36 answered = 144 -> 66.7% -> 67 Established
    assert report.overall.trace == "96 of 144 (67%) -> Established, band 63-87"
    assert report.notes_owed == ("QF4.1", "QF4.2")


def test_ics_fidelity_duties() -> None:
    template = tpl("ics-quality-functions")
    specialist = [q.text.split(":")[0] for q in template.sections[-1].questions]
    assert specialist == ["Safeguarding", "LeDeR", "Learning disability and autism",
                          "Perinatal quality surveillance", "Infection prevention and control",
                          "Medicines safety"]
    individual, public = template.question("QF8.2"), template.question("QF8.6")
    assert individual is not None and "their own care" in individual.text
    assert "public" not in individual.text
    assert public is not None and "involves the public" in public.text
    qf85 = template.question("QF8.5")
    assert qf85 is not None and "check the Act" not in qf85.guidance
    assert "14Z35" in qf85.guidance


# --- qa-visit ---------------------------------------------------------------------------------

# The question ids of qa-visit 1.1, per section: 1.2 keeps them, in order, and only appends.
VISIT_1_1_IDS = {
    "first": [f"V1.{i}" for i in range(1, 6)],
    "closed": [f"V2.{i}" for i in range(1, 10)],
    "safety": [f"V3.{i}" for i in range(1, 7)],
    "staffing": [f"V4.{i}" for i in range(1, 6)],
    "experience": [f"V5.{i}" for i in range(1, 7)],
    "safeguarding": [f"V6.{i}" for i in range(1, 5)],
    "leadership": [f"V7.{i}" for i in range(1, 6)],
    "close": ["V8.1", "V8.2"],
}
VISIT_BANDS = [(0, 39, "No assurance"), (40, 64, "Limited assurance"),
               (65, 84, "Reasonable assurance"), (85, 100, "Substantial assurance")]


def test_visit_structure() -> None:
    template = tpl("qa-visit")
    assert template.kind is Kind.VISIT
    assert [s.id for s in template.sections] == list(VISIT_1_1_IDS)
    scale = template.scales["ypn"]
    assert [(o.value, o.label, o.concern) for o in scale.options] == [
        (2, "Yes", False), (1, "Partly", False), (0, "No", True)]
    assert scale.allow_na and scale.note_required_for == (1, 0)
    first = [q.text.split(":")[0] for q in template.sections[0].questions[:4]]
    assert first == ["Welcoming", "Safe", "Caring and involving", "Well organised and calm"]
    critical = {q.id for q in template.questions if q.critical}
    assert {"V2.4", "V2.8", "V3.2", "V6.1", "V6.2"} <= critical
    for qid, words in (("V5.6", "What people told us"), ("V8.1", "Immediate concerns")):
        q = template.question(qid)
        assert q is not None and q.type is QuestionType.TEXT and not q.required
        assert q.text.startswith(words)


def test_visit_keeps_1_1_ids_and_appends_new_questions() -> None:
    template = tpl("qa-visit")
    for section in template.sections:
        ids = [q.id for q in section.questions]
        old = VISIT_1_1_IDS[section.id]
        assert ids[:len(old)] == old, section.id
        # new ids continue the V<section>.<n> numbering at the end of their section
        n = int(old[0][1:].split(".")[0])
        assert ids[len(old):] == [f"V{n}.{i}" for i in range(len(old) + 1, len(ids) + 1)]
    assert [q.id for q in template.questions if q.id not in
            {i for ids in VISIT_1_1_IDS.values() for i in ids}] == [
        "V2.10", "V3.7", "V4.6", "V4.7", "V4.8", "V4.9", "V4.10", "V4.11", "V8.3", "V8.4",
        "V8.5"]


def test_visit_bands_are_assurance_levels_not_cqc_ratings() -> None:
    template = tpl("qa-visit")
    for rule in (template.scoring.section, template.scoring.overall):
        assert rule.method is ScoringMethod.PERCENT_BANDS
        assert [(b.low, b.high, b.rating) for b in rule.bands] == VISIT_BANDS
    words = ("Outstanding", "Good", "Requires improvement", "Inadequate", "aggregation")
    text = template.scoring.description + template.notes + template.source
    assert not [w for w in words if w in template.scoring.description + template.source]
    assert "qa-tui's own" in template.scoring.description and "qa-tui's own" in template.notes
    assert "not a CQC rating" in template.notes and "CQC's aggregation rules are not used" in text
    # the provider report names no rating outside the assurance levels
    assert set(template.report.assurance) <= {b[2] for b in VISIT_BANDS}


def test_visit_15_steps_are_answered_but_not_scored() -> None:
    template = tpl("qa-visit")
    first = template.sections[0]
    assert first.id == "first" and len(first.questions) == 5
    for q in first.questions:
        assert q.type is QuestionType.SCALE and q.weight == 0 and not q.scored, q.id
        assert q.required                                # still answered
    assert "fresh eyes" in first.description and "not scored" in first.description
    assert "15 Steps" in template.scoring.description
    assert "fresh eyes" in template.scoring.description
    answers = visit_answers(template, {})
    good = score(template, answers)
    for q in first.questions:
        answers[q.id] = state(0, "Nobody greeted us; bins overflowing.")
    bad = score(template, answers)
    assert bad.overall.trace == good.overall.trace       # first impressions move nothing
    assert bad.section("first").rating is None and bad.section("first").answered == 5
    assert bad.section("first").outcome.trace == \
        "not scored: no question here counts towards the rating"
    assert bad.notes_owed == () and bad.escalations == ()


def test_visit_v2_8_weighs_nothing_but_still_escalates() -> None:
    template = tpl("qa-visit")
    v28 = template.question("V2.8")
    assert v28 is not None and v28.weight == 0 and v28.critical and not v28.scored
    answers = visit_answers(template, {})
    before = score(template, answers)
    answers["V2.8"] = state(0, "Blanket rules on drinks; staff fear speaking up.")
    answers["V2.9"] = state("Told the ward manager at 15:00; safeguarding lead informed.")
    after = score(template, answers)
    # the engine's _escalations looks at critical and concern, not weight
    assert after.escalations == ("V2.8",)
    assert after.escalations_unrecorded == ()
    assert after.section("closed").outcome.trace == before.section("closed").outcome.trace \
        == "12 of 12 (100%) -> Substantial assurance, band 85-100"
    assert after.overall.trace == before.overall.trace
    # Partly is no concern: no escalation, but V2.9 is asked
    answers["V2.8"] = state(1, "One warning sign.")
    partly = score(template, answers)
    assert partly.escalations == () and "V2.9" in partly.visible
    # and without its note the escalation is listed as unrecorded
    answers["V2.8"] = state(0, "")
    assert score(template, answers).escalations_unrecorded == ("V2.8",)


def test_visit_closed_culture_risk_factors_and_warning_signs() -> None:
    template = tpl("qa-visit")
    v21 = template.question("V2.1")
    assert v21 is not None and v21.type is QuestionType.MULTI and v21.scale is not None
    options = v21.scale.options
    assert [o.value for o in options] == [
        "far-from-home", "long-stays", "dependent", "management", "temporary-staff",
        "supervision", "families", "complaints", "none"]     # 1.1 values all kept
    assert [o.value for o in options if o.exclusive] == ["none"]
    labels = [o.label.lower() for o in options]
    # each missing factor appears once, sharing an option rather than duplicating one
    assert sum("skills, training or experience" in lab for lab in labels) == 1
    assert sum("culture of engagement with people" in lab for lab in labels) == 1
    assert sum("famil" in lab for lab in labels) == 2   # far from family; engagement
    assert sum("supervision" in lab for lab in labels) == 1
    v28 = template.question("V2.8")
    assert v28 is not None
    assert "cover-up culture" in v28.guidance and "poor-quality reporting" in v28.guidance


def test_visit_details_and_figures_are_unscored_and_optional() -> None:
    template = tpl("qa-visit")
    arranged, when, team = (template.question(i) for i in ("V8.3", "V8.4", "V8.5"))
    assert arranged is not None and arranged.type is QuestionType.CHOICE
    assert arranged.scale is not None
    assert [o.value for o in arranged.scale.options] == [
        "announced", "short-notice", "unannounced"]
    assert when is not None and when.type is QuestionType.CHOICE and when.scale is not None
    assert {"weekday-day", "night", "weekend-day"} <= {o.value for o in when.scale.options}
    assert team is not None and team.type is QuestionType.MULTI and team.scale is not None
    assert "lay" in {o.value for o in team.scale.options}
    assert any("Lay member" in o.label for o in team.scale.options)
    figures = ["V2.10", "V3.7", "V4.6", "V4.7", "V4.8", "V4.9", "V4.10", "V4.11"]
    for qid in figures:
        q = template.question(qid)
        assert q is not None and q.type is QuestionType.NUMBER and q.minimum == 0, qid
    for qid in figures + ["V8.3", "V8.4", "V8.5"]:
        q = template.question(qid)
        assert q is not None and not q.required and not q.scored and not q.critical, qid
    texts = {qid: template.question(qid).text.lower() for qid in figures}  # type: ignore[union-attr]
    assert "planned" in texts["V4.6"] and "actually" in texts["V4.7"]
    assert "unregistered" in texts["V4.8"] and "unregistered" in texts["V4.9"]
    assert "available" in texts["V4.10"] and "occupied" in texts["V4.11"]
    assert "restrictive interventions" in texts["V2.10"] and "last month" in texts["V2.10"]
    assert "records sampled" in texts["V3.7"]
    # answering them changes neither scores nor what is owed
    answers = visit_answers(template, {})
    before = score(template, answers)
    answers.update({"V2.10": state(3), "V3.7": state(4), "V4.6": state(2), "V4.7": state(1),
                    "V4.8": state(5), "V4.9": state(4), "V4.10": state(20), "V4.11": state(18),
                    "V8.3": state("unannounced"), "V8.4": state("night"),
                    "V8.5": state(["quality", "lay"])})
    after = score(template, answers)
    assert [s.outcome.trace for s in after.sections] == [s.outcome.trace for s in before.sections]
    assert after.overall.trace == before.overall.trace
    assert after.answered == before.answered + 11
    assert after.required_open == () and after.notes_owed == ()


def visit_answers(template: Template, overrides: Mapping[str, Any]) -> dict[str, AnswerState]:
    answers = fill(template, 2, overrides)
    answers["V2.1"] = state(["long-stays", "dependent"])
    answers["V5.6"] = state("People said staff were kind and the food was good.")
    return answers


def test_visit_pattern() -> None:
    template = tpl("qa-visit")
    report = score(template, visit_answers(template, {
        "V1.1": 0,                  # first: weight 0, not rated (its No needs a note, given)
        "V2.4": 1,                  # closed: 11/12 (V2.2-V2.7) = 91.7 -> 92 Substantial
        "V3.2": 1, "V3.5": "na", "V3.6": 1,  # safety: 8/10 = 80 -> Reasonable
        "V4.1": 1, "V4.2": 1, "V4.4": 0,     # staffing: 6/10 = 60 -> Limited
        # experience: 10/10 -> Substantial
        "V6.4": "na",                        # safeguarding: 6/6 -> Substantial
        "V7.3": 1, "V7.4": "na",             # leadership: 7/8 = 87.5 -> 88 Substantial
    }))
    assert [s.rating for s in report.sections] == [
        None, "Substantial assurance", "Reasonable assurance", "Limited assurance",
        "Substantial assurance", "Substantial assurance", "Substantial assurance", None]
    assert report.section("staffing").outcome.trace == \
        "6 of 10 (60%) -> Limited assurance, band 40-64"
    assert report.section("closed").outcome.trace == \
        "11 of 12 (92%) -> Substantial assurance, band 85-100"
    # Overall from all scored answers pooled, not from the section levels:
    # 11 + 8 + 6 + 10 + 6 + 7 = 48 of 12 + 10 + 10 + 10 + 6 + 8 = 56 -> 85.7 -> 86 Substantial
    assert report.overall.rating == "Substantial assurance"
    assert report.overall.trace == "48 of 56 (86%) -> Substantial assurance, band 85-100"
    assert "V2.9" not in report.visible
    assert report.required_open == ()
    assert report.notes_owed == ()          # every Partly and No has a note here
    assert report.escalations == ()         # V4.4 No is not critical; V4.1 Partly is no concern


def test_visit_justification_rule() -> None:
    template = tpl("qa-visit")
    answers = visit_answers(template, {})
    answers["V1.1"] = AnswerState(1)                       # Partly, no note: owed
    answers["V1.2"] = AnswerState(0, note="   ")           # No, blank note: owed
    answers["V1.3"] = AnswerState(0, note="Call bell out of reach in bay 2.")
    answers["V1.4"] = AnswerState(2)                       # Yes needs no note
    answers["V1.5"] = AnswerState(na=True)                 # N/A needs no note
    report = score(template, answers)
    assert report.notes_owed == ("V1.1", "V1.2")


def test_visit_critical_no_flags_escalation() -> None:
    template = tpl("qa-visit")
    answers = visit_answers(template, {"V2.4": 0, "V6.3": 0, "V1.2": 0, "V3.3": 1})
    report = score(template, answers)
    # V2.4 and V6.3 are critical and No; V1.2 No is not critical; V3.3 Partly is not a concern
    assert report.escalations == ("V2.4", "V6.3")
    answers["V6.3"] = AnswerState(na=True)
    assert score(template, answers).escalations == ("V2.4",)


def test_visit_show_if_follow_up_on_closed_culture_warning_signs() -> None:
    template = tpl("qa-visit")
    follow_up = template.question("V2.9")
    assert follow_up is not None and follow_up.show_if is not None
    assert follow_up.show_if.question == "V2.8"
    answers = visit_answers(template, {})
    # V2.8 Yes (free of warning signs): hidden, not required, its old answer ignored
    answers["V2.9"] = AnswerState("stale text from an earlier answer")
    report = score(template, answers)
    assert "V2.9" not in report.visible
    assert report.section("closed").total == 9        # V2.1-V2.8 and V2.10
    # V2.8 Partly: shown, required, and now open
    answers.pop("V2.9")
    answers["V2.8"] = AnswerState(1, note="Two staff said they fear raising concerns.")
    report = score(template, answers)
    assert "V2.9" in report.visible
    assert report.required_open == ("V2.9",)
    assert report.section("closed").total == 10
    # V2.8 No is critical: escalation, and the follow-up is still asked
    answers["V2.8"] = AnswerState(0, note="Blanket rules on drinks; manager unaware.")
    report = score(template, answers)
    assert report.escalations == ("V2.8",)
    assert report.required_open == ("V2.9",)
    answers["V2.9"] = AnswerState("Told the ward manager at 15:00; safeguarding lead informed.")
    assert score(template, answers).required_open == ()
    # V2.8 N/A: hidden again
    answers["V2.8"] = AnswerState(na=True)
    assert "V2.9" not in score(template, answers).visible


def test_visit_all_partly_is_requires_improvement_everywhere() -> None:
    template = tpl("qa-visit")
    answers = visit_answers(template, {})
    answers = {k: (AnswerState(1, note="n") if isinstance(v.value, int) else v)
               for k, v in answers.items()}
    answers["V2.9"] = AnswerState("Described.")
    report = score(template, answers)
    # every scored section 50% -> Limited assurance, and so is the pool of all answers
    assert {s.rating for s in report.sections if s.rating} == {"Limited assurance"}
    assert report.overall.rating == "Limited assurance"
    assert report.overall.trace == "31 of 62 (50%) -> Limited assurance, band 40-64"


@pytest.mark.parametrize(("points", "expected"), [
    (0, "0 of 62 (0%) -> No assurance, band 0-39"),
    (24, "24 of 62 (39%) -> No assurance, band 0-39"),            # 38.7
    (25, "25 of 62 (40%) -> Limited assurance, band 40-64"),      # 40.3
    (39, "39 of 62 (63%) -> Limited assurance, band 40-64"),      # 62.9
    (40, "40 of 62 (65%) -> Reasonable assurance, band 65-84"),   # 64.5 rounds half up
    (52, "52 of 62 (84%) -> Reasonable assurance, band 65-84"),   # 83.9
    (53, "53 of 62 (85%) -> Substantial assurance, band 85-100"),  # 85.5
    (62, "62 of 62 (100%) -> Substantial assurance, band 85-100"),
])
def test_visit_overall_assurance_boundaries(points: int, expected: str) -> None:
    """The overall level pools every scored answer (31 questions, 62 points at most)."""
    template = tpl("qa-visit")
    scored = [q.id for q in template.questions if q.scored]
    assert len(scored) == 31 and "V2.8" not in scored
    values = {qid: 0 for qid in scored}
    left = points
    for qid in scored:                      # Yes until the points run short, then one Partly
        values[qid] = min(2, left)
        left -= values[qid]
    answers = visit_answers(template, values)
    answers["V2.9"] = state("Described.")   # harmless if hidden
    report = score(template, answers)
    assert report.overall.trace == expected
    assert report.overall.points == points and report.overall.max_points == 62


# --- nenc-quality-strategy --------------------------------------------------------------------

def test_nenc_themes_and_statements() -> None:
    template = tpl("nenc-quality-strategy")
    assert [s.title for s in template.sections] == [
        "Culture and climate", "Patient safety", "Clinical effectiveness",
        "Clinical and multi-professional leadership", "Positive experiences"]
    texts = {q.id: q.text for q in template.questions}
    # a few "we" statements quoted from the strategy
    assert texts["NQ2.1"] == "We all make safety important and will improve safety."
    assert texts["NQ4.3"].startswith("Clinical and care professionals who have contact with "
                                     "patients are involved in decisions at all levels")
    assert texts["NQ5.6"] == "We tell people what we have changed because of their feedback."
    assert all(q.text.startswith(("We ", "Clinical and care")) for q in template.questions)
    # the matching "I" statements are in the guidance
    safety_guidance = " ".join(q.guidance for q in template.sections[1].questions)
    assert "If something goes wrong, I get support and will receive an apology." in safety_guidance


def test_nenc_pattern() -> None:
    template = tpl("nenc-quality-strategy")
    answers = fill(template, 3, {
        **{f"NQ1.{j}": 2 for j in range(1, 9)},       # culture 16/32 = 50 -> Developing
        **{f"NQ5.{j}": 4 for j in range(1, 6)},       # experience 4,4,4,4,4,3 = 23/24
    })                                                #   = 95.8 -> 96 Embedded
    report = score(template, answers)
    assert [s.rating for s in report.sections] == [
        "Developing", "Established", "Established", "Established", "Embedded"]
    assert report.section("experience").outcome.trace == "23 of 24 (96%) -> Embedded, band 88-100"
    # 16 + 24 + 21 + 15 + 23 = 99 of 136 = 72.8% -> 73 Established
    assert report.overall.trace == "99 of 136 (73%) -> Established, band 63-87"


# --- complaints-standards ---------------------------------------------------------------------

def test_complaints_sections_and_scale() -> None:
    template = tpl("complaints-standards")
    assert [s.title for s in template.sections] == [
        "Promoting a just and learning culture", "Welcoming complaints in a positive way",
        "Being thorough and fair", "Giving fair and accountable responses",
        "Key figures (for trend, not scored)"]
    assert "first published March 2021" in template.source
    feedback = template.question("CS4.5")
    assert feedback is not None and "feedback on how the complaint was handled" in feedback.text
    figures = [q for q in template.sections[-1].questions]
    assert [q.id for q in figures] == ["CS5.1", "CS5.2"]
    assert all(q.type is QuestionType.NUMBER and not q.scored and not q.required for q in figures)
    scale = template.scales["met"]
    assert [(o.value, o.label) for o in scale.options] == [
        (2, "Met"), (1, "Partly met"), (0, "Not met")]
    assert scale.note_required_for == (0,)


def test_complaints_pattern() -> None:
    template = tpl("complaints-standards")
    answers = fill(template, 2, {
        "CS1.3": 1, "CS1.4": 0,                       # culture 5/8 = 62.5 -> 63 Limited
        # welcoming: all Met 8/8 -> Substantial
        "CS3.2": 1, "CS3.3": 1, "CS3.4": "na",        # thorough 4/6 = 66.7 -> 67 Reasonable
        "CS4.1": 0, "CS4.2": 0, "CS4.3": 1, "CS4.4": 1,  # responses 2/10 = 20 -> No assurance
        "CS4.5": 0,
    })
    answers["CS1.4"] = state(0)                       # Not met without a note
    report = score(template, answers)
    assert [s.rating for s in report.sections] == [
        "Limited assurance", "Substantial assurance", "Reasonable assurance", "No assurance",
        None]                                         # key figures: unscored
    # 5 + 8 + 4 + 2 = 19 of 2 x 16 answered = 32 -> 59.4% -> 59 Limited assurance
    assert report.overall.trace == "19 of 32 (59%) -> Limited assurance, band 40-64"
    assert report.notes_owed == ("CS1.4",)


# --- ftsu-assessment ----------------------------------------------------------------------------

def test_ftsu_follows_the_eight_principles_and_escalates_unsafe_speaking_up() -> None:
    template = tpl("ftsu-assessment")
    assert [s.title for s in template.sections] == [
        "Value speaking up", "Role-model speaking up and set a healthy culture",
        "Workers know how to speak up and feel safe to", "Thank, listen and follow up",
        "Use speaking up to learn and improve", "Support the guardian",
        "Identify and tackle barriers", "Continually improve the speaking up culture"]
    assert {q.id for q in template.questions if q.critical} == {"FS3.2", "FS4.2", "FS4.3"}
    answers = fill(template, 2, {"FS4.2": 0, "FS6.1": 1, "FS6.2": 1, "FS6.3": 0})
    report = score(template, answers)
    assert report.escalations == ("FS4.2",)
    # guardian: Partly + Partly + Not met = 1 + 1 + 0 = 2 of 6 = 33% -> No assurance
    assert report.section("guardian").outcome.trace == "2 of 6 (33%) -> No assurance, band 0-39"
    # overall: 19 scored; 15 Met x 2 + 1 + 1 + 0 + 0 = 32 of 38 = 84.2% -> Reasonable
    assert report.overall.trace == "32 of 38 (84%) -> Reasonable assurance, band 65-84"


# --- ld-autism-oversight ------------------------------------------------------------------------

def test_ld_autism_visit_details_are_not_scored_and_restraint_counts_trend() -> None:
    template = tpl("ld-autism-oversight")
    unscored = {q.id for q in template.questions if not q.scored}
    assert {"LD1.1", "LD1.2", "LD1.3", "LD1.4", "LD1.5", "LD3.1", "LD7.4"} == unscored
    count = template.question("LD3.1")
    assert count is not None and count.type is QuestionType.NUMBER and not count.required
    assert {q.id for q in template.questions if q.critical} == {
        "LD2.3", "LD3.3", "LD5.1", "LD7.1", "LD7.3"}
    assert "every 8 weeks" in template.description and "every 6 weeks" in template.description


def test_ld_autism_pattern() -> None:
    template = tpl("ld-autism-oversight")
    answers = fill(template, 2, {"LD3.3": "na", "LD7.1": "na", "LD5.1": 0, "LD5.2": 1})
    report = score(template, answers)
    # family: 0 + 1 + 2 = 3 of 6 = 50% -> Limited; 20 scored, 2 N/A: 18 x 2 = 36, less 3 = 33
    assert report.section("family").rating == "Limited assurance"
    assert report.overall.trace == "33 of 36 (92%) -> Substantial assurance, band 85-100"
    assert report.escalations == ("LD5.1",)


# --- eds-2022 -----------------------------------------------------------------------------------

def test_eds_has_eleven_outcomes_in_three_domains_rated_on_the_total() -> None:
    template = tpl("eds-2022")
    assert [[q.id for q in s.questions] for s in template.sections] == [
        ["EDS1A", "EDS1B", "EDS1C", "EDS1D"], ["EDS2A", "EDS2B", "EDS2C", "EDS2D"],
        ["EDS3A", "EDS3B", "EDS3C"]]
    assert template.scoring.overall.method is ScoringMethod.TOTAL_BANDS
    assert "EDS" in template.source and "2022" in template.source


@pytest.mark.parametrize(("scores", "rating"), [
    ([0] * 11, "Undeveloped activity"),
    ([1] * 7 + [0] * 4, "Undeveloped activity"),        # 7: under 8
    ([1] * 8 + [0] * 3, "Developing activity"),         # 8
    ([2] * 10 + [1], "Developing activity"),            # 21
    ([2] * 11, "Achieving activity"),                   # 22
    ([3] * 10 + [2], "Achieving activity"),             # 32
    ([3] * 11, "Excelling activity"),                   # 33
])
def test_eds_rating_boundaries_on_the_total(scores: list[int], rating: str) -> None:
    template = tpl("eds-2022")
    answers = {q.id: state(v) for q, v in zip(template.questions, scores, strict=True)}
    report = score(template, answers)
    assert report.overall.rating == rating
    assert report.overall.trace.startswith(f"total {sum(scores)} points of 33 answered -> {rating}")
    assert all(s.rating is None for s in report.sections)  # EDS rates only the total


# --- the README's worked example --------------------------------------------------------------

def test_readme_example_compiles_and_scores_as_the_readme_says() -> None:
    readme = (bundled_dir() / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, flags=re.S)
    example = next(b for b in blocks if b.startswith('id = "falls-spot-check"'))
    template = compile_template(tomllib.loads(example), file="README.md")
    answers = {"FS1": AnswerState(2), "FS2": AnswerState(1, note="one bell out of reach"),
               "FS3": AnswerState("yes"), "FS4": AnswerState(0, note="moved before checking")}
    report = score(template, answers)
    assert report.section("assess").outcome.trace == \
        "3 of 4 (75%) -> Requires improvement, band 50-79"
    assert report.section("after").outcome.trace == "0 of 2 (0%) -> Inadequate, band 0-49"
    assert report.overall.trace == ("sections: 1 Requires improvement, 1 Inadequate -> "
                                    "Requires improvement (one at the lowest rating)")
    assert report.escalations == ()
    answers["FS3"] = AnswerState("no")
    report = score(template, answers)
    assert "FS4" not in report.visible
    assert report.section("after").rating is None
    assert report.overall.rating == "Requires improvement"


# --- user templates ---------------------------------------------------------------------------

def test_user_template_may_not_reuse_a_bundled_id(tmp_path: Path) -> None:
    user = tmp_path / "templates"
    user.mkdir()
    shutil.copy(bundled_dir() / "qa-visit.toml", user / "my-visit.toml")
    library = TemplateLibrary.load(user_dir=user)
    assert [(p.file, p.path, p.message) for p in library.problems] == [
        (str(user / "my-visit.toml"), "id",
         "template id 'qa-visit' is already used by bundled template qa-visit.toml; "
         "give your template its own id")]
    assert library.entries["qa-visit"].origin == "bundled"
    assert len(library.entries) == len(MINIMUM_QUESTIONS)


def test_a_broken_user_template_is_reported_and_the_rest_load(tmp_path: Path) -> None:
    user = tmp_path / "templates"
    user.mkdir()
    good = (bundled_dir() / "complaints-standards.toml").read_text(encoding="utf-8")
    (user / "local-complaints.toml").write_text(
        good.replace('id = "complaints-standards"', 'id = "local-complaints"'), encoding="utf-8")
    (user / "broken.toml").write_text('id = "broken"\ntitle = = 1\n', encoding="utf-8")
    (user / "readme.txt").write_text("not a template", encoding="utf-8")
    library = TemplateLibrary.load(user_dir=user)
    assert [(p.file, p.path, p.message) for p in library.problems] == [
        (str(user / "broken.toml"), "line 2, column 9", "not valid TOML: Invalid value")]
    assert library.entries["local-complaints"].origin == "user"
    assert library.get("local-complaints").title == library.get("complaints-standards").title
    assert set(MINIMUM_QUESTIONS) <= set(library.ids())


def test_a_missing_user_folder_is_fine(tmp_path: Path) -> None:
    library = TemplateLibrary.load(user_dir=tmp_path / "nowhere")
    assert library.problems == []
    assert sorted(library.ids()) == sorted(MINIMUM_QUESTIONS)
