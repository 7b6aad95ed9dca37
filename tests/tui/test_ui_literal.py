"""Text from people, templates and returns is shown literally: never markup, never a control.

The hostile strings live in ``tests/hostile/display_strings.json``. Pilot drives the real
screens with them in every user and template field; hypothesis checks the one boundary
(``qa_tui.ui.literal`` and ``qa_tui.printable``) with any string a person can type.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.content import Content
from textual.widgets.option_list import Option

from qa_tui.config import Paths
from qa_tui.printable import first_unsafe, printable
from qa_tui.services import Services, build_services
from qa_tui.templates import TemplateLibrary
from qa_tui.ui.app import build_app
from qa_tui.ui.commands import help_markup, highlighted
from qa_tui.ui.literal import Plain, literal, multiline, safe_visual, shown
from qa_tui.ui.screens.actions import ActionsScreen
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.review import ReviewScreen

from tests.test_ui_support import FixedClock, palette_offers, pilot_test, screen_text, until

STRINGS = json.loads((Path(__file__).parents[1] / "hostile" / "display_strings.json").read_text())
MARKUP: list[str] = STRINGS["markup"]
CONTROLS: list[str] = STRINGS["controls"]
BIG = (200, 60)


def q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text)


def literal_template(m: list[str]) -> str:
    return f"""
id = "lit"
version = "1"
title = {q("Template " + m[0])}
kind = "visit"
description = {q("About " + m[1])}
source = "tests"

[scales.s]
title = {q("Scale " + m[2])}
options = [{{ value = 1, label = {q(m[3])} }}, {{ value = 2, label = {q(m[4])} }}]

[[sections]]
id = "A"
title = {q("Section " + m[5])}

[[sections.questions]]
id = "Q1"
text = {q("Question " + m[6])}
guidance = {q("Guide " + m[7])}
scale = "s"

