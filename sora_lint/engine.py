"""One engine for every front end: check a source text, or fix it until it is stable."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .catalog import AUTO, Profile, get_profile, profile_for_base_url
from .prefilter import might_contain_sora_call
from .settings import Settings
from .types import Diagnostic, Edit, Fix, Location

PARSE_ERROR = "SOR000"
MAX_FIX_ROUNDS = 10

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"^[ \t]*#[ \t]*sora-lint:[ \t]*noqa[ \t]*$", re.MULTILINE | re.IGNORECASE)


@dataclass
class FixOutcome:
    source: str
    applied: int
    remaining: List[Diagnostic]
    error: Optional[str] = None  # a fix that would break the file: the file is left as it was


def select_context(facts: "object", settings: Settings):  # -> rule.Context
    """The profile for one file, and the reason shown in every message."""
    from .finder import UNKNOWN, ModuleFacts
    from .rule import Context

    assert isinstance(facts, ModuleFacts)
    profiles = settings.profiles
    if settings.profile != AUTO:
        return Context(profiles[settings.profile], settings.profile_origin)
    fallback = profiles[settings.fallback_profile]
    for client in facts.clients:
        if client.class_name.endswith("AzureOpenAI"):
            return Context(profiles["openai"], "auto: Azure OpenAI client")
        if client.base_url is None:
            return Context(profiles["openai"], "auto: client has no base_url")
        if client.base_url is UNKNOWN:
            return Context(fallback, f"auto: {client.steered_by} is not a literal, using fallback-profile")
        url = str(client.base_url)
        ordered = list(settings.user_profiles.values()) + [p for n, p in profiles.items() if n not in settings.user_profiles]
        chosen = profile_for_base_url(url, ordered)
        host = _host(url)
        if chosen is not None:
            return Context(chosen, f"auto: {client.steered_by} {host}")
        return Context(fallback, f"auto: {client.steered_by} host {host} is unknown, using fallback-profile")
    return Context(profiles["openai"], "auto: no client is built in this file")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url if "//" in url else "//" + url).hostname or url


def _parse(source: str):
    import libcst as cst

    return cst.parse_module(source)


def _syntax_error(exc: Exception, source: str, filename: str) -> Diagnostic:
    """SOR000 for a file LibCST cannot parse, in CPython's words where CPython agrees.

    CPython's messages ("'(' was never closed") are the ones users know; LibCST's
    list every token it expected. Where CPython accepts the file, LibCST lacks
    support for some syntax, and the message says so.
    """
    import ast

    try:
        ast.parse(source, filename=filename)
    except SyntaxError as py_exc:
        loc = Location(py_exc.lineno or 1, py_exc.offset or 1)
        text = f"SyntaxError: {py_exc.msg}"
    except (RecursionError, MemoryError, ValueError) as py_exc:
        loc = Location(1, 1)
        text = f"{py_exc.__class__.__name__}: {py_exc}"
    else:
        loc = Location(getattr(exc, "raw_line", 1) or 1, (getattr(exc, "raw_column", 0) or 0) + 1)
        detail = str(getattr(exc, "message", exc)).splitlines()[0][:120]
        text = f"LibCST does not support this syntax ({detail})"
    return Diagnostic(PARSE_ERROR, f"could not parse this file, so it was not checked: {text}", filename, loc, loc)


def _lint_module(module, source: str, filename: str, settings: Settings) -> List[Diagnostic]:
    from .finder import LineIndex, find, locate
    from .rule import Finding
    from .rules import ALL_RULES

    facts = find(module)
    calls = [c for c in facts.calls if c.has_evidence]
    if not calls:
        return []
    ctx = select_context(facts, settings)
    rules = [r() for r in ALL_RULES if settings.enabled(r.code)]
    findings: List[Finding] = [f for call in calls for rule in rules for f in rule.check(call, ctx)]
    if not findings:
        return []
    targets = [f.anchor for f in findings] + [r.target for f in findings for p in f.fixes for r in p.replacements]
    spans = locate(module, targets)
    index = LineIndex(source)
    out = []
    for f in findings:
        start, end = spans[id(f.anchor)]
        fixes = tuple(
            Fix(p.applicability, p.message, tuple(
                _edit(module.code_for_node(r.new), spans[id(r.target)], index) for r in p.replacements))
            for p in f.fixes
        )
        out.append(Diagnostic(f.code, f.message, filename, Location(*index.position(start)),
                              Location(*index.position(end)), fixes))
    return out


def _edit(content: str, span: Tuple[int, int], index) -> Edit:
    return Edit(content, span[0], span[1], Location(*index.position(span[0])), Location(*index.position(span[1])))


def check_source(source: str, filename: str = "<string>", settings: Optional[Settings] = None,
                 *, apply_noqa: bool = True) -> List[Diagnostic]:
    """Every diagnostic for one file's text (a str without its BOM)."""
    settings = settings or Settings()
    if not might_contain_sora_call(source) or _FILE_NOQA.search(source):
        return []
    try:
        module = _parse(source)
    except Exception as exc:  # libcst.ParserSyntaxError, or RecursionError on absurd nesting
        return [_syntax_error(exc, source, filename)] if settings.enabled(PARSE_ERROR) else []
    diagnostics = _lint_module(module, source, filename, settings)
    if apply_noqa and diagnostics:
        diagnostics = [d for d in diagnostics if not _is_noqa(d, source)]
    return sorted(diagnostics, key=lambda d: d.sort_key)


def _is_noqa(diagnostic: Diagnostic, source: str) -> bool:
    lines = source.splitlines()
    row = diagnostic.location.row
    if row > len(lines):
        return False
    match = _NOQA.search(lines[row - 1])
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(diagnostic.code.startswith(c.upper()) for c in re.split(r"[,\s]+", codes) if c)


def pick_edits(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool) -> List[Edit]:
    """Non-overlapping edits to apply this round, in source order (an overlapping one waits a round)."""
    chosen: List[Edit] = []
    seen = set()
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
    parts: List[str] = []
    cursor = 0
    for e in sorted(edits, key=lambda e: e.start):
        parts.append(source[cursor:e.start])
        parts.append(e.content)
        cursor = e.end
    parts.append(source[cursor:])
    return "".join(parts)


def fix_source(source: str, filename: str = "<string>", settings: Optional[Settings] = None,
               *, unsafe_fixes: bool = False) -> FixOutcome:
    """Apply fixes round after round until nothing changes; never return code that does not parse."""
    settings = settings or Settings()
    current = source
    applied = 0
    for _round in range(MAX_FIX_ROUNDS):
        diagnostics = check_source(current, filename, settings)
        edits = pick_edits(diagnostics, unsafe_fixes)
        if not edits:
            return FixOutcome(current, applied, diagnostics)
        candidate = apply_edits(current, edits)
        try:
            _parse(candidate)
        except Exception as exc:  # a fix that breaks the file is a bug: keep what we had
            return FixOutcome(source, 0, check_source(source, filename, settings),
                              error=f"a fix would have produced code that does not parse ({exc.__class__.__name__}); "
                                    "the file was left unchanged - please report this as a bug")
        current = candidate
        applied += len(edits)
    return FixOutcome(current, applied, check_source(current, filename, settings))
