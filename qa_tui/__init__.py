"""qa-tui: offline clinical quality assessment in the terminal."""

from __future__ import annotations

import os

__version__ = "0.1.0"

# A return's bytes must not depend on what else happens to be installed: openpyxl writes XML
# through lxml when lxml is importable (python-docx brings it) and through the standard
# library otherwise, and the two order attributes differently. The same answers must give the
# same file on every laptop, so the standard library's serialiser is chosen before openpyxl is
# first imported. A value set by the user is left alone.
os.environ.setdefault("OPENPYXL_LXML", "False")
