"""Many returns into one workbook: collect, verify in parallel, decide, write, rename.

The parent holds one small key per file; rows wait in a private spool on disk; the workbook is
streamed. Every input ends in exactly one outcome (accepted, superseded or rejected) and the
result lists them all, so nothing is dropped or counted twice without a line saying so.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from qa_tui.consolidate import sheets as long_sheets
from qa_tui.consolidate.decide import decide
from qa_tui.consolidate.inputs import collect
from qa_tui.consolidate.committee import Organisations, build_view
from qa_tui.consolidate.committee_sheets import (
    escalation_rows,
    make_escalations,
    write_committee,
    write_trend,
)
from qa_tui.consolidate.lineage import Lineage, visit_chains
from qa_tui.consolidate.plan import Entry, Options, Plan
from qa_tui.consolidate.pool import Rejection, check_files
from qa_tui.consolidate.ratings import write_chart, write_ratings
from qa_tui.consolidate.rows import SHEETS, ReturnKey, Shape
from qa_tui.consolidate.self_vs_icb import SHEET as SELF_VS_ICB
from qa_tui.consolidate.self_vs_icb import build_pairing, write_self_vs_icb
from qa_tui.consolidate.spool import Spool
from qa_tui.consolidate.workbook import Book

Progress = Callable[[str, int, int], None]
"""``(stage, done, total)``: stage ``checking`` (files) then ``writing`` (sheets)."""
WRITING_STEPS = 10


@dataclass(frozen=True)
class FileOutcome:
    file: str
    outcome: Literal["accepted", "superseded", "rejected"]
    reason: str | None = None
    return_id: str | None = None
    revision: int | None = None
    by: str | None = None
    """For a superseded file: the accepted file that replaces it, if there is one."""
    identifiers: str | None = None
    """For an accepted file exported with ``--allow-identifiers``: the kinds and places."""


@dataclass(frozen=True)
class Counts:
    """What the committee sheets left out or flagged, for ``--json`` and the summary."""

    drafts_excluded: int = 0
    escalations: int = 0
    orgs_unmatched: int = 0
    self_vs_icb_pairs: int = 0
    overconfident: int = 0


@dataclass(frozen=True)
class Consolidation:
    output: Path
    files: tuple[FileOutcome, ...]
    """Every input file, sorted by path, each with its one outcome."""
    counts: Counts = Counts()

    def of(self, outcome: str) -> list[FileOutcome]:
        return [f for f in self.files if f.outcome == outcome]

    @property
    def accepted(self) -> list[FileOutcome]:
        return self.of("accepted")

    @property
    def superseded(self) -> list[FileOutcome]:
        return self.of("superseded")

    @property
    def rejected(self) -> list[FileOutcome]:
        return self.of("rejected")

    def to_json(self) -> dict[str, Any]:
        """The stable ``consolidate --json`` shape (more keys may be added, none removed)."""
        return {
            "accepted": len(self.accepted),
            "rejected": [{"file": f.file, "reason": f.reason} for f in self.rejected],
            "superseded": len(self.superseded),
            "output": str(self.output),
            "superseded_files": [{"file": f.file, "reason": f.reason, "by": f.by}
                                 for f in self.superseded],
            "drafts_excluded": self.counts.drafts_excluded,
            "escalations": self.counts.escalations,
            "orgs_unmatched": self.counts.orgs_unmatched,
            "identifiers_allowed": [{"file": f.file, "detail": f.identifiers}
                                    for f in self.accepted if f.identifiers],
            "self_vs_icb_pairs": self.counts.self_vs_icb_pairs,
            "overconfident": self.counts.overconfident,
        }


def consolidate(paths: Sequence[Path], output: Path, *, as_of: dt.date | None = None,
                now: dt.datetime | None = None, workers: int | None = None,
                progress: Progress | None = None,
                options: Options | None = None) -> Consolidation:
    """Verify every return under ``paths`` and write the consolidated workbook to ``output``.

    ``as_of`` is the day overdue actions are judged against (default: today); ``workers``
    the number of processes (default: the cores, up to 4); ``options`` the committee's choices
    (escalation window, drafts, organisation register). Raises :class:`Refused` before any
    work if ``output`` is one of the inputs.
    """
    now = now or dt.datetime.now(dt.UTC)
    as_of = as_of or dt.date.today()
    report = progress or (lambda stage, done, total: None)
    options = options or Options()
    if not options.sources:
        options = replace(options, sources=tuple(str(p) for p in paths))
    inputs = collect(paths, output)
    rejected: list[tuple[str, str]] = [(str(p), reason) for p, reason in inputs.rejected]
    with tempfile.TemporaryDirectory(prefix="qa-tui-consolidate-") as scratch:
        spool = Spool(Path(scratch) / "rows.spool")
        try:
            entries, shapes = _check(inputs.files, spool, rejected, as_of, workers, report)
            rank = {str(p): i for i, p in enumerate(inputs.files)}
            decisions = decide((e.key for e in entries), rank)
            by_path = {e.key.path: e for e in entries}
            winners = sorted((by_path[k.path] for k in decisions.accepted),
                             key=lambda e: e.key.sort_key)
            rejected += [(f.key.path, f.reason) for f in decisions.forked]
            plan = Plan(winners, shapes, decisions.superseded, decisions.forked,
                        sorted(rejected), spool, as_of, now.astimezone(dt.UTC),
                        options=options)
            counts = _write(plan, output, Path(scratch), report)
        finally:
            spool.close()
    outcomes = [FileOutcome(p, "rejected", reason) for p, reason in plan.rejected]
    outcomes += [FileOutcome(e.key.path, "accepted", None, e.key.return_id, e.key.revision,
                             identifiers=e.key.identifiers) for e in plan.winners]
    outcomes += [FileOutcome(s.key.path, "superseded", s.reason, s.key.return_id,
                             s.key.revision, s.by) for s in plan.superseded]
    return Consolidation(output, tuple(sorted(outcomes, key=lambda f: f.file)), counts)


def _check(files: Sequence[Path], spool: Spool, rejected: list[tuple[str, str]],
           as_of: dt.date, workers: int | None,
           report: Progress) -> tuple[list[Entry], dict[str, Shape]]:
    entries: list[Entry] = []
    shapes: dict[str, Shape] = {}
    total = len(files)
    done = 0
    report("checking", 0, total)

    def tick() -> None:
        nonlocal done
        done += 1
        report("checking", done, total)

    for result in check_files(files, as_of=as_of, workers=workers, on_done=tick):
        if isinstance(result, Rejection):
            rejected.append((result.path, result.reason))
            continue
        shapes.setdefault(result.key.template_hash, result.shape)
        blobs = [result.blobs[name] for name in SHEETS]
        start, _ = spool.add(b"".join(blobs))
        entries.append(Entry(_interned(result.key), start, tuple(len(b) for b in blobs),
                             tuple(result.counts[name] for name in SHEETS)))
    return entries, shapes


def _interned(key: ReturnKey) -> ReturnKey:
    """The same key with its repeated strings shared: thousands of returns name the same few
    organisations and templates, and this index is what grows with the batch."""
    return replace(key, template_id=sys.intern(key.template_id),
                   template_version=sys.intern(key.template_version),
                   template_hash=sys.intern(key.template_hash),
                   org_name=sys.intern(key.org_name), site=sys.intern(key.site),
                   status=sys.intern(key.status), org_code=sys.intern(key.org_code))


def _write(plan: Plan, output: Path, scratch: Path, report: Progress) -> Counts:
    book = Book(output, scratch)
    step = 0

    def tick() -> None:
        nonlocal step
        step += 1
        report("writing", step, WRITING_STEPS)

    try:
        report("writing", 0, WRITING_STEPS)
        orgs = Organisations.of((e.key for e in plan.winners), plan.options.register)
        view = build_view(plan, orgs)
        tick()
        committee = book.sheet("Committee")
        escalations = make_escalations(book, plan)
        self_vs_icb = book.sheet(SELF_VS_ICB)
        ratings = book.sheet("Ratings")
        trend = book.sheet("Trend")
        lineage = Lineage.of(plan.rows("lineage"))
        chains = visit_chains([e.key for e in plan.winners])
        actions = long_sheets.make_actions(book, plan, lineage)
        visits = long_sheets.make_visits(book, chains)
        chart = book.sheet("Chart")
        exceptions = long_sheets.plan_exceptions(plan) + orgs.exception_rows(plan.winners)
        tail = long_sheets.make_tail_sheets(book, plan, exceptions)
        write_committee(committee, plan, view)
        tick()
        escalations.fill(escalation_rows(plan, orgs))
        pairing = build_pairing(plan, orgs)
        write_self_vs_icb(self_vs_icb, pairing)
        tick()
        long_sheets.fill_long_sheets({"actions": actions, **tail}, plan, exceptions, tick,
                                     lineage)
        visits.fill(chains)
        tallies = write_ratings(book, ratings, plan)
        tick()
        write_trend(book, trend, view)
        write_chart(book, chart, tallies)
        tick()
        committee.ws.activate()
        book.commit()
        return Counts(view.drafts_excluded, view.escalations,
                      orgs.unmatched(plan.winners) if plan.options.register else 0,
                      len(pairing.pairs), pairing.overconfident)
    except BaseException:
        book.abandon()
        raise
