"""The assessor's app driven by Pilot: each test checks the screen and what was stored.

Keys are pressed where the test is about keys; elsewhere state is set through the services
(each ``pilot.press`` costs ~64 ms). Every test has its own QA_TUI_HOME (conftest ``paths``).
"""

from __future__ import annotations


import pytest
from textual import events
from textual.app import App
from textual.widgets import Input, OptionList
from textual.widgets._footer import FooterKey

from qa_tui.config import Paths
from qa_tui.services import Services, build_services
from qa_tui.ui.app import UiSettings, build_app
from qa_tui.ui.dialogs.help import HelpScreen
from qa_tui.ui.screens.actions import ActionsScreen
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.bin import BinScreen
from qa_tui.ui.screens.home import HomeScreen
from qa_tui.ui.screens.new import NewAssessmentScreen
from qa_tui.ui.screens.review import ReviewScreen
from qa_tui.ui.widgets.action_list import ActionList

from tests.test_ui_support import (
    accept_draft_export,
    fixed_services,
    palette_offers,
    pilot_test,
    screen_text,
    start_ward_check,
    until,
)

SMALL, LARGE = (80, 24), (120, 40)


# -- a whole visit, by keys only --------------------------------------------------------------

@pilot_test
async def test_whole_visit_by_keys_cqc_well_led(paths: Paths) -> None:
    services = fixed_services(paths, bundled=True)
    app = build_app(services=services)
    presses = 0

    async def keys(*names: str) -> None:
        nonlocal presses
        presses += len(names)
        await pilot.press(*names)

    async def text(words: str) -> None:  # typed text is not counted as keystrokes
        await pilot.press(*words)

    async with app.run_test(size=SMALL) as pilot:
        # Home reads the list in a worker (issue 20): wait for it, not a fixed time
        await until(pilot, lambda: "Press n to start" in screen_text(app), "the empty list")
        await keys("n")
        assert isinstance(app.screen, NewAssessmentScreen)
        picker = app.screen.query_one("#templates", OptionList)
        while picker.get_option_at_index(picker.highlighted or 0).id != "cqc-saf-well-led":
            await keys("down")
        await keys("enter")
        await text("St Elsewhere")
        await keys("enter")
        await text("rtd")
        await keys("enter", "enter", "enter", "enter")  # site, assessors, date (today) -> start
        assert isinstance(app.screen, AssessScreen)
        screen = app.screen
        assert screen.question_id == "WL1"
        assert "WL1" in screen_text(app) and "Good standard" in screen_text(app)

        for key in "3343":  # auto-advance moves on after each answer
            await keys(key)
        assert screen.question_id == "WL5"
        await keys("2")  # a score of 2 needs an evidence note: the screen stays and says so
        assert screen.question_id == "WL5"
        assert "needs an evidence note: press e" in screen_text(app)
        await keys("e")
        await text("Risk register misses staffing.")
        await keys("escape")
        assert "✓ saved: note on WL5" in screen_text(app)
        await keys("n")  # next open question
        assert screen.question_id == "WL6"
        for key in "333":
            await keys(key)
        assert "Every question is answered" in screen_text(app)
        await keys("k", "up", "k")
        assert screen.question_id == "WL5"
        await keys("a")
        await text("Update the risk register")
        await keys("enter")
        await text("Board secretary")
        await keys("enter", "enter", "enter")
        # wait for the dialog to close and the action to show, not a fixed time
        await until(pilot, lambda: "Update the risk register" in screen_text(app), "the action")

        await keys("r")
        assert isinstance(app.screen, ReviewScreen)
        assert "Nothing left to do" in screen_text(app)
        await keys("c")
        shown = screen_text(app)
        assert "Completed and saved" in shown
        assert "Overall rating: Good (75%, 100% answered)" in shown
        assert presses < 40

    check = build_services(paths)
    try:
        [row] = check.assessments.list()
        detail = check.assessments.get(row.id)
        assert detail.record.org_name == "St Elsewhere" and detail.record.org_code == "RTD"
        assert detail.record.visit_date.isoformat() == "2026-03-02"
        assert detail.is_complete
        assert {q: a.value for q, a in detail.answers.items()} == {
            "WL1": 3, "WL2": 3, "WL3": 4, "WL4": 3, "WL5": 2, "WL6": 3, "WL7": 3, "WL8": 3}
        assert detail.answers["WL5"].note == "Risk register misses staffing."
        [action] = detail.actions
        assert (action.question_id, action.description, action.owner, action.priority) == (
            "WL5", "Update the risk register", "Board secretary", "medium")
    finally:
        check.close()
        services.close()


