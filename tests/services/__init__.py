"""Services tier: the use cases, the return reader and writer, against a real SQLite file, in-process."""
