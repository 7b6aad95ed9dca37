"""The "Self vs ICB" sheet: a provider's self-assessment set against the ICB's (or a peer's) view.

A self-assessment is only useful once someone tests it; the gap between "what they say" and
"what we saw" is what a committee wants to see, over-confidence first. Per organisation (the
consolidation's organisation key: the ODS code when there is one) and template, the latest
completed ``self`` return is paired with the latest completed ``icb`` or ``peer`` return. The
figures come from :func:`qa_tui.templates.compare.compare` (the engine behind ``qa-tui
compare``), run with the ICB's view as ``a`` and the self view as ``b``, so a gap of ``+2``
means the provider rates itself two steps better than the ICB found.

Memory stays flat: while pairing, only the best entry per (organisation, template, side) is
kept; answers come back from the spool (a small ``answers`` block per completed return) one
pair at a time, and each distinct template is re-read once from one of its files.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from qa_tui.consolidate import columns as C
from qa_tui.consolidate.committee import Organisations, grouped_templates, rated_cell
from qa_tui.consolidate.plan import Entry, Plan
from qa_tui.consolidate.rows import Row
from qa_tui.consolidate.summary import Summary
from qa_tui.consolidate.workbook import Sheet
from qa_tui.domain import AnswerState
from qa_tui.errors import QaError
from qa_tui.templates import Template, score
from qa_tui.templates.compare import Comparison, QuestionDiff, Side, compare

SHEET = "Self vs ICB"
OVERCONFIDENT_STEPS = 2
"""Self two or more steps above the ICB's view: flagged, listed first."""
TOP_QUESTIONS = 3
LISTED_IN_HEADER = 20
ONE_PAGE_ROWS = 40
NOTE_WIDTH = 190
"""Characters of a header line: about the printed width of the table's columns."""

COLS = (
    C.Col("Organisation", 26, "wrap"), C.Col("ODS code", 8), C.Col("Template", 22, "wrap"),
    C.Col("Section", 24, "wrap"), C.Col("Self rating", 16, "rating"),
    C.Col("ICB / peer rating", 16, "rating"), C.Col("Compared with", 9, "centre"),
    C.Col("Gap in steps (self minus ICB)", 10, "int"), C.Col("Self score %", 8, "pct"),
    C.Col("ICB / peer score %", 8, "pct"),
    C.Col("Largest disagreements (self vs ICB / peer)", 46, "wrap"), C.Col("Flag", 22, "flag"),
)


@dataclass(frozen=True)
class Pick:
    """The latest completed return of one side for an organisation and template."""

    entry: Entry
    summary: Summary

    @property
    def order(self) -> tuple[dt.date, dt.datetime, str]:
        s = self.summary
        return (s.visit_date, (s.completed_at or dt.datetime.min).replace(tzinfo=None),
                s.return_id)

    def label(self) -> str:
        s = self.summary
        return f"{s.perspective} {s.visit_date:%d %b %Y} ({s.return_id[:8]})"


@dataclass
class Pairing:
    """What the sheet shows, worked out before it is written."""

    rows: list[Row] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    one_side: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    overconfident: int = 0
    grouped: str = ""
    """The paired templates with repeating groups (their rows are not compared)."""


def side_of(perspective: str) -> str:
    return "self" if perspective == "self" else "other"


def latest_by_side(plan: Plan, orgs: Organisations,
                   ) -> dict[tuple[str, str], dict[str, Pick]]:
    """(organisation key, template id) -> side (``self`` | ``other``) -> latest completed."""
    found: dict[tuple[str, str], dict[str, Pick]] = {}
    for entry in plan.winners:
        if entry.key.status != "complete" or not plan.included(entry):
            continue  # a draft is never paired; --approved-only pairs approved returns only
        summary = plan.spool.load(entry.ref("summary"))[0]
        pick = Pick(entry, summary)
        sides = found.setdefault((orgs.match(entry.key).key, entry.key.template_id), {})
        side = side_of(summary.perspective)
        held = sides.get(side)
        if held is None or pick.order > held.order:
            sides[side] = pick
    return found


class Templates:
    """Each distinct template snapshot, re-read once from a file that carries it."""

    def __init__(self) -> None:
        self._by_hash: dict[str, Template] = {}

    def of(self, entry: Entry) -> Template:
        found = self._by_hash.get(entry.key.template_hash)
        if found is None:
            from qa_tui.returns import read_return

            found = read_return(entry.key.path).template
            self._by_hash[entry.key.template_hash] = found
        return found


def _side(plan: Plan, pick: Pick, templates: Templates) -> Side:
    template = templates.of(pick.entry)
    answers = {qid: AnswerState(value, na) for qid, value, na in
               (plan.spool.load(pick.entry.ref("answers")) if pick.entry.count("answers")
                else [])}
    return Side(template, answers, score(template, answers))


def _disagreements(questions: Iterable[QuestionDiff], other: str) -> str | None:
    """The questions furthest apart, largest first: ``Q3: self Yes, ICB No (+2)`` (``peer``
    in place of ``ICB`` when the other view is a peer's)."""
    who = "ICB" if other == "icb" else other
    apart = sorted((q for q in questions if q.steps), key=lambda q: (-abs(q.steps or 0), q.id))
    shown = [f"{q.id}: self {q.b_label or 'blank'}, {who} {q.a_label or 'blank'} "
             f"({q.steps:+d})" for q in apart[:TOP_QUESTIONS]]
    more = len(apart) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "") if shown else None


