"""Find probable patient identifiers in free text, without ever repeating them in full.

Evidence notes are written fast on a ward, and a return travels by email: an NHS number or a date
of birth in a note is a data breach. The rules aim for few false alarms:

- NHS numbers: ten digits that pass the Modulus 11 check, however they are written: together,
  or in groups of three or more digits (3-3-4, 4-3-3, 5-5, ...) each joined by the same
  separator (any Unicode space or line break, zero-width space, dot, slash, underscore or
  dash; lists of one- and two-digit numbers are left alone), in any script's digits, and with
  letters right against them (``pt9434765919``). Ten digits inside a longer sequence of
  groups (``943 476 5919 2``) count too. Groups joined by different separators
  (``12/03/2024 10``: a date and an hour) and a digit run longer than ten with no separator
  (an order number) are not flagged, nor is a ten-digit number failing the check.
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

_SEPARATOR = "[\\s._/\\-\u2010-\u2015\u2212\u00b7\u200b-\u200d\u2060\ufeff]"
_DIGIT_GROUPS = re.compile(rf"\d+(?:{_SEPARATOR}{{1,3}}\d+)*")
_GROUP = re.compile(r"\d+")
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


def _gap_kind(gap: str) -> str:
    """A gap between digit groups, normalised: any space, line break or zero-width character is
    a space, any dash a hyphen (``943 – 476 – 5919`` has two gaps of the same kind)."""
    return "".join(" " if ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff" else
                   "-" if ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212" else ch
                   for ch in gap)


def nhs_numbers(text: str) -> list[tuple[int, int]]:
    """Where ten digits written in any of the ways above pass the Modulus 11 check."""
    found: list[tuple[int, int]] = []
    for run in _DIGIT_GROUPS.finditer(text):
        groups = [(run.start() + g.start(), run.start() + g.end())
                  for g in _GROUP.finditer(run.group())]
        for i in range(len(groups)):
            size = 0
            for j in range(i, len(groups)):
                size += groups[j][1] - groups[j][0]
                if size > 10:
                    break
                if size < 10:
                    continue
                chosen = groups[i:j + 1]
                if len(chosen) > 1:
                    if any(e - s < 3 for s, e in chosen):
                        break
                    gaps = {_gap_kind(text[a[1]:b[0]])
                            for a, b in zip(chosen, chosen[1:], strict=False)}
                    if len(gaps) > 1:
                        break
                digits = "".join(str(int(ch)) for s, e in chosen for ch in text[s:e])
                if nhs_number_valid(digits):
                    found.append((chosen[0][0], chosen[-1][1]))
                break
    return found


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

    for start, end in nhs_numbers(text):
        add(NHS_NUMBER, start, end)
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
