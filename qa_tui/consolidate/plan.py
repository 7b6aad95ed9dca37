"""What the parent process keeps while files are checked, and what the writer is handed.

Per accepted file only its :class:`ReturnKey`, where its row blocks start in the spool and their
sizes; per template one :class:`Shape`. That is about a kilobyte a file (its paths and hashes),
however big the returns are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from qa_tui.consolidate.decide import Forked, Superseded
from qa_tui.consolidate.quarters import quarter_start
from qa_tui.consolidate.register import Register
from qa_tui.consolidate.rows import SHEETS, ReturnKey, Row, Shape
from qa_tui.consolidate.spool import Ref, Spool


@dataclass(frozen=True, slots=True)
class Entry:
    """One file's place in the spool: its blocks lie end to end from ``start``."""

    key: ReturnKey
    start: int
    sizes: tuple[int, ...]
    """Bytes of each row block, in :data:`SHEETS` order."""
    counts: tuple[int, ...]
    """Rows in each block, in :data:`SHEETS` order."""

    def ref(self, sheet: str) -> Ref:
        i = SHEETS.index(sheet)
        return self.start + sum(self.sizes[:i]), self.sizes[i]

    def count(self, sheet: str) -> int:
        return self.counts[SHEETS.index(sheet)] if self.counts else 0


@dataclass(frozen=True)
class Block:
    """One template (id, version and exact content) on the Ratings sheet and the chart."""

    template_id: str
    version: str
    template_hash: str
    shape: Shape
    entries: list[Entry]

    @property
    def heading(self) -> str:
        n = len(self.entries)
        return (f"{self.shape.title} - {self.template_id} version {self.version} - "
                f"{n} return{'s' if n != 1 else ''}")


@dataclass(frozen=True)
class Options:
    """What the committee asked for: the escalation window, drafts, the register."""

    since: dt.date | None = None
    """Escalations counted from this day (None: the start of the ``as_of`` quarter)."""
    include_drafts: bool = False
    register: Register | None = None
    sources: tuple[str, ...] = ()
    """The paths the batch was given (named in the Committee sheet's header)."""
    approved_only: bool = False
    """Only returns a second reviewer approved count in the ratings (``--approved-only``)."""


@dataclass
class Plan:
    """Everything the sheets are written from, winners already sorted for reading."""

    winners: list[Entry]
    shapes: dict[str, Shape]
    superseded: list[Superseded]
    forked: list[Forked]
    rejected: list[tuple[str, str]]
    spool: Spool
    as_of: dt.date
    generated: dt.datetime
    stats: dict[str, int] = field(default_factory=dict)
    """Filled while writing (open and overdue actions) for the summary on the Ratings sheet."""
    options: Options = field(default_factory=Options)

    def included(self, entry: Entry) -> bool:
        """Whether a return counts in the ratings (drafts only when asked for)."""
        return self.counts(entry.key.status, entry.key.review)

    def counts(self, status: str, review: str | None) -> bool:
        """Whether a return of this status and review state counts in the ratings: every
        rated sheet (Committee, Ratings, Trend, Self vs ICB) asks here. With
        ``approved_only`` only approved returns count (an approved return is complete)."""
        if self.options.approved_only:
            return review == "approved"
        return status == "complete" or self.options.include_drafts

    def unapproved(self) -> list[Row]:
        """Exceptions rows for the returns ``--approved-only`` kept out of the ratings."""
        if not self.options.approved_only:
            return []
        rows: list[Row] = []
        for e in self.winners:
            k = e.key
            if k.review == "approved":
                continue
            why = {"returned": "returned to the assessors by a reviewer",
                   None: "awaiting a second reviewer" if k.status == "complete" else
                   "a draft"}.get(k.review, k.review or "")
            rows.append(("Not approved", k.org_name, k.template_id, k.return_id, k.revision,
                         k.status, f"not approved ({why}): left out of the ratings "
                         "(consolidate --approved-only)", k.path, None))
        return rows

    @property
    def since(self) -> dt.date:
        return self.options.since or quarter_start(self.as_of)

    def rows(self, sheet: str) -> Iterator[Row]:
        """Every row of one per-return block, return by return in sorted order."""
        for entry in self.winners:
            if entry.count(sheet):
                yield from self.spool.load(entry.ref(sheet))

    def count(self, sheet: str) -> int:
        return sum(e.count(sheet) for e in self.winners)

    def blocks(self) -> list[Block]:
        groups: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
        for e in self.winners:
            if self.included(e):
                groups[(e.key.template_id, e.key.template_version, e.key.template_hash)].append(e)
        blocks = [Block(tid, ver, h, self.shapes[h], entries)
                  for (tid, ver, h), entries in groups.items()]
        return sorted(blocks, key=lambda b: (b.shape.title.casefold(), b.template_id,
                                             b.version, b.template_hash))

    def template_exceptions(self) -> list[Row]:
        """Mixed versions of one template id, and one version with different contents."""
        versions: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for e in self.winners:
            k = e.key
            versions[k.template_id][k.template_version].add(k.template_hash)
            counts[(k.template_id, k.template_version)] += 1
        rows: list[Row] = []
        for tid in sorted(versions):
            seen = versions[tid]
            if len(seen) > 1:
                listed = ", ".join(f"version {v} ({counts[(tid, v)]} returns)"
                                   for v in sorted(seen))
                rows.append(("Mixed template versions", None, tid, None, None, None,
                             f"{listed}: scores from different versions may not compare; "
                             "each version has its own block on Ratings", None, None))
            for version in sorted(seen):
                if len(seen[version]) > 1:
                    rows.append(("Template content differs", None, tid, None, None, None,
                                 f"version {version} exists with {len(seen[version])} "
                                 "different contents (edited without a version bump)",
                                 None, None))
        return rows
