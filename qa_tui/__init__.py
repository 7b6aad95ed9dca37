"""qa-tui: offline clinical quality assessment in the terminal."""

# Written so that any Python 3 can read this file: an old one (``python -m qa_tui`` from a
# source checkout, or an install forced past requires-python) gets one plain sentence instead
# of a syntax or import error from deeper in the code.
import sys

MIN_PYTHON = (3, 11)

if tuple(sys.version_info[:2]) < MIN_PYTHON:
    _found = ".".join(str(part) for part in sys.version_info[:2])
    sys.exit("qa-tui needs Python 3.11 or newer (this is Python " + _found + " at "
             + sys.executable + "). Install a newer Python and run qa-tui with it "
             "(on Windows: py -3.11 -m venv .venv).")

import os

__version__ = "0.1.0"

# A return's bytes must not depend on what else happens to be installed: openpyxl writes XML
# through lxml when lxml is importable (python-docx brings it) and through the standard
# library otherwise, and the two order attributes differently. The same answers must give the
# same file on every laptop, so the standard library's serialiser is chosen before openpyxl is
# first imported. A value set by the user is left alone.
os.environ.setdefault("OPENPYXL_LXML", "False")
