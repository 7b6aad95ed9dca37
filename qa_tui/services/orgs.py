"""The organisation register kept in the user data folder (``qa-tui orgs load FILE.csv``).

One register a user: loading a new file replaces the old one, checked first (a bad file
changes nothing) and written atomically. The New screen reads it to offer organisation names
and ODS codes as they are typed; consolidation takes its register from ``--orgs`` only, so a
batch's workbook never depends on what one laptop happened to load.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from qa_tui.config import Paths, ensure_private_dir, sync_dir
from qa_tui.consolidate.register import Register, read_register, write_register

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
    ensure_private_dir(target.parent)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            out.write(write_register(register))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    sync_dir(target.parent)
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
