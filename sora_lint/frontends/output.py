"""How diagnostics are printed: one function per ``--output-format``, and ``--statistics``.

Every format takes the sorted diagnostics and an :class:`OutputOptions`. A
:class:`Diagnostic` carries no source text: the ``text`` format asks
:class:`SourceLines` (``run/sources.py``) for the reported rows, and the ``github`` and
``sarif`` formats ask it where a notebook cell's position is in the notebook's file.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from ..core.types import Diagnostic, Edit, Fix, Location
from ..engine.tally import Tally, tally_of
from ..run.sources import SourceLines
from .docs import REPO_URL, docs_by_code, rule_docs, rule_url, tool_version

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_SRCROOT = "%SRCROOT%"


@dataclass
class OutputOptions:
    unsafe_fixes: bool = False
    color: bool = False
    cwd: str = field(default_factory=os.getcwd)
    sources: SourceLines = field(default_factory=SourceLines)
    tally: Tally | None = None  # the run's counts (SARIF's run properties); None: counted from the diagnostics


def use_color(stream: TextIO, mode: str = "auto") -> bool:
    """``--color``: always, never, or auto: on a terminal, unless NO_COLOR is set (https://no-color.org);
    FORCE_COLOR turns it on in auto mode even in a pipe (https://force-color.org)."""
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# --- shared pieces ----------------------------------------------------------------

def relative_path(path: str, cwd: str) -> str | None:
    """``path`` relative to ``cwd`` with forward slashes; ``None`` when it lies outside."""
    try:
        rel = os.path.relpath(os.path.abspath(path), cwd)
    except ValueError:  # another drive on Windows
        return None
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    return rel.replace(os.sep, "/")


def _shown_path(path: str, cwd: str) -> str:
    return relative_path(path, cwd) or Path(os.path.abspath(path)).as_posix()


def _marker(d: Diagnostic, opts: OutputOptions) -> str:
    return "[*] " if d.fix_for(opts.unsafe_fixes) else ""


def _loc(loc: Location) -> dict[str, int]:
    return {"row": loc.row, "column": loc.column}


# --- json and json-lines (ruff's keys) ------------------------------------------------

def fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [_edit_json(e) for e in fix.edits],
    }


def _edit_json(e: Edit) -> dict[str, Any]:
    row: dict[str, Any] = {"content": e.content, "location": _loc(e.location), "end_location": _loc(e.end_location)}
    if e.cell is not None:  # in a notebook: an edit may be in another cell than its diagnostic (a constant's)
        row["cell"] = e.cell
    return row


def _json_row(d: Diagnostic, opts: OutputOptions) -> dict[str, Any]:
    return {
        "cell": d.cell,
        "code": d.code,
        "end_location": _loc(d.end_location),
        "filename": os.path.abspath(d.filename),
        "fix": fix_json(d.fix_for(opts.unsafe_fixes)),
        "location": _loc(d.location),
        "message": d.message,
        "noqa_row": d.location.row,
        "url": rule_url(d.code),
        # The calls that send a value reported away from them; present only then.
        **({"related_locations": [_loc(loc) for loc in d.related]} if d.related else {}),
    }


def as_json(diagnostics: Sequence[Diagnostic], opts: OutputOptions) -> str:
    """ruff's JSON: a list of objects with its keys, so tools that read ruff's output read ours."""
    return json.dumps([_json_row(d, opts) for d in diagnostics], indent=2)


def as_json_lines(diagnostics: Sequence[Diagnostic], opts: OutputOptions) -> str:
    """The same objects as ``json``, one per line."""
    return "\n".join(json.dumps(_json_row(d, opts)) for d in diagnostics)


# --- concise and text -----------------------------------------------------------------

_STYLES = {"path": "1", "code": "1;31", "fix": "36", "gutter": "34", "caret": "1;31"}


def _paint(text: str, style: str, opts: OutputOptions) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if opts.color else text


def _headline(d: Diagnostic, opts: OutputOptions) -> str:
    cell = f"cell {d.cell}:" if d.cell is not None else ""
    where = _paint(f"{d.filename}:{cell}{d.location.row}:{d.location.column}:", "path", opts)
    marker = _marker(d, opts)
    return (f"{where} {_paint(d.code, 'code', opts)} {_paint(marker, 'fix', opts) if marker else ''}{d.message}"
            f"{d.sent_by}")


def as_concise(diagnostics: Sequence[Diagnostic], opts: OutputOptions) -> str:
    """One line per finding: ``path:row:col: CODE [*] message``."""
    return "\n".join(_headline(d, opts) for d in diagnostics)


def _width(text: str) -> int:
    """Terminal columns of ``text``: wide East Asian characters take two, combining marks none."""
    if text.isascii():  # nearly every line of code: one column a character, counted at C speed
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_NOT_TAB = re.compile(r"[^\t]")

# A longer source line (minified code, a data blob) is shown as a window around the column.
SNIPPET_WIDTH = 120
SNIPPET_BEFORE = 40  # characters kept before the column when the line is cut
ELLIPSIS = "..."


def _window(line: str, start: int, end: int) -> tuple[str, int, int]:
    """``line`` cut to about :data:`SNIPPET_WIDTH` characters around ``start``, and the columns moved with it."""
    if len(line) <= SNIPPET_WIDTH:
        return line, start, end
    left = max(0, min(start - SNIPPET_BEFORE, len(line) - SNIPPET_WIDTH))
    right = min(len(line), left + SNIPPET_WIDTH)
    head = ELLIPSIS if left else ""
    tail = ELLIPSIS if right < len(line) else ""
    shift = len(head) - left
    return head + line[left:right] + tail, start + shift, min(end, right) + shift


def _snippet(d: Diagnostic, opts: OutputOptions) -> list[str]:
    """The reported source line and a caret line under the value (its first line when it spans more)."""
    line = opts.sources.line(d.filename, d.location.row, d.cell)
    if line is None:
        return []
    start = min(d.location.column - 1, len(line))
    end = d.end_location.column - 1 if d.end_location.row == d.location.row else len(line)
    end = max(min(end, len(line)), start)
    line, start, end = _window(line, start, end)
    # Tabs stay tabs so the carets line up however the terminal expands them.
    before = line[:start]
    pad = (_NOT_TAB.sub(" ", before) if before.isascii()
           else "".join("\t" if c == "\t" else " " * _width(c) for c in before))
    carets = "^" * max(_width(line[start:end]), 1)
    number = str(d.location.row)
    gutter = " " * len(number)
    return [
        f"{_paint(number + ' |', 'gutter', opts)} {line}".rstrip(),
        f"{_paint(gutter + ' |', 'gutter', opts)} {pad}{_paint(carets, 'caret', opts)}",
    ]


def as_text(diagnostics: Sequence[Diagnostic], opts: OutputOptions) -> str:
    """Each finding, then its source line with carets under the value; a blank line between findings."""
    blocks = ["\n".join([_headline(d, opts), *_snippet(d, opts)]) for d in diagnostics]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


# --- github -----------------------------------------------------------------------------

def _gh_data(text: str) -> str:
    """A workflow command's message: %, CR and LF are escaped (actions/toolkit's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A workflow command's property value: escapeData, plus the delimiters ``:`` and ``,``."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: Sequence[Diagnostic], opts: OutputOptions) -> str:
    """GitHub Actions workflow commands: one ``::error`` annotation per finding."""
    lines = []
    for d in diagnostics:
        # In a notebook the annotation sits on the line of the file's JSON, and its message names the cell.
        start, end = opts.sources.file_location(d, d.location), opts.sources.file_location(d, d.end_location)
        props = (
            ("file", _shown_path(d.filename, opts.cwd)),
            ("line", str(start.row)),
            ("col", str(start.column)),
            ("endLine", str(end.row)),
            ("endColumn", str(end.column)),
            ("title", d.code),
        )
        message = d.message if d.cell is None else f"cell {d.cell}:{d.location.row}:{d.location.column}: {d.message}"
        lines.append(f"::error {','.join(f'{k}={_gh_property(v)}' for k, v in props)}::"
                     f"{_gh_data(message + d.sent_by)}")
    return "\n".join(lines)


# --- sarif --------------------------------------------------------------------------------

def _artifact(path: str, cwd: str) -> dict[str, str]:
    rel = relative_path(path, cwd)
    if rel is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": rel, "uriBaseId": SARIF_SRCROOT}


def _region(start: Location, end: Location) -> dict[str, int]:
    # SARIF's endColumn is the column after the region, like Diagnostic.end_location.
    return {"startLine": start.row, "startColumn": start.column, "endLine": end.row, "endColumn": end.column}


def _point(loc: Location) -> dict[str, int]:
    return {"startLine": loc.row, "startColumn": loc.column}


def _sarif_fix(fix: Fix, artifact: dict[str, str]) -> dict[str, Any]:
    def replacement(e: Edit) -> dict[str, Any]:
        return {"deletedRegion": _region(e.location, e.end_location), "insertedContent": {"text": e.content}}

    return {
        "description": {"text": f"{fix.message} ({fix.applicability} fix)"},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": [replacement(e) for e in fix.edits]}],
    }


def _sarif_rules() -> list[dict[str, Any]]:
    return [{
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": f"{doc.what} {doc.why}"},
        "help": {"text": doc.markdown(), "markdown": doc.markdown()},
        "helpUri": rule_url(doc.code),
        "defaultConfiguration": {"level": "error"},
        "properties": {"fixSafety": doc.fix_safety},
    } for doc in rule_docs()]


def as_sarif(diagnostics: Sequence[Diagnostic], opts: OutputOptions) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
    rules = _sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for d in diagnostics:
        artifact = _artifact(d.filename, opts.cwd)
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": "error",
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": _region(
                opts.sources.file_location(d, d.location), opts.sources.file_location(d, d.end_location))}}],
        }
        if d.related:
            result["relatedLocations"] = [
                {"id": i, "message": {"text": "the call that sends this value"},
                 "physicalLocation": {"artifactLocation": artifact,
                                      "region": _point(opts.sources.file_location(d, loc))}}
                for i, loc in enumerate(d.related)]
        if d.cell is not None:  # the region is in the notebook's JSON; where it is in the cell, as the CLI says it
            result["properties"] = {"cell": d.cell, "cellLocation": _loc(d.location),
                                    "cellEndLocation": _loc(d.end_location)}
        fix = d.fix_for(opts.unsafe_fixes)
        # A notebook's fix is not offered as SARIF's replacement of file text: its edits are in the cells' code,
        # not in the JSON escapes of the file (`sora-lint fix` writes them).
        if fix is not None and d.cell is None:
            result["fixes"] = [_sarif_fix(fix, artifact)]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "sora-lint", "informationUri": REPO_URL, "version": tool_version(),
                                "rules": rules}},
            # Diagnostic columns count characters (code points), not SARIF's default UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {SARIF_SRCROOT: {"uri": Path(opts.cwd).as_uri().rstrip("/") + "/"}},
            "results": results,
            # The run's counts per code, from the same tally as the text summary.
            "properties": {"counts": (opts.tally or tally_of(diagnostics)).as_json()},
        }],
    }
    return json.dumps(log, indent=2)


FORMATS: dict[str, Callable[[Sequence[Diagnostic], OutputOptions], str]] = {
    "text": as_text,
    "concise": as_concise,
    "json": as_json,
    "json-lines": as_json_lines,
    "github": as_github,
    "sarif": as_sarif,
}
# Formats a person reads: the run's summary line follows them.
HUMAN_FORMATS = ("text", "concise")


# --- --statistics and the summary ----------------------------------------------------------

def statistics(tally: Tally, opts: OutputOptions, fmt: str = "text") -> str:
    """Counts per code of what remains, most frequent first: a table, or JSON for the json formats."""
    names = {code: doc.name for code, doc in docs_by_code().items()}
    rows = [{"code": code, "name": names.get(code, ""), "count": c.remaining,
             "fixable": bool(c.fixable(opts.unsafe_fixes))} for code, c in tally.by_count()]
    if fmt == "json":
        return json.dumps(rows, indent=2)
    if fmt == "json-lines":
        return "\n".join(json.dumps(r) for r in rows)
    if not rows:
        return ""
    width = len(str(rows[0]["count"]))
    return "\n".join(f"{r['count']:>{width}}  {r['code']}  {'[*]' if r['fixable'] else '   '} {r['name']}"
                     for r in rows)


def _errors(n: int) -> str:
    return f"{n} error{'s' if n != 1 else ''}"


def summary(tally: Tally, unsafe_fixes: bool) -> str:
    """The line after ``check``: how many were found, how many a fix would fix, the calls grouped findings
    stand for (SOR006 said once per client)."""
    found = tally.total("remaining")
    if not found:
        return "All checks passed!"
    lines = [f"Found {_errors(found)}."]
    fixable = tally.fixable(unsafe_fixes)
    hidden = 0 if unsafe_fixes else tally.total("unsafe")
    if fixable:
        lines.append(f"[*] {fixable} fixable with `sora-lint fix`.")
    if hidden:
        lines.append(f"{hidden} more fixable with `sora-lint fix --unsafe-fixes`.")
    return "\n".join(lines + tally.group_lines())


def fix_summary(tally: Tally, dry_run: bool) -> str:
    """ruff's line after ``check --fix``: found, fixed and remaining, which add up."""
    fixed, remaining = tally.total("fixed"), tally.total("remaining")
    if not fixed and not remaining:
        return "All checks passed!"
    verb = "fixable" if dry_run else "fixed"
    return "\n".join([f"Found {_errors(fixed + remaining)} ({fixed} {verb}, {remaining} remaining).",
                      *tally.group_lines()])
