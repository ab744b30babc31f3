"""One engine for every front end: check a source text, or fix it until it is stable."""
from __future__ import annotations

import datetime
import os
import re
import threading
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .lifecycle import TODAY_VARIABLE, today
from .prefilter import might_contain_sora_call
from .settings import Settings
from .types import NEWLINE, PARSE_ERROR, Diagnostic, Edit, Fix, Location

_STACK_LOCK = threading.Lock()
MAX_FIX_ROUNDS = 10

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"(?:\A|(?<=[\r\n]))[ \t]*#[ \t]*sora-lint:[ \t]*noqa[ \t]*(?=[\r\n]|\Z)", re.IGNORECASE)


@dataclass
class FixOutcome:
    source: str
    applied: int
    remaining: List[Diagnostic]
    error: Optional[str] = None  # a fix that would break the file: the file is left as it was


def select_context(facts: "object", settings: Settings):  # -> rule.Context
    """The profile for one file and the reason shown in every message, the server it talks to, and today."""
    from .analysis.facts import ModuleFacts
    from .rule import Context
    from .selection import choose

    assert isinstance(facts, ModuleFacts)
    return context_for(facts.clients, settings, lifecycle_today())


def context_for(clients: Sequence[Any], settings: Settings, today: Optional[datetime.date]):  # -> rule.Context
    """The context of calls that talk to the first of ``clients`` (a file's, or one call's own client)."""
    from .rule import Context
    from .selection import choose

    choice = choose(clients, settings)
    return Context(choice.profile, choice.reason, server=choice.server,
                   server_inferred=choice.server_inferred, today=today)


def lifecycle_today() -> datetime.date:
    """The date SOR006 compares the lifecycle dates with (``SORA_LINT_TODAY`` overrides the local date)."""
    from .config import ConfigError

    try:
        return today(os.environ.get(TODAY_VARIABLE), datetime.date.today())
    except ValueError as exc:
        raise ConfigError(f"environment: {exc}") from None


# LibCST's native parser recurses on the C stack: a long `a and b and ...` chain,
# which CPython accepts, overflows the default 8 MiB stack and kills the process.
# Large sources are parsed on a thread with room for it (only touched pages cost memory).
_BIG_SOURCE = 16_000
_PARSER_STACK = 512 * 1024 * 1024


def _parse(source: str):
    import libcst as cst

    if len(source) < _BIG_SOURCE:
        return cst.parse_module(source)
    outcome: list = []

    def parse() -> None:
        try:
            outcome.append((True, cst.parse_module(source)))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome.append((False, exc))

    with _STACK_LOCK:
        previous = threading.stack_size(_PARSER_STACK)
        try:
            worker = threading.Thread(target=parse, name="sora-lint-parse")
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


class Unparsable(Exception):
    """A file that cannot be checked; ``args[0]`` is the user-facing reason."""

    def __init__(self, reason: str, location: Location) -> None:
        super().__init__(reason)
        self.location = location


class Parsed(NamedTuple):
    module: Any  # libcst.Module
    cpython_accepts: bool  # False where only LibCST parses it (newer syntax than this Python)


def parse_checked(source: str, *, cpython_required: bool = False) -> Parsed:
    """The LibCST module for ``source``, or :class:`Unparsable` saying why not.

    CPython's parser always runs first, even though it costs about an eighth of a
    LibCST parse: on nesting CPython refuses, LibCST's native parser overflows its
    stack and kills the process, and on deep but shorter nesting it needs memory
    and time that grow with the square of the depth (measured: 2,000 nested
    parentheses 460 MB, 4,000 1.7 GB; 12,000 ``not``s 7.9 GB; a 24,000-long
    attribute chain 6 minutes). CPython's limits keep every input far from that,
    and its messages are the ones users know. Where CPython rejects newer syntax
    LibCST supports, LibCST still gets a try, unless ``cpython_required``.
    """
    import ast

    if "\x00" in source:
        # CPython refuses such a file outright (at 1:1), whatever LibCST makes of it: it is never fixed.
        raise Unparsable("SyntaxError: source code string cannot contain null bytes", Location(1, 1))
    cpython_error = None
    try:
        ast.parse(source)
    except SyntaxError as exc:
        cpython_error = Unparsable(f"SyntaxError: {exc.msg}", Location(exc.lineno or 1, exc.offset or 1))
        if cpython_required or "too many" in (exc.msg or ""):
            raise cpython_error from None
    except (RecursionError, MemoryError):
        raise Unparsable("it is nested too deeply for Python's own parser", Location(1, 1)) from None
    except ValueError as exc:  # null bytes
        raise Unparsable(f"ValueError: {exc}", Location(1, 1)) from None
    try:
        return Parsed(_parse(source), cpython_error is None)
    except Exception as exc:  # libcst.ParserSyntaxError
        if cpython_error is not None:
            raise cpython_error from None
        detail = str(getattr(exc, "message", exc)).splitlines()[0][:120]
        # The "error at LINE:COL" inside LibCST's message is where the parser stopped;
        # its raw_line attribute can point past it.
        where = re.search(r"error at (\d+):(\d+)", detail)
        location = (Location(int(where.group(1)), int(where.group(2)) + 1) if where else
                    Location(getattr(exc, "raw_line", 1) or 1, (getattr(exc, "raw_column", 0) or 0) + 1))
        raise Unparsable(f"LibCST does not support this syntax ({detail})", location) from None


