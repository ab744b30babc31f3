"""One engine for every front end: parse a file, lint it, apply noqa, fix it until it is stable.

``parse`` (CPython's parser, then LibCST's), ``lint`` (the rules on the Sora calls, findings placed
on the source), ``noqa`` (suppressions), ``fix`` (the fix loop) and ``edits`` (the bytes a fix writes).

The names are loaded on first use: a run whose files hold no Sora call imports ``engine.tally`` (its
summary) and nothing of the linting, whose modules import the catalog and the lifecycle.
"""
from __future__ import annotations

TYPE_CHECKING = False  # not typing's: see sora_lint/__init__.py
if TYPE_CHECKING:
    from .fix import FixOutcome, apply_edits, apply_fixes, pick_edits
    from .lint import Checked, Misplaced, check, lifecycle_today, lint_source, misplaced_note, select_context
    from .parse import Parsed, Unparsable, parse_checked

_MODULE_OF = {
    "FixOutcome": "fix", "apply_edits": "fix", "apply_fixes": "fix", "pick_edits": "fix",
    "Checked": "lint", "Misplaced": "lint", "check": "lint", "lifecycle_today": "lint", "lint_source": "lint",
    "misplaced_note": "lint", "select_context": "lint",
    "Parsed": "parse", "Unparsable": "parse", "parse_checked": "parse",
}

__all__ = [
    "Checked",
    "FixOutcome",
    "Misplaced",
    "Parsed",
    "Unparsable",
    "apply_edits",
    "check",
    "lint_source",
    "apply_fixes",
    "lifecycle_today",
    "misplaced_note",
    "parse_checked",
    "pick_edits",
    "select_context",
]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
