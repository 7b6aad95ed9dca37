"""The README is a contract too: two set-up commands, and a CLI reference that matches the CLI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from qa_tui.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_exactly_two_setup_commands_before_the_first_section() -> None:
    top = README.split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", top, flags=re.S)
    assert len(blocks) == 2
    install_and_run, test = (b.strip() for b in blocks)
    assert install_and_run.endswith("qa-tui") and "pip install ." in install_and_run
    assert "'.[test]'" in test and test.endswith("pytest")


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
