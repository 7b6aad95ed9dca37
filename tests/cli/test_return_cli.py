"""export, import, verify and demo through the real entry point (``python -m qa_tui``)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import CliResult

ERROR_PREFIXES = ("qa-tui:", "Usage:", "Try ", "Error:")


def _clean(result: CliResult, code: int) -> None:
    assert result.code == code, (result.out, result.err)
    assert "Traceback" not in result.out + result.err
    for line in result.err.strip().splitlines():
        assert not line or line.startswith(ERROR_PREFIXES), line


def test_demo_export_verify_import_cycle(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("demo", "--assessments", "4", "--seed", "7")
    _clean(r, 0)
    assert r.out.strip() == "created 4 demo assessments (seed 7)"
    ids = [a["id"] for a in json.loads(cli("list", "--json").out)]
    assert len(ids) == 4

    out = tmp_path / "returns"
    r = cli("export", "--all", "-o", str(out))
    _clean(r, 0)
    paths = [Path(line) for line in r.out.splitlines()]
    assert len(paths) == 4 and all(p.parent == out and p.is_file() for p in paths)
    again = cli("export", "--all", "-o", str(out))
    _clean(again, 0)
    assert sorted(again.out.splitlines()) == sorted(r.out.splitlines())

    r = cli("verify", str(out))
    _clean(r, 0)
    assert r.out.count(": ok (return ") == 4

    tampered = tmp_path / "tampered.xlsx"
    wb = load_workbook(paths[0])
    wb["Responses"]["E2"] = "Outstanding, honestly"
    wb.save(tampered)
    r = cli("verify", str(tampered), str(paths[1]))
    _clean(r, 1)
    assert f"qa-tui: {tampered}: edited after export: Responses row 2 (" in r.err
    assert "column Answer" in r.err
    assert r.out.startswith(f"{paths[1]}: ok")
    data = json.loads(cli("verify", "--json", str(tampered), str(paths[1])).out)
    assert [d["ok"] for d in data] == [False, True] and "edited after export" in data[0]["reason"]

    other_db = str(tmp_path / "other.sqlite3")
    r = cli("--db", other_db, "import", str(tampered), *map(str, paths))
    _clean(r, 1)
    assert r.err.count("qa-tui:") == 1 and str(tampered) in r.err
    assert r.out.count(": added ") == 4
    r = cli("--db", other_db, "import", str(paths[0]))
    _clean(r, 0)
    assert "already up to date" in r.out
    assert {a["id"] for a in json.loads(cli("--db", other_db, "list", "--json").out)} == set(ids)


def test_export_conflicts_and_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("new", "--template", "cqc-saf-well-led", "--org", "Example NHS Trust",
            "--org-code", "RTD", "--date", "2026-03-01")
    aid = r.out.strip()
    out = tmp_path / "out"
    first = cli("export", aid[:8], "-o", str(out))
    _clean(first, 0)
    assert Path(first.out.strip()).name == f"RTD_cqc-saf-well-led_2026-03-01_{aid[:8]}.xlsx"
    cli("answer", aid, "WL1", "3")
    conflict = cli("export", aid, "-o", str(out))
    _clean(conflict, 1)
    assert "a different file already exists there (use --force to replace it)" in conflict.err
    assert "it holds revision 1 of this return" in conflict.err
    forced = cli("export", aid, "-o", str(out), "--force")
    _clean(forced, 0)
    assert "replaced" in forced.err
    as_json = cli("export", aid, "-o", str(out), "--format", "json")
    _clean(as_json, 0)
    document = json.loads(Path(as_json.out.strip()).read_text("utf-8"))
    assert document["format"] == "qa-tui-return" and document["assessment"]["id"] == aid


def test_usage_and_unknown_ids(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _clean(cli("export"), 2)
    _clean(cli("export", "abc", "--all"), 2)
    _clean(cli("import"), 2)
    r = cli("export", "ffffffff", "-o", str(tmp_path))
    _clean(r, 1)
    assert "no assessment with id 'ffffffff'" in r.err
    missing = cli("verify", str(tmp_path / "missing.xlsx"))
    _clean(missing, 1)
    assert "cannot be read" in missing.err


def test_export_bytes_do_not_depend_on_the_process(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("demo", "--assessments", "1", "--seed", "3")
    aid = json.loads(cli("list", "--json").out)[0]["id"]
    a = cli("export", aid, "-o", str(tmp_path / "a"), env={"PYTHONHASHSEED": "1"})
    b = cli("export", aid, "-o", str(tmp_path / "b"), env={"PYTHONHASHSEED": "2"})
    _clean(a, 0)
    _clean(b, 0)
    assert Path(a.out.strip()).read_bytes() == Path(b.out.strip()).read_bytes()


def test_demo_is_reproducible_across_processes(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    listings = []
    for name in ("one", "two"):
        env = {"QA_TUI_HOME": str(tmp_path / name)}
        r = run_cli("demo", "--assessments", "5", "--seed", "11", "--json", env=env)
        _clean(r, 0)
        assert len(json.loads(r.out)["created"]) == 5
        listings.append(json.loads(run_cli("list", "--json", env=env).out))
    assert listings[0] == listings[1]
