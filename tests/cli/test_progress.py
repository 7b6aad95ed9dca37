"""Progress bars for long batches: drawn on a terminal (stderr a pty), never when piped or with
--json, and the data on stdout is the same either way."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover - no pty there; the simulation tier covers the rest
    pytest.skip("needs a pseudo-terminal", allow_module_level=True)


def _on_terminal(*args: str) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout piped, as a script reads it)."""
    main, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "qa_tui", *args], stdout=subprocess.PIPE,
                            stderr=secondary, stdin=subprocess.DEVNULL, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the terminal closed: the process is done with it
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    out = proc.stdout.read().decode() if proc.stdout else ""
    return proc.wait(timeout=120), out, b"".join(chunks).decode(errors="replace")


def test_bars_on_a_terminal_and_quiet_when_piped(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _on_terminal("demo", "--assessments", "4", "--seed", "2")
    assert code == 0 and "Creating demo assessments" in err and "4/4" in err
    assert out.startswith("created 4 demo assessments")
    folder = tmp_path / "returns"
    code, out, err = _on_terminal("export", "--all", "-o", str(folder))
    assert code == 0 and "Exporting returns" in err
    assert len(out.split()) == 4 and len(list(folder.glob("*.xlsx"))) == 4
    code, out, err = _on_terminal("verify", str(folder))
    assert code == 0 and "Verifying returns" in err and out.count(": ok") == 4
    other = tmp_path / "other.sqlite3"
    code, out, err = _on_terminal("--db", str(other), "import", str(folder))
    assert code == 0 and "Importing returns" in err
    code, out, err = _on_terminal("verify", str(folder), "--json")
    assert code == 0 and "Verifying" not in err
    piped = cli("verify", str(folder))
    assert piped.code == 0 and piped.err == "" and piped.out.count(": ok") == 4
    piped = cli("demo", "--assessments", "3", "--seed", "9")
    assert piped.code == 0 and piped.err == ""
