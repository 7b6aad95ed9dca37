"""Where qa-tui keeps things: one place that resolves every user path.

Precedence for the database: ``--db`` > ``QA_TUI_DB`` > the user data dir. ``QA_TUI_HOME`` moves
every user path under one folder (tests and scripts use it so they never touch a real profile).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "qa-tui"
DB_FILENAME = "qa-tui.sqlite3"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path
    templates_dir: Path
    export_dir: Path
    backup_dir: Path
    db_path: Path


def resolve_paths(db: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Paths:
    env = os.environ if env is None else env
    home = env.get("QA_TUI_HOME")
    if home:
        root = Path(home).expanduser()
        data_dir, config_dir = root / "data", root / "config"
        export_dir = root / "exports"
    else:
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        export_dir = Path(platformdirs.user_documents_dir()) / "qa-tui returns"
    db_value = db if db is not None else env.get("QA_TUI_DB") or None
    db_path = Path(db_value).expanduser() if db_value else data_dir / DB_FILENAME
    return Paths(
        data_dir=data_dir,
        config_dir=config_dir,
        templates_dir=config_dir / "templates",
        export_dir=export_dir,
        backup_dir=data_dir / "backups",
        db_path=db_path,
    )


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and every missing parent readable by the owner only (0700: a folder of
    returns or backups is as private as the database); an existing folder is kept as is."""
    missing: list[Path] = []
    current = Path(path)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another window: keep it as it is
        os.chmod(folder, 0o700)  # the umask may have taken bits away; never adds any
    return path


def sync_dir(folder: Path) -> None:
    """fsync a folder so a rename into it survives a power cut (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
