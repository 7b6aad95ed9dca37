"""Rows waiting to be written, on disk: so memory does not grow with the number of returns.

Which copy of a return wins is only known once every file has been read, and the sheets are
written in sorted order, so rows cannot go straight into the workbook. Each accepted file's
row blocks (already pickled by the worker) are appended to one private temporary file; the
parent keeps only their offsets and reads each block back when its sheet is written.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

Ref = tuple[int, int]
"""(offset, length) of one pickled block in the spool file."""


class Spool:
    """An append-only file of pickled row blocks (the folder it lives in is private)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._end = 0

    def add(self, blob: bytes) -> Ref:
        self._file.seek(self._end)
        self._file.write(blob)
        ref = (self._end, len(blob))
        self._end += len(blob)
        return ref

    def load(self, ref: Ref) -> list[tuple[Any, ...]]:
        """The rows of one block (our own pickles, written by our own workers this run)."""
        offset, length = ref
        self._file.seek(offset)
        rows: list[tuple[Any, ...]] = pickle.loads(self._file.read(length))
        return rows

    def close(self) -> None:
        self._file.close()
