"""Issue 20: listing assessments costs a fixed number of SQL statements, and Home reads the
list off the UI thread so keys keep working while it loads.

Statements are counted with SQLAlchemy's ``before_cursor_execute`` event on the store's engine;
no timing is asserted anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from qa_tui.config import Paths, resolve_paths
from qa_tui.services import Services, build_services
from qa_tui.services.demo import create_demo
from qa_tui.services.changes import state_of
from qa_tui.services.views import summarise
from qa_tui.templates import score
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.home import HomeScreen
from qa_tui.ui.screens.new import NewAssessmentScreen

from tests.conftest import FixedClock
from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths)
    yield services
    services.close()


def _statements_for_list(svc: Services, *, deleted: bool = False) -> list[str]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = svc.store._engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", count)
    try:
        svc.assessments.list(deleted=deleted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def _add(svc: Services, n: int) -> list[str]:
    ids = []
    for i in range(n):
        aid = start_ward_check(svc, org=f"Trust {i}")
        svc.assessments.answer(aid, "S1", value="yes")
        svc.assessments.answer(aid, "S3", value=3)
        ids.append(aid)
    return ids


def test_list_statements_do_not_grow_with_assessments(svc: Services) -> None:
    _add(svc, 2)
    few = _statements_for_list(svc)
    _add(svc, 6)
    many = _statements_for_list(svc)
    assert len(svc.assessments.list()) == 8
    assert len(many) == len(few), (few, many)


def test_list_of_the_bin_statements_do_not_grow(svc: Services) -> None:
    ids = _add(svc, 2)
    svc.assessments.delete(ids[0])
    few = _statements_for_list(svc, deleted=True)
    for aid in ids[1:] + _add(svc, 4):
        svc.assessments.delete(aid)
    many = _statements_for_list(svc, deleted=True)
    assert len(svc.assessments.list(deleted=True)) == 6
    assert len(many) == len(few), (few, many)


def test_list_scores_each_assessment_from_its_own_answers(svc: Services) -> None:
    """Grouping every answer in one query keeps each summary to its own answers."""
    answered = _add(svc, 2)
    empty = start_ward_check(svc, org="Untouched")
    svc.assessments.answer(answered[1], "C1", value=4)
    listed = svc.assessments.list()
    by_id = {s.id: s for s in listed}
    assert by_id[empty].progress_pct == 0
    assert 0 < by_id[answered[0]].progress_pct < by_id[answered[1]].progress_pct
    assert listed == _one_query_per_assessment(svc)


def _one_query_per_assessment(svc: Services, *, deleted: bool = False) -> list[Any]:
    """The summaries the way list() made them before issue 20 (one answers query each)."""
    with svc.store.read() as tx:
        expected = []
        for rec in tx.list_assessments(deleted=deleted):
            template = svc.assessments.template_of(rec)
            answers = {k: state_of(v) for k, v in tx.get_answers(rec.id).items()}
            expected.append(summarise(rec, template, score(template, answers)))
    return expected


def test_list_on_postgresql_matches_and_does_not_grow(pg_store_url: str, tmp_path: Path) -> None:
    """The one answers query (a sub-select) on the central store gives the same summaries."""
    paths = resolve_paths(db=pg_store_url, env={"QA_TUI_HOME": str(tmp_path / "h")})
    services = build_services(paths, actor="tester", clock=FixedClock())
    try:
        created = list(create_demo(services, count=3, seed=3).created)
        few = _statements_for_list(services)
        created += list(create_demo(services, count=6, seed=4).created)
        services.assessments.delete(created[0])
        many = _statements_for_list(services)
        assert len(many) == len(few), (few, many)
        assert services.assessments.list() == _one_query_per_assessment(services)
        assert services.assessments.list(deleted=True) == _one_query_per_assessment(
            services, deleted=True)
        assert len(services.assessments.list()) == len(created) - 1
    finally:
        services.close()


@pilot_test
async def test_home_keys_work_while_the_list_loads(svc: Services,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    start_ward_check(svc, org="Northshire Hospitals")
    release = threading.Event()
    release.set()  # the first list, read as Home first shows, comes at once
    entered = threading.Event()
    real_list = svc.assessments.list

    def slow_list(**kwargs: Any) -> Any:
        entered.set()
        release.wait(60)
        return real_list(**kwargs)

    monkeypatch.setattr(svc.assessments, "list", slow_list)
    app = build_app(services=svc)
    try:
        async with app.run_test(size=SMALL) as pilot:
            await until(pilot, lambda: "Northshire Hospitals" in screen_text(app), "the rows")
            home = app.screen
            assert isinstance(home, HomeScreen)
            release.clear()
            entered.clear()
            start_ward_check(svc, org="Southshire Hospitals")  # the CLI adds one meanwhile
            home.refresh_from_store()  # as when the terminal regains focus: read it again
            await until(pilot, entered.is_set, "the list load to start")
            assert isinstance(home, HomeScreen) and home.list_loading
            # keys are handled while the worker waits: the help opens and closes, n opens New
            await pilot.press("question_mark")
            assert "Home (assessments)" in screen_text(app)
            await pilot.press("escape")
            await pilot.press("n")
            assert isinstance(app.screen, NewAssessmentScreen)
            await pilot.press("escape")
            assert app.screen is home
            await until(pilot, lambda: "loading…" in screen_text(app), "the loading line")
            release.set()
            await until(pilot, lambda: not home.list_loading, "the list")
            await until(pilot, lambda: "Southshire Hospitals" in screen_text(app), "the rows")
            assert "loading…" not in screen_text(app)
    finally:
        release.set()
