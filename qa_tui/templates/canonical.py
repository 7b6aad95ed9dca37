"""Canonical JSON and SHA-256: one byte-exact text for a document, so hashes mean something.

Sorted keys, no insignificant white space, UTF-8 without escaping. The same function serves
template snapshots and (later) the return's JSON block.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def _plain(value: Any) -> Any:
    """Read-only mappings (a compiled template's ``data``) serialise as the dicts they wrap."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def canonical_json(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_plain)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def template_hash(document: Any) -> str:
    return sha256_hex(canonical_json(document))
