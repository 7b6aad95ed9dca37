"""The app and its screens meet through a typed contract (qa_tui.ui.contract, messages), so
the modules of ``qa_tui.ui`` import each other one way only: no import circle."""

from __future__ import annotations


import grimp
from textual.screen import ModalScreen

from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.contract import ScreenHooks, hooks
from qa_tui.ui.dialogs.help import HelpScreen
from qa_tui.ui.messages import OpenAssessment
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.base import QaScreen
from qa_tui.ui.screens.home import HomeScreen

from tests.test_ui_support import pilot_test, start_ward_check, until

EXPORT = "Export this assessment (Excel return)"
ALL_ACTIONS = "Actions: every action of this assessment"


def _ui_imports() -> dict[str, set[str]]:
    """Every import between modules of qa_tui.ui, lazy and TYPE_CHECKING ones included."""
    graph = grimp.build_graph("qa_tui", cache_dir=None)
    modules = {m for m in graph.modules if m == "qa_tui.ui" or m.startswith("qa_tui.ui.")}
    return {m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules}
            for m in modules}


def _a_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import circle (as a path that ends where it starts), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for imported in sorted(edges[module]):
            if state.get(imported) == 1:
                return path[path.index(imported):] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(edges):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_ui_has_no_import_circle() -> None:
    edges = _ui_imports()
    assert len(edges) > 40  # the whole of qa_tui.ui was read
    assert _a_cycle(edges) == []


def test_the_cycle_finder_finds_one() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _a_cycle(edges) == ["a", "b", "c", "a"]
    assert _a_cycle({"a": {"b"}, "b": set()}) == []


def test_only_the_entry_points_import_the_app() -> None:
    edges = _ui_imports()
    importers = sorted(m for m, imported in edges.items() if "qa_tui.ui.app" in imported)
    assert importers == ["qa_tui.ui.launch"]


def test_a_screen_outside_the_contract_gets_hooks_that_do_nothing() -> None:
    plain = ModalScreen[None]()
    contract = hooks(plain)
    assert contract is not plain and isinstance(contract, ScreenHooks)
    assert contract.go_to_question("a", "Q1") is False
    assert contract.export_target() is None and contract.all_actions_command() is None
    assert contract.question_detail() is None and contract.help_extra() == []
    contract.save_pending_note()
    contract.refresh_from_store()
    contract.show_export("text", True)
    assert issubclass(QaScreen, ScreenHooks)


@pilot_test
async def test_a_screen_asks_the_app_by_message_and_the_palette_reads_its_hooks(
        svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.export_target() == aid
        titles = [c.title for c in app.get_system_commands(home)]
        assert EXPORT in titles and ALL_ACTIONS not in titles
        home.post_message(OpenAssessment(aid, "C1"))  # bubbles to the app, which opens it
        await until(pilot, lambda: isinstance(app.screen, AssessScreen)
                    and app.screen.question_id == "C1", "the assessment, at C1")
        assess = app.screen
        assert isinstance(assess, AssessScreen)
        assert assess.question_detail() is assess.detail is not None
        titles = [c.title for c in app.get_system_commands(assess)]
        assert EXPORT in titles and ALL_ACTIONS in titles
        assert assess.go_to_question("another", "S3") is False and assess.question_id == "C1"
        assert assess.go_to_question(aid, "S3") is True and assess.question_id == "S3"
        help_screen = HelpScreen.for_screen(assess)
        assert help_screen._title == "Keys: Assess"
