"""Failures a user can cause speak plainly and never leak data (issue 11, items 6, 7 and 9).

Through the real entry point: a database another program has locked, a read-only database,
a file-size limit that stands in for a full disk (``RLIMIT_FSIZE``; SQLite and the export
see the same ``EFBIG``/``ENOSPC`` write failures), an empty folder given to ``verify``. Every
error is one ``qa-tui:`` line naming the file and the remedy; none quotes SQL, its
parameters or the note being saved.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qa_tui.config import ensure_private_dir, resolve_paths

from tests.conftest import CliResult

SECRET = "Mrs Jane Doe of 4 Acacia Avenue said"
LEAKS = ("SELECT", "INSERT", "UPDATE", "parameters", "OperationalError", "internal error",
         "Traceback", "sqlalchemy", SECRET)


def assert_plain(r: CliResult, *words: str) -> None:
    """Exit 1, every stderr line a ``qa-tui:`` line, the words present, nothing leaked."""
    assert r.code == 1, (r.code, r.out, r.err)
    lines = r.err.splitlines()
    assert lines and all(line.startswith("qa-tui: ") for line in lines), r.err
    for leak in LEAKS:
        assert leak not in r.out + r.err, (leak, r.err)
    for word in words:
        assert word in r.err, (word, r.err)


def run(*args: str, limit: int | None = None, unprivileged: bool = False) -> CliResult:
    """The entry point, optionally with a file-size limit or without root's override of
    file permissions (a user namespace: permission bits then apply to root as to anyone)."""
    cmd = [sys.executable, "-m", "qa_tui", *args]
    if unprivileged and os.geteuid() == 0:
        cmd = ["unshare", "--user", *cmd]

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          preexec_fn=limited if limit is not None else None)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def new_assessment(cli) -> str:  # type: ignore[no-untyped-def]
    r = cli("new", "--template", "cqc-saf-well-led", "--org", "Example NHS Trust",
            "--org-code", "RTD", "--date", "2026-03-01")
    assert r.code == 0, r.err
    return str(r.out.strip())


@contextmanager
def lock_held_elsewhere(db: Path) -> Iterator[None]:
    """Another program holds the write lock (``BEGIN IMMEDIATE``) until the block ends."""
    code = textwrap.dedent(f"""
        import sqlite3, sys
        conn = sqlite3.connect({str(db)!r}, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE assessment SET revision = revision")
        print("locked", flush=True)
        sys.stdin.read()
        conn.execute("ROLLBACK")
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


# -- item 7: a lock held by another program ---------------------------------------------------

def test_reads_work_and_a_write_says_busy_while_another_program_holds_the_lock(cli) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    db = resolve_paths().db_path
    with lock_held_elsewhere(db):
        listed = cli("list")
        assert listed.code == 0 and "Example NHS Trust" in listed.out, listed.err
        shown = cli("show", aid, "--json")
        assert shown.code == 0, shown.err
        r = cli("answer", aid, "WL1", "3", "--note", SECRET)
        assert_plain(r, "busy", str(db), "try again")
    assert cli("answer", aid, "WL1", "3").code == 0  # and once it is free, it works


# -- item 6: read-only database, full disk, missing folder ------------------------------------

def test_a_read_only_database_is_one_plain_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    db = resolve_paths().db_path
    assert cli("answer", aid, "WL1", "2").code == 0
    os.chmod(db, stat.S_IRUSR)
    os.chmod(db.parent, stat.S_IRUSR | stat.S_IXUSR)
    try:
        r = run("answer", aid, "WL1", "3", "--note", SECRET, unprivileged=True)
    finally:
        os.chmod(db.parent, 0o700)
        os.chmod(db, 0o600)
    assert_plain(r, str(db))
    assert any(word in r.err for word in ("read-only", "cannot be opened", "permission"))


def test_export_to_a_folder_without_permission_is_one_plain_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, stat.S_IRUSR | stat.S_IXUSR)
    try:
        r = run("export", aid, "-o", str(locked / "returns"), unprivileged=True)
    finally:
        os.chmod(locked, 0o700)
    assert_plain(r, str(locked / "returns"), "permission denied")
    assert list(locked.iterdir()) == []


