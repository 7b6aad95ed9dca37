"""Nothing from outside reaches the terminal raw, and markup-like text is printed as written.

File names with ESC/OSC sequences, newlines that would forge a ``qa-tui:`` line, bidi
overrides, and ``QA_TUI_ACTOR`` replayed by ``history``: the real entry point prints them all
escaped (``qa_tui.cli.output`` is the one boundary), and stores them as given.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from qa_tui.config import resolve_paths
from qa_tui.printable import json_safe, printable

from tests.test_cli_terminal_support import (
    CONTROL_NAMES,
    MARKUP,
    assert_terminal_safe,
    export_one,
    new_assessment,
)


def test_hostile_file_names_are_printed_escaped_by_verify_import_consolidate(
        cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    good = export_one(cli, aid, tmp_path / "out")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(CONTROL_NAMES):
        shutil.copy(good, folder / f"{i}-{name}.xlsx")
        (folder / f"{i}-broken-{name}.xlsx").write_bytes(b"not a zip")
    for args in (("verify", str(folder)), ("import", str(folder)),
                 ("consolidate", str(folder), "-o", str(tmp_path / "all.xlsx"))):
        r = cli(*args)
        assert r.code == 1, args  # the broken ones are refused, the rest processed
        assert_terminal_safe(r.out + r.err)
        for line in r.err.splitlines():
            assert not line.startswith("qa-tui: forged"), line
        for i, name in enumerate(CONTROL_NAMES):
            assert printable(f"{i}-broken-{name}.xlsx") in r.err, (args, name)
    r = cli("verify", str(folder), "--json")
    assert_terminal_safe(r.out)
    files = {Path(item["file"]).name for item in json.loads(r.out)}
    assert {f"{i}-{n}.xlsx" for i, n in enumerate(CONTROL_NAMES)} <= files  # stored as given


def test_history_replays_actor_and_file_names_escaped(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    actor = "eve\x1b]52;c;SGVsbG8=\x07\nqa-tui: forged"
    aid = new_assessment(cli, env={"QA_TUI_ACTOR": actor})
    good = export_one(cli, aid, tmp_path / "out")
    hostile = tmp_path / "x\x1b[2J\nqa-tui: forged.xlsx"
    shutil.copy(good, hostile)
    assert cli("import", str(hostile)).code == 0
    r = cli("history", aid)
    assert r.code == 0
    assert_terminal_safe(r.out)
    assert printable(actor)[:12] in r.out
    assert not any(line.startswith("qa-tui: forged") for line in r.out.splitlines())
    r = cli("history", aid, "--json")
    events = json.loads(r.out)
    assert actor.strip() in {e["actor"] for e in events}  # stored as given


def test_markup_and_brackets_print_as_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in MARKUP:
        if len(name.strip()) < 2:
            continue
        r = cli("new", "--template", "cqc-saf-well-led", "--org", name, "--site", name)
        assert r.code == 0, (name, r.err)
    r = cli("list")
    for name in MARKUP:
        if len(name.strip()) >= 2:
            assert name.strip()[:28] in r.out, name


def test_templates_check_accepts_markup_text_and_show_prints_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.tui.test_ui_literal import literal_template

    path = tmp_path / "lit.toml"
    path.write_text(literal_template(MARKUP), encoding="utf-8")
    r = cli("templates", "check", str(path))
    assert r.code == 0 and r.out.startswith("ok "), r.err
    home_templates = resolve_paths().templates_dir
    home_templates.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, home_templates / "lit.toml")
    r = cli("templates", "show", "lit")
    assert r.code == 0
    assert "Template " + MARKUP[0] in r.out and "Section " + MARKUP[5] in r.out


def test_usage_errors_quote_what_was_typed_escaped(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("no-such\x1b[2J\ncommand")
    assert r.code == 2
    assert_terminal_safe(r.err)


def test_json_output_escapes_c1_and_bidi_but_decodes_to_the_value() -> None:
    value = {"name": "a\x9b2J\u202eb\x7f"}
    text = json_safe(json.dumps(value, ensure_ascii=False))
    assert_terminal_safe(text)
    assert json.loads(text) == value
