"""Helpers shared by the return tests (no tests here): sample assessments, crafted files and a
small JSON Schema checker (jsonschema is not a dependency)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from qa_tui.config import resolve_paths
from qa_tui.returns import escape
from qa_tui.services import Services, build_services

from .conftest import FixedClock

SAF = "cqc-saf-well-led"
VISIT = "qa-visit"

AWKWARD = [
    "=1+1",
    "=HYPERLINK(\"http://example.invalid\",\"click\")",
    "@SUM(A1:A3)",
    "-3 beds closed on the ward",
    "+5 extra beds opened this week",
    "line one\nline two\n\n- bullet",
    "Ünïcødé: ward Ωmega, Māori, 日本語, emoji \U0001F3E5",
    "literal _x0041_ and _x005F_ escapes",
    "＝full-width equals",
]


def fresh_services(tmp_path: Path, name: str) -> Services:
    """A second, independent database (as on another laptop)."""
    paths = resolve_paths(db=tmp_path / f"{name}.sqlite3")
    return build_services(paths, actor=name, clock=FixedClock())


def sample(services: Services, *, notes: list[str] | None = None, complete: bool = True) -> str:
    """A well-led self-assessment with awkward notes, an N/A, actions, optionally complete."""
    svc = services.assessments
    d = svc.start(SAF, org_name="Example NHS Trust", org_code="RTD", site="Trust board",
                  assessors=["A. Assessor", "B. Reviewer"], visit_date="2026-03-01")
    texts = list(notes if notes is not None else AWKWARD)
    questions = [q.id for q in d.template.questions]
    for i, qid in enumerate(questions):
        if i == 2:
            svc.answer(d.id, qid, na=True)
            continue
        value = str(1 + i % 4)
        svc.answer(d.id, qid, value, note=texts[i % len(texts)] if texts else
                   ("Shortfall noted" if value in ("1", "2") else None))
    svc.add_action(d.id, "=cmd|' /C calc'!A0 must stay text", owner="-Matron", due="2026-04-30",
                   priority="high", question_id=questions[0])
    svc.add_action(d.id, "Ünïcødé action\nsecond line", owner="@owner")
    closed = svc.add_action(d.id, "Closed one", owner="Director of nursing")
    svc.close_action(d.id, closed.id)
    if complete:
        svc.complete(d.id)
    return d.id


def rezip(source: Path, target: Path, changes: Mapping[str, bytes | None]) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) the named parts; new names are added."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = set()
        for info in src.infolist():
            names.add(info.filename)
            if info.filename in changes:
                data = changes[info.filename]
                if data is None:
                    continue
            else:
                data = src.read(info)
            dst.writestr(info.filename, data)
        for name, data in changes.items():
            if name not in names and data is not None:
                dst.writestr(name, data)
    target.write_bytes(out.getvalue())
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def machine_sheet(text: str, digest: str, version: object = 1, chunk: int = 4000) -> bytes:
    """A ``_return`` sheet part holding ``text`` (as the writer lays it out)."""
    chunks = [text[i:i + chunk] for i in range(0, len(text), chunk)]
    rows: list[tuple[object, object]] = [("format", "qa-tui-return"), ("format_version", version),
                                         ("sha256", digest), ("json_parts", len(chunks))]
    rows += [("json", c) for c in chunks]
    body = []
    for r, (key, value) in enumerate(rows, start=1):
        cells = [_cell(f"A{r}", key), _cell(f"B{r}", value)]
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(body)}</sheetData></worksheet>').encode()


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(escape(str(value)))}</t></is></c>'


# -- a small JSON Schema checker: the keywords return-v1.schema.json uses ---------------------

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def schema_errors(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any],
                  path: str = "$", *, strict: bool = True) -> list[str]:
    """Problems of ``value`` against ``schema``. ``strict``: keys not in ``properties`` count
    as problems too, so the schema is proven to describe every key the writer emits."""
    if "$ref" in schema:
        target: Any = root
        for piece in schema["$ref"].lstrip("#/").split("/"):
            target = target[piece]
        return schema_errors(value, target, root, path, strict=strict)
    errors: list[str] = []
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, n) for n in names):
            return [f"{path}: {type(value).__name__} is not {names}"]
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
            errors.append(f"{path}: length {len(value)} out of range")
    if _is(value, "number") and not (schema.get("minimum", -1e308) <= value
                                     <= schema.get("maximum", 1e308)):
        errors.append(f"{path}: {value} out of range")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{path}: {k} is required" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            if key in props:
                errors += schema_errors(item, props[key], root, f"{path}.{key}", strict=strict)
            elif strict and "properties" in schema:
                errors.append(f"{path}: {key} is not in the schema")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], root, f"{path}[{i}]", strict=strict)
    return errors


def _is(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


ALL_TYPES: dict[str, Any] = {
    "id": "all-types", "version": "1.0", "title": "Every question type", "kind": "visit",
    "description": "A test template with one question of each type.", "source": "tests (2026)",
    "scales": {
        "score": {"title": "Score", "allow_na": True, "note_required_for": [1], "options": [
            {"value": 1, "label": "Poor", "key": "1"}, {"value": 2, "label": "Fair", "key": "2"},
            {"value": 3, "label": "Good", "key": "3"},
            {"value": 4, "label": "Excellent", "key": "4"}]},
        "colours": {"title": "Colours", "options": [
            {"value": "red", "label": "Red", "key": "1"},
            {"value": "green", "label": "=Green", "key": "2"},
            {"value": "blue", "label": "Blue", "key": "3"}]},
    },
    "scoring": {"method": "percent_bands", "bands": [
        {"low": 0, "high": 49, "rating": "Weak"}, {"low": 50, "high": 74, "rating": "Fair"},
        {"low": 75, "high": 100, "rating": "Strong"}]},
    "sections": [
        {"id": "s1", "title": "First section", "questions": [
            {"id": "Q1", "text": "=Rate it (a formula-looking question)", "scale": "score"},
            {"id": "Q2", "text": "Pick one", "type": "choice", "scale": "colours"},
            {"id": "Q3", "text": "Pick some", "type": "multi", "scale": "colours"},
            {"id": "Q4", "text": "Yes or no?", "type": "yes_no"},
            {"id": "Q5", "text": "Why not?", "type": "text",
             "show_if": {"question": "Q4", "equals": "no"}},
        ]},
        {"id": "s2", "title": "Second section", "questions": [
            {"id": "Q6", "text": "How many?", "type": "number", "min": -100, "max": 100000},
            {"id": "Q7", "text": "When?", "type": "date"},
            {"id": "Q8", "text": "Rate again", "scale": "score", "weight": 2},
            {"id": "Q9", "text": "Anything else?", "type": "text"},
        ]},
    ],
}


def all_types_services(tmp_path: Path, name: str = "main") -> Services:
    """Services whose library also holds the inline every-type template."""
    from qa_tui.templates import TemplateEntry, TemplateLibrary, compile_template

    library = TemplateLibrary.load()
    library.entries["all-types"] = TemplateEntry(compile_template(ALL_TYPES), tmp_path, "user")
    paths = resolve_paths(db=tmp_path / f"{name}.sqlite3")
    return build_services(paths, actor=name, clock=FixedClock(), library=library)
