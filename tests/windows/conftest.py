"""The Windows-simulation tier: the CLI and the TUI run with the APIs CPython on Windows lacks
taken away (``os.fchmod``, ``signal.SIGHUP``, ``fcntl``, the resource tracker, event-loop signal
handlers, ``fork``/``forkserver``), because CI has no Windows runner.

- ``winsim`` (in-process, for Pilot and service calls): the same removals through
  ``monkeypatch``, undone after the test.
- ``wcli`` (a subprocess, for the real entry point): ``PYTHONPATH`` puts ``shim/`` first, whose
  ``sitecustomize`` removes them before qa-tui is imported.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ..conftest import CliResult, run_cli

SHIM = Path(__file__).resolve().parent / "shim"


def _shim() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qa_tui_winsim", SHIM / "sitecustomize.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def winsim(monkeypatch: pytest.MonkeyPatch, home: Path) -> ModuleType:
    """This test runs as if on Windows (see the module docstring); returns the shim module."""
    # Textual chooses its terminal driver by platform: load its POSIX one (which needs termios)
    # first, as Windows loads its own; qa-tui's code is what runs without the APIs.
    import textual.drivers.linux_driver  # noqa: F401

    shim = _shim()
    shim.apply(monkeypatch)
    return shim


def winsim_env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join([str(SHIM), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {"PYTHONPATH": path, "QA_TUI_WINSIM": "1", **extra}


@pytest.fixture
def wcli(home: Path):  # type: ignore[no-untyped-def]
    """``wcli("export", "--all")``: the real CLI in a subprocess that looks like Windows."""

    def call(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> CliResult:
        return run_cli(*args, env=winsim_env(**(env or {})), **kwargs)

    return call
