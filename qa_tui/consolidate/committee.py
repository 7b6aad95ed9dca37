"""The committee's view of a batch: organisations, their latest ratings, direction and quarters.

Worked out in the parent from the small per-return summaries in the spool (one row a return,
read back one organisation at a time), so memory follows the number of organisations and
quarters, not of returns. Pure: the sheets that show it are in
:mod:`qa_tui.consolidate.committee_sheets`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from qa_tui.consolidate.columns import Rated
from qa_tui.consolidate.plan import Entry, Plan
from qa_tui.consolidate.quarters import fy_quarter
from qa_tui.consolidate.register import Match, Register, no_register_match
from qa_tui.consolidate.rows import ReturnKey, Row
from qa_tui.consolidate.summary import Summary
from qa_tui.returns.layout import rating_fill

NOT_RATED = "Not rated"


@dataclass
class Organisations:
    """Which organisation each return counts under, and the name the committee sees."""

    register: Register | None
    matches: dict[tuple[str, str], Match] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Organisation key -> name shown."""

    @classmethod
    def of(cls, keys: Iterable[ReturnKey], register: Register | None) -> Organisations:
        orgs = cls(register)
        latest: dict[str, tuple[dt.date, str]] = {}
        for k in keys:
            m = orgs.match(k)
            if m.name is None:  # no register entry: the most recent spelling is shown
                seen = latest.get(m.key)
                if seen is None or (k.visit_date, k.org_name) > seen:
                    latest[m.key] = (k.visit_date, k.org_name)
            else:
                orgs.names[m.key] = m.name
        for key, (_, name) in latest.items():
            orgs.names.setdefault(key, name)
        return orgs

    def match(self, key: ReturnKey) -> Match:
        pair = (key.org_code, key.org_name)
        found = self.matches.get(pair)
        if found is None:
            found = self.register.match(key.org_code, key.org_name) if self.register \
                else no_register_match(key.org_code, key.org_name)
            self.matches[pair] = found
        return found

    def name(self, key: ReturnKey) -> str:
        return self.names[self.match(key).key]

    def exception_rows(self, entries: Iterable[Entry]) -> list[Row]:
        """Returns whose name differs from the register for their code, and returns that
        match no register entry (both listed on Exceptions)."""
        rows: list[Row] = []
        if self.register is None:
            return rows
        for e in entries:
            k, m = e.key, self.match(e.key)
            head = (k.org_name, k.template_id, k.return_id, k.revision, k.status)
            if m.differs:
                rows.append(("Organisation name differs", *head,
                             f"ODS code {m.code} is {m.name!r} in the register; this return "
                             f"says {k.org_name!r}. Counted once, under the register's name.",
                             k.path, None))
            elif m.how == "unmatched":
                why = f"ODS code {k.org_code} is not in the register and the name matches " \
                    "no entry" if k.org_code else "no ODS code, and the name matches no entry"
                rows.append(("Organisation not in register", *head,
                             f"{why}; counted as its own organisation.", k.path, None))
        return rows

    def unmatched(self, entries: Iterable[Entry]) -> int:
        return sum(1 for e in entries if self.match(e.key).how == "unmatched")


@dataclass(frozen=True)
class Line:
    """One row of the Committee sheet: an organisation and template."""

    org: str
    code: str | None
    template_title: str
    template_id: str
    latest: Summary | None
    previous: Summary | None
    names: tuple[str, ...]
    """The template's overall ratings, worst to best."""
    direction: str | None
    escalations: int
    drafts_left_out: int

    @property
    def rank(self) -> float:
        """0 worst .. 1 best; 0.5 when not rated (neither good nor bad news)."""
        rating = self.latest.rating if self.latest else None
        if rating is None or rating not in self.names or len(self.names) < 2:
            return 0.5
        return self.names.index(rating) / (len(self.names) - 1)

    @property
    def overdue(self) -> int:
        return self.latest.overdue_high if self.latest else 0

    @property
    def concerns(self) -> list[str]:
        """Why this organisation needs the committee's attention, most serious first."""
        out: list[str] = []
        if self.escalations:
            out.append(f"{self.escalations} escalation{'s' if self.escalations != 1 else ''}")
        if self.direction == "worse" and self.previous and self.latest:
            out.append(f"worse than before ({self.previous.rating} to {self.latest.rating})")
        if self.latest and self.latest.rating and self.rank < 0.5 and \
                self.direction != "worse":
            out.append(f"rated {self.latest.rating}")
        if self.overdue:
            out.append(f"{self.overdue} overdue high-priority action"
                       f"{'s' if self.overdue != 1 else ''}")
        if self.latest and self.latest.provisional:
            out.append(f"rating provisional ({self.latest.coverage_pct}% coverage)")
        if self.latest is None:
            out.append("no completed return")
        return out

    def headline(self, since: dt.date) -> str:
        parts = self.concerns
        if parts and self.escalations:
            parts[0] += f" since {since:%d %b %Y}"
        if not parts:
            rating = self.latest.rating if self.latest else None
            trend = {"better": ", better than before", "same": ", as before"}.get(
                self.direction or "", "")
            return f"No concerns flagged: {rating or 'not rated'}{trend}."
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."

    @property
    def sort_key(self) -> tuple[object, ...]:
        return (0 if self.concerns else 1, -self.escalations, self.direction != "worse",
                -self.overdue, self.rank, self.org.casefold(), self.template_title.casefold())


