"""Notebooks in a run: check, fix, diff and noqa a ``.ipynb`` through the engine's module of its code cells.

Each function here takes and returns the notebook's own text (its JSON), as the runner reads and
writes it; the diagnostics are placed on cells (:attr:`Diagnostic.cell`, rows counted in the cell).
A text that is not an nbformat 4 notebook is one SOR000 diagnostic and is never written.
"""
from __future__ import annotations

import re

from ..contracts.settings import Settings
from ..core.types import PARSE_ERROR, Diagnostic, Location
from ..engine import Checked, FixOutcome, apply_fixes, check
from ..engine.noqa import add_noqa
from ..engine.notebook import Notebook, NotebookError, is_notebook

__all__ = ["Notebook", "NotebookError", "add_noqa_to_notebook", "check_notebook", "check_notebook_source",
           "decode_notebook", "fix_notebook", "is_notebook", "name_cells"]

_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@$")


def decode_notebook(data: bytes) -> tuple[str, str]:
    """A notebook's text and the encoding to write it back with (a BOM kept); ValueError if it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"a notebook is UTF-8 JSON, and this one is not valid UTF-8: {exc.reason}") from None
    return (text[1:], "utf-8-sig") if text.startswith("\ufeff") else (text, "utf-8")


def unreadable(path: str, exc: Exception) -> Diagnostic:
    loc = Location(1, 1)
    return Diagnostic(PARSE_ERROR, f"could not read this notebook, so it was not checked: {exc}", path, loc, loc)


def check_notebook(source: str, filename: str = "<string>", settings: Settings | None = None,
                   *, apply_noqa: bool = True) -> Checked:
    """:func:`sora_lint.engine.check` for a notebook's text."""
    settings = settings or Settings()
    try:
        notebook = Notebook(source)
    except NotebookError as exc:
        return Checked([unreadable(filename, exc)] if settings.enabled(PARSE_ERROR) else [], None)
    if not notebook.cells:
        return Checked([], None)
    checked = check(notebook.module, filename, settings, apply_noqa=apply_noqa)
    return checked._replace(diagnostics=[notebook.translate(d) for d in checked.diagnostics])


def check_notebook_source(source: str, filename: str = "<string>", settings: Settings | None = None,
                          *, apply_noqa: bool = True) -> list[Diagnostic]:
    return check_notebook(source, filename, settings, apply_noqa=apply_noqa).diagnostics


def fix_notebook(source: str, filename: str = "<string>", settings: Settings | None = None, *,
                 unsafe_fixes: bool = False) -> FixOutcome:
    """:func:`sora_lint.engine.apply_fixes` for a notebook: ``source`` is the notebook's text, with only
    the fixed values' characters changed inside its cells' source strings."""
    settings = settings or Settings()
    text, path = source, filename
    try:
        notebook = Notebook(text)
    except NotebookError as exc:
        return FixOutcome(text, 0, [unreadable(path, exc)] if settings.enabled(PARSE_ERROR) else [])
    if not notebook.cells:
        return FixOutcome(text, 0, [])
    outcome = apply_fixes(notebook.module, path, settings, unsafe_fixes=unsafe_fixes)
    if outcome.source == notebook.module:
        return FixOutcome(text, 0, [notebook.translate(d) for d in outcome.remaining], outcome.error)
    try:
        fixed_text = notebook.rewrite(outcome.source)
        fixed = Notebook(fixed_text)
        if fixed.module != outcome.source:
            raise NotebookError("the fixed notebook's cells do not read back as the fixed code")
    except NotebookError as exc:
        return FixOutcome(text, 0, check_notebook_source(text, path, settings),
                          error=f"{exc}; the notebook was left unchanged - please report this as a bug")
    return FixOutcome(fixed_text, outcome.applied, [fixed.translate(d) for d in outcome.remaining])


def add_noqa_to_notebook(text: str, diagnostics: list[Diagnostic]) -> tuple[str, int, list[str]]:
    """--add-noqa in a notebook's cells: the text, the comments added, and where one could not be (``cell N:row``)."""
    notebook = Notebook(text)
    on_module = [d.__class__(d.code, d.message, d.filename,
                             Location(notebook.module_row(d.cell, d.location.row), d.location.column),
                             Location(notebook.module_row(d.cell, d.end_location.row), d.end_location.column))
                 for d in diagnostics if d.cell is not None]
    module, added, refused_rows = add_noqa(notebook.module, on_module)
    refused = [f"cell {cell.number}:{row}" for cell, row in map(notebook.at_row, refused_rows)]
    return (notebook.rewrite(module) if added else text), added, refused


def name_cells(diff: str, notebook_text: str) -> str:
    """A unified diff of a notebook with each hunk's header naming the cell it changes
    (``@@ -40,7 +40,7 @@ cell 3``): git apply and patch read that part of the header as a comment."""
    try:
        notebook = Notebook(notebook_text)
    except NotebookError:
        return diff
    lines = diff.split("\n")
    for i, line in enumerate(lines):
        match = _HUNK.match(line)
        if not match:
            continue
        old_line = int(match.group(1))
        for body in lines[i + 1:]:  # the first line the hunk removes or changes
            if body.startswith(("-", "+")):
                break
            old_line += 1
        cell = notebook.cell_at_line(old_line)
        if cell is not None:
            lines[i] = f"{line} cell {cell}"
    return "\n".join(lines)
