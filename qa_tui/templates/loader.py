"""Read template files (TOML) safely and hand them to the compiler.

Reading is the only I/O in the templates package. A file that cannot be read, is too large, is
not UTF-8 or is not TOML becomes a located :class:`Problem` like any other.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from qa_tui.errors import Problem, ProblemCode, TemplateInvalid
from qa_tui.safefile import NotReadable, read_limited
from qa_tui.templates.compiler import compile_template
from qa_tui.templates.model import Template

MAX_TEMPLATE_BYTES = 2_000_000


def read_template_document(path: Path) -> dict[str, object]:
    """The raw TOML document of ``path``, or :class:`TemplateInvalid` saying why it is unusable."""
    name = str(path)
    try:
        raw = read_limited(path, MAX_TEMPLATE_BYTES, what="template")
    except NotReadable as exc:
        raise TemplateInvalid([Problem(name, "", exc.message, ProblemCode.UNREADABLE)]) from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Windows editors is fine
    except UnicodeDecodeError as exc:
        raise TemplateInvalid([Problem(name, "", f"is not UTF-8 text (byte {exc.start})",
                                       ProblemCode.NOT_TOML)]) from None
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TemplateInvalid([Problem(name, "", "not valid TOML: nested too deeply",
                                       ProblemCode.NOT_TOML)]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        path_text = f"line {where.group(1)}, column {where.group(2)}" if where else ""
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise TemplateInvalid([Problem(name, path_text, f"not valid TOML: {message}",
                                       ProblemCode.NOT_TOML)]) from None


def load_template_file(path: Path) -> Template:
    return compile_template(read_template_document(path), file=str(path))
