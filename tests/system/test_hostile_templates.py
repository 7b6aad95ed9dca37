"""Hostile template files: each is refused cleanly, quickly, with file and place, never a crash."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_tui.errors import ProblemCode as C
from qa_tui.errors import TemplateInvalid
from qa_tui.templates import compile_template, load_template_file, read_template_document

CORPUS = sorted((Path(__file__).parents[1] / "hostile" / "templates").glob("*.toml"))
CODES = {  # the kinds of problem each hostile file has (ProblemCode, as pyxform's ErrorCode)
    "bidi-override.toml": {C.UNSAFE_TEXT},
    "binary-noise.toml": {C.NOT_TOML},
    "c1-csi.toml": {C.UNSAFE_TEXT},
    "control-chars.toml": {C.UNSAFE_TEXT},
    "deep-nesting.toml": {C.NOT_TOML},
    "deep-tables.toml": {C.MISSING, C.UNKNOWN_KEY},
    "empty.toml": {C.MISSING},
    "huge-band-numbers.toml": {C.INVALID},
    "latin1.toml": {C.NOT_TOML},
    "line-separator.toml": {C.UNSAFE_TEXT},
    "many-options.toml": {C.DUPLICATE, C.INVALID, C.MISSING},
    "nan-weight.toml": {C.INVALID, C.TYPE},
    "nul-bytes.toml": {C.NOT_TOML},
    "path-like-ids.toml": {C.BAD_ID},
    "self-reference.toml": {C.FORWARD_REFERENCE},
    "toml-dates.toml": {C.TYPE, C.UNKNOWN_KEY},
    "truncated.toml": {C.NOT_TOML},
    "utf16.toml": {C.NOT_TOML},
    "wrong-types.toml": {C.BAD_CHOICE, C.BAD_ID, C.MISSING, C.TYPE},
}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_file_is_refused_cleanly(path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateInvalid) as refused:
        load_template_file(path)
    assert time.monotonic() - started < 10, "a refusal must come in bounded time"
    assert refused.value.problems
    for problem in refused.value.problems:
        assert problem.file == str(path) and problem.message
        assert "\x00" not in str(problem) and "\x1b" not in str(problem)
    assert set(refused.value.codes) == CODES[path.name]


def test_every_corpus_file_has_its_codes_listed() -> None:
    assert {p.name for p in CORPUS} == set(CODES)


def test_corpus_through_the_cli(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("templates", "check", *map(str, CORPUS))
    assert r.code == 1
    assert "Traceback" not in r.err and r.out == ""
    for path in CORPUS:
        assert f"qa-tui: {path}: " in r.err, f"{path.name} has no located problem"


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "huge.toml"
    big.write_text('title = "' + "x" * 3_000_000 + '"\n', encoding="utf-8")
    with pytest.raises(TemplateInvalid, match="too large") as refused:
        load_template_file(big)
    assert refused.value.codes == (C.UNREADABLE,)


def test_huge_string_within_limit_is_refused_by_field_limits(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[1] / "hostile" / "templates" / "self-reference.toml").read_text()
    path = tmp_path / "long.toml"
    path.write_text(doc.replace('title = "Hostile"', 'title = "' + "y" * 500_000 + '"'))
    with pytest.raises(TemplateInvalid) as refused:
        load_template_file(path)
    assert any(p.path == "title" and "is too long" in p.message for p in refused.value.problems)
    assert any(p.path == "title" and p.code is C.TOO_LONG for p in refused.value.problems)


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                      st.text(max_size=20))
json_tree = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["id", "version", "title", "kind", "scales", "sections",
                                 "questions", "options", "scale", "value", "label", "key",
                                 "scoring", "method", "bands", "low", "high", "rating",
                                 "show_if", "question", "equals", "weight", "type", "x"]),
                                inner, max_size=6)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["id", "version", "title", "kind", "description",
                                        "source", "scales", "sections", "scoring", "notes"]),
                       json_tree, max_size=10))
def test_compiler_only_ever_refuses_cleanly(doc: dict[str, Any]) -> None:
    try:
        compile_template(doc, file="fuzz.toml")
    except TemplateInvalid as exc:
        assert exc.problems and all(p.file == "fuzz.toml" for p in exc.problems)
        assert all(isinstance(code, C) for code in exc.codes)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_reader_only_ever_refuses_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                          data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "t.toml"
    path.write_bytes(data)
    try:
        read_template_document(path)
    except TemplateInvalid as exc:
        assert exc.problems[0].file == str(path)
