"""Templates: compile assessment definitions into immutable models, and score answers."""

from __future__ import annotations

from qa_tui.templates.answers import (
    Parsed,
    answer_label,
    check_value,
    match_option,
    options_text,
    parse_answer,
    toggled,
)
from qa_tui.templates.canonical import canonical_json, sha256_hex, template_hash
from qa_tui.templates.compiler import compile_template
from qa_tui.templates.library import TemplateEntry, TemplateLibrary, bundled_dir
from qa_tui.templates.loader import load_template_file, read_template_document
from qa_tui.templates.model import (
    Band,
    Condition,
    Option,
    Question,
    ReportSpec,
    Scale,
    ScaleReport,
    ScoringRule,
    Section,
    Template,
)
from qa_tui.templates.scoring import (
    ScoreOutcome,
    ScoreReport,
    SectionScore,
    score,
    scored_value,
    visible_questions,
)
from qa_tui.templates.wording import escalation_words, overall_words, rating_words

__all__ = [
    "Band", "Condition", "Option", "Parsed", "Question", "ReportSpec", "Scale",
    "ScaleReport", "ScoreOutcome", "ScoreReport", "ScoringRule", "Section", "SectionScore", "Template",
    "TemplateEntry", "TemplateLibrary",
    "answer_label", "bundled_dir", "canonical_json", "check_value", "compile_template",
    "escalation_words", "load_template_file", "match_option", "options_text", "overall_words",
    "parse_answer", "rating_words", "read_template_document", "score", "scored_value", "sha256_hex",
    "template_hash", "toggled", "visible_questions",
]
