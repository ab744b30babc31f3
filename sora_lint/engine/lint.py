"""Linting one parsed file: find the Sora calls, choose the profile, run the rules, place their findings."""
from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..analysis.prefilter import might_contain_sora_call
from ..contracts.lifecycle import TODAY_VARIABLE, today
from ..contracts.selection import choose
from ..contracts.settings import ConfigError, Settings
from ..core.types import NEWLINE, PARSE_ERROR, Diagnostic, Fix, Location
from .noqa import exempts_file, is_suppressed
from .parse import Parsed, Unparsable, parse_checked

if TYPE_CHECKING:
    from ..analysis.facts import ClientInfo, ModuleFacts
    from ..rules.base import Context
    from .positions import Spans


def select_context(facts: ModuleFacts, settings: Settings) -> Context:
    """The profile for one file and the reason shown in every message, the server it talks to, and today."""
    return context_for(facts.clients, settings, lifecycle_today())


def context_for(clients: Sequence[ClientInfo], settings: Settings, today: datetime.date | None) -> Context:
    """The context of calls that talk to the first of ``clients`` (a file's, or one call's own client)."""
    from ..rules.base import Context  # imports LibCST: only once a file holds a Sora call

    choice = choose(clients, settings)
    return Context(choice.profile, choice.reason, server=choice.server,
                   server_inferred=choice.server_inferred, today=today)


def lifecycle_today() -> datetime.date:
    """The date SOR006 compares the lifecycle dates with (``SORA_LINT_TODAY`` overrides the local date)."""
    try:
        return today(os.environ.get(TODAY_VARIABLE), datetime.date.today())
    except ValueError as exc:
        raise ConfigError(f"environment: {exc}") from None


def _unparsable(exc: Unparsable, filename: str) -> Diagnostic:
    return Diagnostic(PARSE_ERROR, f"could not parse this file, so it was not checked: {exc}", filename,
                      exc.location, exc.location)


class ModuleFindings(NamedTuple):
    diagnostics: list[Diagnostic]
    misplaced: Misplaced


def lint_module(module: Any, source: str, filename: str, settings: Settings,
                 dependencies: list[str] | None = None, tree: Any = None) -> ModuleFindings:
    # Imported on first use: they import LibCST, which a file without a Sora call never needs.
    from ..analysis.find import find
    from ..rules import ALL_RULES
    from ..rules.base import Finding
    from .edits import EditBuilder, nodes_to_locate
    from .positions import LineIndex, locate

    facts = find(module, filename)
    if dependencies is not None:
        dependencies.extend(facts.dependencies)
    calls = [c for c in facts.calls if c.has_evidence]
    if not calls:
        return ModuleFindings([], Misplaced())
    file_ctx = select_context(facts, settings)
    # A call whose own client is known follows that client's server; the others follow the file's choice.
    own_ctx: dict[int, Context] = {}
    rules = [r() for r in ALL_RULES if settings.enabled(r.code)]
    findings: list[Finding] = []
    senders: dict[int, dict[int, Any]] = {}  # id(anchor) -> the calls whose findings are reported there
    for call in calls:
        ctx = file_ctx
        if call.client is not None:
            ctx = own_ctx.get(id(call.client)) or own_ctx.setdefault(
                id(call.client), context_for([call.client], settings, file_ctx.today))
        found = [f for rule in rules for f in rule.check(call, ctx)]
        findings.extend(found)
        for f in found:
            senders.setdefault(id(f.anchor), {})[id(call.node)] = call.node
    # A call read in several variants (the branches of a conditional, the callers of a function)
    # repeats the findings on what the variants share: each is reported once.
    findings = list({(f.code, id(f.anchor), f.message): f for f in findings}.values())
    if not findings:
        return ModuleFindings([], Misplaced())
    call_nodes = [n for f in findings for n in senders[id(f.anchor)].values()]
    targets = [f.anchor for f in findings] + [n for f in findings for p in f.fixes for c in p.changes
                                              for n in nodes_to_locate(c)] + call_nodes
    spans = locate(module, [*targets, *facts.fstrings], source, tree)
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
        related = tuple(Location(*index.position(spans[id(n)][0])) for n in senders[id(f.anchor)].values()
                        if id(n) in spans and not spans[id(n)][0] <= start < spans[id(n)][1])
        out.append(Diagnostic(f.code, f.message, filename, Location(*index.position(start)),
                              Location(*index.position(end)), tuple(fixes), related))
    return ModuleFindings(out, Misplaced(withheld, unplaced))


def _holds(source: str, spans: Spans, node: Any) -> bool:
    """Whether the source text at the node's span is exactly the node's text: an edit is applied
    only there (a shifted offset would rewrite other bytes, and the result may still parse)."""
    span = spans.get(id(node))
    return span is not None and source[span[0]:span[1]] == spans.text(id(node))


def lint_source(source: str, filename: str = "<string>", settings: Settings | None = None,
                 *, apply_noqa: bool = True) -> list[Diagnostic]:
    """Every diagnostic for one file's text (a str without its BOM)."""
    return lint(source, filename, settings or Settings(), apply_noqa).diagnostics


class Misplaced(NamedTuple):
    """What could not be placed exactly on the source text (each is a bug to report)."""

    fixes: int = 0  # withheld: the source at the span is not the text of the value they replace
    findings: int = 0  # not reported: no position in the source could be trusted

    @property
    def any(self) -> bool:
        return bool(self.fixes or self.findings)


def misplaced_note(misplaced: Misplaced) -> str | None:
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
    diagnostics: list[Diagnostic]
    parsed: Parsed | None  # the parse they came from (reused by the next fix round)
    misplaced: Misplaced = Misplaced()
    dependencies: tuple[str, ...] = ()  # other files the results depend on (ModuleFacts.dependencies)


def check(source: str, filename: str = "<string>", settings: Settings | None = None,
          *, apply_noqa: bool = True) -> Checked:
    """:func:`lint_source`, with what a front end needs besides the diagnostics: the files the
    results depend on (for a cache) and what could not be placed on the source (said on stderr)."""
    dependencies: list[str] = []
    checked = lint(source, filename, settings or Settings(), apply_noqa, dependencies=dependencies)
    return checked._replace(dependencies=tuple(dict.fromkeys(dependencies)))


def lint(source: str, filename: str, settings: Settings, apply_noqa: bool = True,
         parsed: Parsed | None = None,
         dependencies: list[str] | None = None) -> Checked:
    """:func:`check` on a source already parsed (``parsed``), as the fix loop's rounds need."""
    if not might_contain_sora_call(source) or exempts_file(source):
        return Checked([], None)
    try:
        parsed = parsed or parse_checked(source)
        diagnostics, misplaced = lint_module(parsed.module, source, filename, settings, dependencies, parsed.tree)
    except Unparsable as exc:
        return Checked(([_unparsable(exc, filename)] if settings.enabled(PARSE_ERROR) else []), None)
    except RecursionError:  # code generation recurses: a tree deeper than Python's limit
        loc = Location(1, 1)
        return Checked(([Diagnostic(PARSE_ERROR, "could not check this file: it is nested too deeply for sora-lint "
                                    "(Python's recursion limit)", filename, loc, loc)]
                        if settings.enabled(PARSE_ERROR) else []), None)
    if apply_noqa and diagnostics:
        lines = NEWLINE.split(source)
        diagnostics = [d for d in diagnostics if not is_suppressed(d, lines)]
    return Checked(sorted(diagnostics, key=lambda d: d.sort_key), parsed, misplaced)
