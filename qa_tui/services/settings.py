"""The assessor's preferences (auto-advance, light or dark theme), kept between runs.

A small JSON file in the config folder: the folder is created owner-only (0700) and the file
0600, written to a temporary file and renamed over the old one, so a crash mid-write leaves
the previous settings, never half a file. Preferences are never worth a crash: a missing file
gives the defaults, and a damaged one is ignored with a sentence saying so (the next change
writes a good file over it). No Textual here: the TUI reads and writes through these functions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from qa_tui.config import ensure_private_dir
from qa_tui.durable import write_private_atomic

FILENAME = "settings.json"
MAX_BYTES = 64 * 1024
"""Anything bigger is not a settings file we wrote: it is ignored, never read into memory."""


@dataclass
class UiSettings:
    """Preferences of the assessor's app; every field has a safe default."""

    auto_advance: bool = True
    """Move to the next question after answering one by key (off: stay and review it)."""
    dark: bool = True
    """Start in the dark theme (the light one reads better in a bright ward)."""
    log: bool = False
    """Keep the support log (commands, errors, timings; never what was typed): see README."""


@dataclass(frozen=True)
class LoadedSettings:
    """What was read, and a sentence for the assessor when the file could not be used."""

    settings: UiSettings
    notice: str | None = None


def settings_path(config_dir: Path) -> Path:
    return config_dir / FILENAME


def load_settings(config_dir: Path) -> LoadedSettings:
    """The saved preferences, or the defaults (with a notice if the file was unusable)."""
    path = settings_path(config_dir)
    try:
        if path.stat().st_size > MAX_BYTES:
            return LoadedSettings(UiSettings(), _ignored(path, "it is too big"))
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return LoadedSettings(UiSettings())
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        # RecursionError: JSON nested thousands deep is damaged too, and must not stop the app
        reason = "it is not valid JSON" if isinstance(exc, ValueError | RecursionError) else \
            f"it cannot be read ({type(exc).__name__})"
        return LoadedSettings(UiSettings(), _ignored(path, reason))
    if not isinstance(data, dict):
        return LoadedSettings(UiSettings(), _ignored(path, "it does not hold settings"))
    settings = UiSettings()
    wrong = []
    for field in fields(UiSettings):
        if field.name not in data:
            continue
        value = data[field.name]
        if isinstance(value, bool):
            setattr(settings, field.name, value)
        else:
            wrong.append(field.name)
    notice = None
    if wrong:
        notice = (f"Some settings in {path} were not understood ({', '.join(wrong)}); "
                  "their defaults are used.")
    return LoadedSettings(settings, notice)


def save_settings(config_dir: Path, settings: UiSettings) -> Path:
    """Write ``settings`` atomically (0600 file in a 0700 folder); OSError if it cannot."""
    ensure_private_dir(config_dir)
    path = settings_path(config_dir)
    text = json.dumps(asdict(settings), indent=2, sort_keys=True) + "\n"
    write_private_atomic(path, text.encode("utf-8"))
    return path


def _ignored(path: Path, reason: str) -> str:
    return f"Settings file {path} ignored: {reason}. The defaults are used until you change one."

