"""Shared fixtures: every test gets its own QA_TUI_HOME, so no test touches a real profile."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qa_tui.config import Paths, resolve_paths
from qa_tui.services import Services, build_services
from tests.pg_fixtures import pg_cluster, pg_store_url, pg_url  # noqa: F401  (PostgreSQL tests)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _bundled_templates_compiled_once() -> Iterator[None]:
    """Compile each bundled template once per test process, not once per ``build_services``.

    Every service the tests build, and every in-process CLI call, loads the template library,
    which compiled all the bundled TOML files again (25 ms a time, over a thousand times a run).
    A bundled file is cached by its path and exact bytes; the compiled ``Template`` is frozen,
    so sharing it is safe. User templates, refusals and every other file compile as before, and
    each bundled file is still compiled for real once in every process (its own tests included).
    """
    from qa_tui.templates import library as library_module

    real = library_module.load_template_file
    bundled = library_module.bundled_dir().resolve()
    compiled: dict[tuple[str, bytes], Any] = {}

    def load_template_file(path: Path) -> Any:
        if path.resolve().parent != bundled:
            return real(path)
        key = (str(path), path.read_bytes())
        if key not in compiled:
            compiled[key] = real(path)
        return compiled[key]

    library_module.load_template_file = load_template_file  # type: ignore[assignment]
    yield
    library_module.load_template_file = real  # type: ignore[assignment]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private QA_TUI_HOME for this test; QA_TUI_DB cleared so the home's default is used."""
    root = tmp_path / "home"
    monkeypatch.setenv("QA_TUI_HOME", str(root))
    monkeypatch.delenv("QA_TUI_DB", raising=False)
    monkeypatch.setenv("QA_TUI_ACTOR", "tester")
    return root


@pytest.fixture
def paths(home: Path) -> Paths:
    return resolve_paths()


class FixedClock:
    """A clock that ticks one second per call: deterministic, and ordering stays strict."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def services(paths: Paths) -> Iterator[Services]:
    svc = build_services(paths, actor="tester", clock=FixedClock())
    yield svc
    svc.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 60, input: str | None = None) -> CliResult:
    """Run the real entry point (``python -m qa_tui``) in a subprocess, as a script would."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "qa_tui", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=timeout, input=input)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def call_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
             timeout: float = 60, input: str | None = None) -> CliResult:
    """Run the real entry point (``qa_tui.cli.main:main``, what the ``qa-tui`` script calls) in
    this process: the same code, exit codes and streams as a subprocess, without paying for a
    fresh interpreter and SQLAlchemy import per call. ``timeout`` is accepted for symmetry."""
    from qa_tui.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    saved_cwd = os.getcwd()
    code = 0
    try:
        os.environ.update(env or {})
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                _stdin(input or ""):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return CliResult(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


@pytest.fixture
def cli(home: Path):  # type: ignore[no-untyped-def]
    """``cli("list", "--json")`` runs the CLI's entry point in-process against this test's home.

    A handful of contract tests use :func:`run_cli` (a real ``python -m qa_tui`` subprocess)
    for what only a fresh process shows: exit status, imports, signals, sockets."""

    def call(*args: str, **kwargs: object) -> CliResult:
        return call_cli(*args, **kwargs)  # type: ignore[arg-type]

    return call


@pytest.fixture
def cli_process(home: Path):  # type: ignore[no-untyped-def]
    """Like ``cli`` but a real subprocess, for tests about the process itself."""

    def call(*args: str, **kwargs: object) -> CliResult:
        return run_cli(*args, **kwargs)  # type: ignore[arg-type]

    return call


# The longest tests, longest first (seconds from ``--durations`` on 2 cores). Under pytest-xdist
# the wall time is at least the longest test, and a long test that happens to start last keeps
# one core busy while the other idles: these start first, so the short ones fill in around them.
# Only the order changes; tests/unit/test_tiers.py checks that every name here still exists.
LONGEST = (
    "tests/tui/test_ui_trust.py::test_a_whole_qa_visit_by_keyboard_lands_every_key_on_the_question_on_screen",  # noqa: E501  46-59 s
    "tests/system/test_crash_harness.py::test_hundreds_of_kills_lose_nothing",  # 41 s idle, 113 s loaded
    "tests/system/test_bench_smoke.py::test_every_benchmark_runs_once_on_tiny_inputs",  # 36 s loaded
    "tests/windows/test_windows_cli.py::test_first_run_export_backup_restore_verify_import",  # 13-40 s
    "tests/windows/test_windows_cli.py::test_consolidate_small_and_large_batches",  # 25 s loaded
    "tests/tui/test_ui.py::test_whole_visit_by_keys_cqc_well_led",  # 19-24 s
    "tests/windows/test_windows_cli.py::test_a_return_open_in_excel_is_named_and_the_rest_still_go",  # noqa: E501  17 s
    "tests/tui/test_ui_trust.py::test_a_long_text_answer_is_shown_whole_on_several_lines",  # 15-16 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the tests in :data:`LONGEST` first (a stable sort: the rest keep their order)."""
    rank = {nodeid: place for place, nodeid in enumerate(LONGEST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("[", 1)[0], len(rank)))
