"""A Jupyter notebook (nbformat 4) as one Python module, as ruff reads it: its code cells in order.

A client made in cell 1 is the client of the call in cell 5, as it is when the notebook runs top to
bottom. IPython's own syntax is masked, never parsed and never changed: a cell that starts with a
cell magic (``%%time``, ``%%bash``) is left out, and a line magic, a shell escape or a help request
(``%pip install openai``, ``!ls``, ``files = !ls``, ``client?``) becomes ``pass`` at its indent, so the
module keeps one row per row of the cells and a column is the same column in both. Positions are
translated back to (cell, row, column); a fixed module is written back by :meth:`Notebook.rewrite`,
which changes the characters of the fixed values inside the cells' source strings and nothing else.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from typing import Any

from ..core.types import NEWLINE, Diagnostic, Edit, Fix, Location
from .notebook_json import BadJSON, Literal, encode, escapes_non_ascii, load, raw_offsets

NOTEBOOK_SUFFIX = ".ipynb"
# ``x = !ls``, ``out = %sx ls``: an assignment from a magic or a shell escape.
_ASSIGNED_MAGIC = re.compile(r"[\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*[%!]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class NotebookError(Exception):
    """Not a notebook sora-lint can read, or a fix it cannot write back; ``args[0]`` says why."""


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings (\\r\\n, \\r or \\n, as :data:`NEWLINE` counts them)."""
    return _LINE.findall(text)


def _is_magic(line: str) -> bool:
    code = line.strip()
    if not code or code.startswith("#"):
        return False
    # ``obj?`` and ``obj??`` ask for help; a line with a quote or a comment ending in ? is Python's.
    return (code[0] in "%!?" or (code.endswith("?") and not any(c in code for c in "#'\""))
            or _ASSIGNED_MAGIC.match(code) is not None)


def magic_lines(lines: list[str]) -> set[int]:
    """The lines IPython reads as magics: those that start a statement (not inside a string, brackets
    or a backslash continuation) with IPython's syntax, and the lines a magic continues onto."""
    masked: set[int] = set()
    quote, depth, continued, in_magic = "", 0, False, False
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if in_magic or (not quote and not depth and not continued and _is_magic(body)):
            masked.add(i)
            in_magic = body.endswith("\\")
            continue
        quote, depth = _scan(body, quote, depth)
        continued = body.endswith("\\") and not quote
    return masked


def _scan(body: str, quote: str, depth: int) -> tuple[str, int]:
    """The triple quote still open and the bracket depth after one line (single-quoted strings end with it)."""
    j = 0
    while j < len(body):
        if quote:
            end = body.find(quote, j)
            while end > 0 and _escaped(body, end):
                end = body.find(quote, end + 1)
            if end < 0:
                return quote, depth
            j, quote = end + len(quote), ""
            continue
        char = body[j]
        if char == "#":
            break
        if char in "\"'":
            if body.startswith(char * 3, j):
                quote, j = char * 3, j + 3
                continue
            end = body.find(char, j + 1)
            while end > 0 and _escaped(body, end):
                end = body.find(char, end + 1)
            j = len(body) if end < 0 else end + 1
            continue
        depth += 1 if char in "([{" else -1 if char in ")]}" and depth else 0
        j += 1
    return quote, depth


def _escaped(text: str, pos: int) -> bool:
    backslashes = len(text[:pos]) - len(text[:pos].rstrip("\\"))
    return backslashes % 2 == 1


@dataclass
class Cell:
    number: int  # 1-based, counting every cell of the notebook (markdown ones too), as editors show them
    literals: list[Literal]  # the JSON strings its source is made of
    listed: bool  # the source is a list of strings (one per line), not one string
    source: str
    masked: set[int]  # 0-based indexes of its lines that are IPython syntax
    first_row: int = 0  # the module row of its first line

    @property
    def lines(self) -> list[str]:
        return split_lines(self.source)

    def offset(self, loc: Location) -> int:
        """The offset in ``source`` of a (row, column) of the cell."""
        lines = self.lines
        return sum(len(line) for line in lines[:loc.row - 1]) + loc.column - 1


def _cells(value: Any, sources: dict[int, list[Literal]]) -> list[Cell]:
    if not isinstance(value, dict) or "nbformat" not in value:
        raise NotebookError("not a Jupyter notebook (no nbformat key at the top)")
    if value["nbformat"] != 4:
        raise NotebookError(f"nbformat {value['nbformat']!r}: sora-lint reads nbformat 4 notebooks")
    cells = value.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not an nbformat 4 notebook: it has no list of cells")
    if not _is_python(value.get("metadata")):
        return []
    found = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError(f"not an nbformat 4 notebook: cell {index + 1} has no cell_type")
        source = cell.get("source")
        if not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))):
            raise NotebookError(f"not an nbformat 4 notebook: the source of cell {index + 1} is not text")
        text = source if isinstance(source, str) else "".join(source)
        if cell["cell_type"] != "code" or text.lstrip().startswith("%%"):
            continue
        literals = sources.get(index, [])
        found.append(Cell(index + 1, literals, isinstance(source, list), text, magic_lines(split_lines(text))))
    return found


