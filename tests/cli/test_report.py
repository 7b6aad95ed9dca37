"""The provider report as a use case and a command: contents, guarantees, and its two sources."""

from __future__ import annotations

import io
import json
import re
import stat
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from qa_tui.errors import Refused
from qa_tui.report.word import TEXT_WIDTH_MM
from qa_tui.returns import read_return
from qa_tui.services import Services

from tests.report_support import ESCALATION, HOSTILE_SUMMARY, RECORD, VOICE, docx_text, walked_visit

HEADINGS = ["Quality assurance visit: feedback report", "Summary", "Findings by section",
            "Immediate concerns and escalation", "What people told us", "Actions",
            "Factual accuracy", "Sign-off"]


def headings(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


def test_the_word_report_has_every_part_in_order(services: Services, tmp_path: Path) -> None:
    aid = walked_visit(services)
    result = services.reports.write(aid, tmp_path, fmt="docx")
    assert result.path.name == f"ZRV_qa-visit_2026-03-26_{aid[:8]}-report.docx"
    data = result.path.read_bytes()
    assert headings(data) == HEADINGS
    doc = Document(io.BytesIO(data))
    section_titles = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert section_titles == [s.title for s in services.assessments.get(aid).template.sections]
    text = "\n".join(docx_text(data))
    cover = docx_text(data)[1:17]
    assert cover[:6] == ["Provider", "Riverside Care <Home> & Co", "ODS code", "ZRV",
                         "Site or service", "Ward 7"]
    assert "Ada Assessor, Ben Bloggs" in cover
    assert HOSTILE_SUMMARY.split("\n")[0] in text and "Second line of the summary." in text
    assert ESCALATION in text  # the critical No is an immediate concern with its record
    assert RECORD in text  # V8.1, an escalation record in qa-visit's [report] table
    assert VOICE in text  # V5.6, people's voice in qa-visit's [report] table
    assert text.index(ESCALATION) < text.index(RECORD) < text.index(VOICE)
    for action in services.assessments.get(aid).actions:
        assert action.description in text
    assert "To be agreed" in text  # an action without an owner
    # Thursday 26 March 2026 + 10 working days, past Good Friday and Easter Monday.
    assert "by 13 April 2026: 10 working days after the visit" in text
    assert "Assurance level: " in text and "Coverage: " in text
    assert "Overall rating" not in text  # the headline names what the bands are
    # qa-visit 1.2 rates a visit by assurance level, and no CQC rating word appears anywhere
    assert re.search(r"Assurance level: (No|Limited|Reasonable|Substantial) assurance \(score ",
                     text)
    assert not [w for w in ("Outstanding", "Requires improvement", "Inadequate") if w in text]
    # Sign-off: one row a assessor (no review exists yet, so no reviewer row).
    sign = doc.tables[-1]
    assert [[c.text for c in row.cells][:2] for row in sign.rows] == [
        ["Name", "Role"], ["Ada Assessor", "Assessor"], ["Ben Bloggs", "Assessor"]]


def test_every_table_fits_between_the_margins_of_an_a4_page(services: Services,
                                                            tmp_path: Path) -> None:
    data = services.reports.write(walked_visit(services), tmp_path).path.read_bytes()
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    usable = section.page_width - section.left_margin - section.right_margin
    assert abs(usable - Mm(TEXT_WIDTH_MM)) < Mm(0.1)
    assert len(doc.tables) >= 6
    for table in doc.tables:
        grid = table._tbl.tblGrid.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol")
        widths = [int(g.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
                  for g in grid]
        assert sum(widths) * 635 <= usable + Mm(0.1)  # twips -> EMU
        layout = table._tbl.tblPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblLayout")
        assert layout is not None and layout.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "fixed"
        for row in table.rows:
            assert sum(c.width for c in row.cells) <= usable + Mm(0.1)


def test_html_is_one_self_contained_escaped_page(services: Services, tmp_path: Path) -> None:
    aid = walked_visit(services)
    html = services.reports.write(aid, tmp_path, fmt="html").path.read_text("utf-8")
    assert "@page { size: A4;" in html
    lowered = html.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
                   "http://", "https://"):
        assert banned not in lowered, banned
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Riverside Care &lt;Home&gt; &amp; Co" in html
    assert "Refresh &lt;mandatory&gt; training &amp; record it" in html
    for part in HEADINGS[1:]:
        assert f"<h2>{part}</h2>" in html


def test_the_hyperlink_text_is_never_a_link(services: Services, tmp_path: Path) -> None:
    html = services.reports.write(walked_visit(services), tmp_path, fmt="html").path.read_text()
    assert "=HYPERLINK(&quot;evil&quot;) stays text" in html
    assert "<a " not in html


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_same_revision_same_bytes_private_and_atomic(services: Services, tmp_path: Path,
                                                     fmt: str) -> None:
    aid = walked_visit(services)
    first = services.reports.write(aid, tmp_path / "a", fmt=fmt)
    second = services.reports.write(aid, tmp_path / "b", fmt=fmt)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "a").iterdir()] == [first.path.name]  # no temp file
    again = services.reports.write(aid, tmp_path / "a", fmt=fmt)
    assert again.outcome == "unchanged"


