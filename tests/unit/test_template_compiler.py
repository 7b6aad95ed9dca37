"""The template compiler: broken files written inline, each with its exact located problems.

Every test asserts (file, dotted path, message) so a change of wording or location is a
deliberate, reviewed change: template authors read these messages.
"""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest

from qa_tui.errors import ProblemCode, TemplateInvalid
from qa_tui.templates import (
    canonical_json,
    compile_template,
    load_template_file,
    read_template_document,
    template_hash,
)

HEAD = """
id = "broken"
version = "1.0"
title = "Broken"
kind = "visit"
description = "A template used by the compiler tests."
source = "Test suite (2024)"

[scales.ypn]
options = [
  { value = 2, label = "Yes" },
  { value = 1, label = "Partly" },
  { value = 0, label = "No", concern = true },
]
"""

ONE_SECTION = """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ypn"
"""


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class Found(list[tuple[str, str, str]]):
    """The (file, path, message) of each problem, and ``codes``: each one's :class:`ProblemCode`."""

    codes: list[ProblemCode]


def problems(tmp_path: Path, text: str, name: str = "t.toml") -> Found:
    path = write(tmp_path, text, name)
    with pytest.raises(TemplateInvalid) as caught:
        load_template_file(path)
    found = Found((p.file, p.path, p.message) for p in caught.value.problems)
    found.codes = list(caught.value.codes)
    return found


def test_the_base_used_here_is_valid(tmp_path: Path) -> None:
    template = load_template_file(write(tmp_path, HEAD + ONE_SECTION))
    assert [q.id for q in template.questions] == ["Q1"]


def test_duplicate_question_ids_across_sections(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + ONE_SECTION + """
[[sections]]
id = "s2"
title = "Two"

[[sections.questions]]
id = "Q1"
text = "Again?"
scale = "ypn"
""")
    f = str(tmp_path / "t.toml")
    assert found == [(f, "sections[1].questions[0].id",
                      "duplicate question id 'Q1' (also sections[0].questions[0])")]
    assert found.codes == [ProblemCode.DUPLICATE]


def test_duplicate_section_ids(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + ONE_SECTION + """
[[sections]]
id = "s1"
title = "Two"

[[sections.questions]]
id = "Q2"
text = "Second?"
scale = "ypn"
""")
    assert found == [(str(tmp_path / "t.toml"), "sections[1].id",
                      "duplicate section id 's1' (also sections[0])")]
    assert found.codes == [ProblemCode.DUPLICATE]


def test_unknown_scale_says_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ynp"
""")
    assert found == [(str(tmp_path / "t.toml"), "sections[0].questions[0].scale",
                      "unknown scale 'ynp' (did you mean 'ypn'?)")]
    assert found.codes == [ProblemCode.UNKNOWN_SCALE]


def test_unknown_scale_with_no_near_name_lists_the_scales(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "maturity"
""")
    assert found == [(str(tmp_path / "t.toml"), "sections[0].questions[0].scale",
                      "unknown scale 'maturity' (scales: ypn)")]
    assert found.codes == [ProblemCode.UNKNOWN_SCALE]


def test_show_if_forward_reference_and_reference_to_nowhere(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ypn"
show_if = { question = "Q2", equals = 2 }

[[sections.questions]]
id = "Q2"
text = "Second?"
scale = "ypn"

[[sections.questions]]
id = "Q3"
text = "Third?"
scale = "ypn"
show_if = { question = "Zed", equals = 2 }

[[sections.questions]]
id = "Q4"
text = "Fourth?"
scale = "ypn"
show_if = { question = "Q2", equals = "maybe" }
""")
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "sections[0].questions[0].show_if.question", "'Q2' comes later; show_if may only look back"),
        (f, "sections[0].questions[2].show_if.question", "no question 'Zed'"),
        (f, "sections[0].questions[3].show_if.equals",
         "'maybe' is not an answer of Q2 (values: 2, 1, 0)"),
    ]
    assert found.codes == [ProblemCode.FORWARD_REFERENCE, ProblemCode.UNKNOWN_QUESTION, ProblemCode.INVALID]


def test_show_if_needs_exactly_one_operator_and_a_typo_gets_a_hint(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q10"
text = "First?"
scale = "ypn"

[[sections.questions]]
id = "Q11"
text = "Second?"
scale = "ypn"
show_if = { question = "Q10", equals = 2, in = [1] }

[[sections.questions]]
id = "Q12"
text = "Third?"
scale = "ypn"
show_if = { question = "Q100", equals = 2 }
""")
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "sections[0].questions[1].show_if", "needs exactly one of equals, in, not_equals, not_in"),
        (f, "sections[0].questions[2].show_if.question", "no question 'Q100' (did you mean 'Q10'?)"),
    ]
    assert found.codes == [ProblemCode.INVALID, ProblemCode.UNKNOWN_QUESTION]


