"""Row field addresses: ``GROUP[N].FIELD`` (``RISK[2].LIKELIHOOD``), rows numbered from 1.

Only the text form lives here: the templates layer knows a group's fields but nothing of how many
rows an assessment has, so a parsed address says nothing about whether the row exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ROW_NUMBER = 999_999
"""Larger row numbers are refused as text, long before any limit of a template applies."""

_ADDRESS = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\[\s*(\d{1,6})\s*\]\s*\.\s*"
                      r"([A-Za-z0-9][A-Za-z0-9._-]{0,63})\s*$")


@dataclass(frozen=True)
class Address:
    """A parsed ``GROUP[N].FIELD``; ``str()`` gives the stored form."""

    group: str
    row: int
    field: str

    def __str__(self) -> str:
        return row_address(self.group, self.row, self.field)


def parse_address(text: str) -> Address | None:
    """The address in ``text``, or None when it is not of the form ``GROUP[N].FIELD`` (N >= 1)."""
    match = _ADDRESS.match(text)
    if match is None:
        return None
    row = int(match.group(2))
    if not 1 <= row <= MAX_ROW_NUMBER:
        return None
    return Address(match.group(1), row, match.group(3))


def row_address(group: str, row: int, field: str) -> str:
    """The stored key of a row field's answer: ``RISK[2].DESC``."""
    return f"{group}[{row}].{field}"


def is_row_address(key: str) -> bool:
    return "[" in key and parse_address(key) is not None
