"""Another program holds the database's write lock: the app stays responsive (issue 11, item 7).

The save waits in a worker, the status line says "waiting for the database", keys keep
working, changes made meanwhile queue in order, and all are saved once the lock is free.
Opening the app while the lock is held works too (opening takes no write lock).
"""

from __future__ import annotations



from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen

from tests.cli.test_cli_failures import lock_held_elsewhere
from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until


async def assess_at(app, pilot, aid: str, qid: str) -> AssessScreen:  # type: ignore[no-untyped-def]
    app.open_assessment(aid, qid)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AssessScreen)
    return screen


@pilot_test
async def test_saves_wait_off_the_ui_thread_while_another_program_holds_the_lock(
        svc: Services, paths: Paths) -> None:
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", value="yes")
    app = build_app(services=svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await assess_at(app, pilot, aid, "S3")
        with lock_held_elsewhere(paths.db_path):
            await pilot.press("3")  # S3 = Good: cannot be saved yet
            await until(pilot, lambda: screen.waiting_for_database, "the save to wait")
            assert "waiting for the database" in screen_text(app)
            assert "NOT saved" not in screen_text(app)
            await pilot.press("down")  # the keys still work while the save waits
            assert screen.question_id == "C1"
            await pilot.press("4")  # C1 = Excellent: queued behind S3
            assert "2 changes will" in screen_text(app)
            listed = svc.assessments.get(aid)  # reads are not blocked (WAL)
            assert listed.answer("S3").value is None
        await until(pilot, lambda: not screen.waiting_for_database, "the queue to drain")
        stored = svc.assessments.get(aid)
        assert (stored.answer("S3").value, stored.answer("C1").value) == (3, 4)
        assert "✓ saved: C1 = Excellent" in screen_text(app)


@pilot_test
async def test_the_app_opens_and_lists_while_another_program_holds_the_lock(
        svc: Services, paths: Paths) -> None:
    start_ward_check(svc, org="Northshire Hospitals")
    with lock_held_elsewhere(paths.db_path):
        app = build_app(paths=paths)  # opens its own services, in a worker
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.services is not None or app.load_error is not None,
                        "the database to open")
            assert app.load_error is None
            await until(pilot, lambda: "Northshire Hospitals" in screen_text(app), "the list")


@pilot_test
async def test_a_full_database_is_one_plain_sentence_in_the_app(svc: Services) -> None:
    """SQLite's own SQLITE_FULL (``max_page_count`` holds the file at its size): the status
    line names the file and the remedy; the note being saved never appears in an error."""
    from sqlalchemy import event

    aid = start_ward_check(svc)
    engine = svc.store._engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def no_room(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # = the current size

    secret = "Mrs Jane Doe of 4 Acacia Avenue said " * 400
    app = build_app(services=svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await assess_at(app, pilot, aid, "S3")
        await pilot.press("e")
        screen.view.note.insert(secret)
        await pilot.press("escape")
        await until(pilot, lambda: "NOT saved" in screen.status.state, "the refusal")
        state = screen.status.state
        assert "the disk holding the database is full" in state
        assert str(svc.store.path) in state
        assert "Mrs Jane Doe" not in state and "INSERT" not in state and "UPDATE" not in state
        assert app.is_running
    assert svc.assessments.get(aid).answer("S3").note == ""


@pilot_test
async def test_a_lock_held_past_the_timeout_lists_what_was_not_saved(paths: Paths) -> None:
    """The same services as ``build_services`` makes, on a store that waits only half a
    second, so the worker's wait runs out while the other program still holds the lock."""
    from qa_tui.services import Services
    from qa_tui.services.assessments import AssessmentService
    from qa_tui.services.reports import ReportService
    from qa_tui.services.returns import ReturnService
    from qa_tui.store import open_store

    from tests.test_ui_support import FixedClock

    first = fixed_services(paths)  # writes ward-check and creates the database
    library = first.library
    first.close()
    store = open_store(paths.db_path, busy_timeout=0.5)
    clock = FixedClock()
    assessments = AssessmentService(store, library, actor="tester", clock=clock)
    svc = Services(paths=paths, store=store, library=library, assessments=assessments,
                   actor="tester", returns=ReturnService(store, assessments, paths,
                                                         actor="tester", clock=clock),
                   reports=ReportService(assessments, paths.export_dir))
    try:
        aid = start_ward_check(svc)
        app = build_app(services=svc)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await assess_at(app, pilot, aid, "S3")
            with lock_held_elsewhere(paths.db_path):
                await pilot.press("3")
                await until(pilot, lambda: "NOT saved" in screen.status.state, "the give-up")
                state = screen.status.state
                assert "busy" in state and "not saved: S3 = Good" in state
                assert not screen.waiting_for_database and app.is_running
            assert svc.assessments.get(aid).answer("S3").value is None
            await pilot.press("3")  # the lock is free again: saved at once
            assert svc.assessments.get(aid).answer("S3").value == 3
    finally:
        svc.close()
