"""Find probable patient identifiers in free text, without ever repeating them in full.

Evidence notes are written fast on a ward, and a return travels by email: an NHS number or a date
of birth in a note is a data breach. The rules aim for few false alarms:

- NHS numbers: ten digits (spaces or dashes allowed in the 3-3-4 pattern) that pass the Modulus 11
  check; a ten-digit number failing it is not flagged.
- Dates of birth: a date within a few words after "DOB", "D.O.B.", "date of birth" or "born".
- Full UK postcodes (outward and inward parts, e.g. NE1 4LP); a district alone (NE1) is not.
- Email addresses, and UK phone numbers (0 or +44 and 10-11 digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NHS_NUMBER = "NHS number"
DATE_OF_BIRTH = "date of birth"
POSTCODE = "postcode"
EMAIL = "email address"
PHONE = "phone number"

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_DATE = (r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}"
         r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{2,4})")
_DOB = re.compile(r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*"
                  r"(?:on\s+)?(" + _DATE + r")", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKMNPR-Y\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
                       re.IGNORECASE)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)(?:\d[\s-]?){9,10}(?!\d)")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    masked: str

    def describe(self) -> str:
        return f"{self.kind} ({self.masked})"


def nhs_number_valid(digits: str) -> bool:
    """The NHS Modulus 11 check: weights 10..2 on the first nine digits; 10 is never valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def mask(value: str) -> str:
    """Enough to find it again in the note (the last two characters), never the whole value."""
    compact = value.strip()
    if len(compact) <= 4:
        return "*" * len(compact)
    return "*" * (len(compact) - 2) + compact[-2:]


def scan_text(text: str) -> list[Finding]:
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in taken)

    def add(kind: str, start: int, end: int) -> None:
        if overlaps(start, end):
            return
        taken.append((start, end))
        findings.append(Finding(kind, start, end, mask(text[start:end])))

    for m in _NHS.finditer(text):
        if nhs_number_valid("".join(m.groups())):
            add(NHS_NUMBER, m.start(), m.end())
    for m in _DOB.finditer(text):
        add(DATE_OF_BIRTH, m.start(1), m.end(1))
    for m in _EMAIL.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        national = "0" + digits[2:].removeprefix("0") if m.group().startswith("+") else digits
        if len(national) in (10, 11) and national.startswith("0"):
            add(PHONE, m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        add(POSTCODE, m.start(), m.end())
    return sorted(findings, key=lambda f: f.start)