def test_docx_core_properties_carry_the_assessment_time(services: Services,
                                                        tmp_path: Path) -> None:
    aid = walked_visit(services)
    data = services.reports.write(aid, tmp_path).path.read_bytes()
    props = Document(io.BytesIO(data)).core_properties
    updated = services.assessments.get(aid).record.updated_at
    assert props.created == props.modified == updated.replace(microsecond=0)
    assert props.author == "Ada Assessor"


def test_a_changed_report_is_not_overwritten_without_force(services: Services,
                                                           tmp_path: Path) -> None:
    """A report already there may have been edited in Word: replacing it needs --force."""
    aid = walked_visit(services, complete=False)
    first = services.reports.write(aid, tmp_path)
    services.assessments.set_summary(aid, "A different summary.")
    with pytest.raises(Refused, match="already exists"):
        services.reports.write(aid, tmp_path)
    assert services.reports.write(aid, tmp_path, force=True).outcome == "replaced"
    assert first.path.read_bytes() != b""


def test_database_and_return_give_the_same_report(services: Services, tmp_path: Path) -> None:
    aid = walked_visit(services)
    exported = services.returns.export(aid, tmp_path / "returns")
    for fmt in ("docx", "html"):
        from_db = services.reports.write(aid, tmp_path / "db", fmt=fmt).path.read_bytes()
        from_file = services.reports.write(str(exported.path), tmp_path / "file",
                                           fmt=fmt).path.read_bytes()
        if fmt == "html":
            assert from_db == from_file
        else:
            assert docx_text(from_db) == docx_text(from_file)
            assert from_db == from_file  # even the bytes: zip times and properties are fixed


def test_the_summary_travels_in_the_return(services: Services, tmp_path: Path) -> None:
    aid = walked_visit(services)
    path = services.returns.export(aid, tmp_path).path
    verified = read_return(path)
    assert verified.data.summary == HOSTILE_SUMMARY
    assert verified.document["assessment"]["summary"] == HOSTILE_SUMMARY


def test_a_return_without_a_summary_has_no_summary_key(services: Services,
                                                       tmp_path: Path) -> None:
    aid = walked_visit(services, complete=False)
    services.assessments.set_summary(aid, "")
    document = services.returns.document(aid)
    assert "summary" not in document["assessment"]


def test_identifiers_block_the_report_and_name_place_and_kind(services: Services,
                                                              tmp_path: Path) -> None:
    aid = walked_visit(services, complete=False)
    services.assessments.set_note(aid, "V1.1", "Patient NHS no 943 476 5919 was seen")
    services.assessments.set_summary(aid, "Bay 3 patient 943 476 5919 unhappy")
    with pytest.raises(Refused) as info:
        services.reports.write(aid, tmp_path / "out")
    reasons = " ".join(r.text for r in info.value.reasons)
    assert "V1.1 note: probable NHS number" in reasons
    assert "report summary: probable NHS number" in reasons
    assert "943 476 5919" not in str(info.value) and "9434765919" not in str(info.value)
    assert not (tmp_path / "out").exists()
    assert services.reports.write(aid, tmp_path / "out", allow_identifiers=True).outcome == "written"


