"""TUI tier: the app under Textual's Pilot, and its snapshots (``__snapshots__`` here)."""