[[sections.questions]]
id = "Q2"
text = {q("Typed " + m[8])}
type = "text"
required = false
"""


@pytest.fixture
def lit(paths: Paths) -> Iterator[Services]:
    paths.templates_dir.mkdir(parents=True, exist_ok=True)
    (paths.templates_dir / "lit.toml").write_text(literal_template(MARKUP), encoding="utf-8")
    empty = paths.config_dir / "no-bundled"
    empty.mkdir(parents=True, exist_ok=True)
    library = TemplateLibrary.load(user_dir=paths.templates_dir, bundled=empty)
    assert "lit" in library.entries, library.problems
    services = build_services(paths, actor="tester", clock=FixedClock(), library=library)
    yield services
    services.close()


def flat(text: str) -> str:
    """Screen text with the box drawing and padding squeezed out, for finding a phrase."""
    return " ".join(text.split())


# -- through the real screens -----------------------------------------------------------------

@pilot_test
async def test_home_shows_every_hostile_name_literally(lit: Services) -> None:
    names = [m for m in MARKUP if len(m.strip()) >= 2]
    for i, name in enumerate(names):
        lit.assessments.start("lit", org_name=name, site=MARKUP[-1 - i % 5],
                              visit_date="2026-03-02")
    app = build_app(services=lit)
    async with app.run_test(size=(200, 40 + 2 * len(names))) as pilot:
        await pilot.pause()
        shown_text = screen_text(app)
        for name in names:
            assert name in shown_text, name
        assert app.is_running  # [@click=app.quit] never became an action


@pilot_test
async def test_every_screen_shows_user_and_template_text_literally(lit: Services) -> None:
    m = MARKUP
    detail = lit.assessments.start("lit", org_name=m[0], site=m[3],
                                   assessors=[m[2]], visit_date="2026-03-02")
    aid = detail.id
    lit.assessments.answer(aid, "Q2", m[9], note=f"Note {m[10]}\nsecond {m[11]}")
    lit.assessments.answer(aid, "Q1", value=1, note=f"Evidence {m[12]}")
    lit.assessments.add_action(aid, f"Do {m[1]}", owner=m[1], question_id="Q1")
    app = build_app(services=lit)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        app.open_assessment(aid, "Q1")
        await pilot.pause()
        assert isinstance(app.screen, AssessScreen)
        text = screen_text(app)
        for expected in (m[0], "Section ", "Question " + m[6], m[3], m[4], "Evidence " + m[12],
                         f"Do {m[1]}"):
            assert expected in text, expected
        guidance = app.screen.query_one("#guidance-text", Plain).visual
        assert isinstance(guidance, Content) and guidance.plain == "Guide " + m[7]
        await pilot.press("question_mark")  # help rows carry option labels
        await pilot.pause()
        assert f"answer Q1: {m[3]}" in flat(screen_text(app))
        await pilot.press("escape")
        app.screen.go_to("Q2")  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert "Typed " + m[8] in text and m[9] in text
        assert f"Note {m[10]}" in text and f"second {m[11]}" in text
        await pilot.press("ctrl+p", *"typed")
        await until(pilot, lambda: palette_offers(app, "typed"), "the palette's hits")
        assert "Typed " + m[8] in flat(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "Section " + m[5] in text and m[0] in text
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        text = screen_text(app)
        assert f"Do {m[1]}" in text and m[1] in text
        assert app.is_running


@pilot_test
async def test_new_screen_shows_template_title_literally(lit: Services) -> None:
    app = build_app(services=lit)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Template " + MARKUP[0] in text and "About " + MARKUP[1] in text


@pilot_test
async def test_notifications_show_text_literally_and_escape_controls(lit: Services) -> None:
    from textual.widgets._toast import Toast

    app = build_app(services=lit)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await pilot.pause()
        sent = MARKUP[:4] + CONTROLS
        for s in sent:
            app.notify(s, title=s, timeout=60)
        await pilot.pause()
        toasts = [t.render().plain for t in app.screen.query(Toast)]
        assert len(toasts) == len(sent)
        for s, toast in zip(sent, toasts, strict=True):
            assert toast == printable(s) + "\n" + printable(s, newlines=True)
            assert first_unsafe(toast, allow="\n") is None
        assert app.is_running


# -- the boundary itself ----------------------------------------------------------------------

typed = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=400, deadline=None)
@given(typed)
def test_literal_renders_any_text_as_typed(text: str) -> None:
    assert literal(text).plain == printable(text)
    assert shown(text) == printable(text)
    assert multiline(text).plain == printable(text, newlines=True, tabs=True)
    if first_unsafe(text) is None:
        assert literal(text).plain == text
        assert Content(shown(text)).plain == text
    for visual in (safe_visual(text), Option(literal(text)).prompt):
        assert "\x1b" not in str(getattr(visual, "plain", visual))
    assert Content.from_markup(help_markup(text)).plain == printable(text)


@settings(max_examples=200, deadline=None)
@given(typed, st.text(alphabet="abc[]/ ", max_size=4))
def test_palette_highlight_is_literal(text: str, query: str) -> None:
    from textual.fuzzy import Matcher

    assert highlighted(Matcher(query), text).plain == printable(text)


def test_plain_widget_never_parses_markup() -> None:
    for s in MARKUP + CONTROLS:
        widget = Plain(s)
        visual = widget.visual
        assert isinstance(visual, Content)
        assert visual.plain == printable(s, newlines=True, tabs=True)


def test_rich_text_cells_are_literal() -> None:
    from textual.widgets._data_table import default_cell_formatter

    for s in MARKUP:
        cell = default_cell_formatter(literal(s))
        assert isinstance(cell, Text) and cell.plain == s


@settings(max_examples=300, deadline=None)
@given(typed.filter(lambda t: t.strip() != ""), typed.filter(lambda t: t.strip() != ""))
def test_what_templates_check_accepts_the_app_shows_as_written(title: str, label: str) -> None:
    """The compiler and the screens share one test (``printable.first_unsafe``): a template
    string is accepted exactly when the app would show it unchanged."""
    import tomllib

    from qa_tui.errors import TemplateInvalid
    from qa_tui.templates import compile_template

    data = tomllib.loads(literal_template(MARKUP))
    data["title"] = title
    data["scales"]["s"]["options"][0]["label"] = label
    try:
        template = compile_template(data)
    except TemplateInvalid as refused:
        assert first_unsafe(title) or first_unsafe(label) \
            or any("too long" in p.message or "label" in p.path for p in refused.problems), \
            refused.problems
        return
    assert literal(template.title).plain == template.title == title.strip()
    option = template.scales["s"].options[0]
    assert literal(option.label).plain == option.label == label.strip()
