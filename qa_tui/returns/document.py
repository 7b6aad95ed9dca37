"""The canonical document of a return (format version 1): typed values <-> plain JSON.

The JSON form is what is hashed and stored in the hidden ``_return`` sheet; this module is the
one place that knows its shape (spec: ``exports/README.md``, schema:
``exports/return-v1.schema.json``). Reading is strict about the keys it knows and ignores keys it
does not, so later 1.x writers may add keys without breaking older readers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa_tui.domain import (
    ActionStatus,
    ActionView,
    JsonValue,
    Kind,
    Perspective,
    Priority,
    ReviewState,
    Status,
    clean_line,
    clean_note,
    clean_ods_code,
    clean_org_name,
)
from qa_tui.errors import InvalidInput, ReturnInvalid
from qa_tui.returns.allowed import IdentifiersAllowed
from qa_tui.returns.lineage import (
    ReturnActionUpdate,
    read_carried,
    read_follows,
    read_updates,
    updates_json,
)
from qa_tui.templates import canonical_json, sha256_hex
from qa_tui.templates.groups import GROUP_RE, MAX_ROWS_LIMIT

FORMAT = "qa-tui-return"
FORMAT_VERSION = 1
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
SUMMARY_MAX = 5_000
"""Longest summary paragraph, in characters (a report summary, not an essay)."""


def iso_time(value: dt.datetime) -> str:
    """UTC, to the microsecond, with a Z: exact, so an import restores the very same instant."""
    return value.astimezone(dt.UTC).strftime(_TIME)


@dataclass(frozen=True)
class ReturnAnswer:
    question_id: str
    value: JsonValue
    na: bool
    note: str
    answered_at: dt.datetime


RowAnswers = tuple[ReturnAnswer, ...]
"""One row of a repeating group: its answered fields (``question_id`` is the field id)."""
Groups = tuple[tuple[str, tuple[RowAnswers, ...]], ...]
"""(group id, rows) per repeating group: the return's ``groups`` key."""


ReturnAction = ActionView
"""A return's ``actions[]`` entry is the one action shape (:class:`qa_tui.domain.ActionView`)."""


@dataclass(frozen=True)
class ReturnReview:
    """A second reviewer's decision (``assessment.review``): approved, or returned with the
    reason in ``note``."""

    state: str
    reviewer: str
    at: dt.datetime
    note: str

    def words(self) -> str:
        """The Cover's one line: ``approved by Sam Lee on 2026-03-04: note``."""
        text = f"{self.state} by {self.reviewer} on {self.at:%Y-%m-%d}"
        return f"{text}: {self.note}" if self.note else text


@dataclass(frozen=True)
class ReturnRating:
    """A score and rating as the exporting app computed them (with how it got there)."""

    score_pct: float | None
    rating: str | None
    band: str | None
    trace: str


@dataclass(frozen=True)
class SectionResult:
    id: str
    title: str
    answered: int
    total: int
    required_open: tuple[str, ...]
    result: ReturnRating
    coverage_pct: int | None = None
    """Optional (with ``Scores.coverage_pct``): share of the section's scored questions answered."""
    provisional: bool | None = None


@dataclass(frozen=True)
class Scores:
    sections: tuple[SectionResult, ...]
    overall: ReturnRating
    answered: int
    total: int
    progress_pct: int
    required_open: tuple[str, ...]
    notes_owed: tuple[str, ...]
    escalations: tuple[str, ...]
    coverage_pct: int | None = None
    """Share of the scored questions the rating rests on. Added in qa-tui 1.x: ``None`` in a
    return written before, whose visible sheets then keep their earlier layout."""
    provisional: bool | None = None
    """The overall rating rests on fewer answers than the template's threshold."""
    escalations_unrecorded: tuple[str, ...] | None = None
    """Escalated questions without their escalation record (an evidence note)."""

    @property
    def has_coverage(self) -> bool:
        return self.coverage_pct is not None


