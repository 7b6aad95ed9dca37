"""Text from outside, made safe to put on a terminal: the one place control characters are escaped.

Names, notes, file names and ``QA_TUI_ACTOR`` are stored exactly as given, but a terminal acts
on some characters instead of showing them: ESC starts sequences that clear the screen, write
the clipboard (OSC 52) or hide a link (OSC 8); CR and newline let a name forge an extra
``qa-tui: ...`` line; bidi overrides make text read in a different order from what is stored.
Every line the CLI prints and every string the TUI shows goes through :func:`printable`, which
writes such characters as visible escapes (``\\x1b``, ``\\n``, ``\\u202e``). Headless: the CLI,
the TUI and the template compiler share it, so what ``templates check`` accepts is exactly what
the app shows as typed.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Arabic letter mark, LRM/RLM, embeddings/overrides and isolates: they reorder what is shown."""

_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
"""C0 and C1 controls, DEL, the Unicode line/paragraph separators and bidi controls."""

_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}]")
"""What ``json.dumps`` leaves raw of the above (it escapes C0 controls itself)."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False, tabs: bool = False) -> str:
    """``text`` with every character a terminal would act on written as a visible escape.

    ``newlines``/``tabs`` keep those two as they are, for multi-line text shown in a box (an
    evidence note) where a line break is the person's own. Everything else is escaped.
    """
    if not _UNSAFE.search(text):
        return text
    if newlines or tabs:
        keep = ("\n" if newlines else "") + ("\t" if tabs else "")
        return "".join(part if part in keep else _UNSAFE.sub(_escape, part)
                       for part in re.split(f"([{keep}])", text))
    return _UNSAFE.sub(_escape, text)


def first_unsafe(text: str, *, allow: str = "") -> str | None:
    """The first character :func:`printable` would escape (``allow`` excepted), or None."""
    for match in _UNSAFE.finditer(text):
        if match.group() not in allow:
            return match.group()
    return None


def json_safe(dumped: str) -> str:
    """JSON text with C1 controls, DEL, separators and bidi controls as ``\\uXXXX`` escapes.

    ``json.dumps(ensure_ascii=False)`` escapes C0 controls but writes the rest raw; inside a JSON
    string ``\\uXXXX`` decodes to the same character, so a script reads the value as stored.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