def _unparsable(exc: Unparsable, filename: str) -> Diagnostic:
    return Diagnostic(PARSE_ERROR, f"could not parse this file, so it was not checked: {exc}", filename,
                      exc.location, exc.location)


class ModuleFindings(NamedTuple):
    diagnostics: List[Diagnostic]
    misplaced: "Misplaced"


def _lint_module(module, source: str, filename: str, settings: Settings,
                 dependencies: Optional[List[str]] = None) -> ModuleFindings:
    from .analysis.find import find
    from .analysis.positions import LineIndex, locate
    from .edits import EditBuilder, nodes_to_locate
    from .rule import Finding
    from .rules import ALL_RULES

    facts = find(module, filename)
    if dependencies is not None:
        dependencies.extend(facts.dependencies)
    calls = [c for c in facts.calls if c.has_evidence]
    if not calls:
        return ModuleFindings([], Misplaced())
    file_ctx = select_context(facts, settings)
    # A call whose own client is known follows that client's server; the others follow the file's choice.
    own_ctx: Dict[int, Any] = {}
    rules = [r() for r in ALL_RULES if settings.enabled(r.code)]
    findings: List[Finding] = []
    for call in calls:
        ctx = file_ctx
        if call.client is not None:
            ctx = own_ctx.get(id(call.client))
            if ctx is None:
                ctx = own_ctx[id(call.client)] = context_for([call.client], settings, file_ctx.today)
        findings.extend(f for rule in rules for f in rule.check(call, ctx))
    # A call read in several variants (the branches of a conditional, the callers of a function)
    # repeats the findings on what the variants share: each is reported once.
    findings = list({(f.code, id(f.anchor), f.message): f for f in findings}.values())
    if not findings:
        return ModuleFindings([], Misplaced())
    targets = [f.anchor for f in findings] + [n for f in findings for p in f.fixes for c in p.changes
                                              for n in nodes_to_locate(c)]
    spans = locate(module, targets + facts.fstrings, source)
    index = LineIndex(source)
    builder = EditBuilder(source, spans, facts.fstrings, index, module.default_indent)
    out = []
    withheld = unplaced = 0
    for f in findings:
        if id(f.anchor) not in spans:
            # No position in the source can be trusted for it (a LibCST round-trip gap of an unknown
            # kind, none is known): it is not reported at a wrong place, and the run says so.
            unplaced += 1
            continue
        start, end = spans[id(f.anchor)]
        fixes = []
        for p in f.fixes:
            located = [n for c in p.changes for n in nodes_to_locate(c)]
            if not all(_holds(source, spans, n) for n in located):
                withheld += 1
                continue
            edits = builder.build(p.changes)
            if edits is not None:  # None: it cannot be written safely (no quote fits): no fix rather than a broken one
                fixes.append(Fix(p.applicability, p.message, edits))
        out.append(Diagnostic(f.code, f.message, filename, Location(*index.position(start)),
                              Location(*index.position(end)), tuple(fixes)))
    return ModuleFindings(out, Misplaced(withheld, unplaced))


def _holds(source: str, spans, node) -> bool:
    """Whether the source text at the node's span is exactly the node's text: an edit is applied
    only there (a shifted offset would rewrite other bytes, and the result may still parse)."""
    span = spans.get(id(node))
    return span is not None and source[span[0]:span[1]] == spans.text(id(node))


def check_source(source: str, filename: str = "<string>", settings: Optional[Settings] = None,
                 *, apply_noqa: bool = True) -> List[Diagnostic]:
    """Every diagnostic for one file's text (a str without its BOM)."""
    return _check(source, filename, settings or Settings(), apply_noqa).diagnostics


