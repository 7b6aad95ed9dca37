"""Consolidation end to end: a realistic batch in, the workbook read back with openpyxl.

The batch (see test_consolidate_support): 24 demo returns exported to a folder (one moved to a
sub-folder with an upper-case .XLSX, one kept aside for later), an identical copy, a newer
revision re-exported elsewhere, a fork exported from two databases, four broken files and an
Excel lock file. Every sheet's count is checked against the returns themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from qa_tui.consolidate import Consolidation, consolidate
from qa_tui.returns import read_return
from qa_tui.returns.layout import rating_fill

from tests.test_consolidate_support import AS_OF, REASONS, Batch, make_batch, table_rows, tables

TODAY = dt.date.fromisoformat(AS_OF)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return make_batch(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def run(batch: Batch) -> tuple[Consolidation, Any]:
    out = batch.root / "out" / "consolidated.xlsx"
    result = consolidate(batch.inputs, out, as_of=TODAY, workers=1)
    return result, load_workbook(out)


@pytest.fixture(scope="module")
def accepted(batch: Batch) -> list[Any]:
    return [read_return(p) for p in batch.accepted_files]


def test_every_input_has_exactly_one_outcome(batch: Batch, run: tuple[Consolidation, Any]) -> None:
    result, _ = run
    files = [f.file for f in result.files]
    assert len(files) == len(set(files))
    on_disk = {str(p) for folder in batch.inputs for p in folder.rglob("*")
               if p.suffix.lower() == ".xlsx"}
    assert set(files) == on_disk
    assert {f.file for f in result.accepted} == {str(p) for p in batch.accepted_files}
    assert {f.return_id for f in result.accepted} == batch.ids
    assert len(result.accepted) == 22 and len(result.superseded) == 3 and len(result.rejected) == 7


def test_superseded_copies_and_revisions_name_what_replaced_them(
        batch: Batch, run: tuple[Consolidation, Any]) -> None:
    result, _ = run
    by_file = {f.file: f for f in result.superseded}
    original = batch.returns / batch.copy.name.removeprefix("copy of ")
    copy = by_file[str(batch.copy)]  # the returns folder was given first: its file is kept
    assert copy.by == str(original) and copy.reason == f"identical copy of {original}"
    older = by_file[str(batch.older)]
    assert older.by == str(batch.newer) and "superseded by revision" in (older.reason or "")
    forked = by_file[str(batch.forked_original)]
    assert forked.by is None and "forked (see Rejected)" in (forked.reason or "")


def test_the_copy_given_first_is_the_one_kept(batch: Batch, tmp_path: Path) -> None:
    original = batch.returns / batch.copy.name.removeprefix("copy of ")
    first = consolidate([original, batch.copy], tmp_path / "a.xlsx", as_of=TODAY, workers=1)
    assert [f.file for f in first.accepted] == [str(original)]
    assert first.superseded[0].reason == f"identical copy of {original}"
    second = consolidate([batch.copy, original], tmp_path / "b.xlsx", as_of=TODAY, workers=1)
    assert [f.file for f in second.accepted] == [str(batch.copy)]


def test_each_rejection_has_its_reason(batch: Batch, run: tuple[Consolidation, Any]) -> None:
    result, wb = run
    reasons = {f.file: f.reason or "" for f in result.rejected}
    for name, path in batch.broken.items():
        assert REASONS[name] in reasons[str(path)] or name in ("truncated", "not a zip"), name
    assert reasons[str(batch.broken["not a zip"])] == "is not an Excel workbook (not a zip file)"
    assert "damaged or truncated" in reasons[str(batch.broken["truncated"])]
    assert reasons[str(batch.lock)] == "an Excel lock file, not a return"
    a, b = (str(p) for p in batch.forks)
    assert reasons[a].startswith("fork: revision") and b in reasons[a]
    assert reasons[b].startswith("fork: revision") and a in reasons[b]
    sheet = table_rows(wb["Rejected"])
    assert {r["File"]: r["Reason"] for r in sheet} == reasons


def test_sheets_are_in_order_with_tables_and_frozen_headers(run: tuple[Consolidation, Any]) -> None:
    _, wb = run
    assert wb.sheetnames == ["Committee", "Escalations", "Self vs ICB", "Ratings", "Trend",
                             "Actions", "Visits", "Chart", "Returns", "Responses", "Exceptions",
                             "Rejected"]
    for name in ("Escalations", "Actions", "Visits", "Returns", "Responses", "Exceptions",
                 "Rejected"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        (table,) = ws.tables.values()
        assert table.ref.startswith("A1:") and table.autoFilter is not None
        assert ws.column_dimensions["A"].width > 8
    assert len(wb["Ratings"].tables) >= 4 and len(wb["Chart"]._charts) == len(wb["Ratings"].tables)


def test_returns_sheet_has_one_row_per_accepted_return(run: tuple[Consolidation, Any],
                                                       accepted: list[Any]) -> None:
    _, wb = run
    rows = table_rows(wb["Returns"])
    assert len(rows) == len(accepted)
    assert Counter(r["Return id"] for r in rows) == Counter(v.data.id for v in accepted)
    by_id = {r["Return id"]: r for r in rows}
    for v in accepted:
        row, d = by_id[v.data.id], v.data
        assert row["Organisation"] == d.org_name and row["Revision"] == d.revision
        assert row["Template id"] == d.template_id and row["Version"] == d.template_version
        assert row["Visit date"].date() == d.visit_date  # a real date cell
        rating = d.scores.overall.rating
        assert row["Overall rating"] == rating or \
            row["Overall rating"].startswith(f"{rating} (provisional: ")
        assert row["Content hash (SHA-256)"] == v.sha256 and row["File"] == str(v.path)
    keys = [(r["Organisation"].casefold(), (r["Site or service"] or "").casefold(),
             r["Visit date"]) for r in rows]
    assert keys == sorted(keys)


def test_responses_hold_every_answer_once(run: tuple[Consolidation, Any],
                                          accepted: list[Any]) -> None:
    _, wb = run
    rows = table_rows(wb["Responses"])
    expected = Counter((v.data.id, a.question_id) for v in accepted for a in v.data.answers)
    assert Counter((r["Return id"], r["Question id"]) for r in rows) == expected
    notes = {(v.data.id, a.question_id): a.note or None for v in accepted for a in v.data.answers}
    assert all(r["Evidence note"] == notes[(r["Return id"], r["Question id"])] for r in rows)
    assert any(r["N/A"] == "Yes" and r["Answer"] == "N/A" for r in rows)
    assert any(isinstance(r["Score"], int | float) for r in rows)


def test_actions_register_flags_overdue_against_the_day_given(
        batch: Batch, run: tuple[Consolidation, Any], accepted: list[Any]) -> None:
    _, wb = run
    rows = table_rows(wb["Actions"])
    assert len(rows) == sum(len(v.data.actions) for v in accepted)
    for r in rows:
        due = r["Due date"].date() if r["Due date"] else None
        late = r["Status"] != "closed" and due is not None and due < TODAY
        assert (r["Overdue"] == "Overdue") == late
        assert r["Days overdue"] == ((TODAY - due).days if late and due else None)
    chase = next(r for r in rows if r["Action"] == "=Chase the audit report")
    assert chase["Overdue"] == "Overdue" and chase["Days overdue"] == 356
    assert chase["Owner"] == "@Matron"
    ws = wb["Actions"]
    cell = next(c for c in ws["F"] if c.value == "=Chase the audit report")
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula


def test_ratings_matrix_matches_each_return(run: tuple[Consolidation, Any],
                                            accepted: list[Any]) -> None:
    _, wb = run
    ws = wb["Ratings"]
    completed = [v for v in accepted if v.data.status == "complete"]
    assert 0 < len(completed) < len(accepted)  # drafts are left out by default
    by_id8 = {v.data.id[:8]: v for v in completed}
    seen = []
    for name, ref in ws.tables.items():
        rows = _rows_with_cells(ws, ref)
        for values, cells in rows:
            v = by_id8[values["Return id"]]
            seen.append(values["Return id"])
            names = v.template.scoring.section.ratings()
            for s in v.data.scores.sections:
                header = next(h for h in values if h == s.title or h.startswith(f"{s.title} ("))
                assert values[header] == s.result.rating, (name, header)
                if s.result.rating in names:
                    fill = rating_fill(names.index(s.result.rating), len(names))
                    assert cells[header].fill.fgColor.rgb.endswith(fill)
            overall = v.data.scores.overall.rating
            assert values["Overall"] == overall or \
                values["Overall"].startswith(f"{overall} (provisional: ")
    assert sorted(seen) == sorted(by_id8)
    summary = ws["A2"].value
    assert summary.startswith(f"{len(completed)} returns from ")


def _rows_with_cells(ws: Any, ref: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    cells = ws[ref]
    header = [c.value for c in cells[0]]
    return [({h: c.value for h, c in zip(header, row, strict=True)},
             dict(zip(header, row, strict=True))) for row in cells[1:] if row[0].value]


def test_chart_counts_add_up_to_the_ratings(run: tuple[Consolidation, Any],
                                            accepted: list[Any]) -> None:
    _, wb = run
    ratings = {n.removeprefix("Ratings"): t for n, t in tables(wb["Ratings"]).items()}
    for name, rows in tables(wb["Chart"]).items():
        block = ratings[name.removeprefix("Chart")]
        for row in rows:
            assert sum(v for k, v in row.items() if k != "Section") == len(block)
            column = next(h for h in block[0] if h == row["Section"] or
                          h.startswith(f"{row['Section']} ("))
            counted = Counter(r[column] or "Not rated" for r in block)
            assert {k: v for k, v in row.items() if k != "Section" and v} == dict(counted)


def test_exceptions_list_supersessions_forks_and_blanks(
        run: tuple[Consolidation, Any], accepted: list[Any]) -> None:
    result, wb = run
    rows = table_rows(wb["Exceptions"])
    kinds = Counter(r["Exception"] for r in rows)
    assert kinds["Superseded"] == len(result.superseded) == 3
    assert kinds["Fork (rejected)"] == 2
    assert kinds["Required unanswered"] == sum(1 for v in accepted if v.data.scores.required_open)
    assert "Escalation" not in kinds  # concerns are not data quality: see Escalations
    escalations = table_rows(wb["Escalations"])
    assert len(escalations) == sum(len(v.data.scores.escalations) for v in accepted) > 0
    assert kinds["Evidence note owed"] == sum(1 for v in accepted if v.data.scores.notes_owed)
    assert kinds["Required unanswered"] > 0
    drafts = [r for r in rows if r["Exception"] == "Required unanswered"]
    assert all(("draft" in r["Detail"]) == (r["Status"] == "draft") for r in drafts)


def test_output_is_private_and_nothing_is_left_behind(batch: Batch,
                                                      run: tuple[Consolidation, Any]) -> None:
    result, _ = run
    assert os.stat(result.output).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in result.output.parent.iterdir()) == [result.output.name]


def test_two_processes_give_the_same_workbook(batch: Batch, run: tuple[Consolidation, Any],
                                              tmp_path: Path) -> None:
    result, wb = run
    out = tmp_path / "parallel.xlsx"
    parallel = consolidate(batch.inputs, out, as_of=TODAY, workers=2)
    assert parallel.files == tuple(
        type(f)(f.file, f.outcome, f.reason, f.return_id, f.revision, f.by) for f in result.files)
    other = load_workbook(out)
    for name in wb.sheetnames:
        if name in ("Ratings", "Committee"):
            continue  # carry the time of the run
        assert [list(r) for r in wb[name].iter_rows(values_only=True)] == \
            [list(r) for r in other[name].iter_rows(values_only=True)], name
