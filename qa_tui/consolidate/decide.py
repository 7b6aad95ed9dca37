"""Which copy of each return counts: the one rule that stops double counting.

Every verified file ends in exactly one place. Per return id: the highest revision wins; a file
with the same content as the winner (an identical copy, or the same revision exported by
another qa-tui version) is superseded by it; lower revisions are superseded. Two different
contents at the highest revision are a fork: the quality team cannot tell which is right, so
every file at that revision is rejected (each reason names the others) and the lower revisions
are superseded by the forked revision. Pure: no I/O, deterministic whatever order the files
were read in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from qa_tui.consolidate.rows import ReturnKey


@dataclass(frozen=True)
class Superseded:
    key: ReturnKey
    by: str | None
    """The accepted file that replaces it (None when the newer revision is a fork)."""
    reason: str


@dataclass(frozen=True)
class Forked:
    key: ReturnKey
    others: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Decisions:
    accepted: list[ReturnKey]
    superseded: list[Superseded]
    forked: list[Forked]


def _names(paths: Iterable[str], limit: int = 3) -> str:
    items = list(paths)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def decide(keys: Iterable[ReturnKey], rank: Mapping[str, int] | None = None) -> Decisions:
    """Sort every file the reader accepted into accepted, superseded or forked.

    Of identical copies the one given first wins (``rank``: path -> position in the inputs,
    so ``consolidate returns/ copies/`` keeps the file in ``returns/``), then the first path.
    """
    order = rank or {}
    groups: dict[str, list[ReturnKey]] = defaultdict(list)
    for key in keys:
        groups[key.return_id].append(key)
    out = Decisions([], [], [])
    for rid in sorted(groups):
        files = sorted(groups[rid],
                       key=lambda k: (-k.revision, order.get(k.path, len(order)), k.path))
        top = files[0].revision
        latest = [k for k in files if k.revision == top]
        older = [k for k in files if k.revision < top]
        contents = {k.content for k in latest}
        if len(contents) > 1:
            for k in latest:
                others = tuple(o.path for o in latest if o.content != k.content)
                out.forked.append(Forked(k, others, (
                    f"fork: revision {top} of return {rid[:8]} also exists with different "
                    f"content in {_names(others)}; neither is used until one copy is "
                    "re-exported from the right database")))
            for k in older:
                out.superseded.append(Superseded(k, None, (
                    f"revision {k.revision} superseded by revision {top}, which is forked "
                    "(see Rejected)")))
            continue
        winner, copies = latest[0], latest[1:]
        out.accepted.append(winner)
        for k in copies:
            same = "identical copy" if k.sha256 == winner.sha256 else \
                "same content (exported by another qa-tui version)"
            out.superseded.append(Superseded(k, winner.path, f"{same} of {winner.path}"))
        for k in older:
            out.superseded.append(Superseded(k, winner.path, (
                f"revision {k.revision} superseded by revision {top} in {winner.path}")))
    return out
