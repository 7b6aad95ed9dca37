"""Text in cells: safe against formula injection, and exactly what was written when read back.

Two separate problems, two separate measures:

1. **Formula injection.** A text cell starting with ``= + - @``, tab, CR or LF (or their
   full-width forms) could become a live formula when a person edits the cell or saves the sheet
   as CSV. Such cells are written as string cells (``t="inlineStr"``, never ``<f>``) with the
   ``quotePrefix`` style, so Excel shows the text and never runs it. The text itself is not
   altered (an apostrophe prefix is a CSV habit and would show in the sheet).
2. **What XML and OOXML cannot carry as is.** XML 1.0 has no place for most control characters,
   turns a lone CR into LF, and Excel (and calamine) decode ``_xHHHH_`` in cell text as the
   character U+HHHH. So such characters are written as ``_xHHHH_`` and a literal ``_xHHHH_`` in
   the text has its underscore written as ``_x005F_`` (the OOXML rule). :func:`restore` undoes
   exactly this, so ``restore(escape(text)) == text`` for every text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
"""First characters that make a spreadsheet treat typed text as a formula (and full-width
forms, which some input methods turn into the ASCII ones)."""

EXCEL_CELL_LIMIT = 32_767
"""Characters Excel holds in one cell; openpyxl silently cuts anything longer."""

_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def escape(text: str) -> str:
    """Cell text for ``text``: characters XML cannot carry, and literal ``_xHHHH_``, encoded."""
    return _UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def restore(stored: str) -> str:
    """The original text of a cell written with :func:`escape` (Excel's own decoding rule)."""
    if "_x" not in stored:
        return stored
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), stored)


def needs_quote_prefix(text: str) -> bool:
    """True when the text starts like a formula and must be marked as literal text."""
    return bool(text) and text[0] in TRIGGERS


@dataclass(frozen=True)
class SafeText:
    """What the writer puts in a cell: the escaped text, and whether it needs quotePrefix."""

    stored: str
    quote_prefix: bool


def neutralise(text: str) -> SafeText:
    """The cell form of ``text``; a ``ValueError`` when it would not fit in one Excel cell."""
    stored = escape(text)
    if len(stored) > EXCEL_CELL_LIMIT:
        raise ValueError(f"text of {len(text):,} characters does not fit in one Excel cell")
    return SafeText(stored, needs_quote_prefix(text))
