"""The headless command line: a thin shell over :mod:`qa_tui.services`; it never loads Textual."""
