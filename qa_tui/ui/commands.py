"""Command palette providers (ctrl+p): open any assessment, jump to any question.

App-wide commands such as the theme toggle are system commands on the app; these two search
data, so they are providers. Each reads through the services the app already holds.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from qa_tui.ui.contract import hooks
from qa_tui.ui.format import marker
from qa_tui.ui.literal import shown
from qa_tui.ui.messages import OpenAssessment

if TYPE_CHECKING:
    from qa_tui.ui.contract import AppContext


def plain_hit(text: str) -> Content:
    """A palette line shown literally (the palette parses a ``str`` prompt as markup)."""
    return Content(shown(text))


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` literally, with the letters the query matched styled as the palette does.

    ``Matcher.highlight`` would parse ``text`` as markup first (and get the offsets wrong)."""
    text = shown(text)
    content = Content(text)
    if not matcher.query.strip():
        return content
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def help_markup(text: str) -> str:
    """The palette always parses help as markup: every ``[`` is escaped, control characters
    written visibly, so the help reads exactly as ``text``."""
    return shown(text).replace("[", "\\[")


class AssessmentCommands(Provider):
    """"Open: <organisation> · <template> · <date>" for every assessment not in the bin."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app = cast("AppContext", self.app)
        if app.services is None:
            return []
        rows = []
        for s in app.services.assessments.list():
            title = f"Open: {s.org_name} · {s.template_id} · {s.visit_date.isoformat()}"
            help_text = f"{s.status}, {s.progress_pct}% answered, id {s.id[:8]}"
            rows.append((title, help_text, s.id))
        return rows

    def _open(self, assessment_id: str) -> None:
        self.app.post_message(OpenAssessment(assessment_id))

    async def discover(self) -> Hits:
        for title, help_text, aid in self._commands()[:5]:
            yield DiscoveryHit(plain_hit(title), partial(self._open, aid),
                               help=help_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, aid in self._commands():
            score = matcher.match(f"{title} {aid}")
            if score > 0:
                yield Hit(score, highlighted(matcher, title), partial(self._open, aid),
                          help=help_markup(help_text))


class QuestionCommands(Provider):
    """"Go to WL3: <text>" for each visible question of the assessment on screen."""

    def _questions(self) -> list[tuple[str, str, str]]:
        detail = hooks(self.screen).question_detail()
        if detail is None:
            return []
        out = []
        for q in detail.template.questions:
            if q.id not in detail.report.visible:
                continue
            mark = marker(detail.answer(q.id))
            text = q.text if len(q.text) <= 70 else q.text[:69] + "…"
            out.append((f"{mark} {q.id}: {text}", q.text, q.id))
        return out

    def _go(self, question_id: str) -> None:
        detail = hooks(self.screen).question_detail()
        if detail is not None:
            hooks(self.screen).go_to_question(detail.id, question_id)

    async def discover(self) -> Hits:
        for title, help_text, qid in self._questions():
            yield DiscoveryHit(plain_hit(title), partial(self._go, qid),
                               help=help_markup(help_text[:120]))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, full_text, qid in self._questions():
            score = max(matcher.match(f"{qid} {full_text}"), matcher.match(title))
            if score > 0:
                yield Hit(score, highlighted(matcher, title), partial(self._go, qid),
                          help=help_markup(full_text[:120]))
