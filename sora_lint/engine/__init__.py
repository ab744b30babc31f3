"""One engine for every front end: parse a file, lint it, apply noqa, fix it until it is stable.

``parse`` (CPython's parser, then LibCST's), ``lint`` (the rules on the Sora calls, findings placed
on the source), ``noqa`` (suppressions), ``fix`` (the fix loop) and ``edits`` (the bytes a fix writes).
"""
from .fix import FixOutcome, apply_edits, apply_fixes, pick_edits
from .lint import Checked, Misplaced, check, lifecycle_today, lint_source, misplaced_note, select_context
from .parse import Parsed, Unparsable, parse_checked

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