BANDS = """
[scoring]
method = "percent_bands"
bands = [
{rows}
]
"""


@pytest.mark.parametrize(("rows", "message"), [
    ('{ low = 0, high = 50, rating = "Low" }, { low = 50, high = 100, rating = "High" }',
     "bands overlap: Low 0-50 and High 50-100"),
    ('{ low = 0, high = 50, rating = "Low" }, { low = 60, high = 100, rating = "High" }',
     "bands leave a gap: nothing covers 51-59"),
    ('{ low = 0, high = 50, rating = "Low" }, { low = 51, high = 90, rating = "High" }',
     "the top band must end at 100, not 90"),
    ('{ low = 10, high = 50, rating = "Low" }, { low = 51, high = 100, rating = "High" }',
     "the lowest band starts at 10 but a score can be as low as 0%"),
    ('{ low = 51, high = 100, rating = "High" }, { low = 0, high = 50, rating = "Low" }',
     "bands must be listed from the lowest to the highest"),
])
def test_bad_bands(tmp_path: Path, rows: str, message: str) -> None:
    found = problems(tmp_path, HEAD + BANDS.format(rows=rows) + ONE_SECTION)
    assert found == [(str(tmp_path / "t.toml"), "scoring.bands", message)]
    assert found.codes == [ProblemCode.BAD_BAND]


def test_band_values_must_be_whole_percents(tmp_path: Path) -> None:
    rows = '{ low = 0, high = 50.5, rating = "Low" }, { low = 51, high = 101, rating = "High" }'
    found = problems(tmp_path, HEAD + BANDS.format(rows=rows) + ONE_SECTION)
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "scoring.bands[0].high", "must be a whole percent from 0 to 100, not 50.5"),
        (f, "scoring.bands[1].high", "must be a whole percent from 0 to 100, not 101"),
    ]
    assert found.codes == [ProblemCode.INVALID, ProblemCode.INVALID]


def test_percent_bands_without_a_band_table(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + '[scoring]\nmethod = "percent_bands"\n' + ONE_SECTION)
    assert found == [(str(tmp_path / "t.toml"), "scoring.bands",
                      "percent_bands needs a band table")]
    assert found.codes == [ProblemCode.MISSING]


def test_empty_section(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"
questions = []
""")
    assert found == [(str(tmp_path / "t.toml"), "sections[0].questions",
                      "an empty section: add at least one question")]
    assert found.codes == [ProblemCode.EMPTY]


def test_unknown_key_typos_get_a_hint(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD.replace('source =', 'sauce = "x"\nsource =') + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ypn"
guidence = "Look for the thing."
""")
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "sauce", "unknown key 'sauce' (did you mean 'source'?)"),
        (f, "sections[0].questions[0].guidence", "unknown key 'guidence' (did you mean 'guidance'?)"),
    ]
    assert found.codes == [ProblemCode.UNKNOWN_KEY, ProblemCode.UNKNOWN_KEY]


