"""Repeating groups and computed fields in the templates layer: compile, address, compute."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qa_tui.domain import AnswerState, QuestionType
from qa_tui.errors import TemplateInvalid
from qa_tui.templates import load_template_file
from qa_tui.templates.address import parse_address
from qa_tui.templates.computed import compute, computed_values, explain
from qa_tui.templates.scoring import score
from tests.groups_support import RISK_TEMPLATE, write_template


def load(tmp_path: Path, text: str = RISK_TEMPLATE):  # type: ignore[no-untyped-def]
    return load_template_file(write_template(tmp_path, textwrap.dedent(text)))


def problems(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    with pytest.raises(TemplateInvalid) as caught:
        load(tmp_path, text)
    return [(Path(p.file).name, p.path, p.message) for p in caught.value.problems]


def test_repeat_and_computed_compile(tmp_path: Path) -> None:
    t = load(tmp_path)
    assert [s.id for s in t.sections] == ["checks"]
    assert [s.id for s in t.all_sections] == ["checks", "risks"]
    group = t.group("risk")
    assert group is not None and group.repeat is not None
    assert (group.repeat.group, group.repeat.min_rows, group.repeat.max_rows,
            group.repeat.row_title) == ("RISK", 1, 5, "DESC")
    score_q = group.field("score")
    assert score_q is not None and score_q.type is QuestionType.COMPUTED
    assert score_q.compute is not None and score_q.compute.op == "product"
    assert [b.label for b in score_q.compute.bands] == ["Low", "Moderate", "High", "Extreme"]
    assert (score_q.required, score_q.weight, score_q.critical, score_q.scored) == \
        (False, 0.0, False, False)
    # ordinary questions only in the flat list; fields are found by address
    assert [q.id for q in t.questions] == ["C1", "C2", "NOS"]


def test_addresses_resolve_to_fields(tmp_path: Path) -> None:
    t = load(tmp_path)
    assert t.question("RISK[2].DESC") is t.group("RISK").field("DESC")  # type: ignore[union-attr]
    assert t.find_question("risk[2].likelihood") is t.group("RISK").field("LIKELIHOOD")  # type: ignore[union-attr]
    assert t.question("RISK[0].DESC") is None
    assert t.question("RISK[2].NOPE") is None
    assert t.question("NOPE[1].DESC") is None
    assert t.question("DESC") is None  # a field is not a question on its own
    a = parse_address(" Risk[12].Desc ")
    assert a is not None and (a.group, a.row, a.field) == ("Risk", 12, "Desc")
    assert str(a) == "Risk[12].Desc"
    for bad in ("RISK[].DESC", "RISK[1]", "RISK[-1].DESC", "RISK[1000000].DESC", "[1].DESC"):
        assert parse_address(bad) is None, bad


def test_computed_product_with_bands_and_trace(tmp_path: Path) -> None:
    t = load(tmp_path)
    answers = {"RISK[1].LIKELIHOOD": AnswerState(3), "RISK[1].CONSEQUENCE": AnswerState(4),
               "RISK[2].LIKELIHOOD": AnswerState(1), "RISK[2].CONSEQUENCE": AnswerState(2),
               "RISK[3].LIKELIHOOD": AnswerState(5),
               "C1": AnswerState(0), "C2": AnswerState(1)}
    values = computed_values(t, answers, {"RISK": 3})
    assert (values["RISK[1].SCORE"].value, values["RISK[1].SCORE"].band) == (12, "High")
    assert explain("RISK[1].SCORE", values["RISK[1].SCORE"]) == \
        "RISK[1].SCORE = LIKELIHOOD 3 x CONSEQUENCE 4 = 12 -> High"
    assert values["RISK[1].SCORE"].label == "12 (High)"
    assert (values["RISK[2].SCORE"].value, values["RISK[2].SCORE"].band) == (2, "Low")
    assert values["RISK[3].SCORE"].value is None
    assert "no value until CONSEQUENCE" in values["RISK[3].SCORE"].trace
    assert (values["NOS"].value, values["NOS"].band) == (1, None)
    assert values["NOS"].trace == "count of 'No' in C1, C2 = 1 (C1)"
    assert "RISK[4].SCORE" not in values


def test_bands_gap_and_sum_and_na(tmp_path: Path) -> None:
    t = load(tmp_path)
    q = t.group("RISK").field("SCORE")  # type: ignore[union-attr]
    assert q is not None
    gap = compute(q, {"LIKELIHOOD": AnswerState(7), "CONSEQUENCE": AnswerState(1)}.__getitem__)
    assert (gap.value, gap.band) == (7, None) and gap.trace.endswith("= 7 (no band)")
    na = compute(q, {"LIKELIHOOD": AnswerState(None, na=True),
                     "CONSEQUENCE": AnswerState(1)}.__getitem__)
    assert na.value is None


def test_computed_fields_do_not_hold_back_progress(tmp_path: Path) -> None:
    t = load(tmp_path)
    report = score(t, {"C1": AnswerState(2)})
    assert report.total == 2 and report.answered == 1
    assert "NOS" not in report.required_open


BASE = RISK_TEMPLATE.split("[[sections]]\nid = \"risks\"")[0]


def risk_section(repeat: str, fields: str) -> str:
    return f'[[sections]]\nid = "risks"\ntitle = "Risks"\nrepeat = {repeat}\n{fields}'


FIELD = '\n[[sections.questions]]\nid = "{id}"\ntext = "{id}?"\n{rest}\n'


def field(fid: str, rest: str = 'scale = "five"') -> str:
    return FIELD.format(id=fid, rest=rest)


def test_unknown_input_in_of(tmp_path: Path) -> None:
    text = BASE + risk_section('{ group = "RISK" }', field("LIKELIHOOD") + field(
        "SCORE", 'type = "computed"\ncompute = { op = "product", of = ["LIKELIHOOD", "CONSEQENCE"] }'))
    assert problems(tmp_path, text) == [(
        "risk-test.toml", "sections[1].questions[1].compute.of[1]",
        "no question 'CONSEQENCE' in the same row")]


def test_of_names_a_question_of_another_section(tmp_path: Path) -> None:
    text = BASE + risk_section('{ group = "RISK" }', field("LIKELIHOOD") + field(
        "SCORE", 'type = "computed"\ncompute = { op = "sum", of = ["LIKELIHOOD", "C1"] }'))
    assert problems(tmp_path, text) == [(
        "risk-test.toml", "sections[1].questions[1].compute.of[1]",
        "no question 'C1' in the same row")]


def test_overlapping_bands(tmp_path: Path) -> None:
    text = BASE + risk_section('{ group = "RISK" }', field("L") + field(
        "S", 'type = "computed"\ncompute = { op = "sum", of = ["L"] }\n'
        'bands = [{ low = 1, high = 4, label = "Low" }, { low = 4, high = 9, label = "High" }]'))
    assert problems(tmp_path, text) == [(
        "risk-test.toml", "sections[1].questions[1].bands[1]",
        "4-9 overlaps sections[1].questions[1].bands[0] (1-4): bands must not overlap")]


def test_computed_with_scale_critical_required(tmp_path: Path) -> None:
    text = BASE + risk_section('{ group = "RISK" }', field("L") + field(
        "S", 'type = "computed"\nscale = "five"\ncritical = true\nrequired = true\n'
        'compute = { op = "sum", of = ["L"] }'))
    found = {(p, m) for _, p, m in problems(tmp_path, text)}
    assert ("sections[1].questions[1].scale", "a computed question cannot have 'scale': nobody "
            "answers it; the engine computes it") in found
    assert ("sections[1].questions[1].critical", "a computed question cannot have 'critical': "
            "nobody answers it; the engine computes it") in found
    assert ("sections[1].questions[1].required", "a computed question is never required: nobody "
            "answers it") in found


def test_computed_needs_compute_and_numeric_inputs(tmp_path: Path) -> None:
    text = BASE + risk_section('{ group = "RISK" }', field("T", 'type = "text"') + field(
        "S", 'type = "computed"') + field("P", 'type = "computed"\ncompute = { op = "product", '
                                          'of = ["T"] }') + field("X", 'type = "text"\n'
                                                                   'compute = { op = "sum", of = ["T"] }'))
    found = {(p, m) for _, p, m in problems(tmp_path, text)}
    assert ("sections[1].questions[1].compute", "is required for a computed question: a table "
            "such as { op = \"product\", of = [\"LIKELIHOOD\", \"CONSEQUENCE\"] }") in found
    assert ("sections[1].questions[2].compute.of[0]", "'T' is not numeric: product needs "
            "numbers or a numeric scale") in found
    assert ("sections[1].questions[3].compute", "applies to computed questions only "
            "(type = \"computed\")") in found


def test_group_id_clashes(tmp_path: Path) -> None:
    text = BASE + risk_section('{ group = "C1" }', field("L")) + \
        risk_section('{ group = "RISK" }', field("L")).replace('"risks"', '"r2"') + \
        risk_section('{ group = "RISK" }', field("L")).replace('"risks"', '"r3"')
    assert problems(tmp_path, text) == [
        ("risk-test.toml", "sections[1].repeat.group", "group id 'C1' clashes with question 'C1'"),
        ("risk-test.toml", "sections[3].repeat.group",
         "duplicate group id 'RISK' (also sections[2].repeat.group)"),
    ]


@pytest.mark.parametrize(("repeat", "path", "message"), [
    ('{ group = "RISK", max_rows = 0 }', "sections[1].repeat.max_rows",
     "must be a whole number from 1 to 200, not 0"),
    ('{ group = "RISK", max_rows = 201 }', "sections[1].repeat.max_rows",
     "must be a whole number from 1 to 200, not 201"),
    ('{ group = "RISK", min_rows = 6, max_rows = 5 }', "sections[1].repeat.min_rows",
     "min_rows 6 is more than max_rows 5"),
    ('{ group = "risk" }', "sections[1].repeat.group",
     "'risk' is not a group id: capital letters, digits and '_', starting with a letter (e.g. RISK)"),
    ('{ group = "RISK", row_title = "NOPE" }', "sections[1].repeat.row_title",
     "'NOPE' is not an answered field of this section (L)"),
    ('{ group = "RISK", rows = 3 }', "sections[1].repeat.rows",
     "unknown key 'rows' (did you mean 'min_rows'?)"),
])
def test_bad_repeat(tmp_path: Path, repeat: str, path: str, message: str) -> None:
    assert problems(tmp_path, BASE + risk_section(repeat, field("L"))) == \
        [("risk-test.toml", path, message)]


def test_field_ids_unique_within_group_only(tmp_path: Path) -> None:
    t = load(tmp_path, BASE + risk_section('{ group = "RISK" }', field("C1")))
    assert t.question("RISK[1].C1") is not None and t.question("C1") is not None
    assert problems(tmp_path, BASE + risk_section('{ group = "RISK" }', field("L") + field("L"))) \
        == [("risk-test.toml", "sections[1].questions[1].id",
             "duplicate question id 'L' (also sections[1].questions[0])")]
