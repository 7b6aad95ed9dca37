"""Where a return goes: a portable file name, and a write that never leaves half a file.

Names are plain ASCII letters, digits and ``-``/``_`` so they work on Windows, Linux, shared
drives and in e-mail. Files are written to a private temporary name in the same folder, flushed
to disk, then linked into place, so a reader sees either nothing or the whole return; a
different file already at the name is never replaced unless asked.
"""

from __future__ import annotations

import datetime as dt
import glob
import re
import time
import unicodedata
from pathlib import Path
from typing import Literal

from qa_tui.config import ensure_private_dir
from qa_tui.durable import FileInUse, write_private_atomic
from qa_tui.errors import ReasonCode, Refused, file_problem

SaveOutcome = Literal["written", "unchanged", "replaced"]
_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def _slug(text: str, limit: int) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text).strip("-")[:limit].strip("-")
    return slug


def return_filename(*, org_code: str | None, org_name: str, template_id: str,
                    visit_date: dt.date, return_id: str, extension: str = "xlsx") -> str:
    """``<org code or org>_<template id>_<visit date>_<id8>.<extension>``, sanitised."""
    org = _slug(org_code or "", 20) or _slug(org_name, 40) or "organisation"
    template = _slug(template_id, 60) or "template"
    rid = _slug(return_id[:8], 8) or "return"
    return f"{org}_{template}_{visit_date.isoformat()}_{rid}.{extension}"


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def save_file(path: Path, data: bytes, *, force: bool = False) -> SaveOutcome:
    """Write ``data`` at ``path`` (mode 0600). Identical bytes already there: ``unchanged``.
    A different file there: :class:`Refused` unless ``force`` (then ``replaced``); the file
    open in another program (Excel, on Windows): :class:`FileInUse` with that reason. Any
    other failure of the file system (full disk, read-only drive, no permission) is a
    ``StorageError`` naming the file, and leaves no partial temporary file behind."""
    try:
        return _save_file(path, data, force=force)
    except FileInUse:
        raise
    except OSError as exc:
        raise file_problem(exc, path) from None


def _save_file(path: Path, data: bytes, *, force: bool) -> SaveOutcome:
    ensure_private_dir(path.parent)
    existed = path.exists()
    if existed and _same_bytes(path, data):
        return "unchanged"
    if existed and not force:
        raise Refused("a different file already exists there", where=str(path),
                      code=ReasonCode.FILE_EXISTS)
    _sweep_stale_temps(path)
    try:
        write_private_atomic(path, data, exclusive=not force)
    except FileExistsError:
        if _same_bytes(path, data):
            return "unchanged"
        raise Refused("a different file appeared there while writing", where=str(path),
                      code=ReasonCode.FILE_EXISTS) from None
    return "replaced" if existed else "written"


STALE_TEMP_SECONDS = 600


def _sweep_stale_temps(path: Path) -> None:
    """Remove temporary files an export killed mid-write left behind (never a recent one,
    which may belong to an export still running in another window)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for old in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue
