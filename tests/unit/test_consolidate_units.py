"""Consolidation parts on their own: the decision rule, input collection, safe cell text, the
streaming table, the atomic write."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from qa_tui.consolidate import pool
from qa_tui.consolidate.columns import Col
from qa_tui.consolidate.decide import decide
from qa_tui.consolidate.inputs import collect
from qa_tui.consolidate.plan import Entry, Plan
from qa_tui.consolidate.rows import Reduced, ReturnKey
from qa_tui.consolidate.sheets import TableSheets, sheet_names
from qa_tui.consolidate.workbook import Book, cell_text
from qa_tui.errors import Refused
from qa_tui.returns import restore

from tests.test_return_support import AWKWARD


def key(path: str, rid: str = "r1", revision: int = 1, content: str = "c1", **kw: Any) -> ReturnKey:
    fields: dict[str, Any] = dict(
        path=path, return_id=rid, revision=revision, sha256=f"sha-{content}", content=content,
        template_id="t", template_version="1.0", template_hash="h", org_name="Org", site="",
        visit_date=dt.date(2026, 1, 1), status="complete")
    fields.update(kw)
    return ReturnKey(**fields)


# -- who wins ----------------------------------------------------------------------------------


def test_highest_revision_wins_and_older_ones_are_superseded() -> None:
    d = decide([key("a", revision=1), key("b", revision=3, content="c3"),
                key("c", revision=2, content="c2")])
    assert [k.path for k in d.accepted] == ["b"]
    assert {s.key.path: s.by for s in d.superseded} == {"a": "b", "c": "b"}
    assert not d.forked


def test_copies_are_superseded_by_the_first_given() -> None:
    d = decide([key("z"), key("a")], rank={"z": 0, "a": 1})
    assert [k.path for k in d.accepted] == ["z"]
    (s,) = d.superseded
    assert s.key.path == "a" and s.reason == "identical copy of z"


def test_same_content_from_another_app_version_is_a_copy_not_a_fork() -> None:
    d = decide([key("a", sha256="x"), key("b", sha256="y")])
    assert [k.path for k in d.accepted] == ["a"] and not d.forked
    assert "another qa-tui version" in d.superseded[0].reason


def test_a_fork_rejects_every_file_at_that_revision_and_names_the_others() -> None:
    d = decide([key("a", revision=2, content="x"), key("b", revision=2, content="y"),
                key("c", revision=2, content="x"), key("old", revision=1)])
    assert not d.accepted
    reasons = {f.key.path: f for f in d.forked}
    assert set(reasons) == {"a", "b", "c"}
    assert reasons["a"].others == ("b",) and reasons["b"].others == ("a", "c")
    assert "fork: revision 2 of return r1" in reasons["b"].reason and "a, c" in reasons["b"].reason
    (old,) = d.superseded
    assert old.key.path == "old" and old.by is None


def test_a_fork_below_the_latest_revision_is_just_superseded() -> None:
    d = decide([key("a", revision=1, content="x"), key("b", revision=1, content="y"),
                key("new", revision=2, content="z")])
    assert [k.path for k in d.accepted] == ["new"] and not d.forked
    assert {s.key.path for s in d.superseded} == {"a", "b"}


def test_the_decision_does_not_depend_on_arrival_order() -> None:
    keys = [key(p, rid=r, revision=v, content=c) for p, r, v, c in
            [("a", "1", 1, "x"), ("b", "1", 2, "y"), ("c", "2", 1, "x"), ("d", "2", 1, "x"),
             ("e", "3", 4, "p"), ("f", "3", 4, "q")]]
    first, second = decide(keys), decide(list(reversed(keys)))
    assert first == second


def test_mixed_template_versions_are_reported() -> None:
    entries = [Entry(key("a", rid="1", template_version="1.0"), 0, (), ()),
               Entry(key("b", rid="2", template_version="1.1"), 0, (), ()),
               Entry(key("c", rid="3", template_version="1.1", template_hash="h2"), 0, (), ())]
    plan = Plan(entries, {}, [], [], [], None, dt.date(2026, 1, 1),  # type: ignore[arg-type]
                dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    rows = plan.template_exceptions()
    assert rows[0][0] == "Mixed template versions"
    assert "version 1.0 (1 returns), version 1.1 (2 returns)" in rows[0][6]
    assert rows[1][0] == "Template content differs" and "version 1.1" in rows[1][6]


# -- which files -------------------------------------------------------------------------------


def test_folders_are_searched_recursively_for_xlsx_in_any_case(tmp_path: Path) -> None:
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for name in ("a/one.xlsx", "a/deep/two.XLSX", "a/three.Xlsx", "a/notes.txt", "a/old.xls",
                 "a/~$one.xlsx", "a/._one.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    found = collect([tmp_path / "a", tmp_path / "a" / "one.xlsx", tmp_path / "missing.xlsx"],
                    tmp_path / "out.xlsx")
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "a/one.xlsx", "a/three.Xlsx", "a/deep/two.XLSX"]
    reasons = {p.name: r for p, r in found.rejected}
    assert reasons == {"~$one.xlsx": "an Excel lock file, not a return",
                       "._one.xlsx": "a macOS metadata file, not a return",
                       "missing.xlsx": "no such file or folder"}


def test_the_output_is_never_an_input(tmp_path: Path) -> None:
    (tmp_path / "r.xlsx").write_bytes(b"x")
    with pytest.raises(Refused, match="is one of the input files"):
        collect([tmp_path / "r.xlsx"], tmp_path / "r.xlsx")
    with pytest.raises(Refused, match="is one of the input files"):
        collect([tmp_path], tmp_path / "r.xlsx")


def test_a_previous_consolidation_in_the_folder_is_passed_over(tmp_path: Path) -> None:
    out = tmp_path / "consolidated.xlsx"
    book = Book(out, tmp_path)
    book.sheet("Ratings")
    book.commit()
    found = collect([tmp_path], out)
    assert found.files == [] and found.rejected == []
    with pytest.raises(Refused):
        collect([out], out)  # named explicitly: refused all the same


# -- cells -------------------------------------------------------------------------------------


def test_cell_text_marks_formula_starts_and_keeps_text() -> None:
    for text in AWKWARD:
        stored, quote = cell_text(text)
        assert stored == text
        assert quote == (text[0] in "=+-@\uff1d")
    long = "x" * 40_000
    assert len(cell_text(long)[0]) < 32_767 and cell_text(long)[0].endswith("in the return]")
    assert cell_text("bad \ud800 surrogate")[0] == "bad \ufffd surrogate"


def test_awkward_text_reads_back_unchanged_and_never_as_a_formula(tmp_path: Path) -> None:
    texts = [*AWKWARD, "<r><t>raw rich text</t></r>", "tab\tand \x01 control",
             "literal _x0041_ stays"]
    out = tmp_path / "cells.xlsx"
    book = Book(out, tmp_path)
    cols = [Col("Text", 40, "wrap"), Col("N", 5, "int")]
    sheets = TableSheets(book, "Cells", cols, len(texts))
    sheets.fill([(t, i) for i, t in enumerate(texts)])
    book.commit()
    ws = load_workbook(out)["Cells"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    # openpyxl does not decode Excel's _xHHHH_ escapes; Excel and calamine do (so does restore)
    assert [restore(c.value) for c in cells] == texts
    calamine = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Cells").to_python()
    assert [row[0] for row in calamine[1:]] == texts
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [t[0] in "=+-@\uff1d" for t in texts]
    assert ws.tables["CellsTable"].ref == f"A1:B{len(texts) + 1}"


def test_a_table_continues_on_a_second_sheet_past_the_row_limit(tmp_path: Path) -> None:
    assert sheet_names("Responses", 10, per_sheet=4) == ["Responses", "Responses 2",
                                                        "Responses 3"]
    out = tmp_path / "split.xlsx"
    book = Book(out, tmp_path)
    sheets = TableSheets(book, "Long", [Col("N", 5, "int")], 10, per_sheet=4)
    sheets.fill([(i,) for i in range(10)])
    book.commit()
    wb = load_workbook(out)
    assert wb.sheetnames == ["Long", "Long 2", "Long 3"]
    assert [ws.tables[next(iter(ws.tables))].ref for ws in wb] == ["A1:A5", "A1:A5", "A1:A3"]
    values = [c.value for ws in wb for row in ws.iter_rows(min_row=2) for c in row]
    assert values == list(range(10))


def test_a_failed_write_leaves_the_previous_output_alone(tmp_path: Path) -> None:
    folder, scratch = tmp_path / "out", tmp_path / "scratch"
    folder.mkdir()
    scratch.mkdir()
    out = folder / "out.xlsx"
    out.write_bytes(b"previous")
    book = Book(out, scratch)
    book.sheet("Ratings")
    book.abandon()
    assert out.read_bytes() == b"previous"
    assert [p.name for p in folder.iterdir()] == ["out.xlsx"]  # no temporary file left


def test_xlsxwriter_still_refuses_tables_in_constant_memory_mode(tmp_path: Path) -> None:
    """The reason Sheet.table exists: if a release lifts the limit, the helper can go."""
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    with pytest.warns(UserWarning):
        assert wb.add_worksheet().add_table(0, 0, 2, 1) == -3
    wb.close()


# -- worker processes --------------------------------------------------------------------------


class _Capture:
    """Like Textual's stand-in for sys.stderr: no real file descriptor."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return -1


