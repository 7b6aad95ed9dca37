"""``qa-tui doctor``: everything a support person asks first, gathered without changing anything.

Versions (qa-tui, Python, Textual, SQLite), the platform, every resolved path, the database's
pragmas and integrity, template problems, free disk space, and whether exports land in a
folder synced to the cloud. ``problems`` make the installation unhealthy (exit 1); ``warnings``
are worth knowing. Textual's version is read from its metadata: headless code never imports it.
"""

from __future__ import annotations

import platform
import shutil
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from qa_tui import __version__
from qa_tui.config import Paths
from qa_tui.eventlog import log_enabled, log_file
from qa_tui.synced import sync_service
from qa_tui.templates import TemplateLibrary

LOW_DISK_BYTES = 50 * 1024 * 1024
"""Below this a backup or an export may not fit: a problem."""
TIGHT_DISK_BYTES = 500 * 1024 * 1024


@dataclass
class DoctorReport:
    versions: dict[str, str]
    platform: dict[str, str]
    paths: dict[str, str]
    database: dict[str, Any]
    templates: dict[str, Any]
    disk: dict[str, Any]
    export_sync: str | None
    log: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "versions": self.versions, "platform": self.platform,
                "paths": self.paths, "database": self.database, "templates": self.templates,
                "disk": self.disk, "export_sync": self.export_sync, "log": self.log,
                "problems": self.problems, "warnings": self.warnings}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _existing(path: Path) -> Path:
    """The nearest folder that exists at or above ``path`` (disk space is asked of it)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or ".")


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(_existing(path)).free
    except OSError:
        return None


def sync_warning(folder: Path, service: str) -> str:
    return (f"the export folder {folder} is synced to {service}: returns written there leave "
            "this laptop; use -o to export to a local folder")


def export_sync_warning(folder: Path) -> str | None:
    """The warning for exporting into ``folder`` when a cloud client syncs it, else None."""
    service = sync_service(folder)
    return sync_warning(folder, service) if service else None


def diagnose(paths: Paths) -> DoctorReport:
    """Look at the installation ``paths`` describe; changes nothing on disk."""
    from qa_tui.store.health import check_database, sqlite_version

    db = check_database(paths.db_path)
    library = TemplateLibrary.load(user_dir=paths.templates_dir)
    problems: list[str] = []
    warnings: list[str] = []
    if db.problem:
        problems.append(f"database {paths.db_path}: {db.problem}")
    for problem in library.problems:
        problems.append(f"template {problem}")
    disk: dict[str, Any] = {}
    for name, where in (("database_folder", paths.db_path.parent), ("export_folder", paths.export_dir)):
        free = _free(where)
        disk[name] = {"path": str(_existing(where)), "free_bytes": free}
        if free is not None and free < LOW_DISK_BYTES:
            problems.append(f"only {free // (1024 * 1024)} MB free at {_existing(where)}")
        elif free is not None and free < TIGHT_DISK_BYTES:
            warnings.append(f"only {free // (1024 * 1024)} MB free at {_existing(where)}")
    synced = sync_service(paths.export_dir)
    if synced:
        warnings.append(sync_warning(paths.export_dir, synced))
    for name, where in (("database", paths.db_path), ("data folder", paths.data_dir)):
        service = sync_service(where)
        if service:
            warnings.append(f"the {name} {where} is in a folder synced to {service}; a sync "
                            "client can copy it half-written: keep it on a local disk")
            break
    return DoctorReport(
        versions={"qa-tui": __version__, "python": platform.python_version(),
                  "textual": _version("textual"), "sqlite": sqlite_version(),
                  "rich": _version("rich"), "openpyxl": _version("openpyxl")},
        platform={"system": platform.system(), "release": platform.release(),
                  "machine": platform.machine(), "python_executable": sys.executable},
        paths={"database": str(paths.db_path), "data_dir": str(paths.data_dir),
               "config_dir": str(paths.config_dir), "templates_dir": str(paths.templates_dir),
               "export_dir": str(paths.export_dir), "backup_dir": str(paths.backup_dir),
               "log_dir": str(paths.log_dir)},
        database=db.to_json(),
        templates={"count": len(library.entries),
                   "problems": [str(p) for p in library.problems]},
        disk=disk, export_sync=synced,
        log={"enabled": log_enabled(paths), "file": str(log_file(paths))},
        problems=problems, warnings=warnings)
