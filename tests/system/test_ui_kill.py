"""The real program on a pseudo-terminal: answers survive SIGKILL; SIGTERM exits cleanly.

``qa-tui`` runs in a subprocess whose terminal is a pty (80x24), driven by bytes as a person's
keyboard would be. Nothing here waits on timings: it reads the screen until words appear.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from qa_tui.config import Paths
from qa_tui.services import build_services

from tests.test_ui_support import fixed_services, start_ward_check

pytestmark = pytest.mark.slow


class Terminal:
    def __init__(self, proc: subprocess.Popen[bytes], fd: int) -> None:
        self.proc = proc
        self.fd = fd
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        """Read the program's output until ``text`` has been drawn."""
        want = text.encode()
        deadline = time.monotonic() + timeout
        while want not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                tail = self.seen[-600:].decode(errors="replace")
                raise AssertionError(f"{text!r} never appeared; last output: {tail!r}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:  # the child closed the terminal
                    break

    def type(self, keys: bytes) -> None:
        self.seen = b""
        os.write(self.fd, keys)


@contextmanager
def qa_tui_on_a_pty(paths: Paths) -> Iterator[Terminal]:
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen([sys.executable, "-m", "qa_tui"], stdin=child, stdout=child,
                            stderr=child, env=env, start_new_session=True, close_fds=True)
    os.close(child)
    try:
        yield Terminal(proc, main)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(main)


def test_answers_survive_sigkill_after_saved(paths: Paths) -> None:
    services = fixed_services(paths)
    aid = start_ward_check(services)
    services.close()
    with qa_tui_on_a_pty(paths) as term:
        term.wait_for("St Elsewhere NHS Trust")
        term.type(b"\r")  # open it at its first unanswered question
        term.wait_for("call bells")
        term.type(b"n")  # S1 = No (yes/no questions answer by letter)
        term.wait_for("saved")
        term.type(b"\r")  # S2 (shown because S1 is No) is a text question: type, enter
        term.wait_for("Typing the answer")
        term.type(b"Two bays\r")
        term.wait_for("S2 = Two bays")
        term.proc.send_signal(signal.SIGKILL)
        term.proc.wait(timeout=10)
    check = build_services(paths)
    try:
        detail = check.assessments.get(aid)
        assert detail.answer("S1").value == "no"
        assert detail.answer("S2").value == "Two bays"
        assert check.store.integrity_check() == []
    finally:
        check.close()


def test_sigterm_exits_cleanly(paths: Paths) -> None:
    fixed_services(paths).close()
    with qa_tui_on_a_pty(paths) as term:
        term.wait_for("No assessments yet")
        term.proc.send_signal(signal.SIGTERM)
        assert term.proc.wait(timeout=15) == 0