@dataclass(frozen=True)
class ReturnData:
    """Everything a return says, typed. ``to_document()`` gives the canonical JSON object."""

    id: str
    revision: int
    status: str
    org_name: str
    org_code: str | None
    site: str
    kind: str
    assessors: tuple[str, ...]
    visit_date: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    template_id: str
    template_version: str
    template_title: str
    template_hash: str
    template_snapshot: Mapping[str, Any]
    answers: tuple[ReturnAnswer, ...]
    actions: tuple[ActionView, ...]
    scores: Scores
    generator_version: str
    summary: str = ""
    """The assessor's one-paragraph summary for the provider report (additive key; absent
    from the document when empty, so returns without one keep their exact bytes)."""

    identifiers: IdentifiersAllowed | None = None
    """Set when exported with ``--allow-identifiers`` while probable identifiers remained."""

    follows: str | None = None
    """The id of the visit this one follows up (additive key, absent on a first visit)."""
    action_updates: tuple[ReturnActionUpdate, ...] = ()
    """Action updates after completion and reviews of carried actions (additive key)."""
    perspective: str | None = None
    """``assessment.perspective`` (self, icb, peer): additive, None in returns written before
    it existed (whose perspective then follows from the template kind)."""
    review: ReturnReview | None = None
    """``assessment.review``: additive, absent while the assessment has no review."""
    groups: Groups | None = None
    """Rows of repeating groups (additive key ``groups``, present when the template has
    repeating sections). Computed values are never carried: readers compute them."""

    def row_counts(self) -> dict[str, int]:
        """Rows per group, as the return says."""
        return {gid: len(rows) for gid, rows in self.groups or ()}

    def to_document(self) -> dict[str, Any]:
        assessment: dict[str, Any] = {
            "id": self.id, "revision": self.revision, "status": self.status,
            "organisation": {"name": self.org_name, "code": self.org_code},
            "site": self.site, "kind": self.kind, "assessors": list(self.assessors),
            "visit_date": self.visit_date.isoformat(),
            "created_at": iso_time(self.created_at), "updated_at": iso_time(self.updated_at),
            "completed_at": iso_time(self.completed_at) if self.completed_at else None,
        }
        if self.summary:
            assessment["summary"] = self.summary
        if self.follows:
            assessment["follows"] = self.follows
        if self.perspective is not None:
            assessment["perspective"] = self.perspective
        if self.review is not None:
            r = self.review
            assessment["review"] = {"state": r.state, "reviewer": r.reviewer,
                                    "at": iso_time(r.at), "note": r.note}
        document: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "generator": {"name": "qa-tui", "version": self.generator_version},
            "assessment": assessment,
            "template": {"id": self.template_id, "version": self.template_version,
                         "title": self.template_title, "hash": self.template_hash,
                         "snapshot": dict(self.template_snapshot)},
            "answers": [{"question_id": a.question_id, "value": a.value, "na": a.na,
                         "note": a.note, "answered_at": iso_time(a.answered_at)}
                        for a in self.answers],
            "actions": [a.to_json(iso_time) for a in self.actions],
            "scores": _scores_json(self.scores),
            **updates_json(self.action_updates, iso_time),
        }
        if self.groups is not None:  # additive: only templates with repeating sections
            document["groups"] = {gid: [{a.question_id: _field_json(a) for a in row}
                                        for row in rows] for gid, rows in self.groups}
        if self.identifiers is not None:  # additive keys: absent from every other return
            document["identifiers_allowed"] = True
            document["identifiers"] = {"kinds": list(self.identifiers.kinds),
                                       "places": list(self.identifiers.places)}
        return document

    @classmethod
    def from_document(cls, document: Any) -> ReturnData:
        """Typed values of a document, or :class:`ReturnInvalid` naming the first bad key."""
        return _parse(_Obj(document, ""))

    def canonical(self) -> str:
        return canonical_json(self.to_document())


def _field_json(a: ReturnAnswer) -> dict[str, Any]:
    return {"value": a.value, "na": a.na, "note": a.note, "answered_at": iso_time(a.answered_at)}