# -- answering, undo, conditions ---------------------------------------------------------------

@pilot_test
async def test_answer_and_undo(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen) and screen.question_id == "S3"
        await pilot.press("3")
        assert svc.assessments.get(aid).answer("S3").value == 3
        assert screen.question_id == "C1"  # auto-advance
        await pilot.press("u")
        assert svc.assessments.get(aid).answer("S3").value is None
        assert screen.question_id == "S3"
        assert "undone, S3: back to unanswered" in screen_text(app)
        await pilot.press("u")
        assert "Nothing to undo" in screen_text(app)


@pilot_test
async def test_conditional_question_appears_and_disappears(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen) and screen.question_id == "S1"
        assert "S2" not in screen_text(app)
        await pilot.press("n")  # No (yes/no answers by letter): the follow-up shows, is next
        assert screen.question_id == "S2"
        assert "Why were call bells out of reach?" in screen_text(app)
        await pilot.press("enter", *"Two bays", "enter")
        assert svc.assessments.get(aid).answer("S2").value == "Two bays"
        await pilot.press("k", "k")
        assert screen.question_id == "S1"
        await pilot.press("y")  # Yes: the follow-up goes away (its answer is kept, ignored)
        assert "S2" not in screen._visible()
        assert screen.question_id == "S3"
        nav = screen.query_one("#nav-questions", OptionList)
        assert [nav.get_option_at_index(i).id for i in range(nav.option_count)] == [
            "q:S1", "q:S3"]
        assert "S2" not in svc.assessments.get(aid).report.visible


