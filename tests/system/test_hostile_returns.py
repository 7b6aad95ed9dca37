"""Fuzz the return reader: whatever the bytes, a clean ReturnInvalid (or a genuine return)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_tui.errors import ReturnInvalid
from qa_tui.returns import read_return
from qa_tui.services import Services

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def valid_return(services: Services, tmp_path: Path) -> bytes:
    svc = services.assessments
    aid = svc.start("cqc-saf-well-led", org_name="Fuzz Trust", org_code="RTD").id
    for i in range(1, 9):
        svc.answer(aid, f"WL{i}", str(1 + i % 4), note=f"=cmd|' /C calc'!A{i} and more")
    svc.add_action(aid, "@SUM(A1) +44 -- check", owner="Owner")
    return services.returns.export(aid, tmp_path / "clean").path.read_bytes()


def _check(tmp_path: Path, data: bytes) -> None:
    """Any fuzzed file is read or refused with one located line. How long it may take is not
    asserted here (timings are for benchmarks): the reader bounds its work by counts (bytes,
    depth, elements), which tests/test_hostile_files.py proves with files crafted to hit each."""
    path = tmp_path / "fuzzed.xlsx"
    path.write_bytes(data)
    try:
        read_return(path)
    except ReturnInvalid as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)


@FUZZ
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=8))
def test_byte_flips(valid_return: bytes, tmp_path: Path, flips: list[tuple[float, int]]) -> None:
    data = bytearray(valid_return)
    for where, value in flips:
        data[int(where * len(data))] = value
    _check(tmp_path, bytes(data))


@FUZZ
@given(cut=st.floats(0, 1, exclude_max=True))
def test_truncation(valid_return: bytes, tmp_path: Path, cut: float) -> None:
    _check(tmp_path, valid_return[: int(cut * len(valid_return))])


@FUZZ
@given(member=st.integers(0, 50), start=st.floats(0, 1), junk=st.binary(max_size=64))
def test_edited_xml_inside_a_sound_zip(valid_return: bytes, tmp_path: Path, member: int,
                                       start: float, junk: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(valid_return))
    names = source.namelist()
    target = names[member % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            body = source.read(name)
            if name == target:
                at = int(start * len(body))
                body = body[:at] + junk + body[at + len(junk):]
            z.writestr(name, body)
    _check(tmp_path, out.getvalue())


def test_entity_expansion_in_a_part_is_refused(valid_return: bytes, tmp_path: Path) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10)
                       for i in range(1, 10))
            + b']><sst>&lol9;</sst>')
    source = zipfile.ZipFile(io.BytesIO(valid_return))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            z.writestr(name, bomb if name == "xl/worksheets/sheet5.xml" else source.read(name))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(ReturnInvalid, match="declares a DTD or entities"):
        read_return(path)


_DANGEROUS_PARTS = ["xl/vbaProject.bin", "xl/activeX/activeX1.xml", "xl/activeX/activeX1.bin",
                    "xl/externalLinks/externalLink1.xml", "xl/embeddings/oleObject1.bin",
                    "xl/drawings/drawing1.xml", "xl/connections.xml", "customXml/item1.xml",
                    "xl/calcChain.xml", "xl/printerSettings/printerSettings1.bin",
                    "docProps/custom.xml", "xl/ctrlProps/ctrlProp1.xml", "xl/media/image1.png"]
_FORMULAS = ['WEBSERVICE("http://x.invalid")', 'HYPERLINK("http://x.invalid","Good")',
             "cmd|' /C calc'!A0", "1+1", "SUM(A1:A3)", "'[other.xlsx]Sheet1'!A1",
             'FILTERXML(WEBSERVICE("http://x.invalid"),"//a")']


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(extra=st.sampled_from(_DANGEROUS_PARTS), body=st.binary(max_size=32),
       formula=st.sampled_from(_FORMULAS), sheet=st.integers(1, 5),
       column=st.sampled_from(["L", "Z", "AA", "C"]), which=st.booleans())
def test_dangerous_parts_and_formulas_anywhere_are_refused(
        valid_return: bytes, tmp_path: Path, extra: str, body: bytes, formula: str, sheet: int,
        column: str, which: bool) -> None:
    """Issue 11 item 3's siblings: any part the writer never writes, or any formula in any cell
    of any sheet (compared or not), is refused with a one-line reason."""
    from xml.sax.saxutils import escape as xml_escape

    source = zipfile.ZipFile(io.BytesIO(valid_return))
    out = io.BytesIO()
    target = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            data = source.read(name)
            if not which and name == target:
                xml = data.decode()
                at = xml.index("</row>")
                cell = f'<c r="{column}1"><f>{xml_escape(formula)}</f><v>0</v></c>'
                data = (xml[:at] + cell + xml[at:]).encode()
            z.writestr(name, data)
        if which:
            z.writestr(extra, body)
    path = tmp_path / "dangerous.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(ReturnInvalid) as caught:
        read_return(path)
    assert "\n" not in str(caught.value)
