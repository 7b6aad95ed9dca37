"""What makes two copies of a return the same revision: the one rule import and consolidation
share.

Two files of one revision may differ in the generator stamp (exported by another qa-tui
version) and in the note that identifiers were let through (a fact about the export, not the
answers); a perspective that only restates the template kind's default is the same as none, so
a return written before the key existed still matches its imported copy. Everything else is
content.
"""

from __future__ import annotations

from typing import Any

from qa_tui.domain import default_perspective
from qa_tui.templates import canonical_json, sha256_hex

NOT_CONTENT = frozenset({"generator", "identifiers_allowed", "identifiers"})


def content_text(document: dict[str, Any]) -> str:
    """The canonical JSON of what two copies must share to be the same revision."""
    content = {k: v for k, v in document.items() if k not in NOT_CONTENT}
    assessment = content.get("assessment")
    if isinstance(assessment, dict) and assessment.get("perspective") == \
            default_perspective(str(assessment.get("kind"))).value:
        content["assessment"] = {k: v for k, v in assessment.items() if k != "perspective"}
    return canonical_json(content)


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of :func:`content_text`: equal for copies of one revision."""
    return sha256_hex(content_text(document))