@pilot_test
async def test_typed_answers_na_clear_and_sections(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "C2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        await pilot.press("4", "2", "enter")  # a digit on a number question starts typing
        assert svc.assessments.get(aid).answer("C2").value == 42
        assert screen.question_id == "C3"
        await pilot.press("enter", *"2026-13-01", "enter")
        assert "NOT saved" in screen_text(app) and "YYYY-MM-DD" in screen_text(app)
        assert svc.assessments.get(aid).answer("C3").value is None
        await pilot.press("ctrl+a", "ctrl+k", *"2026-02-01", "enter")
        assert svc.assessments.get(aid).answer("C3").value == "2026-02-01"
        await pilot.press("left_square_bracket")
        assert screen.question_id == "S1"  # first open question of Safe
        await pilot.press("right_square_bracket")
        assert screen.question_id == "C1"
        await pilot.press("N")
        assert svc.assessments.get(aid).answer("C1").na
        await pilot.press("k", "x")
        assert not svc.assessments.get(aid).answer("C1").answered


@pilot_test
async def test_note_saves_after_a_pause_and_on_escape(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        await pilot.press("e", *"Dusty")
        assert "not saved yet" in screen_text(app)
        assert svc.assessments.get(aid).answer("S3").note == ""
        await until(pilot, lambda: svc.assessments.get(aid).answer("S3").note == "Dusty",
                    "the note to save itself after a pause in typing")
        assert "✓ saved: note on S3" in screen_text(app)
        await pilot.press(*" sluice", "escape")
        assert svc.assessments.get(aid).answer("S3").note == "Dusty sluice"
        assert app.focused is None
        await pilot.press("escape")  # back to Home: escape leaves the note first, then the screen
        assert isinstance(app.screen, HomeScreen)


@pilot_test
async def test_completed_assessment_refuses_edits_and_reopens(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid)
        await pilot.pause()
        await pilot.press("r", "c")
        shown = screen_text(app)
        assert "Not completed: cannot complete yet" in shown
        assert "S1 is required and not answered" in shown
        assert not svc.assessments.get(aid).is_complete
        await pilot.press("enter")  # jumps to the first gap
        assert isinstance(app.screen, AssessScreen) and app.screen.question_id == "S1"
        for qid, value in (("S1", "yes"), ("S3", 3), ("C1", 4)):
            svc.assessments.answer(aid, qid, value=value)
        await pilot.press("r", "c")
        assert svc.assessments.get(aid).is_complete
        await pilot.press("q", "3")
        assert "Complete, so read-only: press o to reopen it" in screen_text(app)
        await pilot.press("r", "o")
        assert not svc.assessments.get(aid).is_complete


# -- Home: filter, bin, open ------------------------------------------------------------------

@pilot_test
async def test_home_filter(svc: Services) -> None:
    start_ward_check(svc, org="Northshire Hospitals", code="RX1")
    start_ward_check(svc, org="St Elsewhere NHS Trust", code="RTD")
    start_ward_check(svc, org="Westfield Care", code=None, site="Maternity")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#assessments")
        assert table.row_count == 3
        await pilot.press(*"mat")  # typing on the list goes to the filter
        assert app.screen.query_one("#filter", Input).value == "mat"
        assert table.row_count == 1 and "Westfield Care" in screen_text(app)
        await pilot.press("escape")
        assert table.row_count == 3
        await pilot.press("slash", *"zzz")
        assert "No assessment matches the filter" in screen_text(app)
        await pilot.press("escape")
        # newest change first: Westfield was started last
        assert "Westfield" in screen_text(app).split("Visit date")[1].split("\n")[1]


@pilot_test
async def test_delete_to_bin_and_restore(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("d")
        assert "Move this assessment to the bin?" in screen_text(app)
        await pilot.press("n")
        assert [s.id for s in svc.assessments.list()] == [aid]
        await pilot.press("d", "y")
        assert svc.assessments.list() == []
        assert [s.id for s in svc.assessments.list(deleted=True)] == [aid]
        assert "Moved to the bin" in screen_text(app)
        await pilot.press("b")
        assert isinstance(app.screen, BinScreen)
        assert "St Elsewhere NHS Trust" in screen_text(app)
        await pilot.press("r")
        assert [s.id for s in svc.assessments.list()] == [aid]
        assert "The bin is empty" in screen_text(app)
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)
        # the list is read again in a worker (issue 20): wait for it, not a fixed time
        await until(pilot, lambda: app.screen.query_one("#assessments").row_count == 1,
                    "the restored row")


@pilot_test
async def test_enter_opens_at_first_unanswered(svc: Services) -> None:
    aid = start_ward_check(svc)
    svc.assessments.answer(aid, "S1", value="yes")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, AssessScreen) and app.screen.question_id == "S3"
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)


# -- start-up, refused database, help, palette, sizes -----------------------------------------

@pilot_test
async def test_services_open_after_first_frame(paths: Paths) -> None:
    services = fixed_services(paths)
    start_ward_check(services)
    services.close()
    app = build_app(paths)
    async with app.run_test(size=SMALL) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.services is not None
        # Home then reads the list in its own worker (issue 20): wait for it, not a fixed time
        await until(pilot, lambda: "St Elsewhere NHS Trust" in screen_text(app), "the list")


@pilot_test
async def test_refused_database_is_shown_not_raised(paths: Paths) -> None:
    paths.db_path.parent.mkdir(parents=True, exist_ok=True)
    paths.db_path.write_bytes(b"this is not a database " * 100)
    app = build_app(paths)
    async with app.run_test(size=SMALL) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "The database could not be opened" in shown
        assert app.services is None
        await pilot.press("n")  # nothing to start from: the key is disabled, nothing breaks
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
    assert app.return_code == 0
    assert paths.db_path.read_bytes().startswith(b"this is not a database")


