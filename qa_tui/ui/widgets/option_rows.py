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
            _replace_prompt(options, index, prompt)
    return False


def _replace_prompt(options: OptionList, index: int, prompt: VisualType) -> None:
    """Replace one prompt, repainting only its own lines when its height stays the same.

    ``replace_option_prompt_at_index`` throws away every rendered line of the list, so each
    answer re-rendered every question of the nav and every option of the picker (~1 ms an
    option, most of a frame). This reaches into OptionList's caches (Textual is pinned in
    requirements.lock); if they are not as expected it falls back to the public call."""
    try:
        option = options.get_option_at_index(index)
        lines = options._line_cache
        height = lines.heights.get(index)
        first_line = lines.index_to_line.get(index)
        option._set_prompt(prompt)
        if height is None or first_line is None:
            raise LookupError("lines not laid out yet")
        width = options.scrollable_content_region.width - options._get_left_gutter_width()
        padding = options.get_component_styles("option-list--option").padding
        new_height = options._get_visual(option).get_height(
            options.styles, width - padding.width) + option._divider
        if new_height != height:
            raise LookupError("the option's height changed")
        cache = options._option_render_cache
        for key in [k for k in cache.keys() if k[0] is option]:
            cache.discard(key)
    except (AttributeError, LookupError, TypeError):
        options.replace_option_prompt_at_index(index, prompt)
        return
    options.refresh_lines(first_line, height)