def _result_json(r: ReturnRating) -> dict[str, Any]:
    return {"score_pct": r.score_pct, "rating": r.rating, "band": r.band, "trace": r.trace}


def _scores_json(s: Scores) -> dict[str, Any]:
    return {
        "sections": [{"id": x.id, "title": x.title, "answered": x.answered, "total": x.total,
                      "required_open": list(x.required_open), **_result_json(x.result),
                      **({"coverage_pct": x.coverage_pct, "provisional": bool(x.provisional)}
                         if x.coverage_pct is not None else {})}
                     for x in s.sections],
        "overall": _result_json(s.overall),
        "answered": s.answered, "total": s.total, "progress_pct": s.progress_pct,
        "required_open": list(s.required_open), "notes_owed": list(s.notes_owed),
        "escalations": list(s.escalations),
        **({"coverage_pct": s.coverage_pct, "provisional": bool(s.provisional),
            "escalations_unrecorded": list(s.escalations_unrecorded or ())}
           if s.coverage_pct is not None else {}),
    }


# -- reading ---------------------------------------------------------------------------------


def _bad(path: str, message: str) -> ReturnInvalid:
    return ReturnInvalid(f"the return data is not valid: {path}: {message}")


class _Obj:
    """A JSON object with its dotted path, so every complaint names the key."""

    def __init__(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _bad(path or "document", "must be an object")
        self.value, self.path = value, path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> Any:
        if key not in self.value:
            raise _bad(self.at(key), "is missing")
        return self.value[key]

    def obj(self, key: str) -> _Obj:
        return _Obj(self.get(key), self.at(key))

    def objs(self, key: str) -> list[_Obj]:
        return [_Obj(v, f"{self.at(key)}[{i}]") for i, v in enumerate(self.array(key))]

    def array(self, key: str) -> list[Any]:
        value = self.get(key)
        if not isinstance(value, list):
            raise _bad(self.at(key), "must be a list")
        return value

    def text(self, key: str, *, null: bool = False) -> Any:
        value = self.get(key)
        if value is None and null:
            return None
        if not isinstance(value, str):
            raise _bad(self.at(key), "must be text")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        items = self.array(key)
        if not all(isinstance(v, str) for v in items):
            raise _bad(self.at(key), "must be a list of text")
        return tuple(items)

    def whole(self, key: str, *, minimum: int = 0) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _bad(self.at(key), f"must be a whole number of at least {minimum}")
        return value

    def number(self, key: str) -> float | None:
        value = self.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise _bad(self.at(key), "must be a number or null")
        return value

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise _bad(self.at(key), "must be true or false")
        return value

    def choice(self, key: str, allowed: Any) -> str:
        value = self.text(key)
        if value not in {str(a) for a in allowed}:
            raise _bad(self.at(key), f"{value!r} is not one of {', '.join(map(str, allowed))}")
        return str(value)

    def time(self, key: str, *, null: bool = False) -> Any:
        text = self.text(key, null=null)
        if text is None:
            return None
        try:
            return dt.datetime.strptime(text, _TIME).replace(tzinfo=dt.UTC)
        except ValueError:
            raise _bad(self.at(key), f"{text!r} is not a UTC time like "
                                     "2026-03-02T09:00:00.000000Z") from None

    def date(self, key: str, *, null: bool = False) -> Any:
        text = self.text(key, null=null)
        if text is None:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise _bad(self.at(key), f"{text!r} is not a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _bad(self.at(key), f"{text!r} is not a date YYYY-MM-DD") from None

    def uuid(self, key: str) -> str:
        value = self.text(key)
        if not _UUID.match(value):
            raise _bad(self.at(key), f"{value!r} is not a lower-case UUID")
        return str(value)

    def clean(self, key: str, cleaner: Any, *, null: bool = False, **kwargs: Any) -> Any:
        """Text already in the normal form the app itself stores (trimmed, no control chars)."""
        value = self.text(key, null=null)
        if value is None:
            return None
        try:
            cleaned = cleaner(value, **kwargs)
        except InvalidInput as exc:
            raise _bad(self.at(key), exc.message) from None
        if cleaned != value:
            raise _bad(self.at(key), "is not in the form qa-tui stores")
        return value


def _result(o: _Obj) -> ReturnRating:
    return ReturnRating(o.number("score_pct"), o.text("rating", null=True), o.text("band", null=True),
                  o.text("trace"))


def _parse(doc: _Obj) -> ReturnData:
    if doc.get("format") != FORMAT:
        raise ReturnInvalid(f"not a qa-tui return (format {doc.get('format')!r})")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ReturnInvalid(f"format version {doc.get('format_version')!r} is not supported "
                            f"(this qa-tui reads version {FORMAT_VERSION})")
    gen = doc.obj("generator")
    a, t = doc.obj("assessment"), doc.obj("template")
    org = a.obj("organisation")
    snapshot = t.obj("snapshot").value
    digest = t.text("hash")
    if sha256_hex(canonical_json(snapshot)) != digest:
        raise ReturnInvalid("the template snapshot does not match its hash (template.hash)")
    actions = tuple(_action(x) for x in doc.objs("actions"))
    s = doc.obj("scores")
    scores = Scores(
        sections=tuple(SectionResult(x.text("id"), x.text("title"), x.whole("answered"),
                                     x.whole("total"), x.texts("required_open"), _result(x),
                                     *_section_coverage(x))
                       for x in s.objs("sections")),
        overall=_result(s.obj("overall")), answered=s.whole("answered"), total=s.whole("total"),
        progress_pct=s.whole("progress_pct"), required_open=s.texts("required_open"),
        notes_owed=s.texts("notes_owed"), escalations=s.texts("escalations"),
        **_coverage(s))
    return ReturnData(
        id=a.uuid("id"), revision=a.whole("revision", minimum=1),
        status=a.choice("status", [x.value for x in Status]),
        org_name=org.clean("name", clean_org_name),
        org_code=org.clean("code", clean_ods_code, null=True),
        site=a.clean("site", clean_line, field="site or service", required=False),
        kind=a.choice("kind", [x.value for x in Kind]),
        assessors=tuple(_assessors(a)),
        visit_date=a.date("visit_date"), created_at=a.time("created_at"),
        updated_at=a.time("updated_at"), completed_at=a.time("completed_at", null=True),
        template_id=t.text("id"), template_version=t.text("version"), template_title=t.text("title"),
        template_hash=digest, template_snapshot=snapshot,
        answers=tuple(_answer(x) for x in doc.objs("answers")),
        actions=actions,
        scores=scores, generator_version=gen.text("version"),
        summary=_summary(a),
        identifiers=_identifiers(doc),
        follows=read_follows(a),
        action_updates=read_updates(doc, {x.id for x in actions}, _bad),
        perspective=(a.choice("perspective", [p.value for p in Perspective])
                     if "perspective" in a.value else None),
        review=_review(a),
        groups=_groups(doc),
    )


def _groups(doc: _Obj) -> Groups | None:
    """``groups``: optional; at most ``MAX_ROWS_LIMIT`` rows a group, refused before any row
    is read (a return claiming a million rows costs nothing)."""
    if "groups" not in doc.value:
        return None
    g = doc.obj("groups")
    out = []
    for gid in g.value:
        if not GROUP_RE.match(gid):
            raise _bad(g.at(gid), "is not a group id (capital letters, digits and '_')")
        rows = g.array(gid)
        if len(rows) > MAX_ROWS_LIMIT:
            raise _bad(g.at(gid), f"claims {len(rows)} rows; a group has at most "
                                  f"{MAX_ROWS_LIMIT} (refused)")
        parsed = []
        for i, row in enumerate(rows):
            r = _Obj(row, f"{g.at(gid)}[{i}]")
            parsed.append(tuple(_field(r.obj(fid), fid) for fid in r.value))
        out.append((gid, tuple(parsed)))
    return tuple(out)


def _field(x: _Obj, field_id: str) -> ReturnAnswer:
    return ReturnAnswer(field_id, x.get("value"), x.flag("na"), x.clean("note", clean_note),
                        x.time("answered_at"))


def _review(a: _Obj) -> ReturnReview | None:
    """``assessment.review``: optional; an approval only of a complete assessment, a return
    only of a draft (it sent the assessment back)."""
    if "review" not in a.value:
        return None
    r = a.obj("review")
    state = r.choice("state", [s.value for s in ReviewState])
    status = a.get("status")
    if state == ReviewState.APPROVED.value and status != Status.COMPLETE.value:
        raise _bad(r.at("state"), "an approved return must be complete")
    if state == ReviewState.RETURNED.value and status != Status.DRAFT.value:
        raise _bad(r.at("state"), "a returned assessment is a draft until completed again")
    return ReturnReview(state, r.clean("reviewer", clean_line, field="reviewer name",
                                       max_len=100),
                        r.time("at"), r.clean("note", clean_note, field="note", max_len=2_000))


def _summary(a: _Obj) -> str:
    """``assessment.summary``: optional (returns written before it existed have none)."""
    if "summary" not in a.value:
        return ""
    value = a.clean("summary", clean_note, field="summary", max_len=SUMMARY_MAX)
    if not value:
        raise _bad(a.at("summary"), "is left out when empty, never written empty")
    return str(value)


def _section_coverage(x: _Obj) -> tuple[int | None, bool | None]:
    if "coverage_pct" not in x.value:
        return None, None
    coverage = x.whole("coverage_pct")
    if coverage > 100:
        raise _bad(x.at("coverage_pct"), "must be a whole percent from 0 to 100")
    return coverage, x.flag("provisional")


def _coverage(s: _Obj) -> dict[str, Any]:
    """The optional coverage keys: all three or none (a return from before they existed)."""
    if "coverage_pct" not in s.value:
        return {}
    coverage = s.whole("coverage_pct")
    if coverage > 100:
        raise _bad(s.at("coverage_pct"), "must be a whole percent from 0 to 100")
    return {"coverage_pct": coverage, "provisional": s.flag("provisional"),
            "escalations_unrecorded": s.texts("escalations_unrecorded")}


def _identifiers(doc: _Obj) -> IdentifiersAllowed | None:
    """The optional ``identifiers_allowed`` / ``identifiers`` keys (absent: none allowed)."""
    allowed = doc.value.get("identifiers_allowed", False)
    if allowed is False and "identifiers" not in doc.value:
        return None
    if allowed is not True:
        raise _bad("identifiers_allowed", "must be true when present")
    found = doc.obj("identifiers")
    return IdentifiersAllowed(found.texts("kinds"), found.texts("places"))


def _assessors(a: _Obj) -> list[str]:
    names = a.texts("assessors")
    for i, name in enumerate(names):
        try:
            ok = clean_line(name, field="assessor name", max_len=100) == name
        except InvalidInput:
            ok = False
        if not ok:
            raise _bad(f"{a.at('assessors')}[{i}]", "is not a clean assessor name")
    return list(names)


def _answer(x: _Obj) -> ReturnAnswer:
    return ReturnAnswer(x.text("question_id"), x.get("value"), x.flag("na"),
                        x.clean("note", clean_note), x.time("answered_at"))


def _action(x: _Obj) -> ActionView:
    if not x.text("description").strip():
        raise _bad(x.at("description"), "an action needs a description")
    return ActionView(
        id=x.uuid("id"), question_id=x.text("question_id", null=True),
        description=x.clean("description", clean_note, field="action description",
                            max_len=2_000),
        owner=x.clean("owner", clean_line, field="owner", max_len=100, required=False),
        due_date=x.date("due_date", null=True),
        priority=x.choice("priority", [p.value for p in Priority]),
        status=x.choice("status", [s.value for s in ActionStatus]),
        created_at=x.time("created_at"), updated_at=x.time("updated_at"),
        closed_at=x.time("closed_at", null=True), carried_from=read_carried(x))
