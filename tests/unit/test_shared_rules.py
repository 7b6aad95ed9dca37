"""Rules with one home (issue 18): the content that makes two files the same revision, the
scored-answer check, and naive UTC for files without time zones."""

from __future__ import annotations

import datetime as dt

from qa_tui.domain import QuestionType, naive_utc
from qa_tui.returns.content import content_hash, content_text
from qa_tui.services.returns import _content
from qa_tui.templates import Option, Question, Scale, scored_value


def test_import_and_consolidation_share_the_content_rule() -> None:
    base = {"format": "qa-tui-return", "generator": "qa-tui 0.1.0",
            "assessment": {"kind": "visit", "id": "x"}, "answers": [1]}
    again = {**base, "generator": "qa-tui 0.2.0", "identifiers_allowed": True,
             "identifiers": {"kinds": ["NHS number"], "places": ["Q1 note"]},
             "assessment": {"kind": "visit", "id": "x", "perspective": "icb"}}
    changed = {**base, "answers": [2]}
    assert _content is content_text
    assert content_hash(base) == content_hash(again) != content_hash(changed)


def test_naive_utc_is_whole_seconds_without_a_zone() -> None:
    moment = dt.datetime(2026, 3, 1, 10, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert naive_utc(moment) == dt.datetime(2026, 3, 1, 9, 30, 15)
    assert naive_utc(None) is None


def test_one_scored_answer_check_feeds_the_score() -> None:
    scale = Scale(id="ypn", title="ypn", options=(Option(value=2, label="Yes", key="y"),
                                                  Option(value=0, label="No", key="n")))
    q = Question(id="Q1", text="?", type=QuestionType.SCALE, scale=scale, weight=2.0)
    assert scored_value(q, 2, False) == 2.0
    assert scored_value(q, 2, True) is None  # N/A
    assert scored_value(q, 1, False) is None  # not one of the scale's options
    assert scored_value(q, 2.0, False) is None  # 2.0 is not the option 2
    assert scored_value(q, None, False) is None
    weightless = Question(id="Q2", text="?", type=QuestionType.SCALE, scale=scale, weight=0)
    assert scored_value(weightless, 2, False) is None
