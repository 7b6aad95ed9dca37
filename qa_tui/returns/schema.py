"""The JSON Schema of a return's canonical JSON (``--format json`` and the ``_return`` sheet).

It ships inside the package, so a script or an analyst with only the installed app can
validate exports against it; in a source checkout it is read from ``exports/``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_NAME = "return-v1.schema.json"


def schema_path() -> Path:
    """Where the schema is: inside the installed wheel, or the source checkout."""
    packaged = Path(str(resources.files("qa_tui"))) / "_bundled" / "exports" / SCHEMA_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "exports" / SCHEMA_NAME


def load_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data
