"""Verify returns without a database (``qa-tui verify``): light, it never loads the store.

The CLI reaches the return reader only through this service, so ``verify``, ``import`` and
``consolidate`` judge a file by the same reader and report it in the same words; and
:func:`returns_in` is the one rule for which files in a folder are returns (see
:mod:`qa_tui.returns.finding`), for the CLI and the app alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_tui.returns import VerifiedReturn, identifiers_json, read_return
from qa_tui.returns.finding import returns_in

__all__ = ["VerifiedFile", "VerifyService", "returns_in"]


@dataclass(frozen=True)
class VerifiedFile:
    """One file that passed every check, and what it carries."""

    path: Path
    verified: VerifiedReturn

    @property
    def warning(self) -> str | None:
        """Said on stderr: the return was exported with identifiers let through."""
        found = self.verified.data.identifiers
        return None if found is None else found.describe()

    def to_json(self) -> dict[str, Any]:
        d = self.verified.data
        return {"file": str(self.path), "ok": True, "id": d.id, "revision": d.revision,
                "template": d.template_id, "organisation": d.org_name,
                "sha256": self.verified.sha256, **identifiers_json(d.identifiers)}

    def message(self) -> str:
        d = self.verified.data
        return (f"ok (return {d.id[:8]}, revision {d.revision}, {d.template_id}, "
                f"{d.org_name})")


class VerifyService:
    """Check returns without importing them; built by :func:`~qa_tui.services.container.build_verifier`."""

    def verify(self, path: Path) -> VerifiedFile:
        """The file's verified return; :class:`~qa_tui.errors.ReturnInvalid` says why not."""
        return VerifiedFile(path, read_return(path))