def test_wrong_types(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD.replace('title = "Broken"', "title = 3") + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ypn"
required = "yes"
weight = -1
critical = 1

[[sections.questions]]
id = "Q2"
type = "text"
text = "Notes"
min = 3
""")
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "sections[0].questions[0].weight", "must be a number of 0 or more, not -1"),
        (f, "sections[0].questions[0].critical", "must be true or false, not a number"),
        (f, "sections[0].questions[0].required", "must be true or false, not text"),
        (f, "sections[0].questions[1].min", "applies to number questions only, as a number"),
        (f, "title", "must be text, not a number"),
    ]
    assert found.codes == [
        ProblemCode.INVALID, ProblemCode.TYPE, ProblemCode.TYPE, ProblemCode.INVALID,
        ProblemCode.TYPE]


def test_question_without_type_or_scale_and_an_unknown_type(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"

[[sections.questions]]
id = "Q2"
type = "rating"
text = "Second?"
""")
    f = str(tmp_path / "t.toml")
    kinds = "scale, choice, multi, yes_no, text, number, date, computed"
    assert found == [
        (f, "sections[0].questions[0].type", f"is required ({kinds}), or give a scale"),
        (f, "sections[0].questions[1].type", f"'rating' is not a question type ({kinds})"),
    ]
    assert found.codes == [ProblemCode.MISSING, ProblemCode.BAD_CHOICE]


def test_option_keys_reserved_and_digit_keys_must_match_values(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[scales.score]
options = [
  { value = 1, label = "Low", key = "2" },
  { value = 2, label = "High", key = "1" },
]

[scales.letters]
options = [
  { value = "a", label = "Alpha", key = "j" },
  { value = "b", label = "Beta", key = "bb" },
  { value = "c", label = "beta" },
]
""" + ONE_SECTION)
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "scales.score.options[0].key",
         "key '2' differs from the option's value 1; on a scale of numbers a digit means that "
         "value (use a letter)"),
        (f, "scales.score.options[1].key",
         "key '1' differs from the option's value 2; on a scale of numbers a digit means that "
         "value (use a letter)"),
        (f, "scales.letters.options[0].key",
         "'j' is reserved for moving around an assessment (j k e a r u x q 0)"),
        (f, "scales.letters.options[1].key", "'bb' must be one character, 1-9 or a-z"),
        (f, "scales.letters.options[2].label", "duplicate label beta (also at scales.letters.options[1])"),
    ]
    assert found.codes == [
        ProblemCode.INVALID, ProblemCode.INVALID, ProblemCode.INVALID, ProblemCode.INVALID,
        ProblemCode.DUPLICATE]


def test_critical_needs_concern_answers_and_notes_need_real_values(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[scales.plain]
note_required_for = [3]
options = ["Yes", "No"]

[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "plain"
critical = true
""")
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "scales.plain.note_required_for[0]", "3 is not a value of this scale"),
        (f, "sections[0].questions[0].critical",
         "a critical question needs answers marked concern = true to flag escalation"),
    ]
    assert found.codes == [ProblemCode.INVALID, ProblemCode.INVALID]


def test_cqc_aggregate_needs_four_ratings_and_limiter_caps_must_be_ratings(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[scoring]
method = "cqc_aggregate"
limiters = [{ values = [0], cap = "Poor" }]
""" + ONE_SECTION)
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "scoring.method", "cqc_aggregate needs exactly four ratings from worst to best "
                              "(Inadequate .. Outstanding); found 3"),
        (f, "scoring.limiters[0].cap", "'Poor' is not one of the ratings (No, Partly, Yes)"),
    ]
    assert found.codes == [ProblemCode.INVALID, ProblemCode.INVALID]


def test_scoring_needs_scored_questions(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[scoring]
method = "mean"

[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
type = "text"
text = "Anything?"
""")
    assert found == [(str(tmp_path / "t.toml"), "scoring.method",
                      'mean needs scored questions (scale questions with numeric values and a '
                      'weight above 0); use method = "none"')]
    assert found.codes == [ProblemCode.INVALID]


