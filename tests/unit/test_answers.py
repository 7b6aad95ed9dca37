"""parse_answer: what a person types becomes the stored value, or a refusal naming the options."""

from __future__ import annotations

from typing import Any

import pytest

from qa_tui.errors import InvalidInput
from qa_tui.templates import Parsed, Question, answer_label, check_value, compile_template, parse_answer

TEMPLATE = compile_template({
    "id": "answers", "version": "1", "title": "Answers", "kind": "visit", "description": "d",
    "source": "s",
    "scales": {
        # listed best first, so positions differ from values: a digit must still mean the value
        "rating": {"allow_na": True, "options": [
            {"value": 4, "label": "Outstanding"}, {"value": 3, "label": "Good"},
            {"value": 2, "label": "Requires improvement"}, {"value": 1, "label": "Inadequate"}]},
        "ypn": {"options": [
            {"value": 2, "label": "Yes"}, {"value": 1, "label": "Partly"},
            {"value": 0, "label": "No", "concern": True}]},
        "grades": {"options": [
            {"value": "g", "label": "Good", "key": "g"}, {"value": "gr", "label": "Great", "key": "t"},
            {"value": "p", "label": "Poor", "key": "p"}]},
        "regions": {"allow_na": True, "options": ["NA", "EU", "Asia"]},
    },
    "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "R1", "text": "Rating?", "scale": "rating"},
        {"id": "Y1", "text": "Yes, partly or no?", "scale": "ypn"},
        {"id": "G1", "text": "Grade?", "scale": "grades"},
        {"id": "C1", "type": "choice", "text": "Region?", "scale": "regions"},
        {"id": "M1", "type": "multi", "text": "Which apply?",
         "options": ["Far from home", "Long stays", "Agency staff"]},
        {"id": "N1", "type": "number", "text": "Beds?", "min": 1, "max": 1000},
        {"id": "N2", "type": "number", "text": "Any number"},
        {"id": "D1", "type": "date", "text": "Last inspection?"},
        {"id": "T1", "type": "text", "text": "What people told us", "allow_na": True},
        {"id": "B1", "type": "yes_no", "text": "Fallen this month?"},
    ]}],
})


def q(qid: str) -> Question:
    question = TEMPLATE.question(qid)
    assert question is not None
    return question


def refused(qid: str, raw: str, **kwargs: Any) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_answer(q(qid), raw, **kwargs)
    return str(caught.value)


# --- options ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value"), [
    ("1", 1), ("2", 2), ("3", 3), ("4", 4),       # a digit is the value, not the position
    (" 3 ", 3),
    ("Good", 3), ("good", 3), ("GOOD", 3),       # label, any case
    ("Requires improvement", 2), ("requires IMPROVEMENT", 2),
    ("req", 2), ("o", 4), ("inad", 1),            # a prefix only one label has
])
def test_rating_scale(raw: str, value: int) -> None:
    assert parse_answer(q("R1"), raw) == Parsed(value)


def test_a_digit_not_on_a_1_to_9_scale_is_refused() -> None:
    assert refused("R1", "5") == ("R1: '5' is not an answer here; choose one of "
                                  "4=Outstanding, 3=Good, 2=Requires improvement, 1=Inadequate")


@pytest.mark.parametrize(("raw", "value"), [
    ("2", 2), ("1", 1), ("0", 0),                 # a number is the value, as show --json says
    ("yes", 2), ("Y", 2), ("p", 1), ("partly", 1), ("no", 0), ("n", 0),   # letter keys y p n
])
def test_yes_partly_no_scale(raw: str, value: int) -> None:
    assert parse_answer(q("Y1"), raw) == Parsed(value)


def test_yes_partly_no_answers_by_letters_and_a_position_digit_is_refused() -> None:
    assert [o.key for o in q("Y1").scale.options] == ["y", "p", "n"]  # type: ignore[union-attr]
    assert refused("Y1", "3") == ("Y1: '3' is not an answer here; choose one of "
                                  "y=Yes (2), p=Partly (1), n=No (0)")


