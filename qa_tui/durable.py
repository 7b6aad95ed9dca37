"""Private, durable, all-or-nothing file writes on Linux, macOS and Windows.

Every file qa-tui writes (returns, the consolidated workbook, settings, backups, a new database)
goes through here, so the platform differences live in one place:

- **Privacy.** Files are created 0600 and folders 0700 where the platform has mode bits; the
  umask may take bits away, ``fchmod`` puts them back where it exists (not on Windows, where a
  file in the user profile is private through the profile's ACLs instead).
- **Durability.** ``fsync`` on Linux; ``F_FULLFSYNC`` on macOS, where plain ``fsync`` leaves the
  data in the drive's cache and a power cut can still lose it; the folder is synced after a
  rename where a folder can be opened (not on Windows, whose rename is already journalled).
- **Atomicity.** Written to a temporary name beside the target, then renamed over it in one step.
  On Windows a rename fails while another program (Excel, an antivirus scanner, a sync client)
  holds the target open; it is retried for a moment, then refused with a plain reason.
- **Binary.** ``O_BINARY`` on Windows, or ``os.write`` would turn every ``\\n`` into ``\\r\\n``.

Platform support is detected by feature (``hasattr``), never by name, so the Windows-simulation
test tier exercises the same branches a Windows laptop takes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

from qa_tui.errors import QaError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_OPEN_FLAGS = os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)

REPLACE_RETRY_SECONDS = 2.0
"""How long a rename blocked by another program's open handle is retried before giving up."""
_SHARING_WINERRORS = {5, 32, 33}  # access denied, sharing violation, lock violation


class FileInUse(QaError, PermissionError):
    """A file could not be replaced because another program holds it open (Windows).

    Both a :class:`QaError` (the CLI prints one line and carries on with the rest of a batch)
    and a :class:`PermissionError` (callers that catch ``OSError`` keep working)."""

    code = "in-use"

    def __init__(self, path: Path) -> None:
        super().__init__("cannot replace it: another program has the file open (is it open "
                         "in Excel?); close it and try again", where=str(path))
        # OSError's attributes, for callers that read them.
        self.errno = errno.EACCES
        self.strerror = self.message
        self.filename = str(path)


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
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # made meanwhile by another window: keep it as it is
        with contextlib.suppress(OSError):  # the umask may have taken bits away; Windows: no modes
            os.chmod(folder, PRIVATE_DIR)
    return path


def create_private(path: Path, *, read: bool = False) -> int:
    """Create a new file at ``path`` for writing (``read``: and reading), owner-only; the fd.

    ``FileExistsError`` if anything is already there: a private file is never one we reuse."""
    flags = _OPEN_FLAGS | (os.O_RDWR if read else os.O_WRONLY)
    fd = os.open(path, flags, PRIVATE_FILE)
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        # The umask may have taken bits away; this never adds any. A file system without modes
        # (FAT on a USB stick, some shares) refuses it, which is fine.
        with contextlib.suppress(OSError):
            fchmod(fd, PRIVATE_FILE)
    return fd


def touch_private(path: Path) -> None:
    """Create an empty owner-only file (``FileExistsError`` if one is there)."""
    os.close(create_private(path))


def _full_fsync() -> Callable[[int], object] | None:
    """macOS's ``F_FULLFSYNC`` as a call on a file descriptor; None on every other platform
    (Linux has no such flag, Windows no such module). Looked up once, not on every write."""
    if sys.platform != "darwin":
        return None
    import fcntl

    flag = getattr(fcntl, "F_FULLFSYNC", None)
    if flag is None:
        return None
    return lambda fd: fcntl.fcntl(fd, flag)


_FULLFSYNC = _full_fsync()


def restrict(path: Path) -> None:
    """Make an existing file owner-only where the platform has mode bits."""
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FILE)


def flush_to_disk(fd: int) -> None:
    """Push a file's data past the OS and the drive's cache: ``F_FULLFSYNC`` where the
    platform has it (macOS), else ``fsync`` (on Windows, ``FlushFileBuffers``)."""
    if _FULLFSYNC is not None:
        try:
            _FULLFSYNC(fd)
            return
        except OSError:
            pass  # a file system that refuses it (some network shares): plain fsync below
    os.fsync(fd)


def sync_dir(folder: Path) -> None:
    """Make a rename into ``folder`` survive a power cut, where a folder can be synced.

    Windows cannot open a folder as a file and journals the rename itself: nothing to do."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        flush_to_disk(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _is_sharing_violation(exc: OSError) -> bool:
    return getattr(exc, "winerror", None) in _SHARING_WINERRORS or (
        isinstance(exc, PermissionError) and os.name == "nt")


def replace(src: Path, dst: Path, *, retry_seconds: float = REPLACE_RETRY_SECONDS) -> None:
    """``os.replace`` that waits out a short-lived lock (antivirus, a sync client) and turns
    a lasting one (the file open in Excel) into :class:`FileInUse`."""
    deadline = time.monotonic() + retry_seconds
    pause = 0.05
    while True:
        try:
            os.replace(src, dst)
            return
        except OSError as exc:
            if not _is_sharing_violation(exc):
                raise
            if time.monotonic() >= deadline:
                raise FileInUse(dst) from exc
        time.sleep(pause)  # waiting on another program's lock, not on our own state
        pause = min(pause * 2, 0.4)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def temp_name(path: Path) -> Path:
    """A private temporary name beside ``path`` (same folder, so the rename is atomic);
    hidden, and recognisable by :func:`stale_temps` after a crash."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new private temporary file beside ``path``, flushed to disk."""
    ensure_private_dir(path.parent)
    tmp = temp_name(path)
    fd = create_private(tmp)
    try:
        write_all(fd, data)
        flush_to_disk(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def write_private_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Put ``data`` at ``path`` all at once, owner-only and on disk when this returns.

    ``exclusive``: only if nothing is at ``path`` (``FileExistsError`` otherwise, the file
    there untouched); else any file there is replaced. A crash leaves the old file or the new,
    never half of one."""
    put_in_place(write_temp(path, data), path, exclusive=exclusive)


def put_in_place(tmp: Path, path: Path, *, exclusive: bool = False) -> None:
    """The last step of every atomic private write: the temporary file ``tmp`` (written
    beside ``path`` and flushed to disk) becomes ``path`` in one step, the temporary name is
    gone, and the folder is synced. ``exclusive``: only if nothing is at ``path``."""
    try:
        if exclusive:
            link_new(tmp, path)
        else:
            replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    sync_dir(path.parent)


def link_new(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there (``FileExistsError`` otherwise), with
    no window for another writer; a file system without hard links falls back to a check
    and a rename."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some shared drives)
        if path.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        replace(tmp, path)
