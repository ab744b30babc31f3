"""The fix loop: apply non-overlapping fixes round after round until the file is stable."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..contracts.settings import Settings
from ..core.types import Diagnostic, Edit
from .lint import lint, lint_source, misplaced_note
from .parse import Parsed, Unparsable, parse_checked

MAX_FIX_ROUNDS = 10


@dataclass
class FixOutcome:
    source: str
    applied: int
    remaining: list[Diagnostic]
    error: str | None = None  # a fix that would break the file: the file is left as it was


def pick_edits(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool) -> list[Edit]:
    """Non-overlapping edits to apply this round, in source order (an overlapping one waits a round)."""
    chosen: list[Edit] = []
    seen: set[tuple[int, int, str]] = set()
    fixes = [f for f in (d.fix_for(unsafe_fixes) for d in diagnostics) if f is not None]
    for fix in sorted(fixes, key=lambda f: min(e.start for e in f.edits)):
        edits = [e for e in fix.edits if (e.start, e.end, e.content) not in seen]
        if not edits:
            continue
        if any(e.start < c.end and c.start < e.end for e in edits for c in chosen):
            continue
        chosen.extend(edits)
        seen.update((e.start, e.end, e.content) for e in edits)
    return sorted(chosen, key=lambda e: e.start)


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    parts: list[str] = []
    cursor = 0
    for e in sorted(edits, key=lambda e: e.start):
        parts.append(source[cursor:e.start])
        parts.append(e.content)
        cursor = e.end
    parts.append(source[cursor:])
    return "".join(parts)


def apply_fixes(source: str, filename: str = "<string>", settings: Settings | None = None,
               *, unsafe_fixes: bool = False) -> FixOutcome:
    """Apply fixes round after round until nothing changes; never return code that does not parse.

    The parse that validates a round's result is the one the next round checks.
    """
    settings = settings or Settings()
    current = source
    applied = 0
    parsed: Parsed | None = None
    cpython_required: bool | None = None  # the file runs on this Python: its fixed text must too
    for _round in range(MAX_FIX_ROUNDS):
        diagnostics, parsed, misplaced, _dependencies = lint(current, filename, settings, parsed=parsed)
        if misplaced.any:  # a position that cannot be trusted: no byte of the file is changed
            return FixOutcome(source, 0, lint_source(source, filename, settings), error=misplaced_note(misplaced))
        edits = pick_edits(diagnostics, unsafe_fixes)
        if not edits or parsed is None:
            return FixOutcome(current, applied, diagnostics)
        if cpython_required is None:
            cpython_required = parsed.cpython_accepts
        candidate = apply_edits(current, edits)
        try:
            parsed = parse_checked(candidate, cpython_required=cpython_required)
        except Unparsable as exc:  # a fix that breaks the file is a bug: keep what we had
            return FixOutcome(source, 0, lint_source(source, filename, settings),
                              error=f"a fix would have produced code that does not parse ({exc.__class__.__name__}); "
                                    "the file was left unchanged - please report this as a bug")
        current = candidate
        applied += len(edits)
    return FixOutcome(current, applied, lint(current, filename, settings, parsed=parsed).diagnostics)
