"""The organisation register: one name per organisation, whatever spelling a return used.

Returns carry an organisation name typed by an assessor and, usually, an ODS code. A committee
counts organisations, so "Northfield Care Home" and "Northfield care home ltd" under one code
must be one line. The register is read offline from a CSV in the NHS ODS layout (the files
published by NHS England's Organisation Data Service, with or without a header row) and
matches a return by ODS code first, then by normalised name. Without a register the same code
is still one organisation. Pure: reads one file when asked, imports nothing heavy.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qa_tui.errors import InvalidInput

CODE_HEADERS = ("organisation code", "organization code", "org code", "ods code", "code",
                "org_code", "ods_code", "organisation_code")
NAME_HEADERS = ("name", "organisation name", "organization name", "org name", "org_name",
                "organisation_name")
PARENT_HEADERS = ("parent organisation code", "parent code", "parent", "commissioner",
                  "commissioner code", "icb", "icb code", "sub icb location",
                  "high level health geography", "parent_code", "commissioner_code")
"""Header names accepted for each column (compared case-insensitively, spaces and
underscores alike). Without a header row the ODS file layout is assumed: code, name, national
grouping, high level health geography (the parent), address lines... (see README)."""
HEADERLESS_PARENT = 3
_CODE = re.compile(r"^[A-Z0-9]{3,6}$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(name: str) -> str:
    """A name as compared: case, punctuation, spacing, '&' and a leading 'The' ignored."""
    text = name.casefold().replace("&", " and ")
    words = _NOT_WORD.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def normalise_code(code: str | None) -> str | None:
    text = (code or "").strip().upper()
    return text or None


@dataclass(frozen=True)
class OrgEntry:
    code: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Match:
    """Which organisation a return belongs to, as the committee sheets show it."""

    key: str
    """Stable identity: the ODS code (upper case) or ``name:<normalised name>``."""
    name: str | None
    """The register's name, or None when there is no register entry (the return's own name
    is used, see :class:`Organisations`)."""
    code: str | None
    how: str
    """``code``, ``name``, ``unmatched`` (a register was given, no entry matched) or
    ``unregistered`` (no register)."""
    differs: bool = False
    """Matched by code, but the return spells the name differently from the register."""


@dataclass
class Register:
    entries: dict[str, OrgEntry] = field(default_factory=dict)
    """By ODS code (upper case)."""
    source: str = ""

    def __post_init__(self) -> None:
        self._by_name = {normalise_name(e.name): e for e in self.entries.values()}

    def match(self, code: str | None, name: str) -> Match:
        key = normalise_code(code)
        if key is not None and key in self.entries:
            entry = self.entries[key]
            differs = normalise_name(entry.name) != normalise_name(name)
            return Match(key, entry.name, entry.code, "code", differs)
        entry = self._by_name.get(normalise_name(name))
        if entry is not None:
            return Match(entry.code, entry.name, entry.code, "name")
        return Match(key or f"name:{normalise_name(name)}", None, key, "unmatched")

    def suggestions(self) -> tuple[list[str], list[str]]:
        """(names, codes) in a stable order, for suggest-as-you-type inputs."""
        entries = sorted(self.entries.values(), key=lambda e: (e.name.casefold(), e.code))
        return [e.name for e in entries], [e.code for e in entries]


def no_register_match(code: str | None, name: str) -> Match:
    """Without a register: the same code is one organisation; no code, the same name."""
    key = normalise_code(code)
    return Match(key or f"name:{normalise_name(name)}", None, key, "unregistered")


def _header_index(header: Sequence[str], accepted: Iterable[str]) -> int | None:
    cells = [" ".join(h.replace("_", " ").casefold().split()) for h in header]
    for name in accepted:
        wanted = " ".join(name.replace("_", " ").split())
        if wanted in cells:
            return cells.index(wanted)
    return None


def parse_register(text: str, source: str = "register") -> Register:
    """Read a register CSV; every bad row is reported at once (file and line), nothing kept."""
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    if not rows:
        raise InvalidInput("the organisation register is empty", where=source)
    first = rows[0]
    code_at = _header_index(first, CODE_HEADERS)
    name_at = _header_index(first, NAME_HEADERS)
    if code_at is not None or name_at is not None:
        if code_at is None or name_at is None:
            missing = "code" if code_at is None else "name"
            raise InvalidInput(
                f"the header row has no {missing} column (accepted: "
                f"{', '.join(CODE_HEADERS if code_at is None else NAME_HEADERS)})",
                where=f"{source}, line 1")
        parent_at = _header_index(first, PARENT_HEADERS)
        body, start = rows[1:], 2
    else:
        code_at, name_at, parent_at, body, start = 0, 1, HEADERLESS_PARENT, rows, 1
    entries: dict[str, OrgEntry] = {}
    problems: list[str] = []
    for line, row in enumerate(body, start=start):
        code = normalise_code(row[code_at] if code_at < len(row) else "")
        name = " ".join((row[name_at] if name_at < len(row) else "").split())
        parent = normalise_code(row[parent_at]) if parent_at is not None and \
            parent_at < len(row) else None
        if code is None or not _CODE.match(code):
            problems.append(f"line {line}: {code or '(blank)'!s} is not an ODS code "
                            "(3 to 6 letters and digits)")
        elif not name:
            problems.append(f"line {line}: organisation {code} has no name")
        elif code in entries and entries[code].name != name:
            problems.append(f"line {line}: code {code} appears twice with different names")
        else:
            entries[code] = OrgEntry(code, name, parent)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more"
                                           if len(problems) > 5 else "")
        raise InvalidInput(f"the organisation register has bad rows: {shown}", where=source)
    return Register(entries, source)


def read_register(path: Path) -> Register:
    """Read a register file (UTF-8, or Windows-1252 as Excel may save it)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"could not read the organisation register: "
                           f"{exc.strerror or exc}", where=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_register(text, str(path))


def write_register(register: Register) -> str:
    """The register as a CSV with a header (what ``orgs load`` keeps)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Organisation code", "Name", "Parent organisation code"])
    for e in sorted(register.entries.values(), key=lambda e: e.code):
        writer.writerow([e.code, e.name, e.parent or ""])
    return out.getvalue()
