"""The one boundary where text reaches the screen: shown literally, never as markup.

Organisation names, notes, action owners, template titles and imported returns are data. Given
to a Textual widget as a plain ``str``, they would be parsed as content markup: ``Ward [/] x``
raises ``MarkupError`` (the app would not start), ``Owner [tbc]`` loses a word, and
``[@click=app.quit]`` becomes a live action. Every widget that shows such text gets it through
here instead: as ``Text``/``Content`` built without markup, with control characters escaped by
``qa_tui.printable`` (so an ESC from a return cannot reach the terminal either).

- :func:`shown` escapes one line, for composing into ``Content.assemble`` parts.
- :func:`literal` builds a ``Text`` of one or more lines (each escaped; for cells and options).
- :func:`multiline` keeps a person's own line breaks (an evidence note), escaping the rest.
- :class:`Plain` is the app's ``Static``: whatever string it is given, it shows literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from qa_tui.printable import printable


def shown(text: str) -> str:
    """One line of data, with every control character (newline too) as a visible escape."""
    return printable(text)


def literal(*lines: str) -> Text:
    """``lines`` as one ``Text`` (joined by line breaks), each line escaped, no markup."""
    return Text("\n".join(printable(line) for line in lines), end="")


def multiline(text: str) -> Text:
    """Text whose own line breaks and tabs are kept (a note); everything else escaped."""
    return Text(printable(text, newlines=True, tabs=True), end="")


def safe_visual(content: VisualType) -> VisualType:
    """A ``str`` made literal; ``Text``/``Content`` pass through (built from escaped parts)."""
    if isinstance(content, str):
        return Content(printable(content, newlines=True, tabs=True))
    return content


def same_visual(before: VisualType, after: VisualType) -> bool:
    """True when two contents show the same: same text and same styles."""
    if isinstance(before, Content) and isinstance(after, Content):  # its == ignores styles
        return before.plain == after.plain and list(before.spans) == list(after.spans)
    return type(before) is type(after) and before == after  # rich Text: text and spans


class Plain(Static):
    """A ``Static`` that never parses markup and escapes control characters in any ``str``.

    Updating it with what it already shows does nothing: a screen that redraws its state
    after every key (Assess) then repaints, and lays out, only what changed."""

    def __init__(self, content: VisualType = "", **kwargs: object) -> None:
        kwargs.pop("markup", None)
        super().__init__(safe_visual(content), markup=False, **kwargs)  # type: ignore[arg-type]

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        visual = safe_visual(content)
        if not same_visual(self.content, visual):
            super().update(visual, layout=layout)
