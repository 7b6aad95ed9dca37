"""Compile answer options and give each its key, by one rule that holds everywhere.

The rule ("one number, one answer"): a digit typed anywhere (TUI key, ``qa-tui answer``) never
means two things.
- On a scale whose values are the whole numbers 1-9 (CQC ratings 4..1, SAF scores 1-4), a digit
  is the option's value: ``3`` is the option worth 3, whatever its position.
- On a scale of numbers that are not all 1-9 (Yes/Partly/No worth 2/1/0), digits answer nothing:
  each option answers by a letter, by default the first free letter of its label (``y p n``).
- On a list whose values are words (a multiple choice), digits count the options in order.
The built-in ``yes_no`` type answers ``y``/``n``. A template may give its own keys; the compiler
refuses one that breaks the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from qa_tui.templates.fields import (
    Ctx,
    check_unique,
    is_number,
    join_path,
    read_bool,
    read_text,
    type_name,
    unknown_keys,
)
from qa_tui.templates.model import Option

KEY_RE = re.compile(r"^[1-9a-z]$")
RESERVED_KEYS = frozenset("jkearuxq0")
"""Keys the assessment screen uses to move around; an option may not take them. ``n`` (next
open question) is free: on a question with an option keyed ``n`` (No), ``n`` answers it."""
_AVOID_BY_DEFAULT = RESERVED_KEYS | {"g"}
"""Letters a default key never takes (``g`` shows guidance)."""

OPTION_KEYS = ("value", "label", "key", "description", "concern", "exclusive")


def compile_options(ctx: Ctx, raw: Any, path: str) -> tuple[Option, ...]:
    """Options of a scale or an inline choice list; plain strings are shorthand for labels."""
    if not isinstance(raw, list) or not raw:
        ctx.add(path, "must be a non-empty list of options", "empty" if raw == [] else "type")
        return ()
    if len(raw) > 9:
        ctx.add(path, f"has {len(raw)} options; at most 9 (one digit key each)")
    options: list[Option] = []
    for i, item in enumerate(raw):
        opath = f"{path}[{i}]"
        if isinstance(item, str):
            item = {"value": item, "label": item}
        if not isinstance(item, Mapping):
            ctx.add(opath, f"must be a table or text, not {type_name(item)}", "type")
            continue
        unknown_keys(ctx, item, OPTION_KEYS, opath)
        value = item.get("value")
        if value is None:
            ctx.add(join_path(opath, "value"), "is required", "missing")
        elif not (is_number(value) or isinstance(value, str)):
            ctx.add(join_path(opath, "value"), f"must be a number or text, not {type_name(value)}",
                    "type")
        key = item.get("key")
        options.append(Option(
            value=value,
            label=read_text(ctx, item, "label", opath, max_len=200),
            key=key if isinstance(key, str) else "",
            description=read_text(ctx, item, "description", opath, required=False),
            concern=read_bool(ctx, item, "concern", opath, False),
            exclusive=read_bool(ctx, item, "exclusive", opath, False),
        ))
    resolved = _assign_keys(ctx, path, options)
    check_unique(ctx, path, "value", [(i, repr(o.value)) for i, o in enumerate(resolved)
                                      if o.value is not None])
    check_unique(ctx, path, "label", [(i, o.label.casefold()) for i, o in enumerate(resolved)
                                      if o.label])
    check_unique(ctx, path, "key", [(i, o.key) for i, o in enumerate(resolved)])
    return tuple(resolved)


def _assign_keys(ctx: Ctx, path: str, options: list[Option]) -> list[Option]:
    numeric = bool(options) and all(is_number(o.value) for o in options)
    digit_valued = numeric and all(isinstance(o.value, int) and 1 <= o.value <= 9
                                   for o in options)
    if ctx.snapshot and numeric:  # a digit key from before the rule: the rule's key instead
        options = [replace(o, key="") if o.key.isdigit() and o.key != str(o.value) else o
                   for o in options]
    taken = {o.key for o in options if o.key}
    out: list[Option] = []
    for i, opt in enumerate(options):
        key = opt.key
        where = f"{path}[{i}].key"
        if not key:
            if digit_valued:
                key = str(opt.value)
            elif numeric:
                key = _free_letter(opt.label, taken)
                if not key:
                    ctx.add(where, f"give {opt.label!r} a letter key: on a scale whose values "
                            "are not all 1-9, options answer by letter", "missing")
            else:
                key = str(i + 1)
            taken.add(key)
        elif not KEY_RE.match(key):
            ctx.add(where, f"{key!r} must be one character, 1-9 or a-z")
        elif key in RESERVED_KEYS:
            ctx.add(where, f"{key!r} is reserved for moving around an assessment "
                    "(j k e a r u x q 0)")
        elif numeric and key.isdigit() and key != str(opt.value):
            ctx.add(where, f"key {key!r} differs from the option's value {opt.value}; on a "
                    "scale of numbers a digit means that value (use a letter)")
        out.append(Option(opt.value, opt.label, key, opt.description, opt.concern,
                          opt.exclusive))
    return out


def _free_letter(label: str, taken: set[str]) -> str:
    """The first letter of the label (then its later letters) that no other option or key uses."""
    for ch in label.casefold():
        if "a" <= ch <= "z" and ch not in taken and ch not in _AVOID_BY_DEFAULT:
            return ch
    return ""