def test_a_token_that_fits_two_options_is_refused_not_guessed() -> None:
    tpl = compile_template({
        "id": "amb2", "version": "1", "title": "t", "kind": "visit", "description": "d",
        "source": "s", "scales": {"s": {"options": [
            {"value": "a", "label": "Alpha", "key": "b"}, {"value": "b", "label": "Beta"}]}},
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "Q", "text": "?", "scale": "s"}]}],
    })
    question = tpl.question("Q")
    assert question is not None
    with pytest.raises(InvalidInput) as caught:
        parse_answer(question, "b")
    assert "ambiguous" in str(caught.value) and "'Alpha' or 'Beta'" in str(caught.value)
    assert "b=Alpha, 2=Beta" in str(caught.value)


def test_an_exclusive_option_is_refused_alongside_others() -> None:
    tpl = compile_template({
        "id": "ex", "version": "1", "title": "t", "kind": "visit", "description": "d",
        "source": "s", "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "M", "type": "multi", "text": "?", "options": [
                "One", "Two", {"value": "none", "label": "None of these", "exclusive": True}]}]}],
    })
    question = tpl.question("M")
    assert question is not None
    with pytest.raises(InvalidInput, match="'None of these' cannot be combined"):
        parse_answer(question, "1,3")
    with pytest.raises(InvalidInput, match="cannot be combined"):
        check_value(question, ["none", "One"])
    assert parse_answer(question, "3") == Parsed(["none"])


def test_key_value_and_label_matching_on_a_text_scale() -> None:
    assert parse_answer(q("G1"), "t") == Parsed("gr")       # key
    assert parse_answer(q("G1"), "T") == Parsed("gr")
    assert parse_answer(q("G1"), "g") == Parsed("g")        # key (also a value and a prefix)
    assert parse_answer(q("G1"), "GR") == Parsed("gr")      # value as text
    assert parse_answer(q("G1"), "great") == Parsed("gr")   # label
    assert parse_answer(q("G1"), "Poo") == Parsed("p")      # unique prefix


def test_an_ambiguous_prefix_is_refused_with_the_options() -> None:
    # On G1, "g" is a key, so it is never ambiguous there; a longer prefix picks one label.
    assert parse_answer(q("G1"), "Gre") == Parsed("gr")
    # Without keys, "g" starts both Good and Great: refused, naming the options.
    grades = compile_template({
        "id": "amb", "version": "1", "title": "t", "kind": "visit", "description": "d",
        "source": "s", "scales": {"s": {"options": ["Good", "Great", "Poor"]}},
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "Q", "text": "?", "scale": "s"}]}],
    }).question("Q")
    assert grades is not None
    with pytest.raises(InvalidInput) as caught:
        parse_answer(grades, "g")
    assert str(caught.value) == ("Q: 'g' is ambiguous here: it could mean 'Good' or 'Great'; "
                                 "choose one of 1=Good, 2=Great, 3=Poor")


def test_yes_no_questions() -> None:
    assert parse_answer(q("B1"), "yes") == Parsed("yes")
    assert parse_answer(q("B1"), "y") == Parsed("yes")
    assert parse_answer(q("B1"), "n") == Parsed("no")          # yes/no answers by letter
    assert refused("B1", "2") == "B1: '2' is not an answer here; choose one of y=Yes, n=No"
    assert refused("B1", "maybe") == "B1: 'maybe' is not an answer here; choose one of y=Yes, n=No"


# --- N/A --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["n/a", "N/A", "na", "NA ", "not applicable", "Not Applicable"])
def test_na_words_where_allowed(raw: str) -> None:
    assert parse_answer(q("R1"), raw) == Parsed(None, na=True)


def test_na_flag_where_allowed() -> None:
    assert parse_answer(q("R1"), "", na=True) == Parsed(None, na=True)
    assert parse_answer(q("T1"), "anything", na=True) == Parsed(None, na=True)


def test_na_refused_where_not_allowed() -> None:
    assert refused("Y1", "n/a") == "Y1: N/A is not allowed for this question"
    assert refused("Y1", "", na=True) == "Y1: N/A is not allowed for this question"
    assert refused("N1", "na") == "N1: N/A is not allowed for this question"


def test_an_option_called_na_is_the_option_not_na() -> None:
    assert parse_answer(q("C1"), "NA") == Parsed("NA")
    assert parse_answer(q("C1"), "not applicable") == Parsed(None, na=True)


