"""Consolidation as a use case: the workbook, and optionally the same returns in a database.

The workbook comes from :mod:`qa_tui.consolidate`. ``--db`` loads the accepted returns into a
SQLite database (or a PostgreSQL central store, given its URL) through the store and the very
import use case ``qa-tui import`` uses, so the rules are the same: the same revision again
changes nothing, a higher revision updates, a copy changed in two places is refused. A database
that already holds a newer revision keeps it (the workbook reports what this run was given).
The consolidation never opens the user's own database: it reads files and writes the outputs
it is told to.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_tui.config import Paths, with_db
from qa_tui.domain import utc_now
from qa_tui.errors import NotFound, QaError, Refused

if TYPE_CHECKING:
    from qa_tui.consolidate import Consolidation, FileOutcome, Progress

Clock = Callable[[], dt.datetime]


@dataclass
class DatabaseReport:
    """What loading the accepted returns did to the ``--db`` database."""

    path: Path | str
    """The SQLite file, or the server URL with its password masked."""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    """Returns the database already held at a higher revision (left as they were)."""
    refused: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "kept_newer": self.kept_newer,
                "refused": [{"file": f, "reason": r} for f, r in self.refused]}

    def message(self) -> str:
        return (f"{self.path}: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged" +
                (f", {self.kept_newer} kept (newer here)" if self.kept_newer else "") +
                (f", {len(self.refused)} refused" if self.refused else ""))


@dataclass(frozen=True)
class ConsolidationReport:
    result: Consolidation
    database: DatabaseReport | None = None
    approved_only: bool = False

    @property
    def failed(self) -> bool:
        """True when any input was rejected or refused by the database (exit status 1)."""
        return bool(self.result.rejected or (self.database and self.database.refused))

    def to_json(self) -> dict[str, Any]:
        data = self.result.to_json()
        if self.database is not None:
            data["database"] = self.database.to_json()
        return data

    def message(self) -> str:
        r = self.result
        c = r.counts
        extra = [text for n, text in (
            (c.drafts_excluded, f"{c.drafts_excluded} "
             + ("not approved" if self.approved_only else "draft(s)")
             + " left out of ratings"),
            (c.escalations, f"{c.escalations} escalation(s)"),
            (c.orgs_unmatched, f"{c.orgs_unmatched} not in the organisation register"),
            (c.self_vs_icb_pairs, f"{c.self_vs_icb_pairs} self vs ICB pair(s), "
             f"{c.overconfident} over-confident")) if n]
        return (f"{r.output}: {len(r.accepted)} returns accepted, {len(r.superseded)} "
                f"superseded, {len(r.rejected)} rejected" +
                (f"; {', '.join(extra)}" if extra else ""))


def _same(a: Path | str, b: Path) -> bool:
    if _is_url(a):
        return False
    return os.path.realpath(a) == os.path.realpath(b)


def _is_url(value: Path | str) -> bool:
    return isinstance(value, str) and "://" in value


class ConsolidationService:
    """Consolidate returns into a workbook (and a database). Needs no open store of its own."""

    def __init__(self, paths: Paths, *, actor: str, clock: Clock = utc_now) -> None:
        self.paths = paths
        self.actor = actor
        self.clock = clock

    def run(self, inputs: Sequence[Path], output: Path, *, db: Path | str | None = None,
            as_of: dt.date | None = None, workers: int | None = None,
            progress: Progress | None = None, since: dt.date | None = None,
            include_drafts: bool = False, orgs: Path | None = None,
            approved_only: bool = False) -> ConsolidationReport:
        """Write ``output`` from every return under ``inputs``; load them into ``db`` too.

        ``since``: escalations counted from this day (default: the start of the current NHS
        financial quarter); ``include_drafts``: drafts count in the ratings (marked);
        ``orgs``: an organisation register CSV (read before any work: a bad one refuses);
        ``approved_only``: only returns a second reviewer approved count in the ratings (the
        others are listed on Exceptions as not approved).
        """
        from qa_tui.consolidate import consolidate
        from qa_tui.consolidate.plan import Options
        from qa_tui.consolidate.register import read_register

        if db is not None and _same(db, output):
            raise Refused("the database and the workbook must be different files",
                          where=str(db))
        if db is not None and not _is_url(db) and any(_same(db, p) for p in inputs if p.is_file()):
            raise Refused(f"the database {db} is one of the input files", where=str(db))
        register = read_register(orgs) if orgs is not None else None
        options = Options(since, include_drafts, register, tuple(str(p) for p in inputs),
                          approved_only=approved_only)
        try:
            result = consolidate(inputs, output, as_of=as_of, now=self.clock(),
                                 workers=workers, progress=progress, options=options)
        except OSError as exc:  # a folder that cannot be written, a full disk
            raise Refused(f"could not write the workbook: {exc.strerror or exc}",
                          where=str(output)) from None
        database = None
        if db is not None:
            database = self.load(result.accepted, db, progress)
        return ConsolidationReport(result, database, approved_only)

    def load(self, accepted: Sequence[FileOutcome], db: Path | str,
             progress: Progress | None = None) -> DatabaseReport:
        """Import each accepted return into ``db`` (created if missing), one transaction each.

        On a PostgreSQL store each import is one transaction under the store's write lock, so
        two consolidations into one database at once keep each return once, at its highest
        revision."""
        from qa_tui.services import build_services

        services = build_services(with_db(self.paths, db), actor=self.actor, clock=self.clock)
        report = DatabaseReport(services.store.location if _is_url(db) else db)
        total = len(accepted)
        try:
            for done, item in enumerate(accepted, start=1):
                self._load_one(services, item, report)
                if progress:
                    progress("database", done, total)
        finally:
            services.close()
        return report

    @staticmethod
    def _load_one(services: Any, item: FileOutcome, report: DatabaseReport) -> None:
        if item.return_id is not None and item.revision is not None:
            try:
                here = services.assessments.get(item.return_id).record
            except NotFound:
                here = None
            if here is not None and here.revision > item.revision and here.deleted_at is None:
                report.kept_newer += 1
                return
        try:
            result = services.returns.import_file(Path(item.file))
        except QaError as exc:
            report.refused.append((item.file, exc.message))
            return
        if result.outcome == "added":
            report.added += 1
        elif result.outcome == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
