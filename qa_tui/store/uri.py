"""SQLite ``file:`` URIs that work for every path an assessor may have, Windows ones included.

``Path.as_uri()`` is not enough: for a UNC path (``\\\\server\\share\\qa.sqlite3``, or a mapped
network drive that ``resolve()`` turns into one) it gives ``file://server/share/...``, whose
authority SQLite refuses, so a good database on a shared drive would be reported as damaged.
SQLite wants an empty authority and the UNC path after it (``file:////server/share/...``), a
drive path as ``file:///C:/...``, and ``?``, ``#`` and ``%`` in names escaped.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote


def file_uri(path: PurePath) -> str:
    """The ``file:`` URI of an absolute ``path`` (no query), as SQLite parses it."""
    text = path.as_posix()  # C:/x, //server/share/x, /home/x
    if not text.startswith("/"):
        text = "/" + text  # a drive: file:///C:/...
    return "file://" + quote(text, safe="/:")


def readonly_uri(path: Path) -> str:
    """Open ``path`` read-only without creating or changing any file next to it.

    ``absolute()``, not ``resolve()``: resolving would turn a mapped drive letter into a UNC
    path and follow links the person did not name; both are needless here."""
    absolute = path if path.is_absolute() else Path(os.path.abspath(path))
    return file_uri(absolute) + "?mode=ro&immutable=1"
