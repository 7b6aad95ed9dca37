"""Properties of cell text safety and of the canonical JSON (hypothesis)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from qa_tui.returns import escape, needs_quote_prefix, neutralise, restore
from qa_tui.returns.package import Package, read_grid
from qa_tui.returns.textsafe import TRIGGERS
from qa_tui.returns.writer import _put
from qa_tui.templates import canonical_json, sha256_hex

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
texts = st.text(max_size=200)
trigger_texts = st.builds(lambda t, rest: t + rest, st.sampled_from(sorted(TRIGGERS)), texts)
any_text = st.one_of(texts, trigger_texts, st.from_regex(r"_x[0-9A-Fa-f]{4}_.*", fullmatch=True))


@given(any_text)
def test_restore_undoes_escape_exactly(text: str) -> None:
    assert restore(escape(text)) == text


@given(any_text)
def test_escaped_text_is_xml_safe(text: str) -> None:
    stored = escape(text)
    assert not XML_ILLEGAL.search(stored)
    # whatever Excel (or calamine) decodes from the cell is the original text
    assert restore(stored) == text


@given(any_text)
def test_text_starting_with_a_trigger_is_always_marked_literal(text: str) -> None:
    safe = neutralise(text)
    assert safe.quote_prefix == (text[:1] in TRIGGERS)
    assert needs_quote_prefix(text) == safe.quote_prefix
    # the marked cell's effective entry (quote prefix + text) never starts with a trigger
    entry = ("'" if safe.quote_prefix else "") + restore(safe.stored)
    assert entry[:1] not in TRIGGERS


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=100)
       .filter(lambda t: "_x" not in t and "\ufffe" not in t and "\uffff" not in t))
def test_plain_text_is_stored_unchanged(text: str) -> None:
    assert escape(text) == text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


@given(json_values)
def test_canonical_json_is_a_fixed_point(value: object) -> None:
    text = canonical_json(value)
    assert canonical_json(json.loads(text)) == text
    assert sha256_hex(canonical_json(json.loads(text))) == sha256_hex(text)


@given(st.dictionaries(st.text(max_size=8), st.integers(), max_size=6))
def test_canonical_json_ignores_key_order(mapping: dict[str, int]) -> None:
    reordered = dict(reversed(list(mapping.items())))
    assert canonical_json(mapping) == canonical_json(reordered)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(any_text, min_size=1, max_size=12))
def test_texts_survive_a_real_workbook(tmp_path: Path, values: list[str]) -> None:
    """Through openpyxl's writer and our reader, every text comes back as written; no cell is
    ever a formula; every trigger start carries quotePrefix."""
    wb = Workbook()
    ws = wb.active
    for row, text in enumerate(values, start=1):
        _put(ws, row, 1, text, "wrap", f"row {row}")
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    grid = read_grid(Package.open(path), "xl/worksheets/sheet1.xml", "Sheet", [])
    for row, text in enumerate(values, start=1):
        assert grid.get((row, 1), "") == text
    loaded = load_workbook(path)
    for row, text in enumerate(values, start=1):
        cell = loaded.active.cell(row=row, column=1)
        if text:
            assert cell.data_type == "s"
            assert bool(cell.quotePrefix) == (text[0] in TRIGGERS)
