"""Perspective and the second reviewer in the app, by keys: New, Home, Review, Assess."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import OptionList

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.dialogs.review_decision import ReviewDialog
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.new import NewAssessmentScreen
from qa_tui.ui.screens.review import ReviewScreen
from qa_tui.ui.widgets.perspective_picker import PerspectivePicker

from tests.test_ui_support import fixed_services, pilot_test, screen_text, start_ward_check, until

SMALL = (80, 24)


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths, bundled=True)
    yield services
    services.close()


def completed_ward_check(svc: Services, org: str = "St Elsewhere NHS Trust") -> str:
    aid = start_ward_check(svc, org=org)
    for qid, value in (("S1", "yes"), ("S3", 3), ("C1", 4)):
        svc.assessments.answer(aid, qid, value=value)
    svc.assessments.answer(aid, "S2", "Seen on the ward")
    svc.assessments.complete(aid)
    return aid


@pilot_test
async def test_new_screen_perspective_follows_the_template_until_chosen(svc: Services) -> None:
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewAssessmentScreen)
        picker = app.screen.query_one("#templates", OptionList)
        perspective = app.screen.query_one(PerspectivePicker)
        while picker.get_option_at_index(picker.highlighted or 0).id != "cqc-saf-well-led":
            await pilot.press("down")
        assert perspective.value == "self"  # a self-assessment template
        while picker.get_option_at_index(picker.highlighted or 0).id != "qa-visit":
            await pilot.press("down" if (picker.highlighted or 0) < 6 else "up")
        assert perspective.value == "icb"  # a visit
        app.screen.set_focus(perspective)
        await pilot.press("enter", "down", "enter")  # open, move to peer, pick
        await until(pilot, lambda: perspective.value == "peer", "peer chosen")
        app.screen.set_focus(picker)
        await pilot.press("up")
        assert perspective.value == "peer"  # the person's choice stays
        app.screen.set_focus(app.screen.query_one("#field-org"))
        await pilot.press(*"Peer Trust", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "Assess")
    [made] = svc.assessments.list()
    assert made.perspective == "peer" and made.org_name == "Peer Trust"


@pilot_test
async def test_moving_quickly_through_the_templates_lands_on_the_right_perspective(
        svc: Services) -> None:
    """Keys in one burst (a fast typist, tmux): each move sets the perspective, and those
    changes arrive late; none of them may count as the person's own choice."""
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("n")
        picker = app.screen.query_one("#templates", OptionList)
        perspective = app.screen.query_one(PerspectivePicker)
        ids = [picker.get_option_at_index(i).id for i in range(picker.option_count)]
        # several highlights before any of their Changed messages is handled, as in a burst
        for template_id in ("cqc-saf-well-led", "eds-2022", "qa-visit"):
            picker.highlighted = ids.index(template_id)
        await pilot.pause()
        assert ids[picker.highlighted or 0] == "qa-visit" and perspective.value == "icb"
        await pilot.press("enter", *"Fast Trust", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "Assess")
    [made] = svc.assessments.list()
    assert made.template_id == "qa-visit" and made.perspective == "icb"


@pilot_test
async def test_home_shows_perspective_and_review_compactly(svc: Services) -> None:
    aid = completed_ward_check(svc)
    svc.assessments.approve(aid, reviewer="Sam Lee")
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "ward-check · icb" in text and "approved" in text


@pilot_test
async def test_an_assessor_cannot_approve_and_a_reviewer_can(svc: Services) -> None:
    aid = completed_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S1")
        await pilot.pause()
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        assert "Perspective: icb · Review: awaiting review" in screen_text(app)
        await pilot.press("v")
        assert isinstance(app.screen, ReviewDialog)
        await pilot.press(*"a. TESTER", "enter", *"[b]fine[/b]", "enter")
        await until(pilot, lambda: "assessors" in screen_text(app), "the refusal")
        assert isinstance(app.screen, ReviewDialog)  # stays open to correct
        assert svc.assessments.get(aid).record.review_state is None
        reviewer = app.screen.query_one("#review-reviewer")
        app.screen.set_focus(reviewer)
        await pilot.press("ctrl+a", "ctrl+k", *"Sam [red]Lee", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "back on Review")
        rec = svc.assessments.get(aid).record
        assert (rec.review_state, rec.reviewer, rec.review_note) == (
            "approved", "Sam [red]Lee", "[b]fine[/b]")
        text = screen_text(app)
        assert "approved by Sam [red]Lee" in text and "[b]fine[/b]" in text  # literally
        await pilot.press("o")  # reopen clears the approval and says so
        assert "approval is cleared" in screen_text(app)
        assert svc.assessments.get(aid).record.review_state is None
        kinds = [e.kind for e in svc.assessments.history(aid)]
        assert kinds.count("review") == 2


@pilot_test
async def test_a_returned_assessment_shows_the_reason_at_the_top_of_assess(
        svc: Services) -> None:
    aid = completed_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=SMALL) as pilot:
        app.open_assessment(aid, "S1")
        await pilot.pause()
        await pilot.press("r", "b")
        assert isinstance(app.screen, ReviewDialog)
        await pilot.press(*"Sam Lee", "enter", "enter")  # no reason: refused, stays open
        await until(pilot, lambda: "needs a reason" in screen_text(app), "the refusal")
        await pilot.press(*"S3: evidence [thin]", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "back on Review")
        assert not svc.assessments.get(aid).is_complete
        assert "Returned by Sam Lee" in screen_text(app)
        await pilot.press("q")
        assert isinstance(app.screen, AssessScreen)
        top = screen_text(app).splitlines()[:4]
        assert any("Returned by Sam Lee" in line and "S3: evidence [thin]" in line
                   for line in top), top
        await pilot.press("r", "c")  # completing again answers the return
        await pilot.press("q")
        await pilot.pause()
        assert "Returned by" not in screen_text(app)
        assert svc.assessments.get(aid).record.review_state is None
