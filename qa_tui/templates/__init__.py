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
from qa_tui.templates.address import Address, parse_address, row_address
from qa_tui.templates.canonical import canonical_json, sha256_hex, template_hash
from qa_tui.templates.compiler import compile_template
from qa_tui.templates.computed import ComputedValue, computed_values, explain
from qa_tui.templates.library import TemplateEntry, TemplateLibrary, bundled_dir
from qa_tui.templates.loader import load_template_file, read_template_document
from qa_tui.templates.model import (
    Band,
    Compute,
    ComputeBand,
    Condition,
    Option,
    Question,
    Repeat,
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
    "Address", "Band", "Compute", "ComputeBand", "ComputedValue", "Condition", "Option", "Parsed",
    "Question", "Repeat", "ReportSpec", "Scale",
    "ScaleReport", "ScoreOutcome", "ScoreReport", "ScoringRule", "Section", "SectionScore", "Template",
    "TemplateEntry", "TemplateLibrary",
    "answer_label", "bundled_dir", "canonical_json", "check_value", "compile_template",
    "computed_values", "escalation_words", "explain", "load_template_file", "match_option",
    "options_text", "overall_words", "parse_address", "parse_answer", "rating_words",
    "read_template_document", "row_address", "score", "scored_value", "sha256_hex",
    "template_hash", "toggled", "visible_questions",
]
