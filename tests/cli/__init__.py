"""CLI tier: the command line through its real entry point (the ``cli`` fixture, a few subprocesses)."""
