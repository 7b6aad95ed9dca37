"""Crash harness: SIGKILL a worker hundreds of times mid-work; nothing it reported is ever lost.

The parent imports everything once, then forks children that answer, write notes, add actions,
export and import in a loop, acknowledging each change on a pipe only after the service call
returned (as the UI shows "saved"). After every kill the parent checks that the database passes
``PRAGMA integrity_check``, that every acknowledged change is there, and that every ``.xlsx`` with
a final name in the export folder is a whole, verifiable return (half-written files only ever
exist under a temporary name). ``QA_TUI_KILLS`` sets the number of kills (default 200).
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from qa_tui.config import resolve_paths
from qa_tui.returns import read_return
from qa_tui.services import Services, build_services

KILLS = int(os.environ.get("QA_TUI_KILLS", "200"))
QUESTIONS = [f"WL{i}" for i in range(1, 9)]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")


def _worker(ack_fd: int, aid: str, out_dir: Path, imports: list[Path], seed: int) -> None:
    """Runs in the child until killed; every acknowledgement follows a committed change."""
    svc = build_services(resolve_paths(), actor=f"worker{seed}")
    rng = random.Random(seed)
    step = 0
    while True:
        step += 1
        tag = f"{seed}.{step}"
        op = rng.choice(["answer", "answer", "note", "action", "export", "import"])
        record: dict[str, Any] = {"op": op, "tag": tag}
        if op == "answer":
            q = rng.choice(QUESTIONS)
            value = rng.randint(1, 4)
            svc.assessments.answer(aid, q, str(value), note=f"note {tag}")
            record.update(q=q, value=value)
        elif op == "note":
            q = rng.choice(QUESTIONS)
            svc.assessments.set_note(aid, q, f"note {tag}")
            record.update(q=q)
        elif op == "action":
            record["id"] = svc.assessments.add_action(aid, f"action {tag}").id
        elif op == "export":
            result = svc.returns.export(aid, out_dir, force=True)
            record.update(path=str(result.path), revision=result.revision)
        else:
            record["id"] = svc.returns.import_file(rng.choice(imports)).assessment_id
        os.write(ack_fd, (json.dumps(record) + "\n").encode())


def _run_child(aid: str, out_dir: Path, imports: list[Path], seed: int,
               wanted: int, jitter: float) -> list[dict[str, Any]]:
    """Fork a worker, wait until it has acknowledged ``wanted`` changes, let it run on into its
    next change for ``jitter`` seconds, then SIGKILL it.

    The kill is placed by the child's own progress, not by a clock: a slow machine makes the run
    slower, never emptier. The jitter only spreads the kill across the next change's steps.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        os.close(read_fd)
        try:
            _worker(write_fd, aid, out_dir, imports, seed)
        finally:
            os._exit(0)
    os.close(write_fd)
    buffer = b""
    try:
        while buffer.count(b"\n") < wanted:
            chunk = os.read(read_fd, 65536)
            if not chunk:  # the child died on its own: its acknowledgements still count
                break
            buffer += chunk
        time.sleep(jitter)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        buffer += chunk
    os.close(read_fd)
    text = buffer.decode()
    # A line cut by the kill was never acknowledged in full: ignore it.
    return [json.loads(line) for line in text.split("\n")[:-1] if line]


def _tag_order(note: str) -> tuple[int, int]:
    seed, step = note.split()[-1].split(".")
    return int(seed), int(step)


def _check(svc: Services, aid: str, out_dir: Path, acked: list[dict[str, Any]],
           latest: dict[str, dict[str, Any]], imported: set[str], actions: set[str]) -> None:
    assert svc.store.integrity_check() == []
    detail = svc.assessments.get(aid)
    for rec in acked:
        if rec["op"] in ("answer", "note"):
            latest[rec["q"]] = rec
        elif rec["op"] == "action":
            actions.add(rec["id"])
        elif rec["op"] == "import":
            imported.add(rec["id"])
    for q, rec in latest.items():
        stored = detail.answers[q]
        # The child may have committed one more change than it acknowledged, never fewer.
        assert _tag_order(stored.note) >= _tag_order(f"x {rec['tag']}"), (q, stored, rec)
        if stored.note == f"note {rec['tag']}" and rec["op"] == "answer":
            assert stored.value == rec["value"]
    assert actions <= {a.id for a in detail.actions}
    known = {s.id for s in svc.assessments.list()}
    assert imported <= known
    for path in out_dir.glob("*.xlsx"):
        verified = read_return(path)  # raises if a half-written file ever got a final name
        assert verified.data.id == aid
    for rec in acked:
        if rec["op"] == "export":
            assert read_return(Path(rec["path"])).data.revision >= rec["revision"]


@pytest.mark.slow
def test_hundreds_of_kills_lose_nothing(home: Path, tmp_path: Path) -> None:
    source = build_services(resolve_paths(tmp_path / "source.sqlite3"), actor="source")
    source_ids = [source.assessments.start("cqc-saf-well-led", org_name=f"Source Trust {i}").id
                  for i in range(3)]
    imports = [source.returns.export(i, tmp_path / "incoming").path for i in source_ids]
    source.close()

    svc = build_services(resolve_paths(), actor="setup")
    aid = svc.assessments.start("cqc-saf-well-led", org_name="Crash Test Trust").id
    svc.close()
    out_dir = tmp_path / "exports"
    rng = random.Random(2026)
    latest: dict[str, dict[str, Any]] = {}
    imported: set[str] = set()
    actions: set[str] = set()
    total_acks = 0
    for kill in range(KILLS):
        acked = _run_child(aid, out_dir, imports, kill + 1, rng.randint(1, 4),
                           rng.uniform(0.0, 0.03))
        total_acks += len(acked)
        svc = build_services(resolve_paths(), actor="checker")
        try:
            _check(svc, aid, out_dir, acked, latest, imported, actions)
        finally:
            svc.close()
    assert total_acks >= KILLS, "every child acknowledged work before it was killed"
