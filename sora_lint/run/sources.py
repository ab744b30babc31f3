"""The lines of the files a report shows, read lazily: only the files that have findings, once each,
when they are first needed (decoded like the runner decodes them); a notebook's by cell."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..core.types import NEWLINE, Diagnostic, Location

if TYPE_CHECKING:
    from .notebooks import Notebook


class SourceLines:
    """The lines of reported files, read lazily; ``texts`` supplies contents already in memory."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._texts = dict(texts or {})
        self._lines: dict[str, list[str] | None] = {
            path: NEWLINE.split(text) for path, text in self._texts.items()}
        self._notebooks: dict[str, Notebook | None] = {}

    def line(self, path: str, row: int, cell: int | None = None) -> str | None:
        if cell is not None:
            notebook = self.notebook(path)
            try:
                lines = NEWLINE.split(notebook.cell(cell).source) if notebook else None
            except KeyError:
                lines = None
        else:
            if path not in self._lines:
                self._lines[path] = self._read(path)
            lines = self._lines[path]
        if lines is None or not 1 <= row <= len(lines):
            return None
        return lines[row - 1]

    def notebook(self, path: str) -> Notebook | None:
        """The notebook a diagnostic with a cell was found in (None if it cannot be read now)."""
        if path not in self._notebooks:
            from .notebooks import Notebook, NotebookError, decode_notebook

            try:
                if path in self._texts:
                    text = self._texts[path]
                else:
                    with open(path, "rb") as fh:
                        text, _encoding = decode_notebook(fh.read())
                self._notebooks[path] = Notebook(text)
            except (OSError, ValueError, NotebookError):  # ValueError: not UTF-8
                self._notebooks[path] = None
        return self._notebooks[path]

    def file_location(self, d: Diagnostic, loc: Location) -> Location:
        """Where ``loc`` of ``d`` is in the file itself: in a notebook, inside its cell's JSON string."""
        notebook = self.notebook(d.filename) if d.cell is not None else None
        if notebook is None or d.cell is None:
            return loc
        try:
            return notebook.file_location(d.cell, loc)
        except (KeyError, IndexError):
            return loc

    @staticmethod
    def _read(path: str) -> list[str] | None:
        from .runner import Undecodable, decode

        try:
            with open(path, "rb") as fh:
                text, _encoding = decode(fh.read())
        except (OSError, Undecodable):
            return None
        return NEWLINE.split(text)