@pilot_test
async def test_help_lists_the_keys_of_the_screen(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Move this" not in screen_text(app) and "Deleted assessments" in screen_text(app)
        await pilot.press("escape")
        app.open_assessment(aid, "S3")
        await pilot.pause()
        await pilot.press("question_mark")
        shown = screen_text(app)
        for words in ("Next question", "Previous section", "Not applicable", "Clear the answer",
                      "Next unanswered question", "Undo the last change", "answer S3: Good", "Help"):
            assert words in shown, words
        await pilot.press("q")
        assert isinstance(app.screen, AssessScreen)


@pilot_test
async def test_palette_jumps_to_a_question_and_toggles_theme(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=LARGE) as pilot:
        app.open_assessment(aid)
        await pilot.pause()
        await pilot.press("ctrl+p", *"dignity")
        await until(pilot, lambda: palette_offers(app, "dignity"), "the palette's hits")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AssessScreen) and app.screen.question_id == "C1"
        assert app.current_theme.dark
        await pilot.press("ctrl+p", *"light/dark")
        await until(pilot, lambda: palette_offers(app, "light/dark"), "the palette's hits")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.current_theme.dark


@pilot_test
async def test_auto_advance_can_be_off(svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc, settings=UiSettings(auto_advance=False))
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        await pilot.press("3")
        assert app.screen.question_id == "S3"
        app.action_toggle_auto_advance()
        await pilot.press("2")
        assert app.screen.question_id == "C1"


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pilot_test
async def test_assess_fits(svc: Services, size: tuple[int, int]) -> None:
    """The longest question of the bundled well-led template, its options, the note box and
    the footer's help key are all on screen at 80x24 as at 120x40."""
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=size) as pilot:
        app.open_assessment(aid, "S3")
        # the footer is composed after the screen's first frame: wait for it, not for a clock
        await until(pilot, lambda: "? Help" in screen_text(app), "the footer")
        shown = screen_text(app)
        for words in ("How clean is the ward?", "Excellent", "N/A", "Evidence note",
                      "What did you see?", "? Help", "0/5 answered", "Safe 0/2", "Caring 0/3"):
            assert words in shown, words
        if size == LARGE:
            assert "Better than expected." in shown  # option descriptions when there is room


@pilot_test
async def test_footer_names_the_keys_that_answer_the_question_on_screen(svc: Services) -> None:
    """Yes/No answers by letter and a 1-4 score by digit: the footer says which (not "1-9"
    everywhere), and changes its keys in place rather than building new ones per answer."""
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S1")
        await until(pilot, lambda: "y/n Answer" in screen_text(app), "the footer of S1")
        assert "1-9" not in screen_text(app)
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        keys = list(screen.query(FooterKey))
        await pilot.press("y")  # on to S3, scored 1-4
        assert screen.question_id == "S3"
        await until(pilot, lambda: "1-4 Answer" in screen_text(app), "the footer of S3")
        assert "y/n" not in screen_text(app)
        await pilot.press("3")  # on to C1, another 1-4 score
        assert screen.question_id == "C1"
        await pilot.press("2")  # on to C2, a number: a digit starts typing it
        assert screen.question_id == "C2"
        await until(pilot, lambda: "1-9 Answer" in screen_text(app), "the footer of C2")
        now = list(screen.query(FooterKey))
        assert len(now) == len(keys) and all(a is b for a, b in zip(now, keys))


def burst(app: App[object], *keys: str) -> None:
    """Keys as tmux send-keys or a fast typist delivers them: all queued before the app has
    handled the first (``pilot.press`` waits for the app after each key)."""
    for key in keys:
        name, char = {" ": ("space", " "), "enter": ("enter", "\r")}.get(key, (key, key))
        app.post_message(events.Key(name, char))


