"""Issue 10, the assessor's trust: every key lands on the question on screen, nothing leaks
from one question to the next, and a completed assessment cannot be changed by accident.

The qa-visit template is the one the issue was found on. Option keys are read from the
template (never assumed), so these tests hold whichever key each option is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from textual import events
from textual.widgets import Input, Static

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import UiSettings, build_app
from qa_tui.ui.dialogs.action import ActionDialog
from qa_tui.templates import overall_words
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.home import HomeScreen
from qa_tui.ui.screens.review import ReviewScreen

from tests.test_ui_support import fixed_services, pilot_test, screen_text, until

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths, bundled=True)
    yield services
    services.close()


def start_visit(svc: Services) -> str:
    return svc.assessments.start("qa-visit", org_name="Hillside Care Home", org_code=None,
                                 site="Ward 2", assessors=["A. Tester"],
                                 visit_date="2026-03-02").id


def key_of(svc: Services, question_id: str, label: str) -> str:
    """The key that picks ``label`` on ``question_id``, as the template says."""
    detail = svc.assessments.get(svc.assessments.list()[0].id)
    question = detail.template.question(question_id)
    assert question is not None and question.scale is not None
    return next(o.key for o in question.scale.options if o.label == label)


def values(svc: Services, aid: str) -> dict[str, object]:
    return {q: a.value for q, a in svc.assessments.get(aid).answers.items()
            if a.value is not None}


async def open_at(app, pilot, aid: str, question_id: str) -> AssessScreen:  # type: ignore[no-untyped-def]
    app.open_assessment(aid, question_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AssessScreen) and screen.question_id == question_id
    return screen


# -- item 1: a text answer never leaks into the next question ---------------------------------

@pilot_test
async def test_text_answer_does_not_leak_into_the_next_text_question(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V8.1")
        await pilot.press("enter", *"FIRST", "enter")
        assert screen.question_id == "V8.2"
        assert screen.view.answer_box.value == ""  # the box shows V8.2, which is unanswered
        await pilot.press("enter", *"SECOND", "enter")
        assert values(svc, aid) == {"V8.1": "FIRST", "V8.2": "SECOND"}
        assert screen.question_id == "V8.3"  # a choice (since qa-visit 1.2): no text box value
        await pilot.press("k")  # back on V8.2 the box shows V8.2's answer
        assert screen.question_id == "V8.2"
        assert screen.view.answer_box.value == "SECOND"
        await pilot.press("k")  # back on V8.1 the box shows V8.1's answer
        assert screen.view.answer_box.value == "FIRST"


# -- item 2: keys apply to the question that was on screen -------------------------------------

@pilot_test
async def test_a_key_pressed_before_the_next_question_showed_is_not_retargeted(
        svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V2.5")
        yes = key_of(svc, "V2.5", "Yes")
        partly = key_of(svc, "V2.5", "Partly")
        # Under lag both keys are already queued when the first one's answer moves on.
        app.post_message(events.Key(yes, yes))
        app.post_message(events.Key(partly, partly))
        await pilot.pause()
        await pilot.pause()
        assert values(svc, aid) == {"V2.5": 2}  # Yes on V2.5; nothing on V2.6
        assert screen.question_id == "V2.6"
        shown = screen_text(app)
        assert "NOT saved" in shown and "V2.5" in shown
        await pilot.press(partly)  # pressed now, with V2.6 on screen: it counts
        assert values(svc, aid) == {"V2.5": 2, "V2.6": 1}


@pilot_test
async def test_e_right_after_an_answer_writes_the_note_of_that_answer(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V1.1")
        await pilot.press(key_of(svc, "V1.1", "Yes"))
        assert screen.question_id == "V1.2"  # auto-advance
        await pilot.press("e")
        assert screen.question_id == "V1.1"  # the note is the answer's just given, on screen
        assert "Evidence note on V1.1, the answer you just gave" in screen_text(app)
        await pilot.press(*"Calm and welcoming", "escape")
        assert svc.assessments.get(aid).answer("V1.1").note == "Calm and welcoming"
        assert svc.assessments.get(aid).answer("V1.2").note == ""
        assert screen.question_id == "V1.2"  # and back to where the answer had moved on
        await pilot.press("e", *"Tidy", "escape")  # e now: the note of the question on screen
        assert svc.assessments.get(aid).answer("V1.2").note == "Tidy"
        assert screen.question_id == "V1.2"


@pilot_test
async def test_a_key_typed_just_before_ctrl_q_is_kept(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        await open_at(app, pilot, aid, "V1.1")
        yes = key_of(svc, "V1.1", "Yes")
        app.post_message(events.Key(yes, yes))
        app.post_message(events.Key("ctrl+q", None))
        await pilot.pause()
    assert values(svc, aid) == {"V1.1": 2}


@pilot_test
async def test_note_letters_typed_just_before_ctrl_q_are_kept(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        await open_at(app, pilot, aid, "V1.1")
        await pilot.press("e", *"Calm")
        for char in " ward":  # still queued for the note when ctrl+q arrives
            app.post_message(events.Key("space" if char == " " else char, char))
        app.post_message(events.Key("ctrl+q", None))
        await pilot.pause()
    assert svc.assessments.get(aid).answer("V1.1").note == "Calm ward"


# -- item 4: keys do what a person expects ------------------------------------------------------

@pilot_test
async def test_n_on_an_open_yes_no_question_is_not_a_trap(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V1.1")
        no = key_of(svc, "V1.1", "No")
        await pilot.press("n")
        if no == "n":  # n is the No option's own key: it answers No
            assert values(svc, aid) == {"V1.1": 0}
            return
        assert screen.question_id == "V1.1"  # not left blank behind the assessor's back
        assert f"V1.1 is not answered: {no} answers No" in screen_text(app)
        await pilot.press("n")  # said twice, it is meant: on to the next open question
        assert screen.question_id == "V1.2"
        assert values(svc, aid) == {}


@pilot_test
async def test_a_key_that_does_nothing_says_so(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V1.1")
        await pilot.press("z")
        assert "'z' does nothing here" in screen_text(app)
        assert "? lists every key" in screen_text(app)
        assert screen.question_id == "V1.1" and values(svc, aid) == {}


@pilot_test
async def test_the_home_filter_owns_the_keyboard(svc: Services) -> None:
    start_visit(svc)
    svc.assessments.start("qa-visit", org_name="Queensway Dental", org_code=None, site="",
                          assessors=[], visit_date="2026-03-02")
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        # Home reads the list in a worker: wait for the rows, as a person waits to see them
        await until(pilot, lambda: app.screen.query_one("#assessments").row_count == 2,
                    "the list")
        # Typed fast on the list: the first letter starts the filter, and the rest, already
        # queued for the list, must follow it (q would quit, d delete, e export).
        for char in "wqued":
            app.post_message(events.Key(char, char))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#filter").value == "wqued"
        await pilot.press("ctrl+u", *"queensway dental")
        assert app.screen.query_one("#filter").value == "queensway dental"
        assert len(svc.assessments.list()) == 2
        assert "Queensway Dental" in screen_text(app)
        assert "Hillside" not in screen_text(app)


# -- item 10: a completed assessment is read-only -----------------------------------------------

@pilot_test
async def test_completed_assessment_is_read_only_with_a_reopen_hint(svc: Services) -> None:
    aid = start_visit(svc)
    for question in svc.assessments.get(aid).template.questions:
        if question.scale is not None and question.type.value != "multi":
            svc.assessments.answer(aid, question.id, value=question.scale.options[0].value)
        elif question.scale is not None:
            svc.assessments.answer(aid, question.id, value=[question.scale.options[0].value])
        elif question.type.value == "number":
            svc.assessments.answer(aid, question.id, "0")
        else:
            svc.assessments.answer(aid, question.id, "None today")
    svc.assessments.complete(aid)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V1.1")
        assert screen.view.note.read_only
        await pilot.press("e")
        shown = screen_text(app)
        assert "press o to reopen it to change" in shown
        assert "NOT saved" not in shown
        assert "o Reopen" in shown  # in the footer
        await pilot.press(*"abc")
        assert svc.assessments.get(aid).answer("V1.1").note == ""
        assert screen.view.note.text == ""  # nothing typed that cannot be saved
        await pilot.press("o")
        assert not svc.assessments.get(aid).is_complete
        assert not screen.view.note.read_only
        await pilot.press("e", *"Seen", "escape")
        assert svc.assessments.get(aid).answer("V1.1").note == "Seen"


@pilot_test
async def test_a_stale_not_saved_line_clears_on_the_next_key(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        await open_at(app, pilot, aid, "V1.1")
        await pilot.press("9")  # not an answer to V1.1: refused
        assert "NOT saved" in screen_text(app)
        await pilot.press("j")
        assert "NOT saved" not in screen_text(app)


# -- item 9: a long text answer is shown whole -------------------------------------------------

@pilot_test
async def test_a_long_text_answer_is_shown_whole_on_several_lines(svc: Services) -> None:
    aid = start_visit(svc)
    long = ("Told the registered manager (Ms Green) about the locked garden door at 11:40; "
            "agreed it stays open in the day from now on, with a check at every handover, "
            "and she will email the ICB quality lead before five o'clock today.")
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V8.1")
        await pilot.press("enter", *long, "enter")
        assert svc.assessments.get(aid).answer("V8.1").value == long
        screen.go_to("V8.1")
        await pilot.pause()
        box = screen.view.answer_box
        assert box.value == long
        lines = box.wrapped_document.height  # type: ignore[union-attr]
        assert lines >= 3 and box.size.height >= lines  # every line of it in view
        assert "before five o'clock today." in screen_text(app)


# -- item 7: ratings whole, Review at the top --------------------------------------------------

def half_answered(svc: Services) -> str:
    """A qa-visit with two in three questions answered, alternating Yes and Partly."""
    aid = start_visit(svc)
    for i, q in enumerate(svc.assessments.get(aid).template.questions):
        if q.scale is not None and q.type.value != "multi" and i % 3:
            svc.assessments.answer(aid, q.id, value=q.scale.options[i % 2].value)
    return aid


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
def test_review_opens_at_the_top_with_every_rating_whole(svc: Services,
                                                        size: tuple[int, int]) -> None:
    @pilot_test
    async def run() -> None:
        aid = half_answered(svc)
        app = build_app(services=svc, settings=UiSettings())
        async with app.run_test(size=size) as pilot:
            await open_at(app, pilot, aid, "V1.1")
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert app.screen.query_one("#review-body").scroll_y == 0
            shown = screen_text(app)
            report = svc.assessments.get(aid).report
            assert f"Overall rating: {overall_words(report)}" in shown
            rows = [line for line in shown.splitlines() if "%" in line]
            for section in report.sections:
                if section.outcome.rating:  # the rating whole, then its score and coverage
                    words = section.outcome.rating + ("*" if section.provisional else "")
                    whole = re.compile(rf" {re.escape(words)} +{section.score_pct:.0f}% "
                                       rf"+{section.coverage_pct}%")
                    assert any(whole.search(line) for line in rows), (section.title, words)
            if any(s.provisional for s in report.sections):
                assert "* provisional: rated from fewer than 80%" in shown

    run()


# -- item 11: the action dialog reads dates as typed, priority is a choice ---------------------

@pilot_test
async def test_action_dialog_reads_dates_as_typed_and_priority_is_a_choice(
        svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        await open_at(app, pilot, aid, "V1.1")
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        await pilot.press("ctrl+s")  # no description: that field is marked and said
        error = dialog.query_one("#action-error", Static)
        assert "An action needs a description" in screen_text(app)
        assert dialog.query_one("#action-description", Input).has_class("-invalid")
        await pilot.press(*"Unlock the garden door")
        assert not dialog.query_one("#action-description", Input).has_class("-invalid")
        assert "An action needs a description" not in screen_text(app)
        await pilot.press("enter", *"Ms Green", "enter")
        for typed in ("31/12/2026", "2026-12-31", "31 Dec"):
            await pilot.press("ctrl+u", *typed)
            assert "→ Thursday 31 December 2026" in screen_text(app), typed
        await pilot.press("ctrl+u", *"31/13/2026")
        assert "not a date yet" in screen_text(app)
        await pilot.press("ctrl+s")
        assert dialog.query_one("#action-due", Input).has_class("-invalid")
        assert "is not a date" in str(error.render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", "backspace", *"12/2026")
        assert "→ Thursday 31 December 2026" in screen_text(app)
        assert not dialog.query_one("#action-due", Input).has_class("-invalid")
        assert "is not a date" not in screen_text(app)
        await pilot.press("enter", "right", "enter")  # priority: one step right of medium
    [action] = svc.assessments.get(aid).actions
    assert (action.description, action.owner, action.due_date, action.priority) == (
        "Unlock the garden door", "Ms Green", dt.date(2026, 12, 31), "high")


# -- item 12: nothing cut at 80x24 -----------------------------------------------------------

def column(app_text: str, side: int) -> str:
    """The left (0) or right (1) panel of Assess as one line of words."""
    parts = [line.split("▕", 1) for line in app_text.splitlines()]
    return " ".join(" ".join(p[side] for p in parts if len(p) == 2).split())


@pilot_test
async def test_new_counts_what_assess_counts_and_explains_hidden_questions(
        svc: Services) -> None:
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("n")
        picker = app.screen.query_one("#templates")
        while picker.get_option_at_index(picker.highlighted or 0).id != "qa-visit":
            await pilot.press("down")
        prompt = picker.get_option("qa-visit").prompt
        # qa-visit 1.2: 53 questions, V2.9 asked only after V2.8 Partly or No
        assert "52 questions (+1 asked only if an earlier answer calls for it)" in str(prompt)
        shown = screen_text(app)
        assert "Quality assurance visit to a" in shown and "commissioned service" in shown
        assert "52 questions (+1 asked only if an" in shown  # wrapped, not cut
        await pilot.press("enter", *"Hillside", "enter", "enter", "enter", "enter", "enter")
        assert isinstance(app.screen, AssessScreen)
        assert "0/52 answered" in screen_text(app)


@pilot_test
async def test_status_line_and_section_names_are_not_cut(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_at(app, pilot, aid, "V2.5")
        assert "Closed culture: risk factors and warning signs" in column(screen_text(app), 0)
        screen.go_to("V8.1")
        await pilot.press("enter", *"Manager told about the locked door at 11:40 today",
                          "enter")
        shown = screen_text(app)
        assert "✓ saved: V8.1 = Manager told about the locked door at 11" in shown
        report = svc.assessments.get(aid).report
        assert f"1/52 answered · {overall_words(report)} · draft" in shown


# -- done when: a whole qa-visit at 80x24, every key landing on the question on screen --------

@pilot_test
async def test_a_whole_qa_visit_by_keyboard_lands_every_key_on_the_question_on_screen(
        svc: Services) -> None:
    app = build_app(services=svc, settings=UiSettings())
    answers: dict[str, object] = {}
    notes: dict[str, str] = {}
    actions: dict[str, str] = {}
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("n")
        picker = app.screen.query_one("#templates")
        while picker.get_option_at_index(picker.highlighted or 0).id != "qa-visit":
            await pilot.press("down")
        await pilot.press("enter", *"Hillside", "enter", "enter", "enter", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        assert screen.detail is not None
        template = screen.detail.template
        last = ""
        step = 0
        while screen.question_id != last:
            last = qid = screen.question_id
            step += 1
            assert f"{qid} · " in screen_text(app)  # the question the keys are for is shown
            question = template.question(qid)
            assert question is not None
            if question.type.value == "number":  # typed like text: enter saves, moves on
                await pilot.press("enter", *str(step), "enter")
                answers[qid] = step
            elif question.scale is None:  # text: several lines, enter saves and moves on
                text = f"Said {step}"
                await pilot.press("enter", *text, "enter")
                answers[qid] = text
            elif question.type.value == "choice":  # one option by its key, then moves on
                option = question.scale.options[-1]
                await pilot.press(option.key)
                answers[qid] = option.value
            elif question.type.value == "multi":
                option = question.scale.options[0]
                await pilot.press(option.key)
                answers[qid] = [option.value]
                await pilot.press("j")
            else:
                label = "Partly" if step % 7 == 0 else "Yes"
                option = next(o for o in question.scale.options if o.label == label)
                await pilot.press(option.key)
                answers[qid] = option.value
                if label == "Partly":  # a Partly needs its evidence: the screen stays
                    assert screen.question_id == qid
                    note = f"Seen {step}"
                    await pilot.press("e", *note, "escape", "j")
                    notes[qid] = note
                elif step % 5 == 0:  # annotate the answer just given, after auto-advance
                    assert screen.question_id != qid
                    note = f"Also {step}"
                    await pilot.press("e")
                    assert screen.question_id == qid
                    assert f"Evidence note on {qid}" in screen_text(app)
                    await pilot.press(*note, "escape")
                    notes[qid] = note
            if step % 9 == 0 and screen.question_id != last:  # an action on what is shown now
                here = screen.question_id
                await pilot.press("a", *f"Fix {here}", "enter", *"Manager", "enter",
                                  *"31/12/2026", "enter", "enter")
                assert isinstance(app.screen, AssessScreen)
                actions[here] = f"Fix {here}"
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one("#todo").option_count == 0  # no gap left
    [row] = svc.assessments.list()
    detail = svc.assessments.get(row.id)
    assert {q: a.value for q, a in detail.answers.items() if a.value is not None} == answers
    assert {q: a.note for q, a in detail.answers.items() if a.note} == notes
    assert {a.question_id: a.description for a in detail.actions} == actions
    assert all(a.due_date == dt.date(2026, 12, 31) for a in detail.actions)
    assert detail.report.answered == detail.report.total == len(answers)


# -- README's keys table matches the footer ----------------------------------------------------

def readme_keys() -> dict[str, str]:
    """README's Keys table: screen name -> every cell text of its rows."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = text.split("## Keys", 1)[1].split("\n\n| screen |", 1)[1].split("\n\n", 1)[0]
    rows: dict[str, str] = {}
    screen = ""
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        screen = cells[0] or screen
        rows[screen] = rows.get(screen, "") + " ".join(cells[1:]) + "\n"
    return rows


