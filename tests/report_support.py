"""Shared by the report tests: a walked visit, and reading a .docx back as text."""

from __future__ import annotations

import io

from docx import Document

from qa_tui.services import Services

HOSTILE_SUMMARY = ('A caring, settled ward. <script>alert("x")</script> & <b>bold?</b> '
                   "{{ template }} =SUM(A1)\nSecond line of the summary.")
ESCALATION = "No call bell in bay 3. Escalated to the nurse in charge (J. Smith) at 11:40."
RECORD = "Call bells: told J. Smith (nurse in charge) 11:40; fitted before we left."
VOICE = "A resident said: \"the staff are kind, but nights are noisy\"."


def walked_visit(services: Services, *, complete: bool = True) -> str:
    """A qa-visit with every answer kind, a critical No, notes, actions and a summary."""
    svc = services.assessments
    d = svc.start("qa-visit", org_name="Riverside Care <Home> & Co", org_code="ZRV",
                  site="Ward 7", assessors=["Ada Assessor", "Ben Bloggs"],
                  visit_date="2026-03-26")
    for i, q in enumerate(d.template.questions):
        if q.id == "V3.2":
            svc.answer(d.id, q.id, "No", note=ESCALATION)
        elif q.id in ("V8.1", "V5.6"):
            svc.answer(d.id, q.id, RECORD if q.id == "V8.1" else VOICE)
        elif q.scale is not None and q.scale.id == "ypn":
            label = ("Yes", "Partly", "Yes")[i % 3]
            svc.answer(d.id, q.id, label, note=f"Evidence for {q.id}: seen <on> the day"
                       if label == "Partly" or i % 4 == 0 else None)
        elif q.scale is not None:
            svc.answer(d.id, q.id, q.scale.options[-1].label)
        elif not q.required:
            continue
        else:
            svc.answer(d.id, q.id, "Seen")
    svc.add_action(d.id, "Fit call bells in every bay", owner="Ward manager", due="2026-04-30",
                   priority="high", question_id="V3.2")
    svc.add_action(d.id, "Refresh <mandatory> training & record it", owner="",
                   priority="medium")
    svc.add_action(d.id, "=HYPERLINK(\"evil\") stays text", owner="Matron", due="2026-05-15",
                   priority="low")
    svc.set_summary(d.id, HOSTILE_SUMMARY)
    if complete:
        svc.complete(d.id)
    return d.id


def docx_text(data: bytes) -> list[str]:
    """Every paragraph and table cell of a .docx, in document order."""
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    out: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for cell in child.iter():
                if cell.tag.endswith("}tc"):
                    out.append("\n".join(
                        "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                        for p in cell.iter() if p.tag.endswith("}p")))
    for section in doc.sections:
        out += [p.text for p in section.footer.paragraphs]
    return out
