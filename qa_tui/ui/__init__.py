"""The Textual app: screens and widgets over :mod:`qa_tui.services`."""
