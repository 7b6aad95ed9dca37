"""What a screen (or a palette provider) asks the app to do, as Textual messages.

A screen posts one of these and it bubbles to the app, which handles it; so a screen never
calls the app and never imports it (see :mod:`qa_tui.ui.contract`).
"""

from __future__ import annotations

from textual.message import Message


class ExportRequested(Message):
    """Write the Excel return of an assessment (a draft asks first)."""

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id


class OpenAssessment(Message):
    """Open an assessment on top of Home, at ``question_id`` if given."""

    def __init__(self, assessment_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.question_id = question_id
