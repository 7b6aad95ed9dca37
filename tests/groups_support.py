"""A small template with a repeating risk register and a computed count, for the groups tests."""

from __future__ import annotations

from pathlib import Path

RISK_TEMPLATE = """
id = "risk-test"
version = "1.0"
title = "Risk register test"
kind = "visit"
description = "A template with a repeating risk register and computed fields."
source = "Test suite (2026)"

[scales.five]
title = "One to five"
options = [
  { value = 1, label = "Rare" },
  { value = 2, label = "Unlikely" },
  { value = 3, label = "Possible" },
  { value = 4, label = "Likely" },
  { value = 5, label = "Almost certain" },
]

[scales.ypn]
options = [
  { value = 2, label = "Yes", key = "y" },
  { value = 1, label = "Partly", key = "p" },
  { value = 0, label = "No", key = "n", concern = true },
]

[[sections]]
id = "checks"
title = "Checks"

[[sections.questions]]
id = "C1"
text = "Is the policy current?"
scale = "ypn"

[[sections.questions]]
id = "C2"
text = "Is the policy followed?"
scale = "ypn"
required = false

[[sections.questions]]
id = "NOS"
text = "Checks answered No"
type = "computed"
compute = { op = "count", of = ["C1", "C2"], value = 0 }

[[sections]]
id = "risks"
title = "Risk register"
description = "One row per risk."
repeat = { group = "RISK", min_rows = 1, max_rows = 5, row_title = "DESC" }

[[sections.questions]]
id = "DESC"
text = "Describe the risk"
type = "text"
required = true

[[sections.questions]]
id = "LIKELIHOOD"
text = "Likelihood"
scale = "five"

[[sections.questions]]
id = "CONSEQUENCE"
text = "Consequence"
scale = "five"

[[sections.questions]]
id = "SCORE"
text = "Risk score (likelihood x consequence)"
type = "computed"
compute = { op = "product", of = ["LIKELIHOOD", "CONSEQUENCE"] }
bands = [
  { low = 1, high = 3, label = "Low" },
  { low = 4, high = 6, label = "Moderate" },
  { low = 8, high = 12, label = "High" },
  { low = 15, high = 25, label = "Extreme" },
]

[[sections.questions]]
id = "OWNER"
text = "Who owns the risk?"
type = "text"

[scoring]
method = "percent_bands"
bands = [
  { low = 0, high = 49, rating = "Inadequate" },
  { low = 50, high = 100, rating = "Good" },
]
"""


WIDE_RISK_TEMPLATE = RISK_TEMPLATE.replace("\n[scoring]", "".join(
    f'\n[[sections.questions]]\nid = "X{i}"\ntext = "Extra {i}."\ntype = "text"\n'
    "required = false\n" for i in range(6)) + "\n[scoring]")
"""``risk-test`` with six more free-text fields: too many to stand side by side on A4."""


def write_template(directory: Path, text: str = RISK_TEMPLATE) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "risk-test.toml"
    path.write_text(text, encoding="utf-8")
    return path


def risk_services(paths, text: str = RISK_TEMPLATE):  # type: ignore[no-untyped-def]
    """Services on a fixed clock whose library holds ``risk-test`` (plus the bundled ones)."""
    from qa_tui.services import build_services
    from tests.conftest import FixedClock
    write_template(paths.templates_dir, text)
    return build_services(paths, actor="tester", clock=FixedClock())


RISKS = (
    ("Staffing gaps on nights: two registered nurse vacancies covered by agency staff who do "
     "not know the ward's escalation routes", "3", "4", "Ward manager"),
    ("Roof leaks over bay 4 during heavy rain; buckets on the floor are a falls hazard", "5", "5",
     "Head of estates and facilities management"),
    ("Resuscitation trolley checks missed on two days in the last month", "1", "2", "Matron"),
    ("Discharge letters sent late to GPs", "2", "3", "Discharge coordinator"),
)


def walked_risk_visit(services, *, complete: bool = True) -> str:  # type: ignore[no-untyped-def]
    """A ``risk-test`` visit (template written by :func:`risk_services`) with four risks, a
    note on a row field, an ordinary computed count, actions and a summary."""
    a = services.assessments
    aid = a.start("risk-test", org_name="Riverside Care", org_code="ZRV", site="Ward 7",
                  assessors=["Ada Assessor"], visit_date="2026-03-26").id
    a.answer(aid, "C1", "n", note="Policy expired in 2024.")
    a.answer(aid, "C2", "y")
    for n, (desc, likelihood, consequence, owner) in enumerate(RISKS, 1):
        a.add_row(aid, "RISK")
        a.answer(aid, f"RISK[{n}].DESC", desc)
        a.answer(aid, f"RISK[{n}].LIKELIHOOD", likelihood)
        a.answer(aid, f"RISK[{n}].CONSEQUENCE", consequence)
        a.answer(aid, f"RISK[{n}].OWNER", owner)
    a.set_note(aid, "RISK[1].LIKELIHOOD", "Rota gaps on 9 of 28 nights")
    a.add_action(aid, "Recruit to the night vacancies", owner="Ward manager", due="2026-05-01",
                 question_id="RISK[1].DESC")
    a.add_action(aid, "Renew the policy", owner="Matron", question_id="C1")
    a.set_summary(aid, "A ward with a clear view of its risks; estates work is overdue.")
    if complete:
        a.complete(aid)
    return aid
