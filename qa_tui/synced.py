"""Is a folder synced to a cloud service? Returns written there leave the laptop.

Windows redirects Documents into OneDrive when "folder backup" is on (``%OneDrive%`` and
``%OneDriveCommercial%`` name the roots; the folder is usually ``OneDrive - <Trust>``); macOS
syncs Desktop and Documents to iCloud Drive when that option is on, and File Provider
clients (OneDrive, Dropbox, Google Drive) live under ``~/Library/CloudStorage``. This looks at
names and the environment only: no network, no client software asked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath

_ONEDRIVE_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")
_ICLOUD = ("Library", "Mobile Documents", "com~apple~CloudDocs")


def _under(path: PurePath, root: PurePath) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def sync_service(path: Path, env: Mapping[str, str] | None = None,
                 home: Path | None = None) -> str | None:
    """``"OneDrive"``, ``"iCloud Drive"`` or another service's name when ``path`` is in a
    synced folder; ``None`` when it stays on this computer (as far as can be told)."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    absolute = Path(os.path.abspath(path))
    for name in _ONEDRIVE_ENV:
        root = env.get(name)
        if root and _under(absolute, Path(os.path.abspath(root))):
            return "OneDrive"
    parts = [part.casefold() for part in absolute.parts]
    if any(part == "onedrive" or part.startswith("onedrive - ") for part in parts):
        return "OneDrive"
    if _under(absolute, home.joinpath(*_ICLOUD)):
        return "iCloud Drive"
    cloud = home / "Library" / "CloudStorage"
    if _under(absolute, cloud):
        relative = absolute.relative_to(cloud).parts
        provider = relative[0].split("-", 1)[0] if relative else "a cloud service"
        return provider or "a cloud service"
    icloud_docs = home.joinpath(*_ICLOUD, "Documents")
    if icloud_docs.is_dir() and any(_under(absolute, home / name) for name in ("Documents",
                                                                              "Desktop")):
        return "iCloud Drive"  # macOS "Desktop & Documents Folders" sync is on
    return None
