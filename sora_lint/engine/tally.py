"""The run's counts, kept in one place: every summary line, ``--show-fixes``, ``--statistics``, and the
JSON and SARIF logs read them from a :class:`Tally`, so no two of them can disagree.

Per code: ``found`` (what a check of the files as they were reports), ``fixed`` (findings whose fix was
applied, or would be with ``--diff``), ``remaining`` (what a check reports afterwards), and of those
remaining, how many a safe fix or only an unsafe one would fix. ``found == fixed + remaining`` holds
per code (tests/test_fix_properties.py checks it on random files); grouped findings (SOR006, once per
client) also count the calls they stand for.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..core.types import PARSE_ERROR, Diagnostic


@dataclass
class Counts:
    found: int = 0
    fixed: int = 0
    remaining: int = 0
    safe: int = 0  # remaining findings `sora-lint fix` fixes
    unsafe: int = 0  # remaining findings only `sora-lint fix --unsafe-fixes` fixes

    def fixable(self, unsafe_fixes: bool) -> int:
        return self.safe + (self.unsafe if unsafe_fixes else 0)


@dataclass
class Tally:
    codes: dict[str, Counts] = field(default_factory=dict)
    # Findings said once for several calls: (summary words, code) -> calls, as
    # ("to a server that was shut down on 2026-09-24", "SOR006") -> 12.
    groups: Counter[tuple[str, str]] = field(default_factory=Counter)
    fixed_by_file: dict[str, Counter[str]] = field(default_factory=dict)

    def add_file(self, path: str, remaining: Sequence[Diagnostic], found: Sequence[Diagnostic] | None = None,
                 fixed: Mapping[str, int] | None = None) -> None:
        """One file's findings: ``found`` before any fix (default: ``remaining``), ``fixed`` per code."""
        for d in found if found is not None else remaining:
            self._at(d.code).found += 1
            if d.group is not None:
                self.groups[(d.group.summary, d.code)] += d.group.calls
        for d in remaining:
            counts = self._at(d.code)
            counts.remaining += 1
            if d.fix_for(False):
                counts.safe += 1
            elif d.fix_for(True):
                counts.unsafe += 1
        if fixed:
            for code, n in fixed.items():
                self._at(code).fixed += n
            self.fixed_by_file[path] = Counter(fixed)

    def _at(self, code: str) -> Counts:
        return self.codes.setdefault(code, Counts())

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.codes.values())

    def fixable(self, unsafe_fixes: bool) -> int:
        return sum(c.fixable(unsafe_fixes) for c in self.codes.values())

    @property
    def left_to_choose(self) -> int:
        """Remaining findings a person must act on (a file that could not be checked is said apart)."""
        return sum(c.remaining for code, c in self.codes.items() if code != PARSE_ERROR)

    def by_count(self, what: str = "remaining") -> list[tuple[str, Counts]]:
        """The codes with a non-zero ``what``, most frequent first (then by code)."""
        rows = [(code, c) for code, c in self.codes.items() if getattr(c, what)]
        return sorted(rows, key=lambda row: (-getattr(row[1], what), row[0]))

    def group_lines(self) -> list[str]:
        """The summary's lines for grouped findings: "12 calls go to a server that was shut down on ... (SOR006)"."""
        return [f"{n} call{'s go' if n != 1 else ' goes'} {words} ({code})."
                for (words, code), n in sorted(self.groups.items())]

    def as_json(self) -> dict[str, dict[str, int]]:
        return {code: {"found": c.found, "fixed": c.fixed, "remaining": c.remaining, "fixable_safe": c.safe,
                       "fixable_unsafe": c.unsafe} for code, c in sorted(self.codes.items())}


def tally_of(diagnostics: Iterable[Diagnostic]) -> Tally:
    """The tally of one check (nothing fixed): what an editor or a single source reports."""
    tally = Tally()
    tally.add_file("", list(diagnostics))
    return tally