class Misplaced(NamedTuple):
    """What could not be placed exactly on the source text (each is a bug to report)."""

    fixes: int = 0  # withheld: the source at the span is not the text of the value they replace
    findings: int = 0  # not reported: no position in the source could be trusted

    @property
    def any(self) -> bool:
        return bool(self.fixes or self.findings)


def misplaced_note(misplaced: Misplaced) -> Optional[str]:
    """The line a front end prints on stderr when something could not be placed, else None."""
    parts = []
    if misplaced.fixes:
        parts.append(f"{misplaced.fixes} fix{'es were' if misplaced.fixes != 1 else ' was'} withheld: the source text "
                     "at the value is not the text sora-lint parsed there")
    if misplaced.findings:
        plural = misplaced.findings != 1
        parts.append(f"{misplaced.findings} finding{'s' if plural else ''} could not be placed on the source text "
                     f"and {'were' if plural else 'was'} not reported")
    if not parts:
        return None
    return "; ".join(parts) + " (a LibCST round-trip gap); the file was left unchanged - please report this as a bug"


class Checked(NamedTuple):
    diagnostics: List[Diagnostic]
    parsed: Optional[Parsed]  # the parse they came from (reused by the next fix round)
    misplaced: Misplaced = Misplaced()
    dependencies: Tuple[str, ...] = ()  # other files the results depend on (ModuleFacts.dependencies)


def check(source: str, filename: str = "<string>", settings: Optional[Settings] = None,
          *, apply_noqa: bool = True) -> Checked:
    """:func:`check_source`, with what a front end needs besides the diagnostics: the files the
    results depend on (for a cache) and what could not be placed on the source (said on stderr)."""
    dependencies: List[str] = []
    checked = _check(source, filename, settings or Settings(), apply_noqa, dependencies=dependencies)
    return checked._replace(dependencies=tuple(dict.fromkeys(dependencies)))


def _check(source: str, filename: str, settings: Settings, apply_noqa: bool = True,
           parsed: Optional[Parsed] = None,
           dependencies: Optional[List[str]] = None) -> Checked:
    if not might_contain_sora_call(source) or _FILE_NOQA.search(source):
        return Checked([], None)
    try:
        parsed = parsed or parse_checked(source)
        diagnostics, misplaced = _lint_module(parsed.module, source, filename, settings, dependencies)
    except Unparsable as exc:
        return Checked(([_unparsable(exc, filename)] if settings.enabled(PARSE_ERROR) else []), None)
    except RecursionError:  # code generation recurses: a tree deeper than Python's limit
        loc = Location(1, 1)
        return Checked(([Diagnostic(PARSE_ERROR, "could not check this file: it is nested too deeply for sora-lint "
                                    "(Python's recursion limit)", filename, loc, loc)]
                        if settings.enabled(PARSE_ERROR) else []), None)
    if apply_noqa and diagnostics:
        lines = NEWLINE.split(source)
        diagnostics = [d for d in diagnostics if not _is_noqa(d, lines)]
    return Checked(sorted(diagnostics, key=lambda d: d.sort_key), parsed, misplaced)


def _is_noqa(diagnostic: Diagnostic, lines: Sequence[str]) -> bool:
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
    """Apply fixes round after round until nothing changes; never return code that does not parse.

    The parse that validates a round's result is the one the next round checks.
    """
    settings = settings or Settings()
    current = source
    applied = 0
    parsed: Optional[Parsed] = None
    cpython_required: Optional[bool] = None  # the file runs on this Python: its fixed text must too
    for _round in range(MAX_FIX_ROUNDS):
        diagnostics, parsed, misplaced, _dependencies = _check(current, filename, settings, parsed=parsed)
        if misplaced.any:  # a position that cannot be trusted: no byte of the file is changed
            return FixOutcome(source, 0, check_source(source, filename, settings), error=misplaced_note(misplaced))
        edits = pick_edits(diagnostics, unsafe_fixes)
        if not edits or parsed is None:
            return FixOutcome(current, applied, diagnostics)
        if cpython_required is None:
            cpython_required = parsed.cpython_accepts
        candidate = apply_edits(current, edits)
        try:
            parsed = parse_checked(candidate, cpython_required=cpython_required)
        except Unparsable as exc:  # a fix that breaks the file is a bug: keep what we had
            return FixOutcome(source, 0, check_source(source, filename, settings),
                              error=f"a fix would have produced code that does not parse ({exc.__class__.__name__}); "
                                    "the file was left unchanged - please report this as a bug")
        current = candidate
        applied += len(edits)
    return FixOutcome(current, applied, _check(current, filename, settings, parsed=parsed).diagnostics)
