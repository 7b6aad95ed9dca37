"""The one rule for which files are returns (qa_tui.returns.finding), shared by verify, import,
consolidate and the app's import dialog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa_tui.consolidate.inputs import collect
from qa_tui.returns.finding import folder_candidates, returns_in
from qa_tui.ui.importing import returns_at


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "returns"
    (root / "deep").mkdir(parents=True)
    for name in ("b.xlsx", "A.XLSX", "~$b.xlsx", "._b.xlsx", ".hidden.xlsx", "notes.txt",
                 "deep/c.Xlsx"):
        (root / name).write_bytes(b"x")
    return root


def test_a_folder_means_its_xlsx_files_in_any_case_in_name_order(folder: Path) -> None:
    assert [p.name for p in returns_in(folder)] == ["A.XLSX", "b.xlsx"]
    assert [p.relative_to(folder).as_posix() for p in returns_in(folder, deep=True)] == [
        "A.XLSX", "b.xlsx", "deep/c.Xlsx"]


def test_lock_and_metadata_files_are_passed_over_with_the_reason(folder: Path) -> None:
    passed = {c.path.name: c.passed_over for c in folder_candidates(folder) if c.passed_over}
    assert passed == {"~$b.xlsx": "an Excel lock file, not a return",
                      "._b.xlsx": "a macOS metadata file, not a return"}
    assert ".hidden.xlsx" not in {c.path.name for c in folder_candidates(folder, deep=True)}


def test_every_reader_applies_the_same_rule(folder: Path, tmp_path: Path) -> None:
    assert returns_at(str(folder)) == returns_in(folder)
    assert collect([folder], tmp_path / "out.xlsx").files == returns_in(folder, deep=True)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_to_folders_are_not_followed(folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "z.xlsx").write_bytes(b"x")
    (folder / "link").symlink_to(elsewhere, target_is_directory=True)
    assert "z.xlsx" not in {p.name for p in returns_in(folder, deep=True)}


def test_a_folder_that_is_not_there_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        returns_in(tmp_path / "missing")