def _junk(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    files = [folder / f"{i:02}.xlsx" for i in range(count)]
    for f in files:
        f.write_text("not a workbook")
    return files


def test_workers_start_even_when_stderr_is_captured(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    files = _junk(tmp_path / "in", pool.SMALL_BATCH)
    monkeypatch.setattr(sys, "stderr", _Capture())

    def no_fallback(*args: Any) -> Any:
        raise AssertionError("fell back to one process")

    monkeypatch.setattr(pool, "_inline", no_fallback)
    results = list(pool.check_files(files, as_of=dt.date(2026, 1, 1), workers=2))
    assert all(isinstance(r, pool.Rejection) for r in results)
    assert sorted(r.key.path if isinstance(r, Reduced) else r.path for r in results) == \
        sorted(map(str, files))


def test_if_workers_cannot_start_the_batch_is_read_here(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    files = _junk(tmp_path / "in", pool.SMALL_BATCH + 2)

    class Refusing:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise OSError("no processes here")

    monkeypatch.setattr(pool, "ProcessPoolExecutor", Refusing)
    ticks: list[int] = []
    results = list(pool.check_files(files, as_of=dt.date(2026, 1, 1), workers=2,
                                    on_done=lambda: ticks.append(1)))
    assert all(isinstance(r, pool.Rejection) for r in results) and len(ticks) == len(files)
    assert sorted(r.key.path if isinstance(r, Reduced) else r.path for r in results) == \
        sorted(map(str, files))