def _is_python(metadata: Any) -> bool:
    """A notebook of another kernel's language (R, Julia) holds no Python; one that does not say is Python's."""
    if not isinstance(metadata, dict):
        return True
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        info = metadata.get(key)
        if isinstance(info, dict) and isinstance(info.get(field), str):
            return bool(info[field].lower() == "python")
    return True


class Notebook:
    """A notebook's text, its Python cells, and the module they make."""

    def __init__(self, text: str) -> None:
        try:
            self.value, sources = load(text)
        except BadJSON as exc:
            raise NotebookError(f"not valid JSON ({exc})") from None
        self.text = text
        self.cells = _cells(self.value, sources)
        parts: list[str] = []
        owner: list[tuple[Cell, int]] = []
        for cell in self.cells:
            cell.first_row = len(owner) + 1
            for i, line in enumerate(cell.lines):
                if i in cell.masked:
                    body = line.rstrip("\r\n")
                    line = body[:len(body) - len(body.lstrip())] + "pass" + line[len(body):]
                parts.append(line if NEWLINE.search(line) else line + "\n")
                owner.append((cell, i))
        self.module = "".join(parts)
        self._owner = owner
        self._firsts = [cell.first_row for cell in self.cells]

    def cell(self, number: int) -> Cell:
        for cell in self.cells:
            if cell.number == number:
                return cell
        raise KeyError(number)

    def at_row(self, row: int) -> tuple[Cell, int]:
        """The cell of a module row, and the row in that cell."""
        cell = self.cells[bisect.bisect_right(self._firsts, row) - 1]
        return cell, row - cell.first_row + 1

    def module_row(self, cell_number: int, row: int) -> int:
        return self.cell(cell_number).first_row + row - 1

    def _to_cell(self, loc: Location) -> tuple[Cell, Location]:
        cell, row = self.at_row(loc.row)
        return cell, Location(row, loc.column)

    def translate(self, diagnostic: Diagnostic) -> Diagnostic:
        """A diagnostic on the module, placed on its cell."""
        cell, start = self._to_cell(diagnostic.location)
        _, end = self._to_cell(diagnostic.end_location)
        fixes = tuple(Fix(f.applicability, f.message, tuple(self._edit(e) for e in f.edits)) for f in diagnostic.fixes)
        # The calls that send the value, where they are in the same cell (a row of another cell would mislead).
        related = tuple(loc for c, loc in map(self._to_cell, diagnostic.related) if c is cell)
        return replace(diagnostic, cell=cell.number, location=start, end_location=end, fixes=fixes, related=related)

    def _edit(self, edit: Edit) -> Edit:
        cell, start = self._to_cell(edit.location)
        end_cell, end = self._to_cell(edit.end_location)
        if end_cell is not cell:  # an edit never spans two cells; said plainly rather than mis-placed
            end = start
        return Edit(edit.content, cell.offset(start), cell.offset(end), start, end, cell=cell.number)

    def file_location(self, cell_number: int, loc: Location) -> Location:
        """Where a (cell, row, column) is in the notebook's own text: the character inside its JSON string."""
        cell = self.cell(cell_number)
        offset = cell.offset(loc)
        for literal in cell.literals:
            # A line's first column is the next string's first character, not the end of the string before it.
            if offset < len(literal.value) or literal is cell.literals[-1]:
                raw = raw_offsets(self.text, literal)[min(offset, len(literal.value))]
                line_start = self.text.rfind("\n", 0, raw) + 1
                return Location(self.text.count("\n", 0, raw) + 1, raw - line_start + 1)
            offset -= len(literal.value)
        return Location(1, 1)  # a cell whose source is empty holds no finding

    def cell_at_line(self, line: int) -> int | None:
        """The cell whose source strings are on a line of the notebook's text (a diff's hunk names it)."""
        for cell in self.cells:
            if cell.literals:
                first = self.text.count("\n", 0, cell.literals[0].start) + 1
                last = self.text.count("\n", 0, cell.literals[-1].end) + 1
                if first <= line <= last:
                    return cell.number
        return None

    def rewrite(self, module: str) -> str:
        """The notebook's text with its cells' sources changed as ``module`` changes this notebook's module."""
        sources = self._new_sources(module)
        ascii_only = escapes_non_ascii(self.text)
        splices: list[tuple[int, int, str]] = []
        for cell in self.cells:
            if sources[cell.number] != cell.source:
                splices.extend(self._splices(cell, sources[cell.number], ascii_only))
        out: list[str] = []
        cursor = 0
        for start, end, text in sorted(splices):
            out.extend((self.text[cursor:start], text))
            cursor = end
        out.append(self.text[cursor:])
        new_text = "".join(out)
        self._verify(new_text, sources)
        return new_text

    def _new_sources(self, module: str) -> dict[int, str]:
        old, new = split_lines(self.module), split_lines(module)
        lines: dict[int, list[str]] = {cell.number: [] for cell in self.cells}
        import difflib  # only a fix needs it

        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i1, i2):
                    cell, i = self._owner[k]
                    lines[cell.number].append(cell.lines[i])
                continue
            if any(self._owner[k][1] in self._owner[k][0].masked for k in range(i1, i2)):
                raise NotebookError("a fix would change an IPython magic line")
            touched = {self._owner[k][0].number for k in range(i1, i2)} or {self._owner[max(i1 - 1, 0)][0].number}
            if len(touched) == 1:
                lines[touched.pop()].extend(new[j1:j2])
            elif i2 - i1 == j2 - j1:  # changed lines of neighbouring cells, each still one line
                for k in range(i1, i2):
                    lines[self._owner[k][0].number].append(new[j1 + k - i1])
            else:
                raise NotebookError("a fix would move lines from one cell to another")
        sources = {}
        for cell in self.cells:
            text = "".join(lines[cell.number])
            if not NEWLINE.search(cell.source[-1:] or "\n") and text.endswith("\n"):
                text = text[:-1]  # the newline the module added after the cell's last line
            sources[cell.number] = text
        return sources

    def _splices(self, cell: Cell, source: str, ascii_only: bool) -> list[tuple[int, int, str]]:
        """(start, end, text) replacements of the notebook's text that turn the cell's source into ``source``."""
        old_lines, new_lines = cell.lines, split_lines(source)
        starts = [0]
        for line in old_lines:
            starts.append(starts[-1] + len(line))
        bounds = [0]
        for literal in cell.literals:
            bounds.append(bounds[-1] + len(literal.value))
        out = []
        import difflib

        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
            head = len(_common_prefix(before, after))
            tail = len(_common_prefix(before[head:][::-1], after[head:][::-1]))
            start, end = starts[i1] + head, starts[i2] - tail
            out.extend(self._splice(cell, bounds, start, end, after[head:len(after) - tail], ascii_only))
        return out

    def _splice(self, cell: Cell, bounds: list[int], start: int, end: int, text: str,
                ascii_only: bool) -> list[tuple[int, int, str]]:
        first = max(bisect.bisect_right(bounds, start) - 1, 0)
        if start == end and start == bounds[first] and first > 0:
            first -= 1  # an insertion between two strings joins the end of the first
        first = min(first, len(cell.literals) - 1)
        last = min(max(bisect.bisect_left(bounds, end) - 1, first), len(cell.literals) - 1)
        pieces = cell.literals[first:last + 1]
        value = "".join(p.value for p in pieces)
        new_value = value[:start - bounds[first]] + text + value[end - bounds[first]:]
        if first == last and not (cell.listed and NEWLINE.search(new_value.rstrip("\r\n"))):
            offsets = raw_offsets(self.text, pieces[0])
            return [(offsets[start - bounds[first]], offsets[end - bounds[first]], encode(text, ascii_only))]
        # The fix moves a line break: the strings of those lines are written again, one a line.
        separator = self._separator(cell)
        literals = [f'"{encode(line, ascii_only)}"' for line in split_lines(new_value)] if cell.listed else \
            [f'"{encode(new_value, ascii_only)}"']
        return [(pieces[0].start, pieces[-1].end, separator.join(literals))]

    def _separator(self, cell: Cell) -> str:
        if len(cell.literals) > 1:
            return self.text[cell.literals[0].end:cell.literals[1].start]
        opening = self.text.rfind("[", 0, cell.literals[0].start)
        return "," + self.text[opening + 1:cell.literals[0].start]

    def _verify(self, new_text: str, sources: dict[int, str]) -> None:
        """The written text holds the same JSON value but for the fixed sources: anything else is refused.
        Values are compared as JSON text, where an output's NaN equals itself."""
        def flat(notebook: Any, replaced: dict[int, str]) -> str:
            cells = [dict(c, source=replaced.get(i + 1, "".join(c["source"]))) if i + 1 in sources else c
                     for i, c in enumerate(notebook["cells"])]
            return json.dumps(dict(notebook, cells=cells))

        try:
            same = flat(load(new_text)[0], {}) == flat(self.value, sources)
        except (BadJSON, KeyError, IndexError, TypeError):
            same = False
        if not same:
            raise NotebookError("a fix would have changed more of the notebook than the fixed values")


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]
