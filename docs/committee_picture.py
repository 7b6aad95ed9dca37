"""Remake docs/committee.png: the Committee sheet of 20 fictional organisations, printed by
LibreOffice to PDF and rendered with pdftoppm. Run from the repository root:

    .venv/bin/python docs/committee_picture.py

Uses the crafted returns of the committee tests (a four-question visit template), so the
picture shows the same layout the test proves fits one A4 landscape page.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_committee_support import Visit, export_visits, pdf_pages  # noqa: E402

PLACES = ("Riverside", "Wearside", "Tees Lowlands", "Cheviot", "Solway", "North Pennines",
          "Hadrian", "Derwent Valley", "Coquet", "Eden", "Kielder", "Allendale", "Hexham",
          "Weardale", "Teesdale", "Swaledale", "Lindisfarne", "Bamburgh", "Alnmouth", "Redcar")
KINDS = ("Care Home", "Community Hospital", "Hospice", "Mental Health Unit")
PATTERNS = (("Yes", "Yes", "Yes", "Yes"), ("Yes", "Yes", "Yes", "Partly"),
            ("Yes", "Partly", "Partly", "Partly"), ("No", "Yes", "Yes", "Yes"),
            ("Yes", "Yes", "", ""), ("Yes", "Yes", "Partly", "Yes"))


def visits() -> tuple[Visit, ...]:
    out: list[Visit] = []
    for i, place in enumerate(PLACES):
        org, code = f"{place} {KINDS[i % len(KINDS)]}", f"ZQ{i:03d}"
        out.append(Visit(org, code, f"2025-{10 + i % 3}-{10 + i:02d}", PATTERNS[(i + 1) % 6]))
        out.append(Visit(org, code, f"2026-0{1 + i % 3}-{5 + i:02d}", PATTERNS[i % 6],
                         overdue_high=i % 7 == 2))
    return tuple(out)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        folder = export_visits(scratch, visits())
        out = scratch / "pack.xlsx"
        subprocess.run([sys.executable, "-m", "qa_tui", "consolidate", str(folder), "-o",
                        str(out), "--as-of", dt.date(2026, 5, 20).isoformat(),
                        "--since", "2026-01-01"], check=True,
                       env={"QA_TUI_HOME": str(scratch / "home"), "PATH": "/usr/bin:/bin"})
        pages, _ = pdf_pages(out, "Committee", scratch)
        assert pages == 1
        pdf = scratch / "Committee-only.pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf),
                        str(ROOT / "docs" / "committee")], check=True)
    print(ROOT / "docs" / "committee.png")


if __name__ == "__main__":
    main()
