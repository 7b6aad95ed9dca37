"""Which files are returns: the one rule ``verify``, ``import``, ``consolidate`` and the app share.

A file named is taken as given (the reader says what is wrong with it). A folder stands for the
``.xlsx`` files in it, any case (``A.XLSX`` too), in name order; searched ``deep`` (as
``consolidate`` does), its sub-folders too, each after the files beside it, without following
links to folders. Hidden files (``.name.xlsx``) are skipped; Excel lock files (``~$name.xlsx``,
there while someone has the return open) and macOS metadata files (``._name.xlsx``) are passed
over with the reason, so a caller that lists rejected files can say why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

RETURN_SUFFIX = ".xlsx"


@dataclass(frozen=True)
class Candidate:
    """A file found in a folder: a return to read, or ``passed_over`` with the reason."""

    path: Path
    passed_over: str | None = None


def passed_over(name: str) -> str | None:
    """Why a file of this name is not a return though it ends in ``.xlsx``; None if it may be."""
    if name.startswith("~$"):
        return "an Excel lock file, not a return"
    if name.startswith("._"):
        return "a macOS metadata file, not a return"
    return None


def folder_candidates(folder: Path, *, deep: bool = False) -> list[Candidate]:
    """The ``.xlsx`` files ``folder`` holds under the rule above (``deep``: sub-folders too).
    ``OSError`` if ``folder`` itself cannot be read; an unreadable sub-folder is skipped."""
    with os.scandir(folder):  # the folder itself must be readable: say so, not "none found"
        pass
    found: list[Candidate] = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            if not name.lower().endswith(RETURN_SUFFIX):
                continue
            reason = passed_over(name)
            if reason is None and name.startswith("."):
                continue  # hidden: not offered to anyone
            found.append(Candidate(Path(root) / name, reason))
        if not deep:
            break
    return found


def returns_in(folder: Path, *, deep: bool = False) -> list[Path]:
    """The return files in ``folder``: :func:`folder_candidates` less those passed over."""
    return [c.path for c in folder_candidates(folder, deep=deep)
            if c.passed_over is None and c.path.is_file()]
