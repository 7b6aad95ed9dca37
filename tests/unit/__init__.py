"""Unit tier: pure functions (templates, compiler, scoring, parsing, cell text); no database,
no CLI, no subprocess."""
