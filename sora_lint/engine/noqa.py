"""``--add-noqa``: a ``# noqa: CODE`` comment on each reported line, merged with one already there.

A comment is only added where it cannot change the program: the token stream of the line
with the comment must equal the one without it (so a line that ends inside a multi-line
string, or after a backslash continuation, is left alone and reported).
"""
from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence

from ..core.types import NEWLINE, Diagnostic

# A noqa comment: bare, or with codes after a colon, separated by commas or spaces (as flake8 and ruff read them).
NOQA_COMMENT = re.compile(r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
# `# sora-lint: noqa` on a line of its own: the whole file is exempt.
FILE_EXEMPTION = re.compile(r"(?:\A|(?<=[\r\n]))[ \t]*#[ \t]*sora-lint:[ \t]*noqa[ \t]*(?=[\r\n]|\Z)", re.IGNORECASE)


def _mentions_noqa(source: str) -> bool:
    """A test both patterns need to pass: a substring search is a fraction of their regex scan of the file."""
    return "noqa" in source.lower()


def exempts_file(source: str) -> bool:
    """Whether ``source`` opts out of sora-lint as a whole."""
    return _mentions_noqa(source) and FILE_EXEMPTION.search(source) is not None


def may_suppress(source: str) -> bool:
    """Whether ``source`` holds a noqa comment at all (one scan at C speed): most files do not, and then
    no line needs to be split out and searched for one."""
    return _mentions_noqa(source) and NOQA_COMMENT.search(source) is not None


def suppresses(lines: Sequence[str], row: int, code: str) -> bool:
    """Whether a noqa comment on line ``row`` (1-based) of ``lines`` names ``code`` (or no code at all)."""
    if row > len(lines):
        return False
    match = NOQA_COMMENT.search(lines[row - 1])
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(code.startswith(c.upper()) for c in re.split(r"[,\s]+", codes) if c)


def _tokens(text: str) -> list[tuple[int, str]] | None:
    try:
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]
    except (tokenize.TokenError, SyntaxError):
        return None


def merged_comment(line: str, codes: Iterable[str]) -> str | None:
    """``line`` with a noqa comment naming ``codes`` (and the codes it named already); None if it has a bare noqa."""
    wanted = sorted(set(codes))
    match = NOQA_COMMENT.search(line)
    if match is None:
        body = line.rstrip()
        return f"{body}  # noqa: {', '.join(wanted)}"
    if not match.group("codes"):
        return None  # a bare noqa already silences every code on the line
    present = [c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c]
    merged = present + [c for c in wanted if c not in present]
    return line[:match.start()] + f"# noqa: {', '.join(merged)}" + line[match.end():]


def add_noqa(text: str, diagnostics: Sequence[Diagnostic]) -> tuple[str, int, list[int]]:
    """The text with noqa comments added, how many lines got one, and the rows that could not."""
    by_row: dict[int, set[str]] = {}
    for d in diagnostics:
        by_row.setdefault(d.location.row, set()).add(d.code)
    pieces = NEWLINE.split(text)
    endings = NEWLINE.findall(text)
    original_tokens = _tokens(text)
    added, refused = 0, []
    for row in sorted(by_row):
        if row > len(pieces):
            continue
        new_line = merged_comment(pieces[row - 1], by_row[row])
        if new_line is None or new_line == pieces[row - 1]:
            continue
        trial = pieces[:row - 1] + [new_line] + pieces[row:]
        candidate = "".join(p + e for p, e in zip(trial, endings + [""]))
        if original_tokens is None or _tokens(candidate) != original_tokens:
            refused.append(row)
            continue
        pieces = trial
        added += 1
    return "".join(p + e for p, e in zip(pieces, endings + [""])), added, refused
