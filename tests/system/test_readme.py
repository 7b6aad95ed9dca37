"""The README is a contract too: two set-up commands, and a CLI reference that matches the CLI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from qa_tui.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_exactly_two_setup_commands_before_the_first_section() -> None:
    top = README.split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", top, flags=re.S)
    assert len(blocks) == 2
    install_and_run, test = (b.strip() for b in blocks)
    assert install_and_run.endswith("qa-tui") and "pip install ." in install_and_run
    assert "'.[test]'" in test and test.endswith("pytest")
    # CI installs the locked versions, so snapshot tests never change under us
    assert "-c requirements.lock" in test


def test_ci_runs_the_readme_test_command() -> None:
    script = ROOT / ".ci" / "run"
    extract = re.search(r"cmd=\$\((awk .*?)\)\n", script.read_text(encoding="utf-8"))
    assert extract is not None
    out = subprocess.run(["bash", "-c", extract.group(1)], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    top = README.split("\n## ", 1)[0]
    assert out == re.findall(r"```sh\n(.*?)\n```", top, flags=re.S)[1].strip()


def test_every_command_in_the_reference_exists() -> None:
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`qa-tui ([a-z-]+)", section))
    named |= set(re.findall(r"/ `([a-z-]+) ID", section))
    assert named, "the reference names commands"
    known = set(cli.commands)
    missing = sorted(named - known)
    assert not missing, f"README names commands the CLI lacks: {missing}"


def test_the_lock_pins_every_dependency_within_its_range() -> None:
    """requirements.lock: one exact pin a line, and each of pyproject's dependencies (the test
    extra too) is pinned at a version its range allows."""
    import tomllib

    from packaging.requirements import Requirement

    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep and version, f"not an exact pin: {line}"
        pins[_norm(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for text in wanted:
        req = Requirement(text)
        assert _norm(req.name) in pins, f"{req.name} is not in requirements.lock"
        assert req.specifier.contains(pins[_norm(req.name)], prereleases=True), \
            f"requirements.lock pins {req.name}=={pins[_norm(req.name)]}, outside {req.specifier}"


def test_snapshots_run_on_the_locked_textual() -> None:
    """The snapshot tests were drawn with the locked Textual and Rich; another version would
    redraw them. Install with ``-c requirements.lock`` (the README's second command)."""
    from importlib.metadata import version

    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, _, pinned = line.split("#", 1)[0].strip().partition("==")
        pins[_norm(name)] = pinned
    for name in ("textual", "rich", "pytest-textual-snapshot"):
        assert version(name) == pins[name], (
            f"{name} {version(name)} is installed but requirements.lock has {pins[name]}: "
            "install with -c requirements.lock")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
