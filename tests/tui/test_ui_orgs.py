"""The organisation register through the CLI (``orgs load``) and the New screen's suggestions."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from qa_tui.config import Paths
from qa_tui.services.orgs import register_path
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.new import NewAssessmentScreen

from tests.conftest import CliResult
from tests.test_ui_support import fixed_services, pilot_test

REGISTER = "Organisation code,Name,Parent organisation code\nRAA,Alpha Care Homes Limited,QHM\n" \
    "RBB,Beta House,QHM\n"


def _load(cli, tmp_path: Path, text: str) -> CliResult:  # type: ignore[no-untyped-def]
    source = tmp_path / "register.csv"
    source.write_text(text, encoding="utf-8")
    result: CliResult = cli("orgs", "load", str(source))
    return result


def test_orgs_load_keeps_the_register_and_refuses_a_bad_one(cli, paths: Paths,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    r = _load(cli, tmp_path, REGISTER)
    assert r.code == 0, r.err
    assert r.out.strip() == f"2 organisations loaded into {register_path(paths)}"
    kept = register_path(paths).read_text(encoding="utf-8")
    bad = _load(cli, tmp_path, "Organisation code,Name\nRAA,\n")
    assert bad.code == 1 and "line 2: organisation RAA has no name" in bad.err
    assert register_path(paths).read_text(encoding="utf-8") == kept  # unchanged


@pilot_test
async def test_new_screen_offers_register_names_and_codes(paths: Paths, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    source = tmp_path / "register.csv"
    source.write_text(REGISTER, encoding="utf-8")
    assert run_cli("orgs", "load", str(source),
                   env={"QA_TUI_HOME": str(paths.data_dir.parent)}).code == 0
    services = fixed_services(paths)
    try:
        app = build_app(services=services)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n")
            assert isinstance(app.screen, NewAssessmentScreen)
            await pilot.press("enter")  # the template: on to the organisation
            org = app.screen.query_one("#field-org", Input)
            assert app.focused is org
            await pilot.press("a", "l", "p", "right")
            assert org.value == "Alpha Care Homes Limited"
            await pilot.press("enter", "r", "b", "right")
            assert app.screen.query_one("#field-code", Input).value == "RBB"
    finally:
        services.close()


@pilot_test
async def test_without_a_register_nothing_is_suggested(paths: Paths) -> None:
    services = fixed_services(paths)
    try:
        app = build_app(services=services)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n", "enter", "a", "l", "p", "right")
            assert app.screen.query_one("#field-org", Input).value == "alp"
    finally:
        services.close()