@pytest.mark.parametrize("screen_class, name", [
    ("qa_tui.ui.screens.assess:AssessScreen", "Assess"),
    ("qa_tui.ui.screens.home:HomeScreen", "Home"),
    ("qa_tui.ui.screens.review:ReviewScreen", "Review"),
    ("qa_tui.ui.dialogs.action:ActionDialog", "Action dialog"),
])
def test_readme_keys_table_names_every_footer_key(screen_class: str, name: str) -> None:
    import importlib

    module, cls = screen_class.split(":")
    bindings = getattr(importlib.import_module(module), cls).BINDINGS
    documented = readme_keys()[name]
    for binding in bindings:
        if binding.show:
            first = {"question_mark": "?", "escape": "esc", "plus": "+"}.get(*[binding.key.split(",")[0]] * 2)
            assert f"`{first}`" in documented, (name, binding.key, binding.description)


@pilot_test
async def test_a_key_that_does_nothing_on_review_says_so(svc: Services) -> None:
    aid = start_visit(svc)
    app = build_app(services=svc, settings=UiSettings())
    async with app.run_test(size=SMALL) as pilot:
        await open_at(app, pilot, aid, "V1.1")
        await pilot.press("r", "z")
        assert isinstance(app.screen, ReviewScreen)
        shown = screen_text(app)
        assert "'z' does nothing here: c complete" in shown
        assert "q back" in shown
