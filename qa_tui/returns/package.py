"""Open an untrusted ``.xlsx`` safely and read sheets as grids of plain values.

Everything a hostile file could use is checked before it is used: the file size, every zip
member's declared size and compression ratio (a zip bomb is refused before a byte is inflated),
encryption, duplicate names; XML is parsed by expat with defusedxml's refusals (a DTD, an
entity declaration or an external reference stops the parse), so entity expansion and external
entities never run. Formulas are never evaluated: a cell holding one is
reported. A part that is missing or not well-formed is an error, never an empty sheet (lenient
readers accept both silently).
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from qa_tui.errors import ReturnInvalid
from qa_tui.returns import allowlist
from qa_tui.returns.textsafe import restore
from qa_tui.safefile import NotReadable, read_limited

MAX_FILE = 5 * 1024 * 1024
MAX_TOTAL = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 64 * 1024
"""Parts smaller than this may compress better than 100:1 without being a threat."""
MAX_MEMBERS = 500
MAX_PART = 8 * 1024 * 1024
"""Uncompressed bytes of one part: the largest real return's biggest sheet is a few hundred KB."""
MAX_DEPTH = 32
"""Element nesting in one part: the writer's deepest is 6 (a cell's inline text run)."""
MAX_ELEMENTS = 1_000_000
"""Elements parsed in one file, all parts together: a bound on the parse work per file."""
MAX_CELL_TEXT = 32_767
"""Characters in one cell, Excel's own limit: no cell of a real return holds more."""

_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


_LOCALS: dict[str, str] = {}
"""Local names by qualified tag, looked up in the cell loops instead of splitting every tag
of every cell (a return's sheets hold ~100,000 elements, all with a handful of tag names).
Bounded: a hostile file's invented tags stop being remembered at 1,024."""


def _local(tag: str) -> str:
    name = _LOCALS.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCALS) < 1024:
            _LOCALS[tag] = name
    return name


def _attr(element: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``r:id``, strict OOXML)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: never evaluated, only reported."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    code: str


CellValue = str | float | bool | Formula | ErrorValue | None
Grid = dict[tuple[int, int], CellValue]


