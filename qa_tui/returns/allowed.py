"""A return's own record that probable patient identifiers were let through.

``qa-tui export --allow-identifiers`` writes ``identifiers_allowed: true`` and ``identifiers``
(kinds and places, never the values) into the return, so every later reader (verify, import,
consolidate) can show it instead of passing it on silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IdentifiersAllowed:
    """Probable patient identifiers a person chose to export anyway: kinds and places only."""

    kinds: tuple[str, ...]
    places: tuple[str, ...]

    def describe(self) -> str:
        return (f"exported with --allow-identifiers: probable {', '.join(self.kinds)} in "
                f"{', '.join(self.places)}")


def identifiers_json(found: IdentifiersAllowed | None) -> dict[str, Any]:
    """The ``--json`` field scripts read: ``identifiers_allowed`` (false, or true with the
    ``identifiers`` kinds and places the return says were let through)."""
    if found is None:
        return {"identifiers_allowed": False}
    return {"identifiers_allowed": True,
            "identifiers": {"kinds": list(found.kinds), "places": list(found.places)}}
