"""Updating an ``OptionList`` in place: the rows that changed, not the whole list.

``clear_options()`` then ``add_options()`` drops the highlight (with its messages), every
cached line and the scroll position, on every key. When an answer changes one row of a list
(a question's mark, a section's count, the chosen option) only that prompt needs replacing.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qa_tui.ui.literal import same_visual


def fill_options(options: OptionList, rows: Sequence[tuple[str, VisualType]]) -> bool:
    """Make ``options`` list ``rows`` (id, prompt). When the ids are those listed already,
    only the prompts that differ are replaced; otherwise the list is rebuilt. True when it
    was rebuilt (the highlight is then gone)."""
    listed = [options.get_option_at_index(i).id for i in range(options.option_count)]
    if listed != [ident for ident, _ in rows]:
        options.clear_options()
        options.add_options([Option(prompt, id=ident) for ident, prompt in rows])
        return True
    for index, (_, prompt) in enumerate(rows):
        if not same_visual(options.get_option_at_index(index).prompt, prompt):
            options.replace_option_prompt_at_index(index, prompt)
    return False
