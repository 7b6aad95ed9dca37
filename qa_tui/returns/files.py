"""Where a return goes: a portable file name, and a write that never leaves half a file.

Names are plain ASCII letters, digits and ``-``/``_`` so they work on Windows, Linux, shared
drives and in e-mail. Files are written to a private temporary name in the same folder, flushed
to disk, then linked into place, so a reader sees either nothing or the whole return; a
different file already at the name is never replaced unless asked.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import secrets
import time
import unicodedata
from pathlib import Path
from typing import Literal

from qa_tui.config import ensure_private_dir, sync_dir
from qa_tui.errors import Refused, file_problem

Outcome = Literal["written", "unchanged", "replaced"]
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


def save_file(path: Path, data: bytes, *, force: bool = False) -> Outcome:
    """Write ``data`` at ``path`` (mode 0600). Identical bytes already there: ``unchanged``.
    A different file there: :class:`Refused` unless ``force`` (then ``replaced``). A failure
    of the file system (full disk, read-only drive, no permission) is a ``StorageError``
    naming the file, and leaves no partial temporary file behind."""
    try:
        return _save_file(path, data, force=force)
    except OSError as exc:
        raise file_problem(exc, path) from None


def _save_file(path: Path, data: bytes, *, force: bool) -> Outcome:
    ensure_private_dir(path.parent)
    existed = path.exists()
    if existed and _same_bytes(path, data):
        return "unchanged"
    if existed and not force:
        raise Refused("a different file already exists there (use --force to replace it)",
                      where=str(path))
    _sweep_stale_temps(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:  # out of space, say: the partial file goes now, not 600 s later
        tmp.unlink(missing_ok=True)
        raise
    try:
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    sync_dir(path.parent)
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


def _link_new(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there (no race with another writer)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        if _same_bytes(path, tmp.read_bytes()):
            return
        raise Refused("a different file appeared there while writing (use --force to "
                      "replace it)", where=str(path)) from None
    except OSError:  # a file system without hard links (some shared drives)
        if path.exists():
            raise Refused("a different file already exists there (use --force to replace "
                          "it)", where=str(path)) from None
        os.replace(tmp, path)