class Package:
    """The parts of one workbook file, checked against the limits before any is inflated."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self._zip = archive
        self.names = {info.filename for info in archive.infolist()}
        self.elements = 0
        """Elements parsed so far, across every part (see :data:`MAX_ELEMENTS`)."""

    @classmethod
    def open(cls, path: Path) -> Package:
        try:
            raw = read_limited(path, MAX_FILE, what="return")
        except NotReadable as exc:
            raise ReturnInvalid(exc.message) from None
        if raw.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReturnInvalid("is an old-style (.xls) or password-protected Excel file, "
                                "not a qa-tui return")
        if not raw.startswith(b"PK\x03\x04"):
            what = "an empty file" if not raw else "not a zip file"
            raise ReturnInvalid(f"is not an Excel workbook ({what})")
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ReturnInvalid("is damaged or truncated (its zip directory cannot be read)") \
                from None
        _check_members(archive.infolist())
        return cls(path, archive)

    def read(self, name: str, what: str) -> bytes:
        if name not in self.names:
            raise ReturnInvalid(f"part {name} ({what}) is missing")
        info = self._zip.getinfo(name)
        try:
            with self._zip.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise ReturnInvalid(f"part {name} ({what}) is damaged ({exc})") from None
        if len(data) > info.file_size:
            raise ReturnInvalid(f"part {name} ({what}) is larger than its zip entry declares")
        return data

    def xml(self, name: str, what: str) -> Element:
        """Part ``name`` parsed, bounded and defused: expat driving the C tree builder, with
        a DTD, an entity declaration or an external reference refused as defusedxml's parser
        refuses them (the same handlers). Not ``DefusedXMLParser`` itself: it runs the
        pure-Python ElementTree parser, whose per-element name fixing was most of the time
        a consolidation spent reading returns (issue 20)."""
        data = self.read(name, what)
        builder = TreeBuilder()
        parser = expat.ParserCreate(None, "}")
        depth = 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth
            depth += 1
            self.elements += 1
            if depth > MAX_DEPTH:
                raise _TooMuch(f"part {name} ({what}) nests elements more than "
                               f"{MAX_DEPTH} deep (refused: a return nests at most a few levels)")
            if self.elements > MAX_ELEMENTS:
                raise _TooMuch(f"has more than {MAX_ELEMENTS:,} XML elements (refused: too much "
                               "to check; a return has a few thousand)")
            builder.start(tag, attrs)

        def end(tag: str) -> None:
            nonlocal depth
            depth -= 1
            builder.end(tag)

        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = builder.data
        parser.StartDoctypeDeclHandler = _no_doctype
        parser.EntityDeclHandler = _no_entity
        parser.UnparsedEntityDeclHandler = _no_unparsed_entity
        parser.ExternalEntityRefHandler = _no_external
        try:
            parser.Parse(data, True)
            root: Element = builder.close()
            return root
        except _TooMuch as exc:
            raise ReturnInvalid(str(exc)) from None
        except DefusedXmlException:
            raise ReturnInvalid(f"part {name} ({what}) declares a DTD or entities "
                                "(refused: a return never has them)") from None
        except expat.ExpatError as exc:
            raise ReturnInvalid(f"part {name} ({what}) is not well-formed XML "
                                f"(line {exc.lineno}, column {exc.offset})") from None


class _TooMuch(Exception):
    """Raised from inside the parser when a part is too deep or the file too large to parse."""


def _no_doctype(name: str, sysid: str | None, pubid: str | None, internal: bool) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _no_entity(name: str, is_parameter: bool, value: str | None, base: str | None,
               sysid: str | None, pubid: str | None, notation: str | None) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _no_unparsed_entity(name: str, base: str | None, sysid: str | None, pubid: str | None,
                        notation: str | None) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _no_external(context: str, base: str | None, sysid: str | None,
                 pubid: str | None) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise ReturnInvalid(f"has too many parts ({len(infos)}; at most {MAX_MEMBERS})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise ReturnInvalid(f"has two zip entries named {name} (refused as ambiguous)")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise ReturnInvalid(f"part {name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReturnInvalid(f"part {name} uses an unsupported compression method")
        total += info.file_size
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise ReturnInvalid(f"part {name} expands too much ({ratio:,.0f}:1; at most "
                                    f"{MAX_RATIO}:1): refused as a possible zip bomb")
        if info.file_size > MAX_PART:
            raise ReturnInvalid(f"part {name} would expand to {_mb(info.file_size)} (at most "
                                f"{_mb(MAX_PART)} a part): refused as too large to check")
    if total > MAX_TOTAL:
        raise ReturnInvalid(f"would expand to {_mb(total)} (at most {_mb(MAX_TOTAL)}): "
                            "refused as a possible zip bomb")


def workbook_sheets(pkg: Package) -> tuple[dict[str, str], dict[str, str], str | None]:
    """Sheet name -> part name, sheet name -> state, and the shared-strings part (if any)."""
    pkg.xml("[Content_Types].xml", "content types")
    book = pkg.xml("xl/workbook.xml", "workbook")
    rels = pkg.xml("xl/_rels/workbook.xml.rels", "workbook relationships")
    targets: dict[str, str] = {}
    shared: str | None = None
    for rel in rels:
        target, rid, kind = rel.get("Target", ""), rel.get("Id", ""), rel.get("Type", "")
        part = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
        targets[rid] = part
        if kind.endswith("/sharedStrings"):
            shared = part
    parts: dict[str, str] = {}
    states: dict[str, str] = {}
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        name, rid = element.get("name", ""), _attr(element, "id") or ""
        if rid not in targets:
            raise ReturnInvalid(f"the workbook names sheet {name!r} but not where it is")
        parts[name] = targets[rid]
        states[name] = element.get("state", "visible")
    return parts, states, shared


def check_contents(pkg: Package) -> None:
    """Once the file is known to be a return: every part, relationship, workbook element and
    number format is one the writer writes (:mod:`qa_tui.returns.allowlist`)."""
    allowlist.check_parts(pkg.names)
    for name in sorted(pkg.names):
        if name.endswith(".rels"):
            allowlist.check_relationships(pkg.xml(name, "relationships"), name)
    allowlist.check_workbook(pkg.xml("xl/workbook.xml", "workbook"))
    allowlist.check_styles(pkg.xml("xl/styles.xml", "styles"))


def shared_strings(pkg: Package, part: str | None) -> list[str]:
    if part is None or part not in pkg.names:
        return []
    return [_text(si) for si in pkg.xml(part, "shared strings") if _local(si.tag) == "si"]


def _text(element: Element) -> str:
    """Text of a string item: its own ``t`` or its runs' ``t``; phonetic hints left out."""
    out: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            out.append(child.text or "")
        elif tag == "r":
            out.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return _limited(restore("".join(out)))


