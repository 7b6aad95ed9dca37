"""How a rating reads to a person, the same on every screen, in the CLI and in the return.

A rating never appears without the share of scored questions it rests on, and one drawn from too
few answers says "provisional" in words, so 3 answers of 8 never read like a finished rating.
"""

from __future__ import annotations

from qa_tui.templates.scoring import ScoreReport


def rating_words(rating: str | None, score_pct: float | None, coverage_pct: int,
                 provisional: bool) -> str:
    """``Good (75%, 92% answered)``, ``Outstanding (provisional, 37% answered)`` or
    ``not rated yet (0% answered)``."""
    if rating is None:
        pct = f"{score_pct:.0f}%, " if score_pct is not None else ""
        return f"not rated yet ({pct}{coverage_pct}% answered)"
    if provisional:
        return f"{rating} (provisional, {coverage_pct}% answered)"
    pct = f"{score_pct:.0f}%, " if score_pct is not None else ""
    return f"{rating} ({pct}{coverage_pct}% answered)"


def overall_words(report: ScoreReport) -> str:
    """The overall rating of a report, with its coverage."""
    return rating_words(report.overall.rating, report.overall.score_pct, report.coverage_pct,
                        report.provisional)


def escalation_words(escalations: tuple[str, ...] | list[str]) -> str:
    """``⚠ ESCALATE: V5.3, V7.1`` (empty when nothing is escalated); past three ids it counts
    the rest (``+2 more``), so a one-line bar still has room for what follows."""
    if not escalations:
        return ""
    shown = ", ".join(escalations[:3])
    more = f" +{len(escalations) - 3} more" if len(escalations) > 3 else ""
    return f"⚠ ESCALATE: {shown}{more}"
