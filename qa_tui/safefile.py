"""Read a file named by a person or found in a folder without trusting what it is.

A name on the command line may be a FIFO (reading it waits forever for a writer), a device or a
symlink to one (``/dev/zero`` never ends, ``/dev/tty`` waits for a key), or a regular file far
larger than anything qa-tui writes. So: the name is looked at with ``os.stat`` (which follows
symlinks, as opening would) and only a regular file goes on; it is opened with ``O_NONBLOCK``
where the platform has it (so a file swapped for a FIFO between the look and the open cannot
block either) and looked at again through the open descriptor; and at most ``limit`` bytes are
read, whatever the file claims its size is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from qa_tui.errors import QaError

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
"""Not on Windows, where a FIFO cannot be opened as a plain name anyway."""
_O_BINARY = getattr(os, "O_BINARY", 0)


class NotReadable(QaError):
    """The name is not a regular file we may read, or it is too large: the message says why."""

    code = "file"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_regular(path: Path) -> os.stat_result:
    """Refuse anything but a regular file (after symlinks), without opening it."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise NotReadable(f"cannot be read ({exc.strerror or exc})") from None
    kind = _kind(info.st_mode)
    if kind == "a folder":
        raise NotReadable("cannot be read (it is a folder, not a file)")
    if kind is not None:
        raise NotReadable(f"is {kind}, not a regular file (refused: reading it could hang or "
                          "never end)")
    return info


def read_limited(path: Path, limit: int, *, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``; :class:`NotReadable` if it is not a regular
    file or holds more than ``limit`` bytes (only ``limit + 1`` bytes are ever read)."""
    path = Path(path)
    info = check_regular(path)
    if info.st_size > limit:
        raise NotReadable(f"is too large to be a {what} ({_mb(info.st_size)}; at most "
                          f"{_mb(limit)})")
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except OSError as exc:
        raise NotReadable(f"cannot be read ({exc.strerror or exc})") from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise NotReadable(f"is {kind}, not a regular file (it changed while being opened)")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except BlockingIOError:
        raise NotReadable("cannot be read without waiting (not a regular file)") from None
    except OSError as exc:
        raise NotReadable(f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise NotReadable(f"is too large to be a {what} (it grew past {_mb(limit)} while "
                          "being read)")
    return b"".join(chunks)
