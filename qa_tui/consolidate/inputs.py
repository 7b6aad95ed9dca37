"""Which files a consolidation reads: folders searched recursively, noise named, no file twice.

Which files in a folder are returns is the rule every reader shares
(:mod:`qa_tui.returns.finding`), searched deep. A shared drive of returns also holds Excel lock
files (``~$name.xlsx`` while someone has a return open) and macOS metadata files
(``._name.xlsx``): they are reported as rejected with a plain reason instead of a confusing
"not a zip". The same file reached twice (named and inside
a named folder, or through a link) is read once. The output workbook is never an input: naming
it as one is refused before any work, and a previous consolidation found in a searched folder
is passed over (it is this run's own output, not a return).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qa_tui.errors import Refused
from qa_tui.returns.finding import folder_candidates, passed_over

MARKER = "qa-tui consolidation"
"""Written as the output workbook's document category, so a later run recognises it."""


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    """Files to verify, in a stable order."""
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    """Files refused without opening them, with the reason."""


def is_consolidation(path: Path) -> bool:
    """True for a workbook this command wrote (its core properties carry :data:`MARKER`)."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > 64_000:
                return False
            return MARKER.encode() in z.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def collect(paths: Sequence[Path], output: Path) -> Inputs:
    """The files named and found; :class:`Refused` if ``output`` is one of the inputs."""
    target = os.path.realpath(output)
    seen: set[str] = set()
    out = Inputs()
    for given in paths:
        if given.is_dir():
            try:
                candidates = [(c.path, False) for c in folder_candidates(given, deep=True)]
            except OSError as exc:
                out.rejected.append((given, f"cannot read this folder ({exc.strerror or exc})"))
                continue
        elif given.exists() or given.is_symlink():
            candidates = [(given, True)]
        else:
            out.rejected.append((given, "no such file or folder"))
            continue
        for path, named in candidates:
            real = os.path.realpath(path)
            if real == target:
                if named or not is_consolidation(path):
                    raise Refused(f"the output {output} is one of the input files; "
                                  "choose another output name", where=str(output))
                continue
            if real in seen:
                continue
            seen.add(real)
            reason = passed_over(path.name)
            if reason:
                out.rejected.append((path, reason))
            elif not path.is_file():
                out.rejected.append((path, "not a regular file"))
            else:
                out.files.append(path)
    return out
