"""The one place the TUI asks the services layer to import returns, and how outcomes read.

No Textual here: the dialog runs :func:`import_one` in a worker thread, a file at a time, and
shows each :class:`FileOutcome` as it arrives. A refused or damaged file is an outcome with its
reason, never an exception: one bad file in a folder must not stop the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from qa_tui.errors import QaError, Refused
from qa_tui.ui.literal import shown

if TYPE_CHECKING:
    from qa_tui.services import Services

ImportOutcome = Literal["added", "updated", "unchanged", "refused"]
GLYPHS: dict[str, str] = {"added": "✓", "updated": "✓", "unchanged": "=", "refused": "✗"}


class NothingToImport(QaError):
    """The typed path is not a return or a folder holding any."""

    code = "not-found"


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    outcome: ImportOutcome
    detail: str
    """The service's sentence: "added 1a2b3c4d (revision 3)", or why it was refused."""

    def line(self) -> str:
        """``✓ RTD_….xlsx: added 1a2b3c4d (revision 3)``, ``✗ x.xlsx: refused: why``."""
        said = f"refused: {self.detail}" if self.outcome == "refused" else self.detail
        return shown(f"{GLYPHS[self.outcome]} {self.path.name}: {said}")  # one line, always


def returns_at(typed: str) -> list[Path]:
    """The return files a typed path means, ``~`` expanded: a file, or the returns in a
    folder by the rule ``qa-tui import`` uses (``services.returns_in``: its ``.xlsx`` files in
    any case, not its sub-folders; lock, metadata and hidden files skipped)."""
    from qa_tui.services import returns_in

    text = typed.strip().strip("'\"")
    if not text:
        raise NothingToImport("type the path of a return (.xlsx) or of a folder of returns")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~someone who has no home folder here
        raise NothingToImport(f"{text} does not exist (no such home folder)") from None
    try:
        if path.is_dir():
            found = returns_in(path)
            if not found:
                raise NothingToImport(f"no .xlsx returns in {path}")
            return found
        if path.is_file():
            return [path]
    except OSError as exc:  # a folder this user may not read
        raise NothingToImport(f"cannot read {path} ({exc.strerror or exc})") from None
    raise NothingToImport(f"{path} does not exist")


def import_one(services: Services, path: Path) -> FileOutcome:
    """Import one file; refused and unreadable files come back as outcomes with the reason."""
    try:
        result = services.returns.import_file(path)
    except Refused as exc:
        reasons = f": {'; '.join(r.text for r in exc.reasons)}" if exc.reasons else ""
        return FileOutcome(path, "refused", exc.message + reasons)
    except QaError as exc:
        return FileOutcome(path, "refused", exc.message)
    except OSError as exc:
        return FileOutcome(path, "refused", f"cannot read it ({exc.strerror or exc})")
    except Exception as exc:  # one odd file must not stop the rest of the folder
        return FileOutcome(path, "refused", f"import failed ({type(exc).__name__})")
    detail = result.message()
    if result.identifiers is not None:  # shown, never silently passed on
        detail += f"; ⚠ {result.identifiers.describe()}"
    return FileOutcome(path, result.outcome, detail)


def summary(outcomes: list[FileOutcome]) -> str:
    """"3 files: 1 added, 1 updated, 0 up to date, 1 refused"."""
    counts = {name: sum(o.outcome == name for o in outcomes) for name in GLYPHS}
    files = f"{len(outcomes)} file{'s' if len(outcomes) != 1 else ''}"
    return (f"{files}: {counts['added']} added, {counts['updated']} updated, "
            f"{counts['unchanged']} up to date, {counts['refused']} refused")
