"""How diagnostics are printed: one function per --output-format."""
from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Sequence

from .types import Diagnostic, Fix

DOCS_URL = "https://github.com/sora-lint/sora-lint/blob/main/README.md#rules"


def _loc(loc: Any) -> Dict[str, int]:
    return {"row": loc.row, "column": loc.column}


def fix_json(fix: Optional[Fix]) -> Optional[Dict[str, Any]]:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [{"content": e.content, "location": _loc(e.location), "end_location": _loc(e.end_location)}
                  for e in fix.edits],
    }


def as_json(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool) -> str:
    """ruff's JSON: a list of objects with its keys, so tools that read ruff's output read ours."""
    rows: List[Dict[str, Any]] = []
    for d in diagnostics:
        rows.append({
            "cell": None,
            "code": d.code,
            "end_location": _loc(d.end_location),
            "filename": os.path.abspath(d.filename),
            "fix": fix_json(d.fix_for(unsafe_fixes)),
            "location": _loc(d.location),
            "message": d.message,
            "noqa_row": d.location.row,
            "url": DOCS_URL,
        })
    return json.dumps(rows, indent=2)


def as_text(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool) -> str:
    lines = [f"{d.filename}:{d.location.row}:{d.location.column}: {d.code} "
             f"{'[*] ' if d.fix_for(unsafe_fixes) else ''}{d.message}" for d in diagnostics]
    return "\n".join(lines)


def summary(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool) -> str:
    if not diagnostics:
        return "All checks passed!"
    fixable = sum(1 for d in diagnostics if d.fix_for(unsafe_fixes))
    hidden = sum(1 for d in diagnostics if not d.fix_for(unsafe_fixes) and d.fix_for(True))
    noun = "error" if len(diagnostics) == 1 else "errors"
    text = f"Found {len(diagnostics)} {noun}."
    if fixable:
        text += f"\n[*] {fixable} fixable with `sora-lint fix`."
    if hidden:
        text += f"\n{hidden} more fixable with `sora-lint fix --unsafe-fixes`."
    return text


FORMATS = {"text": as_text, "json": as_json}