def test_invalid_toml_is_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('id = "x"\nversion = "1.0"\ntitle = = "t"\n', encoding="utf-8")
    with pytest.raises(TemplateInvalid) as caught:
        load_template_file(path)
    assert [(p.file, p.path, p.message) for p in caught.value.problems] == [
        (str(path), "line 3, column 9", "not valid TOML: Invalid value")]
    assert caught.value.codes == (ProblemCode.NOT_TOML,)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Qualité"\n'.encode("latin-1"))
    with pytest.raises(TemplateInvalid) as caught:
        load_template_file(path)
    assert [(p.file, p.path, p.message) for p in caught.value.problems] == [
        (str(path), "", "is not UTF-8 text (byte 15)")]
    assert caught.value.codes == (ProblemCode.NOT_TOML,)


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(TemplateInvalid) as caught:
        load_template_file(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.path) == (str(path), "")
    assert problem.message.startswith("cannot be read")
    assert problem.code is ProblemCode.UNREADABLE


def test_toml_dates_are_refused_where_they_appear(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ypn"
guidance = 2024-04-01
""")
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "sections[0].questions[0].guidance", "date values are not allowed (write dates as text)"),
        (f, "sections[0].questions[0].guidance", "must be text, not date"),
    ]
    assert found.codes == [ProblemCode.TYPE, ProblemCode.TYPE]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = """
id = "Not An Id"
version = "1.0"
title = "Many problems"
kind = "inspection"
description = "d"
source = "s"

[scales.ypn]
options = [
  { value = 2, label = "Yes" },
  { value = 0, label = "No" },
]

[scoring]
method = "percent_bands"
bands = [
  { low = 0, high = 60, rating = "Low" },
  { low = 50, high = 100, rating = "High" },
]

[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "Q1"
text = "First?"
scale = "ypn"
show_if = { question = "Q3", equals = 2 }

[[sections.questions]]
id = "Q1"
text = "Again?"
scale = "yes-no"

[[sections]]
id = "s2"
title = "Two"
questions = []

[[sections]]
id = "s3"
title = "Three"

[[sections.questions]]
id = "Q3"
text = "Third?"
scale = "ypn"
"""
    found = problems(tmp_path, text)
    f = str(tmp_path / "t.toml")
    assert found == [
        (f, "id", "'Not An Id' is not a template id: use lower-case words joined by '-' "
                  "(e.g. cqc-saf-well-led)"),
        (f, "kind", "'inspection' is not a kind (visit, self-assessment)"),
        (f, "sections[0].questions[0].show_if.question",
         "'Q3' comes later; show_if may only look back"),
        (f, "sections[0].questions[1].scale", "unknown scale 'yes-no' (scales: ypn)"),
        (f, "sections[0].questions[1].id", "duplicate question id 'Q1' (also sections[0].questions[0])"),
        (f, "sections[1].questions", "an empty section: add at least one question"),
        (f, "scoring.bands", "bands overlap: Low 0-60 and High 50-100"),
    ]
    with pytest.raises(TemplateInvalid) as caught:
        load_template_file(tmp_path / "t.toml")
    assert str(caught.value) == (f"{f}: id: 'Not An Id' is not a template id: use lower-case words "
                                 "joined by '-' (e.g. cqc-saf-well-led) (and 6 more problems)")
    assert found.codes == [
        ProblemCode.BAD_ID, ProblemCode.BAD_CHOICE, ProblemCode.FORWARD_REFERENCE,
        ProblemCode.UNKNOWN_SCALE, ProblemCode.DUPLICATE, ProblemCode.EMPTY, ProblemCode.BAD_BAND]


def test_compiling_a_document_that_is_not_a_table() -> None:
    with pytest.raises(TemplateInvalid) as caught:
        compile_template(["not", "a", "table"], file="x.json")  # type: ignore[arg-type]
    assert [(p.file, p.path, p.message) for p in caught.value.problems] == [
        ("x.json", "", "a template must be a table of keys")]
    assert caught.value.codes == (ProblemCode.NOT_A_TEMPLATE,)


# --- canonical JSON and the hash --------------------------------------------------------------

def test_canonical_json_is_independent_of_key_order(tmp_path: Path) -> None:
    document = tomllib.loads(HEAD + ONE_SECTION)
    reordered = dict(reversed(list(document.items())))
    reordered["scales"] = {"ypn": dict(reversed(list(document["scales"]["ypn"].items())))}
    assert list(reordered) != list(document)
    assert canonical_json(reordered) == canonical_json(document)
    assert template_hash(reordered) == template_hash(document)
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'


def test_the_hash_is_of_what_the_author_wrote(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + ONE_SECTION)
    template = load_template_file(path)
    document = read_template_document(path)
    assert template_hash(dict(template.data)) == template_hash(document)
    # a comment or blank line is not content: same hash
    write(tmp_path, "# a comment\n\n" + HEAD + ONE_SECTION, "commented.toml")
    assert template_hash(read_template_document(tmp_path / "commented.toml")) == template_hash(document)
    # one changed word of question text is a different template
    write(tmp_path, HEAD + ONE_SECTION.replace("First?", "First!"), "changed.toml")
    assert template_hash(read_template_document(tmp_path / "changed.toml")) != template_hash(document)
    # and a defaulted key written out explicitly is a different document too
    write(tmp_path, HEAD + ONE_SECTION + "required = true\n", "explicit.toml")
    assert template_hash(read_template_document(tmp_path / "explicit.toml")) != template_hash(document)


def test_a_snapshot_round_trips_through_json(tmp_path: Path) -> None:
    import json

    path = write(tmp_path, HEAD + ONE_SECTION)
    template = load_template_file(path)
    snapshot = canonical_json(dict(template.data))
    again = compile_template(json.loads(snapshot), file="snapshot")
    assert again.questions == template.questions
    assert again.scoring == template.scoring
    assert canonical_json(dict(again.data)) == snapshot


def test_exclusive_applies_to_multi_options_and_must_be_true_or_false(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + """
[[sections]]
id = "s1"
title = "One"

[[sections.questions]]
id = "C1"
type = "choice"
text = "Pick one"
options = ["A", { value = "none", label = "None", exclusive = true }]

[[sections.questions]]
id = "M1"
type = "multi"
text = "Pick any"
options = ["A", { value = "none", label = "None", exclusive = "yes" }]
""")
    f = str(tmp_path / "t.toml")
    assert (f, "sections[0].questions[0].options[1].exclusive",
            'applies to multiple-choice (type = "multi") options only') in found
    assert any(p == "sections[0].questions[1].options[1].exclusive" for _, p, _ in found)
    assert found.codes == [ProblemCode.INVALID, ProblemCode.TYPE]


def test_letter_keys_on_a_scale_of_numbers_that_is_not_1_to_9(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + """
[scales.met]
options = [
  { value = 2, label = "Met" },
  { value = 1, label = "Partly met" },
  { value = 0, label = "Not met" },
]
""" + ONE_SECTION.replace('scale = "s"', 'scale = "met"'))
    template = load_template_file(path)
    assert [o.key for o in template.scales["met"].options] == ["m", "p", "n"]


def test_a_snapshot_from_before_the_key_rule_still_compiles() -> None:
    """An assessment started under the earlier rule (digit keys by position on a 2/1/0 scale)
    keeps opening: its snapshot gets the rule's letter keys instead of a refusal."""
    from qa_tui.errors import TemplateInvalid
    from qa_tui.templates import compile_template

    doc = {"id": "old", "version": "1", "title": "t", "kind": "visit", "description": "d",
           "source": "s", "scales": {"ypn": {"options": [
               {"value": 2, "label": "Yes", "key": "1"}, {"value": 1, "label": "Partly", "key": "2"},
               {"value": 0, "label": "No", "key": "3"}]}},
           "sections": [{"id": "s", "title": "S", "questions": [
               {"id": "Q", "text": "?", "scale": "ypn"}]}]}
    with pytest.raises(TemplateInvalid):
        compile_template(doc)
    template = compile_template(doc, snapshot=True)
    assert [o.key for o in template.scales["ypn"].options] == ["y", "p", "n"]
