"""The provider report below the services: bank holidays, the [report] table, classification."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from qa_tui.errors import TemplateInvalid
from qa_tui.report import add_working_days, bank_holidays, classify, is_working_day
from qa_tui.report.holidays import easter_sunday
from qa_tui.templates import compile_template

D = dt.date

# gov.uk's published England and Wales bank holidays.
PUBLISHED = {
    2020: [D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
           D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)],
    2021: [D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31),
           D(2021, 8, 30), D(2021, 12, 27), D(2021, 12, 28)],
    2022: [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
           D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)],
    2023: [D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
           D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)],
    2024: [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
           D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
           D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
           D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
           D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)],
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_match_the_published_lists(year: int) -> None:
    assert sorted(bank_holidays(year)) == PUBLISHED[year]


@pytest.mark.parametrize(("year", "easter"), [(2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)),
                                              (2038, D(2038, 4, 25)), (2285, D(2285, 3, 22))])
def test_easter(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


def test_new_year_on_a_saturday_moves_to_monday_the_third() -> None:
    assert D(2028, 1, 3) in bank_holidays(2028) and D(2028, 1, 1) not in bank_holidays(2028)


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    # Thursday before Easter 2026: Good Friday and Easter Monday do not count.
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    # A Friday visit, 10 working days: two weekends later.
    assert add_working_days(D(2025, 6, 20), 10) == D(2025, 7, 4)
    # Over Christmas 2026 (Christmas Friday, Boxing Day substitute Monday 28).
    assert add_working_days(D(2026, 12, 23), 2) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 23), 0) == D(2026, 12, 23)
    assert not is_working_day(D(2023, 5, 8)) and is_working_day(D(2023, 5, 9))


HEAD = """
id = "rep"
version = "1.0"
title = "Report test"
kind = "visit"
description = "Inline template for the report tests."
source = "Test suite (2026)"

[scales.ypn]
options = [
  { value = 2, label = "Yes" },
  { value = 1, label = "Partly" },
  { value = 0, label = "No", concern = true },
]

[scales.cqc]
options = [
  { value = 4, label = "Outstanding" }, { value = 3, label = "Good" },
  { value = 2, label = "Requires improvement" }, { value = 1, label = "Inadequate" },
]

[scoring]
method = "percent_bands"
bands = [
  { low = 0, high = 49, rating = "Inadequate" },
  { low = 50, high = 79, rating = "Requires improvement" },
  { low = 80, high = 94, rating = "Good" },
  { low = 95, high = 100, rating = "Outstanding" },
]

[[sections]]
id = "s1"
title = "Section one"
questions = [
  { id = "Q1", text = "Asked?", scale = "ypn", critical = true },
  { id = "Q2", text = "Rated?", scale = "cqc" },
  { id = "Q3", text = "What did patients say?", type = "text", required = false },
]
"""


def compiled(extra: str = "") -> object:
    return compile_template(tomllib.loads(HEAD + extra), file="rep.toml")


def problems(extra: str) -> list[tuple[str, str]]:
    with pytest.raises(TemplateInvalid) as info:
        compiled(extra)
    return [(p.path, p.message) for p in info.value.problems]


def test_report_table_defaults_when_absent() -> None:
    spec = compiled().report  # type: ignore[attr-defined]
    assert spec.working_days == 10 and spec.people_voice == () and not spec.assurance


def test_report_table_is_compiled() -> None:
    spec = compiled("""
[report]
working_days = 15
people_voice = ["Q3"]
escalation_records = ["Q3", "Q3"]
assurance_title = "Level of assurance"
assurance = { Good = "Reasonable assurance", Inadequate = "No assurance" }
scales.ypn = { strengths = [2], improvements = [1, 0] }
""").report  # type: ignore[attr-defined]
    assert spec.working_days == 15 and spec.people_voice == ("Q3",)
    assert spec.escalation_records == ("Q3",)
    assert spec.assurance["Good"] == "Reasonable assurance"
    assert spec.scales["ypn"].improvements == (1, 0)


def test_report_table_problems_are_located() -> None:
    found = problems("""
[report]
working_days = 0
people_voice = ["Q11"]
assurance = { Great = "Lots" }
scales.ypm = { strengths = [2] }
scales.cqc = { strengths = [4, 9], improvements = [4], extra = [] }
colour = "blue"
""")
    assert ("report.working_days", "must be a whole number of days from 1 to 60, not 0") in found
    assert ("report.people_voice[0]", "no question 'Q11' (did you mean 'Q1'?)") in found
    assert any(p == "report.assurance.Great" and "not a rating" in m for p, m in found)
    assert ("report.scales.ypm", "unknown scale 'ypm' (did you mean 'ypn'?)") in found
    assert ("report.scales.cqc.strengths[1]", "9 is not a value of scale cqc") in found
    assert ("report.scales.cqc", "4 cannot be both a strength and an improvement") in found
    assert any(p == "report.scales.cqc.extra" and "unknown key" in m for p, m in found)
    assert any(p == "report.colour" and "unknown key" in m for p, m in found)


def test_default_classification() -> None:
    t = compiled()
    q1, q2, q3 = (t.question(x) for x in ("Q1", "Q2", "Q3"))  # type: ignore[attr-defined]
    spec = t.report  # type: ignore[attr-defined]
    assert [classify(q1, v, spec) for v in (2, 1, 0)] == ["strength", "improvement", "improvement"]
    assert [classify(q2, v, spec) for v in (4, 3, 2, 1)] == [
        "strength", None, "improvement", "improvement"]
    assert classify(q3, "free text", spec) is None
    assert classify(q1, None, spec) is None


def test_template_classification_replaces_the_default() -> None:
    t = compiled('[report]\nscales.cqc = { strengths = [4, 3], improvements = [1] }\n')
    q2 = t.question("Q2")  # type: ignore[attr-defined]
    spec = t.report  # type: ignore[attr-defined]
    assert [classify(q2, v, spec) for v in (4, 3, 2, 1)] == [
        "strength", "strength", None, "improvement"]
