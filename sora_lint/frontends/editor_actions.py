"""What the language server computes beyond a finding's own fixes (no LSP types here, no I/O):
the edit of "fix all" on save, the "disable for this line" comment, and findings carried across
edits while the buffer does not parse."""
from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from ..core.types import NEWLINE, Diagnostic, Location
from ..engine.noqa import add_noqa


class TextChange(NamedTuple):
    """Replace the text between two 1-based (row, column) locations of the old text."""

    start: Location
    end: Location
    new_text: str


def _location(text: str, offset: int) -> Location:
    before = text[:offset]
    breaks = list(NEWLINE.finditer(before))
    line_start = breaks[-1].end() if breaks else 0
    return Location(len(breaks) + 1, offset - line_start + 1)


def minimal_change(old: str, new: str) -> TextChange | None:
    """One replacement that turns ``old`` into ``new``: the differing middle, common ends kept
    (so an editor's cursor and folds outside it do not move). None when they are equal."""
    if old == new:
        return None
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    # Never split a \r\n pair: positions are counted in lines ended by either.
    if start > 0 and old[start - 1] == "\r" and start < len(old) and old[start] == "\n":
        start -= 1
    if 0 < end_old < len(old) and old[end_old - 1] == "\r" and old[end_old] == "\n":
        end_old += 1
        end_new += 1
    return TextChange(_location(old, start), _location(old, end_old), new[start:end_new])


def disable_comment(text: str, diagnostic: Diagnostic) -> TextChange | None:
    """The change that puts (or merges) ``# noqa: CODE`` on the finding's line; None where a comment
    there would change the code (the line ends inside a string, or after a backslash)."""
    new_text, added, _refused = add_noqa(text, [diagnostic])
    if not added:
        return None
    return minimal_change(text, new_text)


def carried_over(old_text: str, new_text: str, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The findings of ``old_text`` that sit on lines the edit left as they were, moved to where
    those lines are now in ``new_text``; their fixes are dropped (their offsets are the old text's)."""
    old_lines, new_lines = NEWLINE.split(old_text), NEWLINE.split(new_text)
    moved = {}
    for tag, i1, i2, j1, _j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                moved[i1 + k + 1] = j1 + k + 1
    out = []
    for d in diagnostics:
        first, last = moved.get(d.location.row), moved.get(d.end_location.row)
        if first is None or last is None or last - first != d.end_location.row - d.location.row:
            continue
        out.append(replace(d, location=Location(first, d.location.column),
                           end_location=Location(last, d.end_location.column), fixes=()))
    return out
