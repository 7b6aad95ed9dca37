"""How a rating and an escalation read: the same words on every screen, in the CLI and returns."""

from __future__ import annotations

from qa_tui.templates import escalation_words, rating_words


def test_a_rating_always_has_its_coverage_and_says_provisional_in_words() -> None:
    assert rating_words("Good", 75.0, 92, False) == "Good (75%, 92% answered)"
    assert rating_words("Outstanding", 100.0, 37, True) == \
        "Outstanding (provisional, 37% answered)"
    assert rating_words(None, None, 0, False) == "not rated yet (0% answered)"


def test_escalations_lead_and_count_past_three() -> None:
    assert escalation_words(()) == ""
    assert escalation_words(("V2.5",)) == "⚠ ESCALATE: V2.5"
    assert escalation_words(("a", "b", "c", "d", "e")) == "⚠ ESCALATE: a, b, c +2 more"
