"""Across returns: the chain of visits and the whole life of each action (issue 12).

Each worker reduces its return to "lineage" rows (one per action: its id, where it was carried
from, its status and its updates); the parent reads them all once, before the Actions sheet is
written, and works out

* which actions were carried into a later accepted visit (their row gives way to the later
  copy, so the register lists each action once, at its latest visit), and
* for each remaining action: how many visits it has lived through and its history (raised,
  carried, reviewed or updated, closed), each with the visit where it happened;
* per chain of visits (``follows`` links): first and latest visit and how many.

A return written before these keys existed has no ``follows`` and no ``carried_from``: each of
its actions is a life of one visit, exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa_tui.consolidate.rows import ReturnKey
    from qa_tui.returns import ReturnData

Row = tuple[Any, ...]

STILL_OPEN_AFTER = 2
"""An action still open at its second visit (raised, then carried unfinished) is flagged."""


def lineage_rows(data: ReturnData) -> list[Row]:
    """One compact row per action of a return (runs in the worker)."""
    rows: list[Row] = []
    for x in data.actions:
        updates = tuple((u.at.date(), u.status, u.outcome, u.note)
                        for u in data.action_updates if u.action_id == x.id)
        rows.append((x.id, x.carried_from.action_id if x.carried_from else None, x.status,
                     data.id, data.visit_date, x.created_at.date(),
                     x.closed_at.date() if x.closed_at else None, updates))
    return rows


@dataclass
class _Life:
    action_id: str
    carried_from: str | None
    status: str
    return_id: str
    visit_date: dt.date
    raised: dt.date
    closed: dt.date | None
    updates: tuple[Any, ...]


@dataclass
class Lineage:
    """What the Actions and Visits sheets need from every accepted return's actions."""

    lives: dict[str, _Life] = field(default_factory=dict)
    carried_on: set[str] = field(default_factory=set)
    """Action ids carried into a later accepted visit: their rows give way to the copy."""

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Lineage:
        out = cls()
        for r in rows:
            life = _Life(*r)
            out.lives[life.action_id] = life
            if life.carried_from:
                out.carried_on.add(life.carried_from)
        return out

    def superseded(self) -> int:
        """Rows the Actions register leaves out (carried into a later visit present here)."""
        return sum(1 for a in self.carried_on if a in self.lives)

    def path(self, action_id: str) -> list[_Life]:
        """The action's lives, first visit first (as far back as the batch holds)."""
        chain: list[_Life] = []
        seen: set[str] = set()
        current: str | None = action_id
        while current and current in self.lives and current not in seen:
            seen.add(current)
            chain.append(self.lives[current])
            current = self.lives[current].carried_from
        return chain[::-1]

    def history(self, action_id: str) -> tuple[int, str, str | None]:
        """(visits, history text, flag) for the Actions register row of ``action_id``."""
        lives = self.path(action_id)
        if not lives:
            return 1, "", None
        lines = []
        for n, life in enumerate(lives):
            visit = f"visit {life.visit_date.isoformat()} ({life.return_id[:8]})"
            if n == 0:
                what = "carried in" if life.carried_from else "raised"
                lines.append(f"{life.raised.isoformat()} {what} at {visit}")
            else:
                lines.append(f"{life.visit_date.isoformat()} carried to {visit}")
            for at, status, outcome, note in life.updates:
                told = f"reviewed: {outcome}" if outcome else f"updated ({status})"
                lines.append(f"{at.isoformat()} {told}" + (f": {note}" if note else ""))
            if life.closed is not None and n == len(lives) - 1:
                lines.append(f"{life.closed.isoformat()} closed")
        # carried in from a visit not in this batch: that visit counts too
        visits = len(lives) + (1 if lives[0].carried_from else 0)
        still_open = lives[-1].status != "closed" and visits >= STILL_OPEN_AFTER
        flag = f"Open after {visits} visits" if still_open else None
        return visits, "\n".join(lines), flag

    def register_rows(self, rows: Iterable[Row]) -> Iterable[Row]:
        """The Actions register's rows: one per action (its latest visit), history added.
        The row's last cell is the action id (see ``rows._actions``)."""
        for row in rows:
            action_id = row[-1]
            if action_id in self.carried_on:  # its later copy carries the row
                continue
            yield (*row, *self.history(action_id))


def visit_chains(keys: Sequence[ReturnKey]) -> list[Row]:
    """One row per chain of visits (``follows`` links within the batch), by organisation."""
    by_id = {k.return_id: k for k in keys}
    roots: dict[str, list[ReturnKey]] = {}
    for key in keys:
        root, seen = key, {key.return_id}
        while root.follows and root.follows in by_id and root.follows not in seen:
            root = by_id[root.follows]
            seen.add(root.return_id)
        roots.setdefault(root.return_id, []).append(key)
    rows: list[Row] = []
    for members in roots.values():
        members.sort(key=lambda k: (k.visit_date, k.return_id))
        first, latest = members[0], members[-1]
        rows.append((first.org_name, first.org_code or None, first.site or None,
                     first.template_id, first.visit_date, latest.visit_date, len(members),
                     latest.status, latest.return_id,
                     "; ".join(k.return_id[:8] for k in members)))
    rows.sort(key=lambda r: (str(r[0]).casefold(), str(r[2] or "").casefold(), r[4], r[3]))
    return rows
