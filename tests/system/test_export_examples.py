"""The example returns in exports/examples are valid, and the script that makes them works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qa_tui.returns import read_return

from tests.conftest import ROOT

EXAMPLES = ROOT / "exports" / "examples"


def test_committed_examples_are_valid_returns() -> None:
    files = sorted(EXAMPLES.glob("*.xlsx"))
    assert 2 <= len(files) <= 3
    statuses = set()
    for path in files:
        checked = read_return(path)
        statuses.add(checked.data.status)
        assert path.name.endswith(f"_{checked.data.id[:8]}.xlsx")
    assert statuses == {"complete", "draft"}


def test_the_script_regenerates_valid_examples(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "exports" / "make_examples.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    made = [Path(line) for line in done.stdout.splitlines()]
    assert len(made) == 3
    for path in made:
        read_return(path)
    before = [p.read_bytes() for p in made]
    again = subprocess.run([sys.executable, str(ROOT / "exports" / "make_examples.py"),
                            str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert again.stdout == done.stdout
    assert before == [Path(p).read_bytes() for p in again.stdout.splitlines()]