@dataclass(frozen=True)
class TrendRow:
    org: str
    code: str | None
    cells: dict[tuple[int, int], Rated]


@dataclass
class TrendBlock:
    """One template on the Trend sheet: organisation x quarter, and ratings counted."""

    template_id: str
    title: str
    names: tuple[str, ...]
    rows: list[TrendRow] = field(default_factory=list)
    counts: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)

    @property
    def quarters(self) -> list[tuple[int, int]]:
        found = {q for r in self.rows for q in r.cells} | set(self.counts)
        return sorted(found)


@dataclass
class CommitteeView:
    lines: list[Line]
    trend: list[TrendBlock]
    drafts_excluded: int
    escalations: int


def _order(s: Summary) -> tuple[dt.date, dt.datetime, str]:
    return (s.visit_date, (s.completed_at or dt.datetime.min).replace(tzinfo=None), s.return_id)


def _direction(names: tuple[str, ...], now: str | None, before: str | None) -> str | None:
    if now not in names or before not in names or now is None or before is None:
        return None
    a, b = names.index(now), names.index(before)
    return "better" if a > b else "worse" if a < b else "same"


def rated_cell(names: tuple[str, ...], text: str | None, shown: str | None = None) -> Rated:
    if text is None:
        return Rated(shown or NOT_RATED, None)
    fill = rating_fill(names.index(text), len(names)) if text in names else None
    return Rated(shown or text, fill)


def build_view(plan: Plan, orgs: Organisations) -> CommitteeView:
    """The Committee lines (in attention order) and the Trend blocks, one pass over groups."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in plan.winners:
        groups[(orgs.match(e.key).key, e.key.template_id)].append(e)
    lines: list[Line] = []
    trend: dict[str, TrendBlock] = {}
    drafts_excluded = escalations = 0
    for (org_key, tid), entries in sorted(groups.items()):
        summaries = sorted((plan.spool.load(e.ref("summary"))[0] for e in entries), key=_order)
        shapes = {e.key.return_id: plan.shapes[e.key.template_hash] for e in entries}
        used = [s for s in summaries if plan.counts(s.status, s.review)]
        left_out = len(summaries) - len(used)
        drafts_excluded += left_out
        escalations += sum(s.escalations for s in summaries)
        newest = (used or summaries)[-1]
        names = shapes[newest.return_id].overall
        latest = used[-1] if used else None
        previous = used[-2] if len(used) > 1 else None
        since = sum(s.escalations for s in summaries if s.visit_date >= plan.since)
        code = next((s.org_code for s in reversed(summaries) if s.org_code), None)
        lines.append(Line(orgs.names[org_key], orgs.match(entries[0].key).code or code,
                          newest.template_title, tid,
                          latest, previous, names,
                          _direction(names, latest.rating if latest else None,
                                     previous.rating if previous else None),
                          since, left_out))
        block = trend.setdefault(tid, TrendBlock(tid, newest.template_title, names))
        cells: dict[tuple[int, int], Rated] = {}
        for s in used:  # in date order: the latest return of a quarter wins its cell
            q = fy_quarter(s.visit_date)
            cells[q] = rated_cell(names, s.rating, _trend_text(s))
            count = block.counts.setdefault(q, {})
            key = s.rating or NOT_RATED
            count[key] = count.get(key, 0) + 1
        if cells:
            block.rows.append(TrendRow(orgs.names[org_key], code, cells))
    lines.sort(key=lambda line: line.sort_key)
    blocks = sorted(trend.values(), key=lambda b: (b.title.casefold(), b.template_id))
    for b in blocks:
        b.rows.sort(key=lambda r: r.org.casefold())
    return CommitteeView(lines, blocks, drafts_excluded, escalations)


def grouped_templates(plan: Plan, hashes: Iterable[str] | None = None) -> str:
    """``Risk register test: RISK``: the templates in the batch (or of ``hashes``) with
    repeating groups, each once; empty when none has any."""
    seen: dict[str, str] = {}
    for h in (plan.shapes if hashes is None else hashes):
        shape = plan.shapes.get(h)
        if shape is not None and shape.groups:
            seen.setdefault(shape.title, f"{shape.title}: {', '.join(shape.groups)}")
    return "; ".join(seen[t] for t in sorted(seen))


def _trend_text(s: Summary) -> str | None:
    if s.rating is None:
        return None
    text = f"{s.rating} (provisional)" if s.provisional else s.rating
    return f"{text} (draft)" if s.status != "complete" else text
