"""Where qa-tui keeps things: one place that resolves every user path.

Precedence for the database: ``--db`` > ``QA_TUI_DB`` > the user data dir. ``QA_TUI_HOME`` moves
every user path under one folder (tests and scripts use it so they never touch a real profile).
The database value is a file path (SQLite), ``sqlite:///path`` (the same), or a server URL such as
``postgresql://user@host/dbname``, kept verbatim in ``db_url`` (never printed: see store/url.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
    db_url: str | None = None
    """A database server URL (PostgreSQL); when set, it is the database and ``db_path`` is unused."""

    @property
    def database(self) -> Path | str:
        """What ``open_store`` opens: the server URL, else the SQLite file."""
        return self.db_url or self.db_path


def _is_server_url(value: str) -> bool:
    head, sep, _ = value.partition("://")
    return bool(sep) and head.replace("+", "").isalnum() and head.lower() != "sqlite"


def _sqlite_url_path(value: str) -> Path | None:
    """The file of ``sqlite:///path`` (``sqlite:////abs/path`` for an absolute one), else None."""
    if value.lower().startswith("sqlite:///"):
        return Path(value[len("sqlite:///"):]).expanduser()
    return None


def with_db(paths: Paths, value: str | os.PathLike[str]) -> Paths:
    """``paths`` pointing at another database (``consolidate --db``): a path or a URL."""
    text = os.fspath(value)
    if _is_server_url(text):
        return replace(paths, db_url=text)
    return replace(paths, db_path=_sqlite_url_path(text) or Path(text).expanduser(), db_url=None)


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
    paths = Paths(
        data_dir=data_dir,
        config_dir=config_dir,
        templates_dir=config_dir / "templates",
        export_dir=export_dir,
        backup_dir=data_dir / "backups",
        db_path=data_dir / DB_FILENAME,
    )
    return with_db(paths, db_value) if db_value else paths


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only; an existing folder is kept as is."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
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
