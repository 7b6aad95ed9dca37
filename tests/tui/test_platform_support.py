"""The platform-specific pieces, tested on any platform: the durable-write helper's branches,
SQLite URIs for Windows paths, paths pasted with quotes, and the one Textual hook we override."""

from __future__ import annotations

import os
import sqlite3
import stat
import types
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pytest

from qa_tui import durable
from qa_tui.config import ensure_private_dir, sync_dir, typed_path
from qa_tui.errors import QaError
from qa_tui.returns.files import save_file
from qa_tui.store.uri import file_uri, readonly_uri


def _sharing_violation(path: str) -> PermissionError:
    exc = PermissionError(13, "used by another process", path)
    exc.winerror = 32  # type: ignore[attr-defined]
    return exc


def test_old_names_are_the_helper() -> None:
    assert ensure_private_dir is durable.ensure_private_dir and sync_dir is durable.sync_dir


def test_write_private_atomic_replaces_and_is_private(tmp_path: Path) -> None:
    target = tmp_path / "new" / "settings.json"
    durable.write_private_atomic(target, b"one\n")
    durable.write_private_atomic(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["settings.json"]
    with pytest.raises(FileExistsError):
        durable.write_private_atomic(target, b"three\n", exclusive=True)
    assert target.read_bytes() == b"two\n"


def test_without_fchmod_files_are_still_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fchmod")
    out = tmp_path / "r.xlsx"
    assert save_file(out, b"PK data") == "written"
    assert out.read_bytes() == b"PK data"


def test_a_short_lock_is_waited_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace
    failures = iter([True, True, False])

    def flaky(src: object, dst: object) -> None:
        if next(failures):
            raise _sharing_violation(str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)
    target = tmp_path / "out.xlsx"
    durable.write_private_atomic(target, b"data")
    assert target.read_bytes() == b"data"


def test_a_lasting_lock_is_refused_in_plain_words(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(src: object, dst: object) -> None:
        raise _sharing_violation(str(dst))

    monkeypatch.setattr(os, "replace", locked)
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(durable.FileInUse) as caught:
        durable.replace(tmp_path / "x", target, retry_seconds=0.1)
    exc = caught.value
    assert isinstance(exc, QaError) and isinstance(exc, OSError)
    assert str(exc) == (f"{target}: cannot replace it: another program has the file open "
                        "(is it open in Excel?); close it and try again")
    with pytest.raises(durable.FileInUse):
        save_file(target, b"new", force=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_other_errors_are_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def full(src: object, dst: object) -> None:
        calls.append(dst)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space"):
        durable.replace(tmp_path / "a", tmp_path / "b")
    assert len(calls) == 1


def test_full_fsync_where_the_platform_has_it(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    fake = types.ModuleType("fcntl")
    fake.F_FULLFSYNC = 51  # type: ignore[attr-defined]
    fake.fcntl = lambda fd, op: asked.append(op)  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fcntl", fake)
    monkeypatch.setattr(durable.sys, "platform", "darwin")
    # the platform is looked at once, when qa-tui loads: look again, as on a Mac
    monkeypatch.setattr(durable, "_FULLFSYNC", durable._full_fsync())
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("plain fsync on macOS"))
    durable.write_private_atomic(tmp_path / "f", b"x")
    assert 51 in asked


def test_the_database_asks_for_full_fsync(tmp_path: Path) -> None:
    from qa_tui.store import open_store

    with open_store(tmp_path / "qa.sqlite3") as store:
        assert store.pragmas()["fullfsync"] == 1


@pytest.mark.parametrize(("path", "uri"), [
    (PureWindowsPath(r"\\nhs-fs01\quality\qa tui\qa.sqlite3"),
     "file:////nhs-fs01/quality/qa%20tui/qa.sqlite3"),
    (PureWindowsPath(r"Z:\quality\qa#1.sqlite3"), "file:///Z:/quality/qa%231.sqlite3"),
    (PurePosixPath("/home/a/50%?/qa.sqlite3"), "file:///home/a/50%25%3F/qa.sqlite3"),
])
def test_sqlite_uris_for_every_kind_of_path(path: PureWindowsPath, uri: str) -> None:
    assert file_uri(path) == uri


def test_a_readonly_uri_opens_an_awkwardly_named_file(tmp_path: Path) -> None:
    odd = tmp_path / "50% #1 ?.sqlite3"
    with sqlite3.connect(odd) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    ro = sqlite3.connect(readonly_uri(odd), uri=True)
    try:
        assert ro.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    finally:
        ro.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [odd.name]


@pytest.mark.parametrize(("typed", "meant"), [
    ('"C:\\My returns\\a.xlsx"', "C:\\My returns\\a.xlsx"),
    ("  '/srv/returns'  ", "/srv/returns"),
    ('D:\\returns"', "D:\\returns"),
    ("plain.xlsx", "plain.xlsx"),
])
def test_typed_paths_lose_their_quotes(typed: str, meant: str) -> None:
    assert typed_path(typed) == Path(meant)


def test_the_crash_hook_we_override_still_exists() -> None:
    """QaApp overrides Textual's ``_fatal_error`` to keep locals out of a crash report; if a
    Textual release renames it, this fails rather than the override going quiet."""
    from textual.app import App

    from qa_tui.ui.app import QaApp

    assert callable(getattr(App, "_fatal_error", None))
    assert QaApp._fatal_error is not App._fatal_error


def test_a_crash_report_shows_no_local_values(paths: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """The override works through public API: a crash prints its traceback, never locals."""
    import asyncio

    from qa_tui.ui.app import build_app

    from tests.test_ui_support import fixed_services

    svc = fixed_services(paths)
    app = build_app(services=svc)

    def crash() -> None:
        # a local that must not be printed (built at run time: the source is shown, not values)
        note_text = "".join(reversed("dias tekcorpS animlehliW tneitaP"))
        raise RuntimeError("crash " + str(len(note_text)))

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.call_later(crash)
            await pilot.pause()

    try:
        with pytest.raises(RuntimeError, match="crash 32"):
            asyncio.run(run())
    finally:
        svc.close()
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "crash 32" in err
    assert "Wilhelmina" not in err


def test_the_entry_point_lets_click_expand_wildcards_on_windows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """cmd.exe passes ``*.xlsx`` as typed; click expands it on Windows only when it reads
    ``sys.argv`` itself, so the entry point must hand it ``args=None``."""
    import sys

    from qa_tui.cli import main as entry

    seen: list[object] = []

    def fake_main(args: object = None, **kwargs: object) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(sys, "argv", ["qa-tui", "verify", "*.xlsx"])
    monkeypatch.setattr(entry.cli, "main", fake_main)
    with pytest.raises(SystemExit):
        entry.main()
    assert seen == [None]