def test_a_full_disk_while_saving_a_note_is_one_plain_line(cli) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    db = resolve_paths().db_path
    note = (SECRET + " ") * 500  # ~19 kB: the write-ahead log must grow past the limit
    r = run("answer", aid, "WL1", "3", "--note", note[:19_000], limit=36_000)
    assert_plain(r, str(db))
    assert any(w in r.err for w in ("disk", "full")), r.err
    shown = cli("show", aid, "--json").out
    assert SECRET not in shown  # nothing half-saved


def test_a_database_in_a_missing_or_unwritable_place_is_plain(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = cli("--db", str(blocker / "sub" / "qa.sqlite3"), "list")
    assert_plain(r, str(blocker / "sub" / "qa.sqlite3"))


def test_export_out_of_space_says_so_and_leaves_no_partial_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    for qid in ("WL1", "WL2", "WL3", "WL4"):  # random-looking notes compress badly
        note = " ".join(f"w{(i * 7919 + len(qid)) % 100_003:x}" for i in range(2_400))
        assert cli("answer", aid, qid, "3", "--note", note).code == 0
    out = tmp_path / "returns"
    r = run("export", aid, "-o", str(out), "--allow-identifiers", limit=40_000)
    assert_plain(r, str(out))
    assert any(w in r.err for w in ("larger than", "full")), r.err
    assert not out.exists() or list(out.iterdir()) == []  # no hidden .tmp left behind
    history = cli("history", aid, "--json").out
    assert '"export"' not in history  # not recorded as exported


def test_a_write_that_runs_out_of_space_removes_its_partial_file_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbook is built before the file is written, so a limit cannot put the failure
    here from outside; the write itself is made to fail halfway, as a full disk does."""
    import errno

    from qa_tui import durable
    from qa_tui.errors import StorageError
    from qa_tui.returns import files

    real_write = os.write
    calls = {"n": 0}

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", half_then_full)  # the one private-write helper
    target = tmp_path / "out" / "r.xlsx"
    with pytest.raises(StorageError) as caught:
        files.save_file(target, b"x" * 10_000)
    monkeypatch.undo()
    assert caught.value.code == "disk-full" and caught.value.where == str(target)
    assert "the disk is full" in str(caught.value)
    assert list(target.parent.iterdir()) == []


def test_a_return_the_database_could_not_record_is_not_left_behind(
        paths, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The file was written whole but the database was full when recording the export: the
    file goes (nobody must think it was sent), and the error says so plainly."""
    from qa_tui.errors import StorageError
    from qa_tui.services import build_services
    from qa_tui.services.returns import ReturnService

    def full(*args: object, **kwargs: object) -> None:
        raise StorageError("the disk holding the database is full; nothing was saved: free "
                           "some space and try again", where=str(paths.db_path),
                           code="disk-full")

    svc = build_services(paths, actor="tester")
    try:
        aid = svc.assessments.start("cqc-saf-well-led", org_name="Example NHS Trust",
                                    visit_date="2026-03-01").id
        monkeypatch.setattr(ReturnService, "_mark_exported", full)
        with pytest.raises(StorageError) as caught:
            svc.returns.export(aid, tmp_path / "out")
        assert "the return was not kept" in str(caught.value)
        assert list((tmp_path / "out").iterdir()) == []
        monkeypatch.undo()
        result = svc.returns.export(aid, tmp_path / "out")  # once fixed, it exports
        assert result.outcome == "written" and result.path.exists()
        assert svc.assessments.get(aid).record.synced_revision == result.revision
    finally:
        svc.close()


# -- item 9: folders, empty folders ------------------------------------------------------------

def test_export_folders_qa_tui_creates_are_private(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = new_assessment(cli)
    out = tmp_path / "new" / "deeper" / "returns"
    r = cli("export", aid, "-o", str(out))
    assert r.code == 0, r.err
    for folder in (tmp_path / "new", tmp_path / "new" / "deeper", out):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_ensure_private_dir_keeps_existing_folders(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    ensure_private_dir(tmp_path / "a" / "b")
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700


@pytest.mark.parametrize("command", ["verify", "import"])
def test_an_empty_folder_is_no_returns_found(cli, tmp_path: Path, command: str) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a return")
    r = cli(command, str(empty))
    assert r.code == 1 and r.out == ""
    assert r.err.strip() == f"qa-tui: {empty}: no returns found (no .xlsx files in this folder)"
