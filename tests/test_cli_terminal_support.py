"""Helpers for the terminal-safety tests (no tests here): hostile names and a quick return."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

STRINGS = json.loads((Path(__file__).parent / "hostile" / "display_strings.json").read_text())
MARKUP: list[str] = STRINGS["markup"]
CONTROL_NAMES: list[str] = [s.replace("\x00", "") for s in STRINGS["controls"] if "/" not in s]
"""Control-character strings usable in a file name (no NUL, no slash)."""

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e"
                  "\u2066-\u2069]")


def assert_terminal_safe(text: str) -> None:
    """No character a terminal would act on, except the line ends between lines."""
    bad = _RAW.search(text)
    assert bad is None, f"raw U+{ord(bad.group()):04X} at {bad.start()}: {text[:bad.start() + 20]!r}"


def new_assessment(cli: Any, env: dict[str, str] | None = None) -> str:
    r = cli("new", "--template", "cqc-saf-well-led", "--org", "Example NHS Trust",
            "--org-code", "RTD", "--date", "2026-03-01", env=env)
    assert r.code == 0, r.err
    return str(r.out.strip())


def export_one(cli: Any, aid: str, out: Path) -> Path:
    r = cli("export", aid, "-o", str(out))
    assert r.code == 0, r.err
    return Path(r.out.strip())
