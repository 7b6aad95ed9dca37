"""Export as a use case: file names and places, never overwriting silently, synced revision,
the JSON form, and the documents against exports/return-v1.schema.json."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from qa_tui.cli.refusals import worded
from qa_tui.errors import InvalidInput, ReasonCode, Refused
from qa_tui.returns import read_return, return_filename
from qa_tui.services import Services
from qa_tui.services.demo import create_demo
from qa_tui.templates import canonical_json, sha256_hex

from tests.conftest import ROOT
from tests.test_return_support import all_types_services, sample, schema_errors

SCHEMA = json.loads((ROOT / "exports" / "return-v1.schema.json").read_text("utf-8"))


def test_default_place_name_and_modes(services: Services, home: Path) -> None:
    aid = sample(services)
    result = services.returns.export(aid)
    folder = home / "exports"
    assert result.path == folder / f"RTD_cqc-saf-well-led_2026-03-01_{aid[:8]}.xlsx"
    assert result.outcome == "written"
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [result.path.name]  # no temp files left


def test_output_folder_is_created_private(services: Services, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    path = services.returns.export(sample(services), out).path
    assert path.parent == out and stat.S_IMODE(out.stat().st_mode) == 0o700


@pytest.mark.parametrize(("code", "org", "expected"), [
    (None, "St. Mary's / Ünïcödé: <Hospital>*?", "St-Mary-s-Unicode-Hospital"),
    (None, "CON", "CON"),
    (None, "日本語", "organisation"),
    (None, "..  ..", "organisation"),
    ("RTD01", "ignored when there is a code", "RTD01"),
])
def test_file_names_are_portable(code: str | None, org: str, expected: str) -> None:
    name = return_filename(org_code=code, org_name=org, template_id="qa-visit",
                           visit_date=dt.date(2026, 1, 2),
                           return_id="0123abcd-0000-4000-8000-000000000000")
    assert name == f"{expected}_qa-visit_2026-01-02_0123abcd.xlsx"
    assert all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in name)


def test_same_revision_twice_is_unchanged(services: Services, tmp_path: Path) -> None:
    aid = sample(services)
    first = services.returns.export(aid, tmp_path)
    before = first.path.read_bytes()
    again = services.returns.export(aid, tmp_path)
    assert again.outcome == "unchanged" and again.path.read_bytes() == before


def test_a_different_file_is_never_overwritten_silently(services: Services,
                                                        tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    aid = sample(services)
    first = services.returns.export(aid, tmp_path)
    old = first.path.read_bytes()
    services.assessments.reopen(aid)
    with pytest.raises(Refused) as caught:
        services.returns.export(aid, tmp_path)
    message = worded(caught.value)  # the service names no flag: the CLI adds --force
    assert "a different file already exists there (use --force to replace it)" in message
    assert f"it holds revision {first.revision} of this return" in message
    assert "--force" not in str(caught.value)
    assert [(r.code, r.file) for r in caught.value.reasons] == [
        (ReasonCode.FILE_EXISTS, str(first.path))]
    assert first.path.read_bytes() == old
    forced = services.returns.export(aid, tmp_path, force=True)
    assert forced.outcome == "replaced" and forced.revision == first.revision + 1
    assert read_return(forced.path).data.revision == forced.revision
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.path.name]


def test_export_records_the_synced_revision_once(services: Services, tmp_path: Path) -> None:
    aid = sample(services)
    before = services.assessments.get(aid).record
    assert before.synced_revision is None
    services.returns.export(aid, tmp_path)
    after = services.assessments.get(aid).record
    assert after.synced_revision == after.revision == before.revision
    assert after.updated_at == before.updated_at
    services.returns.export(aid, tmp_path)  # unchanged: no second event
    kinds = [e.kind for e in services.assessments.history(aid)]
    assert kinds.count("export") == 1


def test_json_format_is_the_canonical_json(services: Services, tmp_path: Path) -> None:
    aid = sample(services)
    xlsx = services.returns.export(aid, tmp_path)
    as_json = services.returns.export(aid, tmp_path, fmt="json")
    assert as_json.path.suffix == ".json" and as_json.path.stem == xlsx.path.stem
    text = as_json.path.read_text("utf-8")
    assert text == canonical_json(json.loads(text))
    assert sha256_hex(text) == xlsx.sha256 == read_return(xlsx.path).sha256
    with pytest.raises(InvalidInput):
        services.returns.export(aid, tmp_path, fmt="csv")


def test_the_bin_and_the_guard_stop_an_export(services: Services, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    aid = sample(services)
    services.assessments.delete(aid)
    with pytest.raises(Refused, match="in the bin"):
        services.returns.export(aid, tmp_path)
    services.assessments.restore(aid)

    def guard(detail: object, **_: object) -> None:
        raise Refused("probable patient identifiers remain")

    monkeypatch.setattr(services.returns, "before_export", guard)
    with pytest.raises(Refused, match="patient identifiers"):
        services.returns.export(aid, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_documents_match_the_schema(services: Services, tmp_path: Path) -> None:
    documents = [services.returns.document(sample(services))]
    create_demo(services, count=25, seed=4)
    documents += [services.returns.document(s.id) for s in services.assessments.list()]
    other = all_types_services(tmp_path)
    try:
        aid = other.assessments.start("all-types", org_name="Types Trust").id
        for qid, raw in [("Q3", "red,green"), ("Q6", "-2.5"), ("Q7", "2026-01-01")]:
            other.assessments.answer(aid, qid, raw)
        documents.append(other.returns.document(aid))
    finally:
        other.close()
    for document in documents:
        assert schema_errors(document, SCHEMA, SCHEMA) == []


def test_the_schema_checker_catches_problems(services: Services) -> None:
    document = services.returns.document(sample(services))
    document["assessment"]["revision"] = 0
    document["assessment"]["surprise"] = True
    del document["scores"]["overall"]
    problems = schema_errors(document, SCHEMA, SCHEMA)
    assert len(problems) == 3


def test_stale_temporary_files_from_a_killed_export_are_swept(services: Services, tmp_path: Path) -> None:
    import os
    import time

    aid = services.assessments.start("cqc-saf-well-led", org_name="Sweep Trust").id
    first = services.returns.export(aid, tmp_path)
    stale = tmp_path / f".{first.path.name}.abc123.tmp"
    fresh = tmp_path / f".{first.path.name}.def456.tmp"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half a zip")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    services.assessments.answer(aid, "WL1", "3")
    services.returns.export(aid, tmp_path, force=True)
    assert not stale.exists() and fresh.exists()
