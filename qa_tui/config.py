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

from qa_tui import durable

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
    log_dir: Path
    """Where the opt-in support log goes (see qa_tui.eventlog)."""
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
    text = os.fspath(value).strip()
    if _is_server_url(text):
        return replace(paths, db_url=text)
    return replace(paths, db_path=_sqlite_url_path(text) or typed_path(text), db_url=None)


def resolve_paths(db: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Paths:
    env = os.environ if env is None else env
    home = env.get("QA_TUI_HOME")
    if home:
        root = typed_path(home)
        data_dir, config_dir = root / "data", root / "config"
        export_dir = root / "exports"
        log_dir = root / "logs"
    else:
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        export_dir = Path(platformdirs.user_documents_dir()) / "qa-tui returns"
        log_dir = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    db_value = db if db is not None else env.get("QA_TUI_DB") or None
    paths = Paths(
        data_dir=data_dir,
        config_dir=config_dir,
        templates_dir=config_dir / "templates",
        export_dir=export_dir,
        backup_dir=data_dir / "backups",
        db_path=data_dir / DB_FILENAME,
        log_dir=log_dir,
    )
    return with_db(paths, db_value) if db_value else paths


def typed_path(text: str | os.PathLike[str]) -> Path:
    """A path as a person typed or pasted it: surrounding spaces and one pair of matching
    quotes go (Windows Explorer's "Copy as path" adds double quotes), and ``~`` is expanded."""
    value = os.fspath(text).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    elif value.endswith('"') and value.count('"') == 1:
        value = value[:-1]  # cmd.exe: "C:\returns\" arrives as C:\returns" (the \" escapes)
    return Path(value).expanduser()


# The one private-write helper lives in qa_tui.durable; these names stay for existing callers.
ensure_private_dir = durable.ensure_private_dir
sync_dir = durable.sync_dir
