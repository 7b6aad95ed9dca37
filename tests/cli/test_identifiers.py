"""The patient-identifier guard: catches real identifiers, lets ordinary notes through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_tui.identifiers import (
    DATE_OF_BIRTH,
    EMAIL,
    NHS_NUMBER,
    PHONE,
    POSTCODE,
    nhs_number_valid,
    scan_text,
)


def with_check_digit(nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else nine + str(check)


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9876543210"])
def test_known_valid_nhs_numbers(number: str) -> None:
    assert nhs_number_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "1234567890", "0000000001", "943476591"])
def test_invalid_nhs_numbers(number: str) -> None:
    assert not nhs_number_valid(number)


@pytest.mark.parametrize("text", ["NHS no 943 476 5919", "nhs 943-476-5919.", "(9434765919)"])
def test_valid_nhs_number_found_in_any_layout(text: str) -> None:
    hits = scan_text(text)
    assert [h.kind for h in hits] == [NHS_NUMBER]
    assert "943" not in hits[0].masked and hits[0].masked.endswith("19")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", " ", "-"]))
def test_every_valid_number_is_flagged_and_every_wrong_check_digit_is_not(nine: str, sep: str) -> None:
    good = with_check_digit(nine)
    if good is None:
        return
    layout = f"{good[:3]}{sep}{good[3:6]}{sep}{good[6:]}"
    assert [h.kind for h in scan_text(f"seen {layout} today")] == [NHS_NUMBER]
    for wrong in "0123456789":
        if wrong != good[-1]:
            bad = good[:-1] + wrong
            assert all(h.kind != NHS_NUMBER for h in scan_text(f"seen {bad} today"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("DOB 12/03/1950", DATE_OF_BIRTH),
        ("d.o.b.: 1950-03-12", DATE_OF_BIRTH),
        ("Date of birth 3rd March 1948", DATE_OF_BIRTH),
        ("patient born 01.02.45", DATE_OF_BIRTH),
        ("lives NE1 4LP", POSTCODE),
        ("at sw1a1aa", POSTCODE),
        ("write to jo.bloggs@example.org", EMAIL),
        ("ring 0191 123 4567", PHONE),
        ("mobile +44 (0)7700 900123", PHONE),
    ],
)
def test_other_identifier_kinds(text: str, kind: str) -> None:
    assert [h.kind for h in scan_text(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Board minutes 12/03/2026 reviewed; 24 of 32 (75%) scored Good.",
        "Ward NE1 had 3 falls in Q2 2025-26; audit ref 2025/114.",
        "Staff survey 2024: 1234567890 responses (a ten-digit count failing Modulus 11).",
        "Policy v2.3 due 2026-06-30, owner Director of Nursing.",
        "WL3 scored 2: FTSU guardian has 0.4 WTE.",
    ],
)
def test_ordinary_notes_are_not_flagged(text: str) -> None:
    assert scan_text(text) == []


def test_scan_cli_lists_places_and_kinds_without_values(cli) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Scan Trust").out.strip()
    assert cli("scan", aid).code == 0
    cli("answer", aid, "WL3", "2", "--note", "Concern raised about pt 943 476 5919, DOB 01/02/1950")
    r = cli("scan", aid)
    assert r.code == 1
    assert "WL3 note: probable NHS number" in r.out and "WL3 note: probable date of birth" in r.out
    assert "943 476 5919" not in r.out and "01/02/1950" not in r.out
    data = json.loads(cli("scan", aid, "--json").out)
    assert {d["kind"] for d in data} == {NHS_NUMBER, DATE_OF_BIRTH}


def test_export_stops_on_a_valid_nhs_number_and_passes_an_invalid_one(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Guard Trust").out.strip()
    cli("answer", aid, "WL1", "3", "--note", "Audit ref 943 476 5918 (fails Modulus 11)")
    passed = cli("export", aid, "-o", str(out))
    assert passed.code == 0, passed.err
    cli("answer", aid, "WL2", "2", "--note", "Spoke with patient 943 476 5919 on the ward")
    stopped = cli("export", aid, "-o", str(tmp_path / "second"))
    assert stopped.code == 1
    assert "probable patient identifiers" in stopped.err
    assert "WL2 note: probable NHS number" in stopped.err
    assert "943 476 5919" not in stopped.err and "9434765919" not in stopped.err
    assert not (tmp_path / "second").exists() or not any((tmp_path / "second").iterdir())
    allowed = cli("export", aid, "-o", str(tmp_path / "second"), "--allow-identifiers")
    assert allowed.code == 0 and allowed.out.strip().endswith(".xlsx")
