"""Rows of repeating groups: add, remove (renumbering), undo, addressing and completion checks.

A row field's answer is an ordinary answer stored under ``GROUP[N].FIELD``; the number of rows
per group lives on the assessment (``AssessmentRecord.row_counts``). Removing row N renumbers
the later rows down, and its event keeps row N's answers so undo puts everything back in place.
:class:`~qa_tui.services.assessments.AssessmentService` calls in here (its ``add_row``,
``remove_row``, ``undo`` and ``completion_blockers``), passing itself for its write helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from qa_tui.domain import AnswerState
from qa_tui.errors import InvalidInput, NotFound, Reason, ReasonCode, Refused
from qa_tui.services.changes import answer_json, state_from, state_of
from qa_tui.returns.document import Groups, ReturnAnswer
from qa_tui.store import ActionRecord, AnswerRecord, AssessmentRecord, EventRecord
from qa_tui.templates import Address, Question, Section, Template, answer_label, parse_address, row_address
from qa_tui.templates.computed import ComputedValue

if TYPE_CHECKING:  # a read command (show) renders rows without loading SQLAlchemy
    from qa_tui.services.assessments import AssessmentService
    from qa_tui.store.repo import UnitOfWork
    from qa_tui.services.views import AssessmentDetail

ROW_EVENTS = frozenset({"row.add", "row.remove"})


def resolve(template: Template, rec: AssessmentRecord, text: str) -> Question:
    """The question a person named, ready to answer: a row field comes back with its address as
    ``id`` (the answer's key). Refuses computed questions, unknown groups and missing rows."""
    parsed = parse_address(text) if "[" in text else None
    if parsed is None:
        question = template.find_question(text)
        if question is None:
            raise NotFound(f"no question {text!r} in {template.id} {template.version}")
        return refuse_computed(question)
    section = group_of(template, parsed.group)
    assert section.repeat is not None
    gid = section.repeat.group
    field = section.field(parsed.field)
    if field is None:
        names = ", ".join(q.id for q in section.questions)
        raise NotFound(f"no field {parsed.field!r} in group {gid} (fields: {names})")
    count = rec.rows.get(gid, 0)
    if parsed.row > count:
        rows = f"{count} row{'s' if count != 1 else ''}"
        raise Refused(f"{gid} has {rows}; add one with row add", where=text.strip())
    return refuse_computed(replace(field, id=row_address(gid, parsed.row, field.id)))


def refuse_computed(question: Question) -> Question:
    if question.compute is not None:
        raise Refused(f"{question.id} is computed from other answers: it cannot be answered, "
                      "noted or cleared", where=question.id)
    return question


def group_of(template: Template, group: str) -> Section:
    section = template.group(group)
    if section is None:
        names = ", ".join(s.repeat.group for s in template.groups if s.repeat) or "none"
        raise NotFound(f"no repeating group {group.strip()!r} in {template.id} "
                       f"{template.version} (groups: {names})")
    return section


def with_count(rec: AssessmentRecord, group: str, count: int) -> tuple[tuple[str, int], ...]:
    rows = {**rec.rows, group: count}
    return tuple(sorted((g, n) for g, n in rows.items() if n > 0))


def add_row(svc: AssessmentService, assessment_id: str, group: str) -> AssessmentDetail:
    with svc._edit(assessment_id) as (tx, rec, now):
        section = group_of(svc.template_of(rec), group)
        assert section.repeat is not None
        gid, count = section.repeat.group, rec.rows.get(section.repeat.group, 0)
        if count >= section.repeat.max_rows:
            raise Refused(f"{gid} already has {count} rows, the most this template allows")
        rec = svc._save(tx, rec, now, row_counts=with_count(rec, gid, count + 1))
        svc._event(tx, rec.id, "row.add", f"{gid}[{count + 1}]", {"rows": count},
                   {"group": gid, "row": count + 1, "rows": count + 1}, now)
        return svc._detail(tx, rec)


def remove_row(svc: AssessmentService, assessment_id: str, group: str,
               row: int) -> AssessmentDetail:
    with svc._edit(assessment_id) as (tx, rec, now):
        section = group_of(svc.template_of(rec), group)
        assert section.repeat is not None
        gid, count = section.repeat.group, rec.rows.get(section.repeat.group, 0)
        if not 1 <= row <= count:
            raise NotFound(f"{gid} has no row {row} (it has {count})")
        removed = drop_row(tx, rec.id, gid, row, count)
        detached = actions_after_removal(tx, rec.id, gid, row)
        rec = svc._save(tx, rec, now, row_counts=with_count(rec, gid, count - 1))
        svc._event(tx, rec.id, "row.remove", f"{gid}[{row}]",
                   {"group": gid, "row": row, "rows": count, "answers": removed,
                    **({"actions": detached} if detached else {})},
                   {"rows": count - 1, **({"actions_detached": sorted(detached)}
                                          if detached else {})}, now)
        return svc._detail(tx, rec)


def _row_answers(answers: Mapping[str, AnswerRecord], gid: str,
                 row: int) -> dict[str, AnswerRecord]:
    """Field id -> stored answer, for one row."""
    out = {}
    for key, rec in answers.items():
        parsed = parse_address(key) if "[" in key else None
        if parsed is not None and parsed.group == gid and parsed.row == row:
            out[parsed.field] = rec
    return out


def drop_row(tx: UnitOfWork, assessment_id: str, gid: str, row: int,
             count: int) -> dict[str, Any]:
    """Delete row ``row``'s answers and move rows ``row+1..count`` down one; return the
    deleted answers (field -> answer JSON) for the event."""
    answers = tx.get_answers(assessment_id)
    removed = {}
    for fid, rec in _row_answers(answers, gid, row).items():
        removed[fid] = {**(answer_json(state_of(rec)) or {}),
                        "answered_at": rec.updated_at.isoformat(), "by": rec.updated_by}
        tx.delete_answer(assessment_id, rec.question_id)
    for k in range(row + 1, count + 1):
        for fid, rec in _row_answers(answers, gid, k).items():
            tx.delete_answer(assessment_id, rec.question_id)
            tx.put_answer(replace(rec, question_id=row_address(gid, k - 1, fid)))
    return removed


def insert_row(tx: UnitOfWork, assessment_id: str, gid: str, row: int, count: int,
               restored: Mapping[str, Any], now: dt.datetime, actor: str) -> None:
    """Undo of :func:`drop_row`: move rows ``row..count`` up one, then put back row ``row``."""
    answers = tx.get_answers(assessment_id)
    for k in range(count, row - 1, -1):
        for fid, rec in _row_answers(answers, gid, k).items():
            tx.delete_answer(assessment_id, rec.question_id)
            tx.put_answer(replace(rec, question_id=row_address(gid, k + 1, fid)))
    for fid, data in restored.items():
        state = state_from(data)
        if state != AnswerState():  # back as it was, with when and by whom it was answered
            at, by = data.get("answered_at"), data.get("by")
            when = dt.datetime.fromisoformat(at) if isinstance(at, str) else now
            tx.put_answer(AnswerRecord(assessment_id, row_address(gid, row, fid), state.value,
                                       state.na, state.note, when,
                                       by if isinstance(by, str) else actor))


def _action_row(action: ActionRecord, gid: str) -> Address | None:
    """Where ``action`` points when it is on a field of group ``gid``'s rows, else None."""
    qid = action.question_id or ""
    parsed = parse_address(qid) if "[" in qid else None
    return parsed if parsed is not None and parsed.group.upper() == gid.upper() else None


def actions_after_removal(tx: UnitOfWork, assessment_id: str, gid: str,
                          row: int) -> dict[str, str]:
    """Keep actions pointing at the right row once row ``row`` is gone: actions on later rows
    move down one (``RISK[3].DESC`` -> ``RISK[2].DESC``); actions on the removed row stay (an
    action is the visit's finding, not the row's) but are detached from the question. Returns
    the detached ones (action id -> the address they had) for the event, so undo can put the
    references back exactly. The actions' own dates are untouched: only their place moved."""
    detached = {}
    for action in tx.get_actions(assessment_id):
        at = _action_row(action, gid)
        if at is None or at.row < row:
            continue
        if at.row == row:
            detached[action.id] = str(action.question_id)
            tx.put_action(replace(action, question_id=None))
        else:
            tx.put_action(replace(action, question_id=row_address(gid, at.row - 1, at.field)))
    return detached


def actions_after_insert(tx: UnitOfWork, assessment_id: str, gid: str, row: int,
                         detached: Mapping[str, Any]) -> None:
    """Undo of :func:`actions_after_removal`: actions on rows ``row..`` move up one, and the
    actions detached from row ``row`` point at it again (unless since attached elsewhere)."""
    for action in tx.get_actions(assessment_id):
        at = _action_row(action, gid)
        if at is not None and at.row >= row:
            tx.put_action(replace(action, question_id=row_address(gid, at.row + 1, at.field)))
        elif action.question_id is None and isinstance(detached.get(action.id), str):
            tx.put_action(replace(action, question_id=detached[action.id]))


def undo_row(svc: AssessmentService, tx: UnitOfWork, rec: AssessmentRecord, event: EventRecord,
             now: dt.datetime) -> tuple[AssessmentRecord, str, Any, Any]:
    """Reverse a ``row.add`` or ``row.remove`` event: the record with its new row counts, what
    was undone in words, and the event's old/new states."""
    data = event.old if isinstance(event.old, dict) else {}
    parsed = parse_address(f"{event.target}.X")
    if parsed is None:
        raise InvalidInput(f"the event log holds a row event for {event.target!r}")
    gid, row = parsed.group, parsed.row
    count = rec.rows.get(gid, 0)
    if event.kind == "row.add":
        drop_row(tx, rec.id, gid, row, count)
        detached = actions_after_removal(tx, rec.id, gid, row)
        rec = replace(rec, row_counts=with_count(rec, gid, count - 1))
        return rec, f"row {gid}[{row}] added: removed again", {"rows": count}, \
            {"rows": count - 1, **({"actions_detached": sorted(detached)} if detached else {})}
    answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
    actions = data.get("actions") if isinstance(data.get("actions"), dict) else {}
    insert_row(tx, rec.id, gid, row, count, answers, now, svc.actor)
    actions_after_insert(tx, rec.id, gid, row, actions)
    rec = replace(rec, row_counts=with_count(rec, gid, count + 1))
    back = (f" and {len(actions)} action{'s' if len(actions) != 1 else ''} on it"
            if actions else "")
    return rec, f"row {gid}[{row}] removed: put back with its answers{back}", \
        {"rows": count}, {"rows": count + 1}


def blockers(template: Template, rows: Mapping[str, int],
             answers: Mapping[str, AnswerState]) -> list[Reason]:
    """What stops completion in the repeating groups: too few rows, required fields open."""
    reasons = []
    for section in template.groups:
        assert section.repeat is not None
        gid, count = section.repeat.group, rows.get(section.repeat.group, 0)
        if count < section.repeat.min_rows:
            reasons.append(Reason(
                ReasonCode.ROWS_MISSING,
                f"{gid} needs at least {section.repeat.min_rows} "
                f"row{'s' if section.repeat.min_rows != 1 else ''} (it has {count}); "
                "add one with row add"))
        for n in range(1, count + 1):
            for q in section.questions:
                key = row_address(gid, n, q.id)
                if q.required and not answers.get(key, AnswerState()).answered:
                    reasons.append(Reason(ReasonCode.REQUIRED_OPEN,
                                          f"{key} is required and not answered",
                                          question_id=key))
    return reasons


def row_name(section: Section, row: int, answers: Mapping[str, AnswerState]) -> str:
    """How a row is named in lists: ``Risk 2: Staffing gaps`` (the ``row_title`` field)."""
    assert section.repeat is not None
    gid = section.repeat.group
    name = f"{gid.replace('_', ' ').capitalize()} {row}"
    title = section.repeat.row_title
    state = answers.get(row_address(gid, row, title), AnswerState()) if title else AnswerState()
    if title and state.value is not None:
        text = " ".join(str(state.value).split())
        return f"{name}: {text[:60]}"
    return name


def groups_json(template: Template, rows: Mapping[str, int], answers: Mapping[str, AnswerState],
                computed: Mapping[str, ComputedValue]) -> dict[str, list[dict[str, Any]]]:
    """``show --json`` ``groups``: per group, one object per row, field -> value/label/na/note
    (computed fields: their value, band and trace)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for section in template.groups:
        assert section.repeat is not None
        gid = section.repeat.group
        out[gid] = [row_json(section, n, answers, computed) for n in range(1, rows.get(gid, 0) + 1)]
    return out


def row_json(section: Section, row: int, answers: Mapping[str, AnswerState],
             computed: Mapping[str, ComputedValue]) -> dict[str, Any]:
    assert section.repeat is not None
    fields: dict[str, Any] = {}
    for q in section.questions:
        key = row_address(section.repeat.group, row, q.id)
        if q.compute is not None:
            c = computed.get(key)
            fields[q.id] = computed_json(c)
            continue
        a = answers.get(key, AnswerState())
        fields[q.id] = {"value": a.value, "label": answer_label(q, a.value, a.na), "na": a.na,
                        "note": a.note}
    return fields


def computed_json(c: ComputedValue | None) -> dict[str, Any]:
    if c is None:
        return {"value": None, "label": "", "band": None, "na": False, "note": "",
                "computed": True, "trace": ""}
    return {"value": c.value, "label": c.label, "band": c.band, "na": False, "note": "",
            "computed": True, "trace": c.trace}


def canonical_key(template: Template, text: str) -> str:
    """The stored key a person's ``text`` names (``risk[2].desc`` -> ``RISK[2].DESC``), or
    ``text`` itself when it names nothing."""
    parsed = parse_address(text) if "[" in text else None
    if parsed is None:
        question = template.find_question(text)
        return question.id if question is not None else text
    section = template.group(parsed.group)
    field = section.field(parsed.field) if section is not None else None
    if section is None or section.repeat is None or field is None:
        return text
    return row_address(section.repeat.group, parsed.row, field.id)


def return_groups(detail: AssessmentDetail) -> Groups | None:
    """The return's ``groups``: per group, per row, the fields with something recorded (None
    when the template has no repeating section, so other returns keep their exact bytes)."""
    template = detail.template
    if not template.groups:
        return None
    out = []
    for section in template.groups:
        assert section.repeat is not None
        gid = section.repeat.group
        rows = []
        for n in range(1, detail.rows.get(gid, 0) + 1):
            row = []
            for q in section.questions:
                key = row_address(gid, n, q.id)
                a = detail.answers.get(key)
                if a is not None and q.compute is None:
                    row.append(ReturnAnswer(q.id, a.value, a.na, a.note, detail.answered_at[key]))
            rows.append(tuple(row))
        out.append((gid, tuple(rows)))
    return tuple(out)