# --- multi ------------------------------------------------------------------------------------

def test_multi_keys_labels_and_order() -> None:
    assert parse_answer(q("M1"), "3, 1") == Parsed(["Far from home", "Agency staff"])
    assert parse_answer(q("M1"), "long, far, 2") == Parsed(["Far from home", "Long stays"])


def test_multi_refusals_name_the_options() -> None:
    assert refused("M1", "1, 7") == ("M1: '7' is not an option; choose from 1=Far from home, "
                                     "2=Long stays, 3=Agency staff (comma-separated)")
    assert refused("M1", " , ") == "M1: pick at least one option"


# --- numbers, dates, text ---------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value"), [
    ("12", 12), ("1,000", 1000), ("2.5", 2.5), (" 7 ", 7), ("1", 1), ("1000", 1000),
])
def test_numbers(raw: str, value: float) -> None:
    parsed = parse_answer(q("N1"), raw)
    assert parsed == Parsed(value)
    assert type(parsed.value) is type(value)


@pytest.mark.parametrize(("raw", "message"), [
    ("0", "N1: 0 is below the minimum 1"),
    ("1001", "N1: 1001 is above the maximum 1000"),
    ("twelve", "N1: 'twelve' is not a number"),
    ("", "N1: '' is not a number"),
])
def test_number_refusals(raw: str, message: str) -> None:
    assert refused("N1", raw) == message


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        parse_answer(q("N2"), raw)


def test_dates() -> None:
    assert parse_answer(q("D1"), "2024-04-01") == Parsed("2024-04-01")
    assert parse_answer(q("D1"), " 2024-04-01 ") == Parsed("2024-04-01")
    for bad in ("01/04/2024", "2024-02-30", "yesterday"):
        with pytest.raises(InvalidInput) as caught:
            parse_answer(q("D1"), bad)
        assert str(caught.value).startswith("D1: answer ")
        assert "YYYY-MM-DD" in str(caught.value)


def test_text_keeps_lines_and_tabs_but_refuses_control_characters() -> None:
    assert parse_answer(q("T1"), "  Staff were kind.\r\nFood was cold.\tTwice. ") == \
        Parsed("Staff were kind.\nFood was cold.\tTwice.")
    assert refused("T1", "bell\x07") == "T1: answer contains control characters (U+0007)"
    assert refused("T1", "esc\x1b[31m") == "T1: answer contains control characters (U+001B)"
    assert refused("T1", "   ") == "T1: an empty answer: clear the question instead"


# --- check_value (imports, JSON) and labels ---------------------------------------------------

def test_check_value_is_strict_about_types() -> None:
    assert check_value(q("R1"), 3) == 3
    with pytest.raises(InvalidInput):
        check_value(q("R1"), "3")          # text "3" is not the number 3
    with pytest.raises(InvalidInput):
        check_value(q("N1"), True)         # a boolean is not a number
    with pytest.raises(InvalidInput):
        check_value(q("R1"), None)
    assert check_value(q("M1"), ["Agency staff", "Far from home", "Agency staff"]) == \
        ["Far from home", "Agency staff"]
    with pytest.raises(InvalidInput):
        check_value(q("M1"), "Far from home")


def test_answer_labels() -> None:
    assert answer_label(q("R1"), 2) == "Requires improvement"
    assert answer_label(q("R1"), None, na=True) == "N/A"
    assert answer_label(q("R1"), None) == ""
    assert answer_label(q("M1"), ["Far from home", "Long stays"]) == "Far from home, Long stays"
    assert answer_label(q("N1"), 12.0) == "12"
    assert answer_label(q("T1"), "text") == "text"


def test_na_typed_as_free_text_is_text_when_na_is_not_allowed() -> None:
    from qa_tui.templates import compile_template, parse_answer

    doc = {"id": "t", "version": "1", "title": "T", "kind": "visit", "description": "d",
           "source": "s", "sections": [{"id": "s", "title": "S", "questions": [
               {"id": "T1", "text": "Who?", "type": "text"}]}]}
    question = compile_template(doc).questions[0]
    assert parse_answer(question, "NA").value == "NA"
