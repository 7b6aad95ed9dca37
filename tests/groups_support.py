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


def write_template(directory: Path, text: str = RISK_TEMPLATE) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "risk-test.toml"
    path.write_text(text, encoding="utf-8")
    return path


def risk_services(paths):  # type: ignore[no-untyped-def]
    """Services on a fixed clock whose library holds ``risk-test`` (plus the bundled ones)."""
    from qa_tui.services import build_services
    from tests.conftest import FixedClock
    write_template(paths.templates_dir)
    return build_services(paths, actor="tester", clock=FixedClock())