def test_cli_report_summary_and_identifier_refusal(cli, services: Services,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    aid = walked_visit(services, complete=False)
    services.close()
    done = cli("summary", aid[:8], "Plain summary <ok>.")
    assert done.code == 0 and done.out.strip() == "summary saved"
    assert cli("summary", aid[:8]).out.strip() == "Plain summary <ok>."
    shown = json.loads(cli("show", aid, "--json").out)
    assert shown["summary"] == "Plain summary <ok>."
    assert "summary report: " in cli("history", aid[:8]).out
    made = cli("report", aid[:8], "-o", str(tmp_path), "--format", "html", "--json")
    assert made.code == 0, made.err
    result = json.loads(made.out)
    assert result["format"] == "html" and Path(result["path"]).is_file()
    assert "Plain summary &lt;ok&gt;." in Path(result["path"]).read_text()
    assert cli("note", aid[:8], "V1.2", "NHS number 9434765919 on the board").code == 0
    refused = cli("report", aid[:8], "-o", str(tmp_path / "x"))
    assert refused.code == 1
    assert "V1.2 note: probable NHS number" in refused.err and "9434765919" not in refused.err
    assert not (tmp_path / "x").exists()
    assert cli("report", aid[:8], "-o", str(tmp_path / "x"), "--allow-identifiers").code == 0


def test_cli_report_of_a_return_file_and_of_a_bad_file(cli, services: Services,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    aid = walked_visit(services)
    path = services.returns.export(aid, tmp_path).path
    services.close()
    made = cli("report", str(path), "-o", str(tmp_path / "r"))
    assert made.code == 0, made.err
    assert made.out.strip().endswith(f"{aid[:8]}-report.docx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    refused = cli("report", str(bad), "-o", str(tmp_path / "r2"))
    assert refused.code == 1 and "bad.xlsx" in refused.err
    assert not (tmp_path / "r2").exists()


def test_the_summary_key_is_in_the_schema_and_old_returns_still_verify(
        services: Services) -> None:
    from tests.conftest import ROOT
    from tests.test_return_support import schema_errors

    schema = json.loads((ROOT / "exports" / "return-v1.schema.json").read_text("utf-8"))
    document = services.returns.document(walked_visit(services))
    assert document["assessment"]["summary"] == HOSTILE_SUMMARY
    assert schema_errors(document, schema, schema) == []
    for path in sorted((ROOT / "exports" / "examples").glob("*.xlsx")):
        verified = read_return(path)  # written before the key existed
        assert "summary" not in verified.document["assessment"]
        assert verified.data.summary == ""


def test_an_imported_return_brings_its_summary(services: Services, tmp_path: Path) -> None:
    from qa_tui.config import Paths
    from qa_tui.services import build_services

    path = services.returns.export(walked_visit(services), tmp_path).path
    elsewhere = Paths(**{**services.paths.__dict__,
                         "db_path": tmp_path / "other" / "qa-tui.sqlite3"})
    other = build_services(elsewhere, actor="quality team")
    try:
        result = other.returns.import_file(path)
        assert other.assessments.get(result.assessment_id).record.summary == HOSTILE_SUMMARY
        assert other.returns.import_file(path).outcome == "unchanged"  # same content
    finally:
        other.close()


def test_an_empty_summary_key_is_refused(services: Services) -> None:
    from qa_tui.errors import ReturnInvalid
    from qa_tui.returns import ReturnData

    document = services.returns.document(walked_visit(services))
    document["assessment"]["summary"] = ""
    with pytest.raises(ReturnInvalid, match="assessment.summary"):
        ReturnData.from_document(document)


def test_set_summary_is_one_saved_change(services: Services) -> None:
    from qa_tui.errors import InvalidInput

    aid = walked_visit(services)  # complete: the summary may still be written
    svc = services.assessments
    before = svc.get(aid).record.revision
    detail = svc.set_summary(aid, "  New summary.\r\nSecond line.  ")
    assert detail.record.summary == "New summary.\nSecond line."
    assert detail.record.revision == before + 1 and detail.is_complete
    assert svc.set_summary(aid, "New summary.\nSecond line.").record.revision == before + 1
    with pytest.raises(InvalidInput, match="summary"):
        svc.set_summary(aid, "bell\x07")
    with pytest.raises(InvalidInput, match="too long"):
        svc.set_summary(aid, "x" * 5_001)
    assert svc.get(aid).record.summary == "New summary.\nSecond line."
    assert [e.kind for e in svc.history(aid)][-1] == "summary"


def test_undo_takes_back_a_summary_edit_not_an_earlier_answer(services: Services) -> None:
    svc = services.assessments
    aid = svc.start("cqc-saf-well-led", org_name="Undo Trust").id
    svc.answer(aid, "WL1", "3")
    svc.set_summary(aid, "First draft of the summary.")
    svc.set_summary(aid, "Second draft.")
    undone = svc.undo(aid)
    assert undone is not None and "report summary" in str(undone)
    assert svc.get(aid).record.summary == "First draft of the summary."
    assert svc.undo(aid) is not None and svc.get(aid).record.summary == ""
    assert svc.get(aid).answers["WL1"].value == 3  # the answer before them is untouched
    assert svc.undo(aid) is not None and not svc.get(aid).answer("WL1").answered


def test_the_template_decides_assurance_wording_days_and_classes(services: Services) -> None:
    """A [report] table changes the headline, the deadline and what counts as a strength."""
    from qa_tui.report import build_view
    from qa_tui.services.returns import return_data
    from qa_tui.templates import compile_template

    detail = services.assessments.get(walked_visit(services))
    data = return_data(detail)
    rating = data.scores.overall.rating
    assert rating is not None
    document = {**detail.template.data, "report": {
        "working_days": 3, "assurance_title": "Level of assurance",
        "assurance": {rating: "Reasonable assurance"},
        "scales": {"ypn": {"strengths": [2, 1], "improvements": [0]}}}}
    view = build_view(data, compile_template(document))
    assert view.headline_label == "Level of assurance"
    assert view.headline.startswith(f"Reasonable assurance (rating {rating}")
    assert "by 31 March 2026: 3 working days" in view.deadline_text
    assert not view.voices and "V5.6" not in {f.question_id for f in view.voices}
    partly = [f for s in view.sections for f in s.strengths if f.answer == "Partly"]
    assert partly and not any(f.answer == "Partly" for s in view.sections
                              for f in s.improvements)
    default = build_view(data, detail.template)
    assert default.headline_label == "Assurance level"  # qa-visit's bands are assurance levels
    cqc = services.assessments.get(services.assessments.start("cqc-saf-well-led",
                                                               org_name="Rated Trust").id)
    assert build_view(return_data(cqc), cqc.template).headline_label == "Overall rating"
    assert any(f.answer == "Partly" for s in default.sections for f in s.improvements)
