"""Key to updated screen in a real terminal: the app runs in a tmux pane, keys go in with
``send-keys`` and the pane is read with ``capture-pane -p`` until the change shows.

Pilot drives an app in-process and waits on its own message queues; tmux sees what an assessor
sees: the frame written to the terminal. Each measurement uses its own tmux server (``-L``), so
it never touches another tmux session on the machine.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

WIDTH, HEIGHT = 100, 30
TIMEOUT = 60.0
"""Seconds to wait for a screen before giving up (a start-up on a loaded machine is slow)."""


def available() -> bool:
    return shutil.which("tmux") is not None


class Pane:
    """One program in a detached tmux pane of WIDTH x HEIGHT, on a private tmux server."""

    def __init__(self, command: Sequence[str], *, cwd: str,
                 env: Mapping[str, str] | None = None) -> None:
        self.socket = f"qa-tui-bench-{os.getpid()}-{time.monotonic_ns()}"
        self._env = {**os.environ, **(env or {})}
        self._tmux("new-session", "-d", "-s", "bench", "-x", str(WIDTH), "-y", str(HEIGHT),
                   "-c", cwd, shlex.join(command))
        self._socket_path = self._tmux("display-message", "-p", "#{socket_path}").strip()

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True, env=self._env).stdout

    def text(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "bench")

    def send(self, key: str) -> None:
        self._tmux("send-keys", "-t", "bench", key)

    def wait(self, condition: Callable[[str], bool], what: str) -> float:
        """Poll the pane until ``condition`` holds; the seconds it took."""
        start = time.perf_counter()
        while True:
            if condition(self.text()):
                return time.perf_counter() - start
            if time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"tmux: {what} never showed:\n{self.text()}")

    def close(self) -> None:
        """Stop this pane's tmux server and remove its socket (kill-server leaves it)."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       check=False, env=self._env)
        if self._socket_path:
            Path(self._socket_path).unlink(missing_ok=True)

    def __enter__(self) -> Pane:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def key_samples(pane: Pane, keys: Sequence[str],
                shown: Callable[[str, str], bool]) -> list[float]:
    """Milliseconds from sending each key to ``shown(pane text, key)`` holding."""
    samples = []
    for key in keys:
        start = time.perf_counter()
        pane.send(key)
        pane.wait(lambda text, k=key: shown(text, k), f"the screen after {key!r}")
        samples.append((time.perf_counter() - start) * 1000)
    return samples
