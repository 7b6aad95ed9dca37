"""The stored summary of an assessment, and the content-addressed template snapshots.

Home and ``qa-tui list`` show, per assessment, what scoring its answers gives (answered count,
rating, escalations...). Scoring 10,000 assessments on every listing grew with the database
(issue 20), so the summary is a row of ``assessment_summary``, written in the same transaction
as every change to the answers: the service hands over the one it has just computed
(:meth:`UnitOfWork.put_summary`), and the unit of work rescores whatever else changed before it
commits (imports, demo data), so a listing never needs the answers.

Snapshots are stored once each in ``template_snapshot``, keyed by the SHA-256 of their text
(``snapshot_key``): a key names its content for ever, so the text and the compiled template
can be cached by key in the process without ever going stale, even across a restore.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from qa_tui.domain import AnswerState
from qa_tui.errors import QaError
from qa_tui.store.records import SummaryRecord
from qa_tui.templates import ScoreReport, Template, compile_template, overall_words, score
from qa_tui.templates.canonical import sha256_hex


def summary_of(template: Template, report: ScoreReport) -> SummaryRecord:
    return SummaryRecord(
        template_title=template.title, answered=report.answered, total=report.total,
        progress_pct=report.progress_pct, rating=report.overall.rating,
        rating_words=overall_words(report), escalations=tuple(report.escalations),
        coverage_pct=report.coverage_pct, provisional=report.provisional)


def summary_values(assessment_id: str, summary: SummaryRecord) -> dict[str, Any]:
    """Column values of one ``assessment_summary`` row."""
    return {"assessment_id": assessment_id, "template_title": summary.template_title,
            "answered": summary.answered, "total": summary.total,
            "progress_pct": summary.progress_pct, "rating": summary.rating,
            "rating_words": summary.rating_words,
            "escalations": json.dumps(list(summary.escalations), ensure_ascii=False),
            "coverage_pct": summary.coverage_pct, "provisional": bool(summary.provisional)}


def summary_record(row: Any) -> SummaryRecord:
    return SummaryRecord(
        template_title=row.template_title, answered=int(row.answered), total=int(row.total),
        progress_pct=int(row.progress_pct), rating=row.rating, rating_words=row.rating_words,
        escalations=tuple(str(q) for q in json.loads(row.escalations)),
        coverage_pct=int(row.coverage_pct), provisional=bool(row.provisional))


@lru_cache(maxsize=256)
def snapshot_key(snapshot: str) -> str:
    """The content hash a snapshot is stored under (cached: ``str`` keeps its own hash, so a
    repeated save of the same record costs a dict lookup, not a SHA-256 of ~26 KB)."""
    return sha256_hex(snapshot)


_LOCK = threading.Lock()
_TEXTS: dict[str, str] = {}
_COMPILED: dict[str, Template] = {}
_CACHE_MAX = 64


def remember_text(key: str, snapshot: str) -> str:
    """Keep the text of snapshot ``key`` (content-addressed, so never stale); returns one
    shared copy, so 10,000 records of one template hold one string, not 10,000."""
    with _LOCK:
        known = _TEXTS.get(key)
        if known is not None:
            return known
        if len(_TEXTS) >= _CACHE_MAX:
            _TEXTS.clear()
        _TEXTS[key] = snapshot
        return snapshot


def known_text(key: str) -> str | None:
    with _LOCK:
        return _TEXTS.get(key)


def compiled(key: str, snapshot: str, *, label: str = "") -> Template:
    """The template a snapshot compiles to, compiled once per process and key."""
    with _LOCK:
        found = _COMPILED.get(key)
    if found is not None:
        return found
    template = compile_template(json.loads(snapshot), file=f"snapshot {label or key[:12]}",
                                snapshot=True)
    with _LOCK:
        if len(_COMPILED) >= _CACHE_MAX:
            _COMPILED.clear()
        _COMPILED[key] = template
    return template


def rescore(key: str, snapshot: str, answers: Mapping[str, AnswerState]) -> SummaryRecord | None:
    """The summary of an assessment from its snapshot and answers; None when the snapshot does
    not compile (then no summary is stored and a listing scores it as before)."""
    try:
        template = compiled(key, snapshot)
    except (QaError, ValueError, TypeError, KeyError):
        return None
    return summary_of(template, score(template, answers))


def state(value_json: str | None, na: Any, note: str) -> AnswerState:
    """An answer as scoring sees it, from its stored columns."""
    return AnswerState(None if value_json is None else json.loads(value_json), bool(na), note)


Run = Callable[[str, Mapping[str, Any]], Iterable[Any]]
"""Runs one SQL statement with ``:name`` parameters and returns its rows (a migration works on
a raw sqlite3 connection or a SQLAlchemy one; both take this parameter style)."""

INSERT_SUMMARY = (
    "INSERT INTO assessment_summary (assessment_id, template_title, answered, total, "
    "progress_pct, rating, rating_words, escalations, coverage_pct, provisional) VALUES "
    "(:assessment_id, :template_title, :answered, :total, :progress_pct, :rating, "
    ":rating_words, :escalations, :coverage_pct, :provisional)")


def fill_all(run: Run) -> int:
    """Summarise every assessment that has no summary yet (the migration's data step); returns
    how many were written. Reads one assessment's answers at a time."""
    texts = {str(k): str(s) for k, s in run("SELECT hash, snapshot FROM template_snapshot", {})}
    todo = [(str(a), str(k)) for a, k in run(
        "SELECT a.id, a.snapshot_hash FROM assessment a WHERE a.snapshot_hash IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM assessment_summary s WHERE s.assessment_id = a.id)", {})]
    written = 0
    for aid, key in todo:
        answers = {str(qid): state(value, na, str(note)) for qid, value, na, note in run(
            "SELECT question_id, value, na, note FROM answer WHERE assessment_id = :aid",
            {"aid": aid})}
        summary = rescore(key, texts[key], answers)
        if summary is not None:
            run(INSERT_SUMMARY, summary_values(aid, summary))
            written += 1
    return written
