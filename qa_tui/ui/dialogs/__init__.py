"""Modal dialogs, one per module, each typed by the result it returns."""
