"""Repeating groups and computed questions in the provider report.

A repeating group (a risk register) becomes one table with a line per row, in the section's
place in the template's order; computed values are computed here from the return's answers
(a return never carries them) and read as value and band, ``12 (High)``. Row fields are not
rated, so a group has no rating line, only its rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from qa_tui.domain import QuestionType
from qa_tui.report.view import Finding, GroupPart
from qa_tui.returns import ReturnData
from qa_tui.returns.rows import states
from qa_tui.templates import Question, Section, Template, answer_label, parse_address, row_address
from qa_tui.templates.computed import ComputedValue, computed_values

NUMBER_WIDTH = 5
HEADER_PER_CHAR, TEXT_PER_CHAR = 1.4, 1.25
"""How much of A4's text width (174 mm) one character of a bold 10.5 pt heading, and of plain
text, takes (about): a column narrower than its longest word breaks the word ("Consequ-ence")."""
TITLE_WIDTH = 35
"""The row title's column when the other fields are listed beside it."""
LONG_WORD = 16
"""Words longer than this (a URL, a long name) may break: they would take a column alone."""
BLANK = "—"


def report_computed(data: ReturnData, template: Template) -> dict[str, ComputedValue]:
    """Every computed value of the return, by question id or row address."""
    return computed_values(template, states(data), data.row_counts())


def section_computed(section: Section, computed: Mapping[str, ComputedValue],
                     visible: set[str] | frozenset[str]) -> tuple[Finding, ...]:
    """An ordinary section's computed questions that have a value: value and band, with the
    working as the note."""
    out = []
    for q in section.questions:
        value = computed.get(q.id)
        if q.compute is not None and q.id in visible and value is not None \
                and value.value is not None:
            out.append(Finding(q.id, q.text, value.label, value.trace))
    return tuple(out)


def _cell(q: Question, key: str, answers: Mapping[str, tuple[str, str]],
          computed: Mapping[str, ComputedValue]) -> tuple[str, str]:
    """What one field of one row says (answer, note)."""
    if q.compute is not None:
        value = computed.get(key)
        return (value.label if value is not None and value.label else BLANK), ""
    return answers.get(key, (BLANK, ""))


def _widths(columns: list[list[str]], fields: tuple[Question, ...]) -> tuple[int, ...] | None:
    """Column widths (percent) with the number column first: each field column wide enough for
    its longest word (header or answer), the rest shared out with free text taking half as much
    again as a choice or number. None when the columns cannot fit across the page."""
    need = []
    for header, *texts in columns:
        longest = max((len(w) for w in header.split()), default=1)
        words = max((len(w) for t in texts for w in t.split()), default=1)
        need.append(math.ceil(max(HEADER_PER_CHAR * (min(longest, LONG_WORD) + 2),
                                  TEXT_PER_CHAR * (min(words, LONG_WORD) + 2))))
    room = 100 - NUMBER_WIDTH - sum(need)
    if room < 0:
        return None
    weights = [3 if q.type is QuestionType.TEXT else 2 for q in fields]
    widths = [n + room * w // sum(weights) for n, w in zip(need, weights, strict=True)]
    widths[-1] += 100 - NUMBER_WIDTH - sum(widths)
    return (NUMBER_WIDTH, *widths)


def group_part(section: Section, data: ReturnData,
               computed: Mapping[str, ComputedValue]) -> GroupPart:
    """One repeating section as a table of its rows."""
    assert section.repeat is not None
    gid = section.repeat.group
    fields = section.questions
    answers = {}
    for key, state in states(data).items():
        question = template_field(section, key)
        if question is not None:
            label = answer_label(question, state.value, state.na) or BLANK
            answers[key] = (label, state.note)
    count = data.row_counts().get(gid, 0)
    cells = [[_cell(q, row_address(gid, n, q.id), answers, computed) for q in fields]
             for n in range(1, count + 1)]
    columns = [[q.text, *("\n".join(x for x in row[i] if x) for row in cells)]
               for i, q in enumerate(fields)]
    widths = _widths(columns, fields)
    if widths is not None:
        headers = ("#", *(q.text for q in fields))
        lines = [(str(n), *(column[n] for column in columns)) for n in range(1, count + 1)]
    else:  # too many fields to stand side by side: the row title, then "Field: answer" lines
        title = section.field(section.repeat.row_title) if section.repeat.row_title else None
        at = fields.index(title) if title is not None else -1
        listed = [(q, i) for i, q in enumerate(fields) if i != at]

        def details(row: list[tuple[str, str]]) -> str:
            return "\n".join(_labelled(q.text, row[i][0]) + (f"\nNote: {row[i][1]}" if row[i][1]
                                                                else "") for q, i in listed)
        if title is not None:
            headers = ("#", title.text, "Details")
            widths = (NUMBER_WIDTH, TITLE_WIDTH, 100 - NUMBER_WIDTH - TITLE_WIDTH)
            lines = [(str(n), columns[at][n], details(row)) for n, row in enumerate(cells, 1)]
        else:
            headers, widths = ("#", "Answers"), (NUMBER_WIDTH, 100 - NUMBER_WIDTH)
            lines = [(str(n), details(row)) for n, row in enumerate(cells, 1)]
    rows_text = (f"{count} row{'s' if count != 1 else ''} recorded." if count
                 else "No rows were recorded.")
    return GroupPart(section.id, gid, section.title, rows_text, headers, widths, tuple(lines))


def _labelled(text: str, answer: str) -> str:
    """``Likelihood (1 to 5): Possible``: a question's full stop dropped before its answer,
    a question mark kept (``Who owns the risk? Matron``)."""
    label = text.rstrip(" .:")
    return f"{label} {answer}" if label.endswith("?") else f"{label}: {answer}"


def template_field(section: Section, key: str) -> Question | None:
    """The field of ``section`` that stored key ``key`` (``RISK[2].DESC``) answers, if any."""
    assert section.repeat is not None
    parsed = parse_address(key) if "[" in key else None
    if parsed is None or parsed.group != section.repeat.group:
        return None
    return section.field(parsed.field)
