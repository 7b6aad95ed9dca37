"""Remake docs/screenshot.svg: the Assess screen at 100x30 on a qa-visit with a few answers, a
note and an action, as README's Keys section shows it. Run from the repository root:

    .venv/bin/python docs/screenshot.py

Uses a throwaway home folder and the tests' fixed clock, so the picture is the same each time.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def shoot(home: Path) -> str:
    os.environ["QA_TUI_HOME"] = str(home)
    from qa_tui.config import resolve_paths
    from qa_tui.ui.app import build_app
    from qa_tui.ui.screens.assess import AssessScreen
    from tests.test_ui_support import fixed_services, until

    services = fixed_services(resolve_paths(), bundled=True)
    svc = services.assessments
    aid = svc.start("qa-visit", org_name="Riverside Community Hospital", org_code="ZRV",
                    site="Ward 7", assessors=["Quality lead", "Lay member"],
                    visit_date="2026-03-02").id
    for qid, raw in (("V1.1", "y"), ("V1.2", "y"), ("V1.3", "p")):
        svc.answer(aid, qid, raw)
    svc.set_note(aid, "V1.3", "Two of five staff asked could name the escalation route.")
    svc.add_action(aid, "Brief night staff on the escalation route", owner="Ward manager",
                   due="2026-04-01", question_id="V1.3")
    app = build_app(services=services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_assessment(aid, "V1.3")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen)
                    and app.screen.question_id == "V1.3", "Assess on V1.3")
        await pilot.pause()
        svg = app.export_screenshot(title="qa-tui: Assess")
    services.close()
    return svg


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        svg = asyncio.run(shoot(Path(home)))
    (ROOT / "docs" / "screenshot.svg").write_text(svg, encoding="utf-8")
    print("wrote docs/screenshot.svg")


if __name__ == "__main__":
    main()