def _flag(steps: int | None) -> str | None:
    if steps is not None and steps >= OVERCONFIDENT_STEPS:
        return f"Over-confident: self {steps} steps above"
    return None


def pair_rows(plan: Plan, orgs: Organisations, self_pick: Pick, other: Pick,
              comparison: Comparison) -> list[Row]:
    """The overall row, then one row a section, of one pair."""
    shape = plan.shapes[self_pick.entry.key.template_hash]
    org = orgs.name(self_pick.entry.key)
    code = orgs.match(self_pick.entry.key).code or self_pick.summary.org_code
    head = (org, code, self_pick.summary.template_title)
    by_section: dict[str, list[QuestionDiff]] = {}
    for q in comparison.questions:
        by_section.setdefault(q.section_id, []).append(q)
    rows: list[Row] = []
    lines = [(comparison.overall, shape.overall, comparison.questions)]
    lines += [(s, shape.ratings, by_section.get(s.id, [])) for s in comparison.sections]
    for s, names, questions in lines:
        rows.append((*head, s.title, rated_cell(names, s.b_rating),
                     rated_cell(names, s.a_rating), other.summary.perspective,
                     s.rating_steps, s.b_score, s.a_score,
                     _disagreements(questions, other.summary.perspective),
                     _flag(s.rating_steps)))
    return rows


def build_pairing(plan: Plan, orgs: Organisations) -> Pairing:
    """Pair, compare and order: over-confident organisations first (largest gap first), then
    the rest by name."""
    out = Pairing()
    templates = Templates()
    hashes: set[str] = set()
    groups: list[tuple[tuple[int, int, str], list[Row]]] = []
    for (org_key, tid), sides in sorted(latest_by_side(plan, orgs).items()):
        mine, theirs = sides.get("self"), sides.get("other")
        any_pick = mine or theirs
        assert any_pick is not None
        where = f"{orgs.names[org_key]} ({tid})"
        if mine is None or theirs is None:
            out.one_side.append(f"{where}: {any_pick.summary.perspective} only")
            continue
        try:
            comparison = compare(_side(plan, theirs, templates), _side(plan, mine, templates))
        except (QaError, OSError) as exc:  # the file changed since it was checked
            out.skipped.append(f"{where}: could not be re-read ({exc})")
            continue
        out.pairs.append(f"{where}: {mine.label()} with {theirs.label()}")
        hashes.add(mine.entry.key.template_hash)
        rows = pair_rows(plan, orgs, mine, theirs, comparison)
        worst = max((r[7] for r in rows if isinstance(r[7], int)), default=0)
        flagged = worst >= OVERCONFIDENT_STEPS
        out.overconfident += flagged
        groups.append(((0 if flagged else 1, -worst if flagged else 0,
                        orgs.names[org_key].casefold()), rows))
    for _, rows in sorted(groups, key=lambda g: g[0]):
        out.rows.extend(rows)
    out.grouped = grouped_templates(plan, hashes)
    return out


def _listed(items: list[str]) -> str:
    shown = "; ".join(items[:LISTED_IN_HEADER])
    more = len(items) - LISTED_IN_HEADER
    return shown + (f"; and {more} more" if more > 0 else "")


def header_lines(pairing: Pairing) -> list[str]:
    lines = [
        "Each organisation's latest completed self-assessment against the latest completed "
        "ICB (or peer) return of the same template, matched by ODS code (drafts are never "
        "paired). Gap in steps = the self rating minus the ICB's, along the template's "
        f"ratings: +{OVERCONFIDENT_STEPS} means the provider rates itself two steps better "
        "than the ICB found. Organisations two or more steps above the ICB's view, overall "
        "or in any section, are flagged and come first.",
        f"Pairs made ({len(pairing.pairs)}): {_listed(pairing.pairs) or 'none'}.",
        f"Only one side ({len(pairing.one_side)}): {_listed(pairing.one_side) or 'none'}.",
    ]
    if pairing.skipped:
        lines.append(f"Not compared ({len(pairing.skipped)}): {_listed(pairing.skipped)}.")
    if pairing.grouped:
        lines.append(f"Rows of repeating groups ({pairing.grouped}) are not compared: each "
                     "return lists its own rows, and ratings and disagreements come from the "
                     "ordinary questions only. The rows are on Responses (Row column).")
    return lines


def write_self_vs_icb(sheet: Sheet, pairing: Pairing) -> None:
    """Title, the header that says which pairs were made, then the table (printed like the
    Committee sheet: A4 landscape, one page wide, header row repeated)."""
    sheet.columns(COLS)
    sheet.text("Self-assessment against the ICB's view", "title")
    for paragraph in header_lines(pairing):  # wrapped to the printed width, never cut off
        for text in textwrap.wrap(paragraph, NOTE_WIDTH):
            sheet.text(text, "note")
    sheet.skip()
    header = sheet.row
    sheet.table("SelfVsIcb", COLS, len(pairing.rows))
    sheet.ws.freeze_panes(header + 1, 0)
    if not pairing.rows:
        sheet.text("No organisation has both a self and an ICB or peer return of one "
                   "template in this batch.", "note")
    for row in pairing.rows:
        sheet.write(row, COLS)
    sheet.print_setup(len(COLS) - 1, header_row=header,
                      one_page=len(pairing.rows) <= ONE_PAGE_ROWS)
