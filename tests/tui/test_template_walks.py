"""Every bundled template walked end to end, as an assessor would: through the CLI (answer every
question, complete, export, verify) and the TUI (open it at 80x24, answer, review)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_tui.domain import QuestionType
from qa_tui.services import Services
from qa_tui.templates import Template, load_template_file
from qa_tui.templates.library import bundled_dir
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.review import ReviewScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text

NEW_TEMPLATES = ["eds-2022", "ftsu-assessment", "ld-autism-oversight"]
BEST = {"eds-2022": "Excelling activity", "ftsu-assessment": "Substantial assurance",
        "ld-autism-oversight": "Substantial assurance"}


def _best_token(template: Template, qid: str) -> list[str]:
    """What to type for the best answer: options by their label, which no rule can misread."""
    q = template.question(qid)
    assert q is not None
    if q.type is QuestionType.NUMBER:
        return ["0"]
    if q.type is QuestionType.DATE:
        return ["2026-03-02"]
    if q.type is QuestionType.TEXT:
        return ["Seen on the day"]
    if q.type is QuestionType.YES_NO:
        return ["yes"]
    assert q.scale is not None
    best = max(q.scale.options, key=lambda o: float(o.value) if q.scale and q.scale.numeric else 0)
    return [best.label]


@pytest.mark.parametrize("template_id", NEW_TEMPLATES)
def test_a_new_template_walked_through_the_cli(cli, tmp_path: Path, template_id: str) -> None:  # type: ignore[no-untyped-def]
    template = load_template_file(bundled_dir() / f"{template_id}.toml")
    started = cli("new", "--template", template_id, "--org", "Northshire Hospitals",
                  "--org-code", "RX1", "--assessor", "A. Assessor", "--date", "2026-03-02")
    assert started.code == 0, started.err
    aid = started.out.strip()
    for q in template.questions:
        result = cli("answer", aid, q.id, *_best_token(template, q.id), "--note", "evidence seen")
        assert result.code == 0, (q.id, result.err)
    shown = json.loads(cli("show", aid, "--json").out)
    assert shown["progress_pct"] == 100
    assert shown["overall"]["rating"] == BEST[template_id]
    assert cli("complete", aid).code == 0
    exported = cli("export", aid, "-o", str(tmp_path))
    assert exported.code == 0, exported.err
    path = Path(exported.out.strip().splitlines()[-1])
    verified = cli("verify", str(path))
    assert verified.code == 0 and "ok" in verified.out


@pytest.mark.parametrize("template_id", NEW_TEMPLATES)
@pilot_test
async def test_a_new_template_opens_and_answers_in_the_app(paths, template_id: str) -> None:  # type: ignore[no-untyped-def]
    svc: Services = fixed_services(paths, bundled=True)
    try:
        template = load_template_file(bundled_dir() / f"{template_id}.toml")
        aid = svc.assessments.start(template_id, org_name="Westfield Care", site="Ward 2").id
        first_scale = next(q for q in template.questions if q.type is QuestionType.SCALE)
        app = build_app(services=svc)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_assessment(aid, first_scale.id)
            await pilot.pause()
            assert isinstance(app.screen, AssessScreen)
            assert app.screen.question_id == first_scale.id
            assert first_scale.id in screen_text(app)
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert f"Westfield Care · {template_id}" in screen_text(app)
    finally:
        svc.close()
