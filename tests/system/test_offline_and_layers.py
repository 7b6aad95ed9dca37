"""Promises about the code itself: offline, layered, headless without Textual, shippable."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qa_tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkForbidden(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to create an internet socket or resolve a name fails the test."""
    attempts: list[str] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, *args: object, **kwargs: object) -> None:
            if family in NETWORK_FAMILIES or family == -1:
                attempts.append(f"socket({family})")
                raise NetworkForbidden("network socket opened")
            super().__init__(family, *args, **kwargs)  # type: ignore[arg-type]

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(f"lookup{args[:1]}")
        raise NetworkForbidden("network lookup attempted")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    return attempts


def call(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_whole_cli_surface_runs_offline(home: Path, no_network: list[str], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert call("templates") == 0
    assert call("templates", "--json") == 0
    assert call("templates", "show", "cqc-saf-well-led") == 0
    assert call("templates", "check", str(ROOT / "assessments" / "cqc-saf-well-led.toml")) == 0
    capsys.readouterr()
    assert call("new", "--template", "cqc-saf-well-led", "--org", "Offline Trust") == 0
    aid = capsys.readouterr().out.strip()
    for q in range(1, 9):
        assert call("answer", aid, f"WL{q}", "3", "--note", "seen") == 0
    assert call("action", "add", aid, "Do the thing", "--due", "2026-05-01") == 0
    assert call("complete", aid) == 0
    for args in (("show", aid), ("show", aid, "--json"), ("list",), ("list", "--json"),
                 ("history", aid), ("reopen", aid), ("undo", aid)):
        assert call(*args) == 0, args
    assert call("answer", aid, "WL1", "9") == 1
    out = tmp_path / "returns"
    for args in (("demo", "--assessments", "3", "--seed", "7"), ("export", "--all", "-o", str(out)),
                 ("verify", str(out)), ("scan", aid), ("backup",)):
        assert call(*args) == 0, args
    assert call("--db", str(tmp_path / "second.sqlite3"), "import", str(out)) == 0
    assert no_network == []


def test_headless_commands_never_load_textual(home: Path) -> None:
    code = (
        "import sys\n"
        "from qa_tui.cli.main import main\n"
        "for args in (['templates'], ['list', '--json']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "import qa_tui.services, qa_tui.store, qa_tui.templates\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(loaded))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "0"


def test_the_entry_starts_the_app_only_when_no_command_is_given(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``qa-tui`` (qa_tui.entry) hands the CLI the app to start: the CLI never imports the TUI,
    and ``qa_tui.cli.main:main`` alone runs commands only."""
    import qa_tui.entry as entry

    started: list[tuple[Path, bool]] = []

    def fake_start(paths: object, *, debug: bool, log: object) -> int:
        started.append((paths.database, debug))  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(entry, "start_app", fake_start)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    with pytest.raises(SystemExit) as ran:
        entry.main(["--db", str(home / "x.sqlite3"), "--debug"])
    assert ran.value.code == 0
    assert started == [(home / "x.sqlite3", True)]
    with pytest.raises(SystemExit) as ran:
        entry.main(["templates", "--json"])
    assert ran.value.code == 0 and len(started) == 1
    with pytest.raises(SystemExit) as ran:
        main([])
    assert ran.value.code == 2 and len(started) == 1
    assert "no command given" in capsys.readouterr().err


def test_the_console_script_is_the_entry_module() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["scripts"] == {"qa-tui": "qa_tui.entry:main"}
    assert "qa_tui.ui" not in (ROOT / "qa_tui" / "cli" / "main.py").read_text("utf-8")


def test_import_linter_contracts_hold() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        exe = Path(shutil.which("lint-imports") or "lint-imports")
    proc = subprocess.run([str(exe), "--no-cache"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" not in proc.stdout.lower() or " 0 broken" in proc.stdout


@pytest.mark.slow
def test_wheel_ships_templates_and_runs_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(dist), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("qa_tui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {Path(n).name for n in names if n.startswith("qa_tui/_bundled/assessments/")}
    shipped = {p.name for p in (ROOT / "assessments").glob("*.toml")}
    assert shipped and shipped <= bundled
    assert "qa_tui/_bundled/exports/return-v1.schema.json" in names
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: MIT" in metadata
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    site = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                              "--target", str(site), str(wheel)], capture_output=True,
                             text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "QA_TUI_HOME": str(tmp_path / "home"),
           "PATH": "/usr/bin:/bin"}
    where = subprocess.run([sys.executable, "-c", "import qa_tui, qa_tui.templates as t;"
                            "print(qa_tui.__file__); print(t.bundled_dir())"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert where.returncode == 0, where.stderr
    module_file, bundled_dir = where.stdout.split()
    assert module_file.startswith(str(site)) and bundled_dir.startswith(str(site))
    listed = subprocess.run([sys.executable, "-m", "qa_tui", "templates", "--json"],
                            capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "cqc-saf-well-led" in {t["id"] for t in json.loads(listed.stdout)}
    schema = subprocess.run([sys.executable, "-c", "from qa_tui.returns.schema import "
                             "schema_path, load_schema; print(schema_path()); "
                             "print(load_schema()['title'])"],
                            capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert schema.returncode == 0, schema.stderr
    assert schema.stdout.split("\n")[0].startswith(str(site))


def test_cli_start_and_template_listing_do_not_load_the_database_code(home: Path) -> None:
    code = (
        "import sys\n"
        "import qa_tui.cli.main as m\n"
        "assert 'sqlmodel' not in sys.modules, 'importing the CLI loaded sqlmodel'\n"
        "try:\n"
        "    m.main(['templates', '--json'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code\n"
        "print('sqlmodel' in sys.modules, 'textual' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False False"


def test_verify_goes_through_its_service_without_loading_the_database_code(
        home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    code = (
        "import sys\n"
        "import qa_tui.cli.main as m\n"
        "try:\n"
        f"    m.main(['verify', {str(broken)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 1, e.code\n"
        "print('sqlmodel' in sys.modules, 'qa_tui.services.verification' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False True"


def test_every_lazy_name_in_services_resolves() -> None:
    """``qa_tui.services`` loads names on first use; a typo in its table would only show when a
    screen or command first touched that name, so every listed name is resolved here."""
    import qa_tui.services as services

    assert sorted(services.__all__) == sorted(services._WHERE)
    for name in services.__all__:
        assert getattr(services, name) is not None, name


@pytest.mark.slow
def test_sdist_carries_everything_its_tests_read(tmp_path: Path) -> None:
    """The sdist's tests can pass: it holds every tracked file under the folders the tests read
    (tests, templates, the return format, docs, CI), the README, the lock file and the licence."""
    import tarfile

    build = subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o",
                            str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    if build.returncode != 0:  # no hatchling in this environment: let pip's isolation fetch it
        build = subprocess.run([sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path),
                                str(ROOT)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    sdist = next(tmp_path.glob("qa_tui-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT,
                             check=True).stdout.split()
    needed = {name for name in tracked
              if name.split("/", 1)[0] in {"tests", "assessments", "exports", "docs", ".ci",
                                           "qa_tui"}
              or name in {"README.md", "LICENSE", "requirements.lock", "pyproject.toml"}}
    missing = sorted(needed - names)
    assert not missing, f"the sdist lacks: {missing[:10]}"
