"""Plain data shared by every layer: diagnostics, fixes and their edits."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Where Python ends a line: \r\n, \r or \n (not at form feeds or U+2028, as str.splitlines would).
# Rows, noqa lines and source excerpts all count lines this one way.
NEWLINE = re.compile(r"\r\n|\r|\n")

SAFE = "safe"
UNSAFE = "unsafe"

# The code of a file that could not be read or parsed. Every other code belongs to a rule
# (sora_lint.rules finds them).
PARSE_ERROR = "SOR000"


@dataclass(frozen=True)
class Location:
    row: int  # 1-based line
    column: int  # 1-based, in characters


@dataclass(frozen=True)
class Edit:
    content: str
    start: int  # character offset in the (BOM-less) source text
    end: int
    location: Location
    end_location: Location
    cell: int | None = None  # in a notebook: the cell the offsets and rows are in


@dataclass(frozen=True)
class Fix:
    applicability: str  # SAFE or UNSAFE
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Group:
    """What a finding reported once for several calls stands for (SOR006: once per client), as the
    run's summary counts it: "12 calls go to a server that was shut down on 2026-09-24 (SOR006)"."""

    summary: str  # what the calls share, after "N calls go": "to a server that was shut down on 2026-09-24"
    calls: int


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    filename: str
    location: Location
    end_location: Location
    fixes: tuple[Fix, ...] = ()
    group: Group | None = None
    # Where the calls that send the value start, when it is reported away from them (a dict entry,
    # a default, a field): one finding per value, however many calls send it.
    related: tuple[Location, ...] = ()
    # In a notebook: the cell (1-based, every cell counted) whose rows the locations count.
    cell: int | None = None

    @property
    def sent_by(self) -> str:
        """`` (sent by the call at line 43)`` for a finding reported away from its call(s); empty otherwise."""
        if not self.related:
            return ""
        rows = sorted({loc.row for loc in self.related})
        if len(rows) == 1:
            return f" (sent by the call at line {rows[0]})"
        return f" (sent by the calls at lines {', '.join(map(str, rows))})"

    def fix_for(self, unsafe_fixes: bool) -> Fix | None:
        """The fix a run applies: an unsafe one wins only when unsafe fixes are allowed."""
        if unsafe_fixes:
            for fix in self.fixes:
                if fix.applicability == UNSAFE:
                    return fix
        for fix in self.fixes:
            if fix.applicability == SAFE:
                return fix
        return None

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.filename, self.cell or 0, self.location.row, self.location.column, self.code)
