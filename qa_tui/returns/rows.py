"""Rows of repeating groups in a return: checked against the template, and as answer states.

The document parser (:mod:`qa_tui.returns.document`) only checks the shape of ``groups``; here
each group, row count, field and value is checked against the template snapshot, so an import
never stores a row the template does not allow. Computed values are never read from a return:
:func:`states` gives the answers they are computed from.
"""

from __future__ import annotations

import datetime as dt

from qa_tui.domain import AnswerState
from qa_tui.errors import InvalidInput, ReturnInvalid
from qa_tui.returns.document import ReturnAnswer, ReturnData
from qa_tui.templates import Question, Template, check_value, parse_address, row_address


def check_ordinary(template: Template, answer: ReturnAnswer) -> None:
    """An entry of ``answers`` must be an ordinary, answerable question (rows go in groups)."""
    where = f"the answer to {answer.question_id}"
    if "[" in answer.question_id:
        raise ReturnInvalid(f"{where}: a row field belongs under groups, not answers (refused)")
    q = template.question(answer.question_id)
    if q is not None and q.compute is not None:
        raise ReturnInvalid(f"{where}: {answer.question_id} is computed; a return never "
                            "carries its value (refused)")


def check_stored(q: Question, a: ReturnAnswer, where: str) -> None:
    """An answer as the app itself would store it for ``q`` (N/A only where allowed)."""
    if a.na and (a.value is not None or not q.allow_na):
        raise ReturnInvalid(f"{where}: N/A is not allowed here or has a value")
    if a.value is not None:
        try:
            ok = check_value(q, a.value) == a.value
        except InvalidInput as exc:
            raise ReturnInvalid(f"{where} is not valid: {exc.message}") from None
        if not ok:
            raise ReturnInvalid(f"{where} is not in the form qa-tui stores")


def check_groups(data: ReturnData, template: Template) -> None:
    """Refuse a group, row count or field the template does not have, or a value it refuses."""
    seen: set[str] = set()
    for gid, rows in data.groups or ():
        section = template.group(gid)
        if section is None or section.repeat is None or section.repeat.group != gid:
            raise ReturnInvalid(f"groups.{gid}: the template has no repeating group {gid}")
        if gid in seen:
            raise ReturnInvalid(f"groups.{gid} appears twice")
        seen.add(gid)
        if len(rows) > section.repeat.max_rows:
            raise ReturnInvalid(f"groups.{gid} has {len(rows)} rows; the template allows at "
                                f"most {section.repeat.max_rows} (refused)")
        fields = {q.id: q for q in section.questions}
        for n, row in enumerate(rows, start=1):
            for a in row:
                where = f"the answer to {row_address(gid, n, a.question_id)}"
                q = fields.get(a.question_id)
                if q is None:
                    raise ReturnInvalid(f"{where}: group {gid} has no field {a.question_id}")
                if q.compute is not None:
                    raise ReturnInvalid(f"{where}: {a.question_id} is computed; a return never "
                                        "carries its value (refused)")
                check_stored(q, a, where)
    counts = data.row_counts()
    for action in data.actions:
        parsed = parse_address(action.question_id or "") if "[" in (action.question_id or "") \
            else None
        if parsed is not None and parsed.row > counts.get(parsed.group, 0):
            raise ReturnInvalid(f"action {action.id[:8]} names {action.question_id}, a row the "
                                "return does not have")


def row_answers(data: ReturnData) -> list[ReturnAnswer]:
    """Every row field's answer, keyed by its address (``RISK[2].DESC``), as the store keeps it."""
    return [ReturnAnswer(row_address(gid, n, a.question_id), a.value, a.na, a.note,
                         a.answered_at)
            for gid, rows in data.groups or () for n, row in enumerate(rows, start=1)
            for a in row]


def states(data: ReturnData) -> dict[str, AnswerState]:
    """Ordinary and row answers by key: what computed values are computed from."""
    return {a.question_id: AnswerState(a.value, a.na, a.note)
            for a in (*data.answers, *row_answers(data))}


def answered_at(data: ReturnData) -> dict[str, dt.datetime]:
    return {a.question_id: a.answered_at for a in row_answers(data)}
