"""A return's stored scores and template, checked against what they must be.

The SHA-256 in a return proves the JSON was not changed by accident or by a naive edit; a
deliberate forger recomputes it. So what can be derived is derived again: every score, rating,
band and count is recomputed from the answers and the template snapshot, and a mismatch is
refused (consolidation would otherwise show a forged rating). A snapshot that claims the id and
version of a bundled template must be that template exactly: otherwise its scoring rules (bands,
limiters) could be forged so that the recomputed rating agrees with a forged one.
"""

from __future__ import annotations

import functools
import re

from qa_tui.domain import AnswerState
from qa_tui.errors import ReturnInvalid, TemplateInvalid
from qa_tui.returns.document import ReturnData, Scores
from qa_tui.templates import Template, TemplateLibrary, score, template_hash
from qa_tui.templates.library import bundled_dir
from qa_tui.templates.loader import load_template_file

_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def _shape(scores: Scores) -> dict[str, object]:
    """What must agree. The traces (the wording of how a rating was reached) are left out, so
    a return written by an earlier qa-tui whose wording differed still verifies."""
    return {
        "sections": [(s.id, s.answered, s.total, tuple(s.required_open), s.result.score_pct,
                      s.result.rating, s.result.band) for s in scores.sections],
        "overall": (scores.overall.score_pct, scores.overall.rating, scores.overall.band),
        "counts": (scores.answered, scores.total, scores.progress_pct),
        "lists": (tuple(scores.required_open), tuple(scores.notes_owed),
                  tuple(scores.escalations)),
    }


def check_scores(data: ReturnData, template: Template) -> None:
    """Refuse a return whose stored scores are not the ones its answers give."""
    answers = {a.question_id: AnswerState(a.value, a.na, a.note) for a in data.answers}
    report = score(template, answers)
    stored = _shape(data.scores)
    sections = [(s.id, s.answered, s.total, tuple(s.required_open), s.outcome.score_pct,
                 s.outcome.rating, s.outcome.band) for s in report.sections]
    expected = {
        "sections": sections,
        "overall": (report.overall.score_pct, report.overall.rating, report.overall.band),
        "counts": (report.answered, report.total, report.progress_pct),
        "lists": (tuple(report.required_open), tuple(report.notes_owed),
                  tuple(report.escalations)),
    }
    if stored == expected:
        return
    for have, want in zip(stored["sections"], expected["sections"], strict=False):  # type: ignore[call-overload]
        if have != want:
            raise ReturnInvalid(f"the stored scores of section {want[0]} are not what its "
                                "answers give (forged or damaged; refused)")
    for key in ("sections", "overall", "counts", "lists"):
        if stored[key] != expected[key]:
            what = {"sections": "sections", "overall": "overall score or rating",
                    "counts": "answer counts", "lists": "lists of open questions"}[key]
            raise ReturnInvalid(f"the stored {what} are not what the answers give "
                                "(forged or damaged; refused)")


@functools.lru_cache(maxsize=1)
def _bundled() -> dict[tuple[str, str], str]:
    """(id, version) -> template hash of every bundled template."""
    library = TemplateLibrary.load()
    return {(e.template.id, e.template.version): template_hash(dict(e.template.data))
            for e in library.all()}


@functools.lru_cache(maxsize=64)
def _bundled_hash(template_id: str, version: str) -> str | None:
    """The hash of bundled template ``template_id`` at ``version``, or None if none is bundled.

    Its own file (``<id>.toml``) is read first: verifying one return then compiles one
    template, not all nine (a third of a ``verify`` process). Any other case - no such file,
    or a file holding another id - asks the whole library, as before.
    """
    if _SAFE_ID.fullmatch(template_id):
        path = bundled_dir() / f"{template_id}.toml"
        try:
            template = load_template_file(path) if path.is_file() else None
        except TemplateInvalid:
            template = None
        if template is not None and template.id == template_id:
            return template_hash(dict(template.data)) if template.version == version else None
    return _bundled().get((template_id, version))


def check_bundled(data: ReturnData) -> None:
    """Refuse a snapshot that claims a bundled template's id and version but differs from it.

    Refused rather than flagged: the snapshot's scoring rules are what the recomputed ratings
    rest on, and a bundled template is never changed without a new version.
    """
    bundled = _bundled_hash(data.template_id, data.template_version)
    if bundled is None:
        return  # a user's own template, or a version this qa-tui does not bundle
    # data.template_hash, not the snapshot hashed again: ReturnData's parser has refused any
    # return whose snapshot does not hash to it.
    if data.template_hash != bundled:
        raise ReturnInvalid(f"its template snapshot claims to be bundled template "
                            f"{data.template_id} version {data.template_version} but differs "
                            "from it (refused: its questions or scoring may have been changed)")

