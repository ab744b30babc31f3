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


@dataclass(frozen=True)
class Fix:
    applicability: str  # SAFE or UNSAFE
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    filename: str
    location: Location
    end_location: Location
    fixes: tuple[Fix, ...] = ()

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
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.filename, self.location.row, self.location.column, self.code)
