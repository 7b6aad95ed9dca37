"""Make this CPython look like CPython on Windows wherever qa-tui could trip over the difference.

Put this folder on ``PYTHONPATH`` with ``QA_TUI_WINSIM=1`` and every interpreter started from it
(the CLI under test) runs without the APIs Windows lacks; the Windows-simulation test tier also
applies :func:`apply` in-process (through pytest's ``monkeypatch``) around Pilot tests. What it
cannot simulate, the tier's README entry says: text-mode file descriptors, ACLs, drive letters,
and a rename refused while Excel holds a file (that one is injected: ``QA_TUI_WINSIM_LOCKED``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

OS_MISSING = ("fchmod", "fchown", "lchown", "sched_getaffinity", "O_DIRECTORY", "O_NOFOLLOW",
              "O_CLOEXEC", "sync", "getloadavg")
"""os functions and flags CPython on Windows does not have (3.11/3.12)."""
OS_MISSING_SUBPROCESS = ("getpgid", "setsid", "killpg")
"""Also missing, but removed only in a CLI subprocess (pytest itself needs them). os.getuid
stays: platformdirs' POSIX backend needs it, and on Windows its Windows backend runs instead."""
SIGNALS_MISSING = ("SIGHUP", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGTSTP",
                   "SIGCONT", "SIGWINCH", "SIGPIPE")
MODULES_MISSING = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource")
SHARING_VIOLATION = 32


class _Permanent:
    """The subset of pytest's MonkeyPatch that :func:`apply` needs, without undo."""

    def setattr(self, target: Any, name: str, value: Any) -> None:
        setattr(target, name, value)

    def delattr(self, target: Any, name: str, raising: bool = True) -> None:
        if hasattr(target, name) or raising:
            delattr(target, name)

    def setitem(self, mapping: Any, key: Any, value: Any) -> None:
        mapping[key] = value


def _no_signal_handlers(*args: Any, **kwargs: Any) -> None:
    raise NotImplementedError  # what the ProactorEventLoop says on Windows


def _tracker_unavailable() -> None:
    raise ImportError("No module named '_posixsubprocess'")  # what Windows raises


def _locked_replace(locked: str, real: Any) -> Any:
    """``os.replace`` refusing targets whose name holds ``locked``, as Windows does while Excel
    has the file open (a PermissionError carrying winerror 32)."""

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if locked in os.path.basename(os.fspath(dst)):
            exc = PermissionError(13, "The process cannot access the file because it is being "
                                  "used by another process", os.fspath(dst))
            exc.winerror = SHARING_VIOLATION  # type: ignore[attr-defined]
            raise exc
        real(src, dst, *args, **kwargs)

    return replace


def apply(patch: Any, *, subprocess: bool = False) -> None:
    """Remove what Windows lacks. ``patch``: pytest's ``monkeypatch`` (undone after the test)
    or :class:`_Permanent` (a subprocess that is about to run the CLI)."""
    import asyncio
    import multiprocessing
    import signal
    from multiprocessing import resource_tracker

    names = OS_MISSING + (OS_MISSING_SUBPROCESS if subprocess else ())
    for name in names:
        patch.delattr(os, name, raising=False)
    for name in SIGNALS_MISSING:
        patch.delattr(signal, name, raising=False)
    for module in MODULES_MISSING:
        patch.setitem(sys.modules, module, None)
    loop_class = getattr(asyncio, "unix_events", None)
    if loop_class is not None:
        patch.setattr(loop_class._UnixSelectorEventLoop, "add_signal_handler",
                      _no_signal_handlers)
    patch.setattr(resource_tracker, "ensure_running", _tracker_unavailable)
    # Windows starts worker processes with "spawn" only.
    patch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    locked = os.environ.get("QA_TUI_WINSIM_LOCKED")
    if locked:
        patch.setattr(os, "replace", _locked_replace(locked, os.replace))


if os.environ.get("QA_TUI_WINSIM") == "1":
    apply(_Permanent(), subprocess=True)
