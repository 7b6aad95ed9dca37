"""Scoring: each method and rule on small inline templates, with the traces people read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from qa_tui.domain import AnswerState
from qa_tui.errors import TemplateInvalid
from qa_tui.templates import Template, compile_template, load_template_file, score
from qa_tui.templates.library import bundled_dir
from qa_tui.templates.scoring import cqc_aggregate, round_half_up

RATING_SCALE = {
    "title": "CQC rating",
    "allow_na": True,
    "options": [
        {"value": 4, "label": "Outstanding"},
        {"value": 3, "label": "Good"},
        {"value": 2, "label": "Requires improvement"},
        {"value": 1, "label": "Inadequate"},
    ],
}
SAF_BANDS = [
    {"low": 25, "high": 38, "rating": "Inadequate"},
    {"low": 39, "high": 62, "rating": "Requires improvement"},
    {"low": 63, "high": 87, "rating": "Good"},
    {"low": 88, "high": 100, "rating": "Outstanding"},
]


def make(sections: Sequence[Sequence[Any]], scoring: Mapping[str, Any]) -> Template:
    """A template with one section per item; a question is an id or a (id, extra keys) pair."""
    raw_sections = []
    for i, questions in enumerate(sections):
        raw_qs = []
        for q in questions:
            qid, extra = (q, {}) if isinstance(q, str) else q
            raw_qs.append({"id": qid, "text": f"{qid}?", "scale": "r", **extra})
        raw_sections.append({"id": f"s{i + 1}", "title": f"Section {i + 1}", "questions": raw_qs})
    return compile_template({
        "id": "inline", "version": "1", "title": "Inline", "kind": "self-assessment",
        "description": "d", "source": "s", "scales": {"r": RATING_SCALE},
        "sections": raw_sections, "scoring": dict(scoring),
    })


def answers(**values: Any) -> dict[str, AnswerState]:
    out = {}
    for qid, value in values.items():
        out[qid] = AnswerState(na=True) if value == "na" else AnswerState(value)
    return out


def q_ids(n: int, prefix: str = "Q") -> list[str]:
    return [f"{prefix}{i}" for i in range(1, n + 1)]


# --- the CQC worked example -------------------------------------------------------------------

def test_cqc_worked_example_on_the_bundled_template() -> None:
    # FRAMEWORKS.md section 2: eight statements all scored 3 = 24/32 = 75% = Good.
    template = load_template_file(bundled_dir() / "cqc-saf-well-led.toml")
    report = score(template, {f"WL{i}": AnswerState(3) for i in range(1, 9)})
    assert report.overall.trace == "24 of 32 (75%) -> Good, band 63-87"
    assert (report.overall.points, report.overall.max_points) == (24, 32)
    assert report.overall.score_pct == 75.0
    assert report.overall.rating == "Good"
    assert report.overall.band == "63-87"
    assert report.section("well-led").outcome == report.overall


def test_cqc_worked_example_inline() -> None:
    template = make([q_ids(8)], {"method": "percent_bands", "bands": SAF_BANDS})
    report = score(template, {q: AnswerState(3) for q in q_ids(8)})
    assert report.section("s1").outcome.trace == "24 of 32 (75%) -> Good, band 63-87"


def test_round_half_up() -> None:
    assert [round_half_up(x) for x in (37.5, 38.49, 62.5, 87.5, 0.5, 1.5, 2.5)] == \
        [38, 38, 63, 88, 1, 2, 3]


# --- percent bands and weights ----------------------------------------------------------------

def test_weights_multiply_values_and_maxima() -> None:
    template = make([["Q1", ("Q2", {"weight": 2}), ("Q3", {"weight": 0})]],
                    {"method": "percent_bands", "bands": SAF_BANDS})
    # Q1 = 1 x 1, Q2 = 4 x 2, Q3 weight 0 is not scored: 9 of 12 = 75% -> Good
    report = score(template, answers(Q1=1, Q2=4, Q3=1))
    assert report.overall.trace == "9 of 12 (75%) -> Good, band 63-87"


def test_fractional_weights() -> None:
    template = make([[("Q1", {"weight": 0.5}), ("Q2", {"weight": 1.5})]],
                    {"method": "percent_bands", "bands": SAF_BANDS})
    # 2 x 0.5 + 3 x 1.5 = 5.5 of (4 x 0.5 + 4 x 1.5) = 8 -> 68.75% -> 69 Good
    report = score(template, answers(Q1=2, Q2=3))
    assert report.overall.trace == "5.5 of 8 (69%) -> Good, band 63-87"
    assert report.overall.score_pct == 68.8


def test_na_and_unanswered_are_left_out_of_sum_and_maximum() -> None:
    template = make([q_ids(4)], {"method": "percent_bands", "bands": SAF_BANDS})
    # Q1 = 4, Q2 = 3, Q3 N/A, Q4 unanswered: 7 of 8 = 87.5% -> 88 Outstanding
    report = score(template, answers(Q1=4, Q2=3, Q3="na"))
    assert report.overall.trace == "7 of 8 (88%) -> Outstanding, band 88-100"
    assert report.answered == 3
    assert report.required_open == ("Q4",)


def test_answers_outside_the_scale_are_not_scored() -> None:
    template = make([q_ids(2)], {"method": "percent_bands", "bands": SAF_BANDS})
    report = score(template, {"Q1": AnswerState(3), "Q2": AnswerState("3")})
    assert report.overall.trace == "3 of 4 (75%) -> Good, band 63-87"


def test_no_answers_and_no_scoring() -> None:
    template = make([q_ids(2)], {"method": "percent_bands", "bands": SAF_BANDS})
    report = score(template, {})
    assert (report.overall.rating, report.overall.trace) == (None, "no scored answers yet")
    assert report.progress_pct == 0
    unscored = make([q_ids(2)], {"method": "none"})
    report = score(unscored, answers(Q1=4, Q2=4))
    assert (report.overall.rating, report.overall.trace) == (None, "not scored")
    assert report.progress_pct == 100


def test_hidden_questions_do_not_count() -> None:
    template = make([["Q1", ("Q2", {"show_if": {"question": "Q1", "in": [1, 2]}})]],
                    {"method": "percent_bands", "bands": SAF_BANDS})
    # Q1 Good hides Q2: its stored answer is ignored; 3 of 4 = 75%
    report = score(template, answers(Q1=3, Q2=1))
    assert "Q2" not in report.visible
    assert report.overall.trace == "3 of 4 (75%) -> Good, band 63-87"
    assert (report.answered, report.total) == (1, 1)
    # Q1 Inadequate shows Q2, and its answer counts again: 2 of 8 = 25%
    report = score(template, answers(Q1=1, Q2=1))
    assert report.overall.trace == "2 of 8 (25%) -> Inadequate, band 25-38"
    # Q1 N/A: Q2 stays hidden
    assert "Q2" not in score(template, answers(Q1="na")).visible


# --- mean and worst ---------------------------------------------------------------------------

def test_mean_rounds_half_up_to_the_nearest_option() -> None:
    template = make([q_ids(4)], {"method": "mean"})
    report = score(template, answers(Q1=3, Q2=3, Q3=2, Q4=2))
    assert report.overall.trace == "mean 2.50 of 4 answers -> Good"
    report = score(template, answers(Q1=3, Q2=2, Q3=2, Q4=2))
    assert report.overall.trace == "mean 2.25 of 4 answers -> Requires improvement"
    assert report.overall.score_pct == 56.2  # 9 of 16, kept alongside


def test_mean_is_weighted() -> None:
    template = make([[("Q1", {"weight": 3}), "Q2"]], {"method": "mean"})
    # (4 x 3 + 1 x 1) / 4 = 3.25 -> Good
    report = score(template, answers(Q1=4, Q2=1))
    assert report.overall.trace == "mean 3.25 of 2 answers -> Good"


def test_worst_answer_names_the_rating() -> None:
    template = make([q_ids(3)], {"method": "worst"})
    report = score(template, answers(Q1=4, Q2=2, Q3=3))
    assert report.overall.trace == "worst answer 2 (Q2) -> Requires improvement"
    assert report.overall.rating == "Requires improvement"


def test_mean_and_worst_need_a_scale_when_several_are_used() -> None:
    document = {
        "id": "two-scales", "version": "1", "title": "t", "kind": "visit", "description": "d",
        "source": "s",
        "scales": {"a": RATING_SCALE, "b": {"options": [{"value": 1, "label": "One"},
                                                        {"value": 2, "label": "Two"}]}},
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "Q1", "text": "?", "scale": "a"}, {"id": "Q2", "text": "?", "scale": "b"}]}],
        "scoring": {"method": "worst"},
    }
    from qa_tui.errors import TemplateInvalid

    with pytest.raises(TemplateInvalid) as caught:
        compile_template(document)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("scoring.scale", "worst needs the scale whose labels name the rating (scored questions "
                          "use several)")]
    document["scoring"] = {"method": "worst", "scale": "a"}
    template = compile_template(document)
    assert score(template, answers(Q1=4, Q2=2)).overall.trace == \
        "worst answer 2 (Q2) -> Requires improvement"


# --- CQC aggregation --------------------------------------------------------------------------

@pytest.mark.parametrize(("ranks", "expected"), [
    ([0], (0, "a single rating stands")),
    ([3], (3, "a single rating stands")),
    ([0, 0, 3, 3], (0, "two or more at the lowest rating")),
    ([0, 3, 3, 3], (1, "one at the lowest rating")),
    ([1, 1, 3, 3], (1, "two or more at the second rating")),
    ([3, 3, 2, 2], (3, "two or more at the top rating and the rest at the third")),
    ([3, 3], (3, "two or more at the top rating and the rest at the third")),
    ([3, 3, 1, 2], (2, "no rule moves it from the third rating")),
    ([3, 2, 2, 2], (2, "no rule moves it from the third rating")),
    ([1, 2, 2, 2], (2, "no rule moves it from the third rating")),
    ([2, 2], (2, "no rule moves it from the third rating")),
])
def test_cqc_aggregate_rules(ranks: list[int], expected: tuple[int, str]) -> None:
    assert cqc_aggregate(ranks) == expected


@pytest.mark.parametrize(("values", "trace"), [
    ([1, 1, 4, 4], "2 Outstanding, 2 Inadequate -> Inadequate (two or more at the lowest rating)"),
    ([1, 4, 4, 4], "3 Outstanding, 1 Inadequate -> Requires improvement (one at the lowest rating)"),
    ([2, 2, 4, 4], "2 Outstanding, 2 Requires improvement -> Requires improvement "
                   "(two or more at the second rating)"),
    ([4, 4, 3, 3], "2 Outstanding, 2 Good -> Outstanding "
                   "(two or more at the top rating and the rest at the third)"),
    ([4, 4, 2, 3], "2 Outstanding, 1 Good, 1 Requires improvement -> Good "
                   "(no rule moves it from the third rating)"),
    ([2, 3, 3, "na"], "2 Good, 1 Requires improvement -> Good (no rule moves it from the third rating)"),
    ([1, "na", "na", "na"], "1 Inadequate -> Inadequate (a single rating stands)"),
])
def test_cqc_aggregate_over_answers(values: list[Any], trace: str) -> None:
    template = make([q_ids(4)], {"method": "cqc_aggregate"})
    report = score(template, answers(**dict(zip(q_ids(4), values, strict=True))))
    assert report.section("s1").outcome.trace == trace


def test_overall_cqc_aggregate_combines_section_ratings() -> None:
    # Section scale written explicitly: the overall must still combine sections, not answers.
    template = make([q_ids(2, "A"), q_ids(2, "B"), q_ids(2, "C")],
                    {"method": "cqc_aggregate", "scale": "r",
                     "overall": {"method": "cqc_aggregate"}})
    assert template.scoring.overall.scale is None
    # A: 4,4 -> Outstanding; B: 4,4 -> Outstanding; C: 3,1 -> Good? no: one Inadequate -> RI.
    report = score(template, answers(A1=4, A2=4, B1=4, B2=4, C1=3, C2=1))
    assert [s.rating for s in report.sections] == ["Outstanding", "Outstanding", "Requires improvement"]
    # Sections: 2 Outstanding, 1 Requires improvement -> Good. (Over the six answers it would
    # have been Requires improvement: one Inadequate.)
    assert report.overall.trace == ("sections: 2 Outstanding, 1 Requires improvement -> Good "
                                    "(no rule moves it from the third rating)")


def test_overall_cqc_aggregate_with_its_own_scale_combines_answers() -> None:
    template = make([q_ids(2, "A"), q_ids(2, "B")],
                    {"method": "cqc_aggregate", "overall": {"method": "cqc_aggregate", "scale": "r"}})
    report = score(template, answers(A1=4, A2=4, B1=3, B2=1))
    assert report.overall.trace == ("2 Outstanding, 1 Good, 1 Inadequate -> Requires improvement "
                                    "(one at the lowest rating)")


def test_section_bands_with_overall_cqc_aggregate() -> None:
    # The pattern qa-visit used before 1.2: bands per section, CQC aggregation of them overall.
    template = make([q_ids(2, "A"), q_ids(2, "B"), q_ids(2, "C")],
                    {"method": "percent_bands", "bands": SAF_BANDS,
                     "overall": {"method": "cqc_aggregate"}})
    assert template.scoring.overall.bands == ()
    # A 8/8 = 100 Outstanding; B 7/8 = 87.5 -> 88 Outstanding; C 5/8 = 62.5 -> 63 Good
    report = score(template, answers(A1=4, A2=4, B1=4, B2=3, C1=4, C2=1))
    assert [s.rating for s in report.sections] == ["Outstanding", "Outstanding", "Good"]
    assert report.overall.trace == ("sections: 2 Outstanding, 1 Good -> Outstanding "
                                    "(two or more at the top rating and the rest at the third)")
    # all six answers together: 20 of 24
    assert (report.overall.points, report.overall.max_points) == (20, 24)


def test_overall_inherits_bands_when_it_keeps_percent_bands() -> None:
    template = make([q_ids(2)], {"method": "percent_bands", "bands": SAF_BANDS,
                                 "overall": {"limiters": [{"values": [1], "cap": "Good"}]}})
    assert template.scoring.overall.bands == template.scoring.section.bands
    report = score(template, answers(Q1=4, Q2=1))  # 5 of 8 = 62.5 -> 63 Good either way
    assert report.overall.rating == "Good"


def test_sections_without_a_rating_are_left_out_of_the_overall() -> None:
    template = make([q_ids(1, "A"), q_ids(1, "B")],
                    {"method": "percent_bands", "bands": SAF_BANDS,
                     "overall": {"method": "cqc_aggregate"}})
    report = score(template, answers(A1=2, B1="na"))
    assert report.section("s2").rating is None
    assert report.overall.trace == "sections: 1 Requires improvement -> Requires improvement " \
                                   "(a single rating stands)"
    assert score(template, {}).overall.trace == "no rated sections yet"


# --- limiters ---------------------------------------------------------------------------------

def test_limiter_caps_a_banded_rating() -> None:
    template = make([q_ids(8)], {"method": "percent_bands", "bands": SAF_BANDS,
                                 "limiters": [{"values": [1], "cap": "Requires improvement"}]})
    # seven 4s and one 1: 29 of 32 = 90.6% -> 91 Outstanding, capped by Q8 = 1
    values = {q: 4 for q in q_ids(7)} | {"Q8": 1}
    report = score(template, answers(**values))
    assert report.overall.rating == "Requires improvement"
    assert report.overall.trace == ("29 of 32 (91%) -> Outstanding, band 88-100, "
                                    "capped at Requires improvement (Q8 answered 1)")


def test_limiter_never_raises_a_rating() -> None:
    template = make([q_ids(2)], {"method": "percent_bands", "bands": SAF_BANDS,
                                 "limiters": [{"values": [1], "cap": "Requires improvement"}]})
    report = score(template, answers(Q1=1, Q2=1))
    assert report.overall.trace == "2 of 8 (25%) -> Inadequate, band 25-38"


def test_limiter_without_a_matching_answer_does_nothing() -> None:
    template = make([q_ids(2)], {"method": "worst",
                                 "limiters": [{"values": [1], "cap": "Requires improvement"}]})
    assert score(template, answers(Q1=4, Q2=3)).overall.trace == "worst answer 3 (Q2) -> Good"


def test_limiter_on_an_overall_cqc_aggregate_of_sections() -> None:
    template = make([q_ids(8, "A"), q_ids(1, "B")],
                    {"method": "percent_bands", "bands": SAF_BANDS,
                     "overall": {"method": "cqc_aggregate",
                                 "limiters": [{"values": [1], "cap": "Requires improvement"}]}})
    # A: seven 4s and a 1 = 29/32 -> 91 Outstanding; B: 4 -> Outstanding; overall Outstanding,
    # then capped by A8 = 1
    values = {q: 4 for q in q_ids(7, "A")} | {"A8": 1, "B1": 4}
    report = score(template, answers(**values))
    assert [s.rating for s in report.sections] == ["Outstanding", "Outstanding"]
    assert report.overall.rating == "Requires improvement"
    assert report.overall.trace.endswith("capped at Requires improvement (A8 answered 1)")


def test_section_limiters_are_not_inherited_by_an_overall_override() -> None:
    template = make([q_ids(8)], {"method": "percent_bands", "bands": SAF_BANDS,
                                 "limiters": [{"values": [1], "cap": "Requires improvement"}],
                                 "overall": {"method": "percent_bands"}})
    values = {q: 4 for q in q_ids(7)} | {"Q8": 1}
    report = score(template, answers(**values))
    assert report.section("s1").rating == "Requires improvement"
    assert report.overall.rating == "Outstanding"


def test_bundled_templates_are_found_from_the_source_checkout() -> None:
    assert (bundled_dir() / "cqc-saf-well-led.toml").is_file()
    assert bundled_dir() == Path(__file__).resolve().parents[2] / "assessments"


# --- coverage and provisional ratings ---------------------------------------------------------

def test_a_rating_from_few_answers_is_provisional() -> None:
    template = make([q_ids(8)], {"method": "percent_bands", "bands": SAF_BANDS})
    report = score(template, answers(Q1=4, Q2=4, Q3=4))
    assert report.overall.rating == "Outstanding"
    assert (report.scored_answered, report.scored_total, report.coverage_pct) == (3, 8, 37)
    assert report.provisional


def test_na_answers_leave_the_base_and_the_threshold_is_template_data() -> None:
    template = make([q_ids(5)], {"method": "percent_bands", "bands": SAF_BANDS,
                                 "provisional_below": 50})
    report = score(template, answers(Q1=3, Q2=3, Q3="na", Q4="na"))
    assert (report.scored_answered, report.scored_total, report.coverage_pct) == (2, 3, 66)
    assert not report.provisional
    assert not score(template, {}).provisional  # no rating, nothing to call provisional


def test_provisional_below_must_be_a_percent() -> None:
    with pytest.raises(TemplateInvalid) as err:
        make([["Q1"]], {"method": "percent_bands", "bands": SAF_BANDS, "provisional_below": 120})
    assert [p.path for p in err.value.problems] == ["scoring.provisional_below"]


# --- bands on the total of points -------------------------------------------------------------

def test_total_bands_rate_the_sum_of_points_and_round_half_up() -> None:
    bands = [{"low": 0, "high": 3, "rating": "Low"}, {"low": 4, "high": 6, "rating": "High"}]
    template = make([["Q1", ("Q2", {"weight": 0.5})]], {"method": "total_bands", "bands": bands})
    # Q1 = 3, Q2 = 1 x 0.5: 3.5 points rounds half up to 4 -> High (at most 4 + 2 = 6)
    report = score(template, answers(Q1=3, Q2=1))
    assert report.overall.trace == "total 3.5 points of 6 answered -> High, band 4-6 points"
    assert score(template, answers(Q1=3)).overall.rating == "Low"


def test_total_bands_must_cover_every_total_the_questions_can_reach() -> None:
    with pytest.raises(TemplateInvalid) as err:
        make([["Q1", "Q2"]], {"method": "total_bands", "bands": [
            {"low": 2, "high": 3, "rating": "Low"}, {"low": 4, "high": 7, "rating": "High"}]})
    messages = [p.message for p in err.value.problems]
    assert "the top band must end at 8, not 7" in messages
    assert "the lowest band starts at 2 but a score can be as low as 2 points" not in messages
    with pytest.raises(TemplateInvalid) as err:
        make([["Q1", "Q2"]], {"method": "total_bands", "bands": [
            {"low": 3, "high": 8, "rating": "All"}]})
    assert [p.message for p in err.value.problems] == [
        "the lowest band starts at 3 but a score can be as low as 2 points"]


def test_overall_total_bands_are_never_inherited_from_sections() -> None:
    with pytest.raises(TemplateInvalid) as err:
        make([["Q1"], ["Q2"]], {"method": "total_bands", "bands": [
            {"low": 0, "high": 4, "rating": "All"}], "overall": {"method": "total_bands"}})
    assert [p.path for p in err.value.problems] == ["scoring.overall.bands"]
