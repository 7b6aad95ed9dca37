"""What a return may contain: exactly what the qa-tui writer writes, and nothing else.

Comparing cells with the JSON proves the values agree; it does not make the file safe to open
or say that it shows only those values. A forged return could add a macro (VBA) or ActiveX
part, a link to another workbook (DDE, ``WEBSERVICE``), a hyperlink on a rating, a formula in a
column that is never compared, or a number format that displays one rating as another. Each of
those lives in a part, relationship, element or format the writer never produces, so the
reader refuses anything outside these lists, naming what it found.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from qa_tui.errors import ReturnInvalid

_PARTS = re.compile(
    r"^(?:\[Content_Types\]\.xml|_rels/\.rels|docProps/(?:app|core)\.xml|xl/workbook\.xml"
    r"|xl/_rels/workbook\.xml\.rels|xl/styles\.xml|xl/theme/theme1\.xml"
    r"|xl/worksheets/sheet[1-9][0-9]?\.xml|xl/worksheets/_rels/sheet[1-9][0-9]?\.xml\.rels"
    r"|xl/tables/table[1-9][0-9]?\.xml|xl/sharedStrings\.xml)$")
"""The shared-strings table is the one part the writer does not write that is allowed: it is
data only, bounded like every part, and spreadsheet tools write it when they save a file, so an
edited copy is reported by the cell that changed rather than by the part."""

_KNOWN_DANGERS = (
    ("vbaproject", "macros (a VBA project)"),
    ("activex", "an ActiveX control"),
    ("externallink", "a link to another workbook"),
    ("embeddings", "an embedded object"),
    ("oleobject", "an embedded object"),
    ("drawings", "drawings"),
    ("connections", "a data connection"),
    ("querytable", "a query table"),
    ("customxml", "custom XML"),
    ("printersettings", "printer settings"),
)

_REL_TYPES = frozenset({"officeDocument", "core-properties", "extended-properties", "worksheet",
                        "sharedStrings",
                        "styles", "theme", "table"})

_WORKBOOK_CHILDREN = frozenset({"workbookPr", "workbookProtection", "bookViews", "sheets",
                                "definedNames", "calcPr"})
_SHEET_CHILDREN = frozenset({"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols",
                             "sheetData", "pageMargins", "pageSetup", "tableParts"})
_PRINT_TITLES = re.compile(r"^'[^'!]{1,31}'!\$1:\$1$")

NUMBER_FORMATS = frozenset({"yyyy-mm-dd", "yyyy-mm-dd h:mm:ss", "yyyy-mm-dd hh:mm", "0.0"})
"""Custom number formats the writer uses: dates, times and a score to one decimal."""
BUILTIN_FORMATS = frozenset({0, 1})
"""Built-in formats the writer uses: General and whole numbers."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_parts(names: set[str]) -> None:
    """Refuse any zip entry the writer never writes (macros, links, drawings, ...)."""
    for name in sorted(names):
        if _PARTS.match(name):
            continue
        lower = name.lower()
        what = next((w for key, w in _KNOWN_DANGERS if key in lower), None)
        shown = name if len(name) <= 80 else name[:77] + "..."
        raise ReturnInvalid(f"has a part qa-tui never writes: {shown!r}"
                            + (f" ({what})" if what else "")
                            + "; refused (a return holds only what qa-tui writes)")


def check_relationships(root: Element, part: str) -> None:
    """No external targets (links to other files or web addresses), only known kinds."""
    for rel in root:
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if (rel.get("TargetMode") or "").lower() == "external":
            what = "a hyperlink" if kind == "hyperlink" else f"an external link ({kind})"
            raise ReturnInvalid(f"part {part} has {what}; refused (a return never links "
                                "outside itself)")
        if kind not in _REL_TYPES:
            what = "a hyperlink" if kind == "hyperlink" else f"a {kind!r} relationship"
            raise ReturnInvalid(f"part {part} has {what}, which qa-tui never writes; refused")


def check_workbook(book: Element) -> None:
    """Only the workbook elements the writer writes; print titles the only defined names."""
    for child in book:
        tag = _local(child.tag)
        if tag not in _WORKBOOK_CHILDREN:
            raise ReturnInvalid(f"the workbook has {tag!r}, which qa-tui never writes "
                                "(refused: it could link outside the file or run code)")
        if tag == "definedNames":
            for name in child:
                if name.get("name") != "_xlnm.Print_Titles" or \
                        not _PRINT_TITLES.match(name.text or ""):
                    raise ReturnInvalid("the workbook defines a name qa-tui never writes "
                                        f"({(name.get('name') or '')[:40]!r}); refused (a "
                                        "defined name can hold a formula)")


def check_sheet(root: Element, part: str, sheet: str) -> None:
    """Only the sheet elements the writer writes: no hyperlinks, conditional formats,
    data validation, drawings, OLE objects or controls."""
    for child in root:
        tag = _local(child.tag)
        if tag not in _SHEET_CHILDREN:
            what = "hyperlinks" if tag == "hyperlinks" else repr(tag)
            raise ReturnInvalid(f"sheet {sheet} has {what}, which qa-tui never writes; "
                                "refused (it could change what a cell shows or link "
                                "outside the file)")


def check_styles(styles: Element) -> None:
    """Every number format is one the writer uses: a custom format can show any text in
    place of a number (``[=3]"Good"``), so a rating could display as another."""
    declared: set[int] = set()
    for element in styles.iter():
        if _local(element.tag) == "numFmt":
            code = element.get("formatCode", "")
            if code not in NUMBER_FORMATS:
                raise ReturnInvalid(f"the styles have a number format qa-tui never writes "
                                    f"({code[:40]!r}); refused (a number format can display "
                                    "one value as another)")
            declared.add(_number(element.get("numFmtId")))
    for element in styles.iter():
        if "numFmtId" in element.attrib and _local(element.tag) != "numFmt":
            number = _number(element.get("numFmtId"))
            if number not in BUILTIN_FORMATS and number not in declared:
                raise ReturnInvalid(f"the styles use number format {number}, which qa-tui "
                                    "never writes; refused (a number format can display one "
                                    "value as another)")


def _number(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise ReturnInvalid(f"the styles have a bad number format id {str(text)[:20]!r}") \
            from None