@pilot_test
async def test_new_form_enter_in_a_burst_moves_on_before_the_next_words(svc: Services) -> None:
    """``tmux send-keys "ZRV" Enter "Ward 2"``: each field gets its own words, none run
    together into the field enter was pressed in."""
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: "Press n to start" in screen_text(app), "the empty list")
        await pilot.press("n")
        screen = app.screen
        assert isinstance(screen, NewAssessmentScreen)
        burst(app, "enter", *"Burst Trust", "enter", *"ZRV", "enter", *"Ward 2", "enter",
              *"A. Tester", "enter")
        field = {name: screen.query_one(f"#field-{name}", Input)
                 for name in ("org", "code", "site", "assessors")}
        await until(pilot, lambda: any(f.value.endswith("A. Tester") for f in field.values()),
                    "the last words, in whichever field they landed")
        assert {n: f.value for n, f in field.items()} == {
            "org": "Burst Trust", "code": "ZRV", "site": "Ward 2", "assessors": "A. Tester"}
        assert app.focused is screen.query_one("#field-date", Input)
        burst(app, "enter")  # the date (today) is the last field: start
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "Assess")
    [made] = svc.assessments.list()
    assert (made.org_name, made.org_code, made.site) == ("Burst Trust", "ZRV", "Ward 2")


@pilot_test
async def test_answers_survive_an_app_that_never_exits(paths: Paths, svc: Services) -> None:
    """Answer, then read the file with fresh services while the app is still running: nothing
    waits for a clean exit to be written."""
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S3")
        await pilot.pause()
        await pilot.press("e", *"Spotless", "escape", "4")
        assert "✓ saved" in screen_text(app)
        other = build_services(paths)
        try:
            answer = other.assessments.get(aid).answer("S3")
        finally:
            other.close()
        assert (answer.value, answer.note) == (4, "Spotless")


@pilot_test
async def test_export_from_home_writes_a_return(paths: Paths, svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await accept_draft_export(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        files = list(paths.export_dir.glob("*.xlsx"))
        assert len(files) == 1 and aid[:8] in files[0].name
        assert "Return written to" in screen_text(app)


def test_readme_lists_every_key_of_every_screen() -> None:
    """The README's Keys table cannot drift from the bindings the app really has."""
    from pathlib import Path

    from textual.binding import Binding

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Keys", 1)[1]
    shown = {"right_square_bracket": "]", "left_square_bracket": "[", "slash": "/",
             "escape": "esc", "down": "↓", "up": "↑", "right": "→", "left": "←",
             "question_mark": "?", "X": "shift+x", "A": "shift+a", "pagedown": "pgdn",
             "pageup": "pgup", "P": "shift+p", "plus": "+", "minus": "-",
             "right_curly_bracket": "}", "left_curly_bracket": "{"}
    missing = []
    from qa_tui.ui.screens.consolidate import ConsolidateScreen

    for screen in (HomeScreen, NewAssessmentScreen, AssessScreen, ReviewScreen, BinScreen,
                   ActionsScreen, ActionList, ConsolidateScreen):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                text = "`1`-`9`" if key.isdigit() else f"`{shown.get(key, key)}`"
                if text not in section:
                    missing.append(f"{screen.__name__}: {key}")
    assert not missing


@pilot_test
async def test_quitting_mid_note_saves_it(svc: Services) -> None:
    """ctrl+q within the typing pause still saves the note (the debounce never loses words)."""
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "C1")
        await pilot.pause()
        await pilot.press("e", *"Curtains drawn")
        assert svc.assessments.get(aid).answer("C1").note == ""
        await pilot.press("ctrl+q")
    assert svc.assessments.get(aid).answer("C1").note == "Curtains drawn"


@pilot_test
async def test_palette_opens_any_assessment(svc: Services) -> None:
    start_ward_check(svc, org="Northshire Hospitals", code="RX1")
    other = start_ward_check(svc, org="Westfield Care", code=None)
    app = build_app(services=svc)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.press("ctrl+p", *"Westfield")
        await until(pilot, lambda: palette_offers(app, "Westfield"), "the palette's hits")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AssessScreen) and app.screen.assessment_id == other
