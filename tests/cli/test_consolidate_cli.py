"""``qa-tui consolidate`` through the real entry point: the JSON contract, exit codes, stderr
lines, and ``--db`` re-runs that add and update without duplicating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import call_cli
from tests.test_consolidate_support import AS_OF, Batch, make_batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return make_batch(tmp_path_factory.mktemp("cli-batch"))


def test_json_summary_and_exit_status_with_rejections(batch: Batch, home: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    r = call_cli("consolidate", *map(str, batch.inputs), "-o", str(out), "--as-of", AS_OF,
                 "--json")
    assert r.code == 1  # some files were rejected; the workbook is still written
    data = json.loads(r.out)
    assert list(data)[:4] == ["accepted", "rejected", "superseded", "output"]
    assert data["accepted"] == 22 and data["superseded"] == 3 and data["output"] == str(out)
    assert all(set(item) == {"file", "reason"} for item in data["rejected"])
    assert len(data["rejected"]) == 7
    lines = r.err.splitlines()
    assert len(lines) == 7 and all(line.startswith("qa-tui: ") for line in lines)
    assert f"qa-tui: {batch.lock}: an Excel lock file, not a return" in lines
    assert load_workbook(out, read_only=True).sheetnames[0] == "Committee"
    assert data["drafts_excluded"] > 0 and data["escalations"] > 0
    assert data["orgs_unmatched"] == 0  # no register given
    assert not (home / "data" / "qa-tui.sqlite3").exists()  # the user's database is not touched


def test_a_clean_batch_exits_zero_with_a_summary_line(batch: Batch, home: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "clean.xlsx"
    r = call_cli("consolidate", str(batch.newer), str(batch.extra), "-o", str(out))
    assert r.code == 0, r.err
    assert r.out.strip().startswith(f"{out}: 2 returns accepted, 0 superseded, 0 rejected")
    assert r.err == ""  # no progress bar when stderr is not a terminal


def test_refuses_to_overwrite_an_input(batch: Batch, home: Path) -> None:
    before = batch.newer.read_bytes()
    r = call_cli("consolidate", str(batch.newer.parent), "-o", str(batch.newer))
    assert r.code == 1 and "is one of the input files" in r.err
    assert batch.newer.read_bytes() == before


@pytest.mark.parametrize("args", [
    ["consolidate", "somewhere"],
    ["consolidate", "somewhere", "-o", "out.xlsx", "--as-of", "tomorrow"],
    ["consolidate", "somewhere", "-o", "out.xlsx", "--since", "last quarter"],
    ["consolidate", "somewhere", "-o", "out.csv"],
])
def test_usage_errors_exit_2(args: list[str], home: Path, tmp_path: Path) -> None:
    r = call_cli(*args, cwd=tmp_path)
    assert r.code == 2, r.err
    assert not (tmp_path / "out.xlsx").exists()


def _db(r_out: str) -> dict[str, object]:
    database: dict[str, object] = json.loads(r_out)["database"]
    return database


def test_db_reruns_add_and_update_without_duplicating(batch: Batch, home: Path,
                                                      tmp_path: Path) -> None:
    db, out = tmp_path / "all.sqlite3", tmp_path / "c.xlsx"
    first = call_cli("consolidate", str(batch.returns), "-o", str(out), "--db", str(db), "--json")
    assert first.code == 1  # the broken files in returns/
    assert _db(first.out) == {"path": str(db), "added": 23, "updated": 0, "unchanged": 0,
                              "kept_newer": 0, "refused": []}
    again = call_cli("consolidate", str(batch.returns), "-o", str(out), "--db", str(db), "--json")
    assert _db(again.out)["unchanged"] == 23 and _db(again.out)["added"] == 0
    more = call_cli("consolidate", str(batch.returns), str(batch.newer.parent),
                    str(batch.extra.parent), "-o", str(out), "--db", str(db), "--json")
    assert _db(more.out) == {"path": str(db), "added": 1, "updated": 1, "unchanged": 22,
                             "kept_newer": 0, "refused": []}
    older = call_cli("consolidate", str(batch.returns), "-o", str(out), "--db", str(db), "--json")
    assert _db(older.out)["kept_newer"] == 1 and _db(older.out)["unchanged"] == 22
    listed = call_cli("--db", str(db), "list", "--json")
    assert listed.code == 0
    ids = [a["id"] for a in json.loads(listed.out)]
    assert len(ids) == len(set(ids)) == 24
    summary = call_cli("consolidate", str(batch.newer), "-o", str(out), "--db", str(db))
    assert summary.code == 0
    assert summary.out.splitlines()[1] == f"{db}: 0 added, 0 updated, 1 unchanged"
