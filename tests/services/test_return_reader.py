"""Every way the reader refuses a file, each with its own plain reason naming the place."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from qa_tui.errors import ReturnInvalid
from qa_tui.returns import package, read_return
from qa_tui.services import Services
from qa_tui.templates import canonical_json, sha256_hex

from tests.test_return_support import machine_sheet, part, rezip, sample

RETURN_PART = "xl/worksheets/sheet5.xml"
RESPONSES_PART = "xl/worksheets/sheet3.xml"


@pytest.fixture
def good(services: Services, tmp_path: Path) -> Path:
    return services.returns.export(sample(services), tmp_path / "good").path


def _document(path: Path) -> dict:
    return read_return(path).document


def _with_document(good: Path, out: Path, change: Callable[[dict], None]) -> Path:
    """A return whose JSON was changed and re-hashed (as a careful forger would)."""
    document = _document(good)
    change(document)
    text = canonical_json(document)
    return rezip(good, out, {RETURN_PART: machine_sheet(text, sha256_hex(text))})


def _edit_cell(good: Path, out: Path, sheet: str, ref: str, value: object) -> Path:
    wb = load_workbook(good)
    wb[sheet][ref] = value
    wb.save(out)
    return out


def _bomb(good: Path, out: Path) -> Path:
    return rezip(good, out, {"xl/worksheets/sheet2.xml": b" " * (20 * 1024 * 1024)})


def _many_parts(good: Path, out: Path) -> Path:
    return rezip(good, out, {f"junk/{i}.txt": b"x" for i in range(600)})


def _duplicate(good: Path, out: Path) -> Path:
    data = io.BytesIO(good.read_bytes())
    with zipfile.ZipFile(data, "a") as z, pytest.warns(UserWarning):
        z.writestr("xl/workbook.xml", part(good, "xl/workbook.xml"))
    out.write_bytes(data.getvalue())
    return out


def _billion_laughs(good: Path, out: Path) -> Path:
    evil = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
            b'</sheetData></worksheet>')
    return rezip(good, out, {RESPONSES_PART: evil})


def _add_row(good: Path, out: Path) -> Path:
    wb = load_workbook(good)
    wb["Responses"]["A40"] = "sneaked in"
    wb.save(out)
    return out


def _drop_sheet(good: Path, out: Path) -> Path:
    book = part(good, "xl/workbook.xml").decode()
    start = book.index('<sheet name="Responses"')
    end = book.index("/>", start) + 2
    return rezip(good, out, {"xl/workbook.xml": (book[:start] + book[end:]).encode()})


def _plain_workbook(good: Path, out: Path) -> Path:
    wb = Workbook()
    wb.active["A1"] = "just a spreadsheet"
    wb.save(out)
    return out


def _bad_answer(document: dict) -> None:
    document["answers"][0]["value"] = 7


def _bad_snapshot(document: dict) -> None:
    document["template"]["snapshot"]["title"] = "Tampered"


def _bad_time(document: dict) -> None:
    document["assessment"]["created_at"] = "yesterday"


CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("empty", lambda g, o: (o.write_bytes(b""), o)[1], "is not an Excel workbook (an empty file)"),
    ("not a zip", lambda g, o: (o.write_text("name,rating\nx,Good\n"), o)[1],
     "is not an Excel workbook (not a zip file)"),
    ("old excel", lambda g, o: (o.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600), o)[1],
     "old-style (.xls) or password-protected"),
    ("truncated", lambda g, o: (o.write_bytes(g.read_bytes()[: g.stat().st_size // 2]), o)[1],
     "is damaged or truncated"),
    ("too large", lambda g, o: (o.write_bytes(b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024)), o)[1],
     "is too large to be a return (6.0 MB; at most 5.0 MB)"),
    ("zip bomb", _bomb, "part xl/worksheets/sheet2.xml expands too much"),
    ("too many parts", _many_parts, "has too many parts (6"),
    ("duplicate part", _duplicate, "has two zip entries named xl/workbook.xml"),
    ("plain workbook", _plain_workbook, "is not a qa-tui return (it has no _return sheet)"),
    ("missing sheet part", lambda g, o: rezip(g, o, {RESPONSES_PART: None}),
     "part xl/worksheets/sheet3.xml (sheet Responses) is missing"),
    ("missing workbook part", lambda g, o: rezip(g, o, {"xl/workbook.xml": None}),
     "part xl/workbook.xml (workbook) is missing"),
    ("truncated sheet xml", lambda g, o: rezip(g, o, {
        RESPONSES_PART: part(g, RESPONSES_PART)[:2000]}),
     "part xl/worksheets/sheet3.xml (sheet Responses) is not well-formed XML"),
    ("entity bomb", _billion_laughs, "declares a DTD or entities"),
    ("sheet removed", _drop_sheet, "the Responses sheet is missing"),
    ("edited note", lambda g, o: _edit_cell(g, o, "Responses", "I3", "nicer words"),
     "edited after export: Responses row 3 (WL2), column Evidence note"),
    ("edited rating", lambda g, o: _edit_cell(g, o, "Summary", "G2", "Outstanding"),
     "edited after export: Summary row 2 (well-led), column Rating is 'Outstanding', expected"),
    ("edited date", lambda g, o: _edit_cell(g, o, "Actions", "E2", None),
     "column Due date is empty"),
    ("edited cover", lambda g, o: _edit_cell(g, o, "Cover", "B8", "Another Trust"),
     "edited after export: Cover row 8 (Organisation), column Value"),
    ("formula", lambda g, o: _edit_cell(g, o, "Responses", "H2", "=1+1"),
     "edited after export: Responses row 2 (WL1), column Score holds a formula"),
    ("row added", _add_row, "edited after export: Responses row 40 was added (cell A40)"),
    ("hash mismatch", lambda g, o: rezip(g, o, {RETURN_PART: machine_sheet(
        canonical_json(_document(g)).replace("Trust board", "Trust bored"),
        read_return(g).sha256)}),
     "the return data does not match its SHA-256 (damaged or edited)"),
    ("unknown version", lambda g, o: rezip(g, o, {RETURN_PART: machine_sheet(
        canonical_json(_document(g)), read_return(g).sha256, version=2)}),
     "format version 2 is not supported (this qa-tui reads version 1)"),
    ("not json", lambda g, o: rezip(g, o, {RETURN_PART: machine_sheet(
        "{not json", sha256_hex("{not json"))}), "is not valid JSON"),
    ("not canonical", lambda g, o: rezip(g, o, {RETURN_PART: machine_sheet(
        (t := json.dumps(_document(g), indent=1)), sha256_hex(t))}), "not in canonical form"),
    ("json edited, sheets not", lambda g, o: _with_document(
        g, o, lambda d: d["assessment"]["organisation"].update(name="Forged Trust")),
     "edited after export: Cover row 8 (Organisation), column Value is 'Example NHS Trust', "
     "expected 'Forged Trust'"),
    ("bad answer", lambda g, o: _with_document(g, o, _bad_answer),
     "the answer to WL1 is not valid: 7 is not an answer here"),
    ("bad snapshot", lambda g, o: _with_document(g, o, _bad_snapshot),
     "the template snapshot does not match its hash"),
    ("bad field", lambda g, o: _with_document(g, o, _bad_time),
     "the return data is not valid: assessment.created_at: 'yesterday' is not a UTC time"),
]


@pytest.mark.parametrize(("name", "make", "reason"), CASES, ids=[c[0] for c in CASES])
def test_each_refusal_has_its_own_reason(good: Path, tmp_path: Path, name: str,
                                         make: Callable[[Path, Path], Path], reason: str) -> None:
    crafted = make(good, tmp_path / "crafted.xlsx")
    with pytest.raises(ReturnInvalid) as caught:
        read_return(crafted)
    message = str(caught.value)
    assert reason in message, message
    assert message.startswith(f"{crafted}: ")
    assert "\n" not in message and caught.value.code == "return"


def test_reasons_are_all_different() -> None:
    reasons = [c[2] for c in CASES]
    assert len(set(reasons)) == len(reasons)


def test_total_size_cap(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_TOTAL", 10_000)
    with pytest.raises(ReturnInvalid, match="would expand to .* refused as a possible zip bomb"):
        read_return(good)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReturnInvalid, match="cannot be read"):
        read_return(tmp_path / "nope.xlsx")


def test_the_good_file_passes(good: Path) -> None:
    checked = read_return(good)
    assert checked.data.org_name == "Example NHS Trust"
    assert checked.template.id == "cqc-saf-well-led"


def test_additive_changes_of_a_later_1x_writer_are_accepted(good: Path, tmp_path: Path) -> None:
    """The compatibility promise: new columns, Cover rows, JSON keys and sheets are ignored."""
    def future(document: dict) -> None:
        document["future_key"] = {"anything": [1, 2]}
        document["assessment"]["new_field"] = "later"

    newer = _with_document(good, tmp_path / "newer.xlsx", future)
    wb = load_workbook(newer)
    hash_row = next(r for r in range(1, 40)
                    if wb["Cover"].cell(r, 1).value == "Content hash (SHA-256)")
    wb["Cover"].cell(hash_row, 2).value = wb["_return"]["B3"].value  # a 1.x writer's own hash
    wb["Responses"]["L1"] = "Reviewer comment"
    wb["Responses"]["L3"] = "a person's added column"
    wb["Cover"]["A30"] = "Signed off by"
    wb.create_sheet("Evidence")["A1"] = "more"
    wb.save(tmp_path / "edited.xlsx")
    checked = read_return(tmp_path / "edited.xlsx")
    assert checked.document["future_key"] == {"anything": [1, 2]}
    assert checked.data == read_return(good).data
