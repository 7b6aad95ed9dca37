"""Patient identifiers in every field that leaves the laptop, in every spelling; and a return
exported with ``--allow-identifiers`` says so in its data, and every reader shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from qa_tui.identifiers import NHS_NUMBER, nhs_number_valid, scan_text

VALID = "9434765919"  # passes Modulus 11 (a published test number)

SPELLINGS = [
    "943 476 5919", "943-476-5919", "943.476.5919", "943/476/5919", "943_476_5919",
    "943\n476\n5919", "9434765919", "9434 765 919", "94347 65919", "943 – 476 – 5919",
    "943\u00a0476\u00a05919", "943\u2009476\u20095919", "943\u200b476\u200b5919",
    "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",
    "pt9434765919", "NHS#943-476-5919/seen", "943 476 5919 2 visits",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_an_nhs_number_is_found(spelling: str) -> None:
    assert NHS_NUMBER in [f.kind for f in scan_text(f"note: {spelling} today")]


ORDINARY = [
    "Board minutes 12/03/2026 10:30 reviewed; 24 of 32 (75%) scored Good.",
    "Visit 2025-07-14 09:15, ODS RTD, site R0A01; 1,234,567 contacts a year.",
    "Staff 2024: 1234567890 responses (fails Modulus 11).",
    "Beds 12 14 16 18 on wards 3 and 4.",
    "Ref 2025/114/07; policy v2.3.1 due 30.06.2026.",
    "Order 94347659190123 (a long reference, not a number a person writes for a patient).",
    "Call centre took 943 calls, 476 emails and 5918 letters.",
    "12/03/2024 10 staff attended",
    "RTD_qa-visit_2025-07-14_29e821a4.xlsx",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert [f.kind for f in scan_text(text) if f.kind == NHS_NUMBER] == []


def test_every_field_that_leaves_the_laptop_is_scanned(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Trust 943.476.5919",
              "--site", "Ward pt9434765919", "--assessor", "A. Person 943/476/5919").out.strip()
    assert aid, "new failed"
    added = cli("action", "add", aid, "Follow up", "--owner", "Nurse 943_476_5919")
    assert added.code == 0, added.err
    r = cli("scan", aid)
    assert r.code == 1
    lines = r.out.splitlines()
    for place in ("organisation", "site", "assessor 1", "export file name"):
        assert f"{place}: probable NHS number" in lines, (place, r.out)
    assert any(line.startswith("action ") and line.endswith(" owner: probable NHS number")
               for line in lines), r.out
    stopped = cli("export", aid, "-o", str(tmp_path / "out"))
    assert stopped.code == 1 and "organisation: probable NHS number" in stopped.err
    for shown in ("943.476.5919", VALID, "9434765919", "943/476/5919", "5919"):
        assert shown not in stopped.err


def test_allowed_identifiers_are_recorded_and_flagged_by_every_reader(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Flag Trust").out.strip()
    cli("answer", aid, "WL1", "3", "--note", "seen 943 476 5919 on the ward")
    out = tmp_path / "out"
    made = cli("export", aid, "-o", str(out), "--allow-identifiers")
    assert made.code == 0, made.err
    path = Path(made.out.strip())
    document = json.loads(cli("export", aid, "-o", str(tmp_path / "j"), "--format", "json",
                              "--allow-identifiers", "--json").out)[0]
    data = json.loads(Path(document["path"]).read_text())
    assert data["identifiers_allowed"] is True
    assert data["identifiers"] == {"kinds": [NHS_NUMBER], "places": ["WL1 note"]}

    checked = cli("verify", str(path))
    assert checked.code == 0 and "warning:" in checked.err and "--allow-identifiers" in checked.err
    assert "WL1 note" in checked.err and "5919" not in checked.err
    as_json = json.loads(cli("verify", str(path), "--json").out)[0]
    assert as_json["identifiers_allowed"] is True
    assert as_json["identifiers"]["places"] == ["WL1 note"]

    imported = cli("import", str(path), "--json")
    assert imported.code == 0 and "--allow-identifiers" in imported.err
    assert json.loads(imported.out)[0]["identifiers_allowed"] is True

    book = tmp_path / "c.xlsx"
    joined = cli("consolidate", str(out), "-o", str(book), "--json")
    assert joined.code == 0, joined.err
    assert "--allow-identifiers" in joined.err
    report = json.loads(joined.out)
    assert [x["file"] for x in report["identifiers_allowed"]] == [str(path)]
    rows = list(load_workbook(book)["Exceptions"].iter_rows(values_only=True))
    assert any(r[0] == "Identifiers allowed" and "WL1 note" in str(r[6]) for r in rows)


def test_a_clean_return_says_nothing_about_identifiers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = cli("new", "--template", "cqc-saf-well-led", "--org", "Clean Trust").out.strip()
    cli("answer", aid, "WL1", "3", "--note", "all well")
    path = Path(cli("export", aid, "-o", str(tmp_path), "--allow-identifiers").out.strip())
    checked = cli("verify", str(path), "--json")
    assert checked.err == "" and json.loads(checked.out)[0]["identifiers_allowed"] is False


# -- fuzzing: any grouping and separator of a valid number is found --------------------------

_SEPARATORS = [" ", "  ", "-", " - ", ".", "/", "_", "\n", "\u00a0", "\u2009", "\u3000",
               "\u2013", "\u2212", "\u200b", "\t"]


def _with_check_digit(nine: str) -> str | None:
    for d in "0123456789":
        if nhs_number_valid(nine + d):
            return nine + d
    return None


@given(nine=st.text(alphabet="0123456789", min_size=9, max_size=9),
       cuts=st.sets(st.integers(3, 7), max_size=2), sep=st.sampled_from(_SEPARATORS),
       before=st.sampled_from(["", "pt", "NHS no ", "(", "ref:"]),
       after=st.sampled_from(["", "x", ")", ".", " seen", " 2 visits"]))
def test_any_grouping_of_a_valid_number_is_found(nine: str, cuts: set[int], sep: str,
                                                 before: str, after: str) -> None:
    number = _with_check_digit(nine)
    if number is None:
        return
    points = [0, *sorted(c for c in cuts if all(abs(c - o) >= 3 for o in cuts if o != c)), 10]
    groups = [number[a:b] for a, b in zip(points, points[1:], strict=False)]
    if any(len(g) < 3 for g in groups):
        return
    text = f"{before}{sep.join(groups)}{after}"
    assert NHS_NUMBER in [f.kind for f in scan_text(text)], repr(text)


@given(day=st.integers(1, 28), month=st.integers(1, 12), year=st.integers(1990, 2030),
       hour=st.integers(0, 23), minute=st.integers(0, 59), count=st.integers(0, 99),
       sep=st.sampled_from(["/", ".", "-"]))
def test_dates_times_and_counts_are_not_nhs_numbers(day: int, month: int, year: int, hour: int,
                                                    minute: int, count: int, sep: str) -> None:
    text = (f"visit {day:02d}{sep}{month:02d}{sep}{year} {hour:02d}:{minute:02d}, "
            f"{count} staff; {year}{sep}{month:02d}{sep}{day:02d} {hour:02d} {count}")
    assert NHS_NUMBER not in [f.kind for f in scan_text(text)], text
