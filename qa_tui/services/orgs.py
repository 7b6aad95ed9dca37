"""The organisation register kept in the user data folder (``qa-tui orgs load FILE.csv``).

One register a user: loading a new file replaces the old one, checked first (a bad file
changes nothing) and written atomically. The New screen reads it to offer organisation names
and ODS codes as they are typed; consolidation takes its register from ``--orgs`` only, so a
batch's workbook never depends on what one laptop happened to load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa_tui.config import Paths
from qa_tui.consolidate.register import Register, read_register, write_register
from qa_tui.durable import write_private_atomic

REGISTER_FILE = "organisations.csv"


def register_path(paths: Paths) -> Path:
    return paths.data_dir / REGISTER_FILE


@dataclass(frozen=True)
class LoadedRegister:
    path: Path
    organisations: int

    def message(self) -> str:
        return f"{self.organisations} organisations loaded into {self.path}"


def load_register(paths: Paths, source: Path) -> LoadedRegister:
    """Check ``source`` and keep it as the user's register (replacing any earlier one)."""
    register = read_register(source)
    target = register_path(paths)
    write_private_atomic(target, write_register(register).encode("utf-8"))
    return LoadedRegister(target, len(register.entries))


def saved_register(paths: Paths) -> Register | None:
    """The register loaded earlier, or None (none loaded, or it can no longer be read)."""
    path = register_path(paths)
    if not path.is_file():
        return None
    try:
        return read_register(path)
    except Exception:  # noqa: BLE001 - a damaged copy only loses the suggestions
        return None