def _limited(text: str) -> str:
    """Cell text no longer than Excel allows: no cell of a real return holds more."""
    if len(text) > MAX_CELL_TEXT:
        raise ReturnInvalid(f"a cell holds {len(text):,} characters (Excel holds at most "
                            f"{MAX_CELL_TEXT:,}; refused)")
    return text


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA: for naming a cell in a message."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.lru_cache(maxsize=None)
def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_grid(pkg: Package, part: str, sheet: str, strings: list[str]) -> Grid:
    """Every non-empty cell of a sheet part, by (row, column), both from 1."""
    root = pkg.xml(part, f"sheet {sheet}")
    allowlist.check_sheet(root, part, sheet)
    grid: Grid = {}
    data = next((e for e in root if _local(e.tag) == "sheetData"), None)
    if data is None:
        raise ReturnInvalid(f"part {part} (sheet {sheet}) has no sheet data")
    row_no = 0
    local = _LOCALS.get
    for row in data:
        if (local(row.tag) or _local(row.tag)) != "row":
            continue
        row_no = _int(row.get("r"), row_no + 1, part)
        col_no = 0
        for cell in row:
            if (local(cell.tag) or _local(cell.tag)) != "c":
                continue
            ref = cell.get("r")
            if ref is not None:
                match = _CELL_REF.match(ref)
                if match is None:
                    raise ReturnInvalid(f"part {part} (sheet {sheet}) has a bad cell "
                                        f"reference {ref!r}")
                col_no = _column(match.group(1))  # cached: at most 18,278 names
            else:
                col_no += 1
            value = _cell_value(cell, strings, part, sheet)
            if value is not None and value != "":
                grid[(row_no, col_no)] = value
    return grid


def _int(text: str | None, default: int, part: str) -> int:
    if text is None:
        return default
    if not text.isdigit():
        raise ReturnInvalid(f"part {part} has a bad row number {text!r}")
    return int(text)


def _cell_value(cell: Element, strings: list[str], part: str, sheet: str) -> CellValue:
    kind = cell.get("t", "n")
    local = _LOCALS.get
    children = {local(c.tag) or _local(c.tag): c for c in cell}
    if "f" in children:
        return Formula(children["f"].text or "")
    raw = children["v"].text if "v" in children else None
    if kind == "inlineStr":
        return _text(children["is"]) if "is" in children else ""
    if raw is None:
        return None
    try:
        if kind == "s":
            return strings[int(raw)]
        if kind in ("str", "d"):
            return _limited(restore(raw))
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return ErrorValue(raw)
        return float(raw)
    except (ValueError, IndexError):
        raise ReturnInvalid(f"part {part} (sheet {sheet}) has a cell {cell.get('r', '?')} "
                            f"that cannot be read") from None


def describe(value: Any) -> str:
    """A cell value as a person would recognise it in a message."""
    if isinstance(value, Formula):
        return "a formula"
    if isinstance(value, ErrorValue):
        return value.code
    return repr(value)
