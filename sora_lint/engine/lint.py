"""Linting one parsed file: find the Sora calls, choose the profile, run the rules, place their findings."""
from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from ..analysis.prefilter import might_contain_sora_call
from ..contracts.lifecycle import TODAY_VARIABLE, today
from ..contracts.selection import choose
from ..contracts.settings import ConfigError, Settings
from ..core.collector import COLLECTOR_PAUSED
from ..core.types import NEWLINE, PARSE_ERROR, UNSAFE, Diagnostic, Fix, Group, Location
from .noqa import exempts_file, may_suppress, suppresses
from .parse import Parsed, Unparsable, parse_checked

if TYPE_CHECKING:
    from ..analysis.facts import ClientInfo, ModuleFacts, SoraCall
    from ..analysis.project import ProjectReader
    from ..rules.base import Context, Finding
    from .positions import Spans


def select_context(facts: ModuleFacts, settings: Settings) -> Context:
    """The profile for one file and the reason shown in every message, the server it talks to, and today."""
    return context_for(facts.clients, settings, lifecycle_today())


def context_for(clients: Sequence[ClientInfo], settings: Settings, today: datetime.date | None) -> Context:
    """The context of calls that talk to the first of ``clients`` (a file's, or one call's own client)."""
    from ..rules.base import Context  # imports LibCST: only once a file holds a Sora call

    choice = choose(clients, settings)
    return Context(choice.profile, choice.reason, server=choice.server,
                   server_inferred=choice.server_inferred, today=today, assumed=choice.assumed)


def _client_key(client: ClientInfo) -> object:
    """Which client a call goes through, for SOR006's once-per-client: an SDK client is its construction
    (or the module-level client's record); a request, or litellm's provider, has none: its URL is the client."""
    if client.steered_by == "base_url":
        return id(client.node)
    return (client.class_name, repr(client.base_url))


class _Contexts:
    """Each call's context: its own client's when known, else the file's; with the node SOR006 reports
    at, the same for every call through one client (or one request URL)."""

    def __init__(self, facts: ModuleFacts, settings: Settings) -> None:
        self.settings = settings
        self.file = select_context(facts, settings)  # chosen from the file's first client
        if facts.clients:
            self.file = replace(self.file, server_anchor=_func(facts.clients[0].node))
        self.own: dict[int, Context] = {}
        self.anchors: dict[object, Any] = {}

    def of(self, call: SoraCall) -> Context:
        client = call.client
        if client is None:
            if self.file.server_anchor is None:  # no client in the file: the first call through the file's server
                self.file = replace(self.file, server_anchor=_func(call.node))
            return self.file
        ctx = self.own.get(id(client))
        if ctx is None:
            anchor = self.anchors.setdefault(_client_key(client), _func(client.node))
            ctx = replace(context_for([client], self.settings, self.file.today), server_anchor=anchor)
            self.own[id(client)] = ctx
        return ctx


def _func(node: Any) -> Any:
    """Where a finding on a call is shown: its callee (``OpenAI``, ``client.videos.create``), one short span."""
    return getattr(node, "func", node)


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
                 dependencies: list[str] | None = None, lines: Sequence[int] | None = None,
                 files: ProjectReader | None = None, noqa_lines: Sequence[str] | None = None) -> ModuleFindings:
    """The diagnostics of one parsed module. ``lines``: the line of each top-level statement (CPython's
    parse), for positions; ``noqa_lines``: the source's lines when it holds a noqa comment, so that a
    finding silenced there is dropped before its fixes and related locations are built."""
    # Imported on first use: they import LibCST, which a file without a Sora call never needs.
    from ..analysis.find import find

    facts = find(module, filename, files)
    if dependencies is not None:
        dependencies.extend(facts.dependencies)
    try:
        return _placed(facts, module, source, filename, settings, lines, noqa_lines)
    finally:
        facts.release()


def _placed(facts: ModuleFacts, module: Any, source: str, filename: str, settings: Settings,
            lines: Sequence[int] | None, noqa_lines: Sequence[str] | None) -> ModuleFindings:
    """The findings of the rules on the calls of ``facts``, placed on the source."""
    from ..rules import ALL_RULES
    from .edits import EditBuilder, nodes_to_locate
    from .positions import LineIndex, locate

    calls = [c for c in facts.calls if c.has_evidence]
    if not calls:
        return ModuleFindings([], Misplaced())
    rules = [r() for r in ALL_RULES if settings.enabled(r.code)]
    found = _Found(calls, _Contexts(facts, settings), rules)
    if not found.findings:
        return ModuleFindings([], Misplaced())
    # Only what is shown or written is located: the calls that send a value from elsewhere (related
    # locations), and the f-strings around a value a fix rewrites (they decide its quotes).
    elsewhere = {id(f.anchor): _sent_elsewhere(f.anchor, found.senders.get(id(f.anchor), {}).values())
                 for f in found.findings}
    fix_nodes = [n for f in found.findings for p in f.fixes for c in p.changes for n in nodes_to_locate(c)]
    fstrings = _enclosing(facts.fstrings, fix_nodes)
    targets = [f.anchor for f in found.findings] + fix_nodes + [n for calls in elsewhere.values() for n in calls]
    index = LineIndex(source)
    spans = locate(module, [*targets, *fstrings], source, lines, index.starts)
    builder = EditBuilder(source, spans, fstrings, index, module.default_indent)
    out = []
    withheld = unplaced = 0
    for f in found.findings:
        if id(f.anchor) not in spans:
            # No position in the source can be trusted for it (a LibCST round-trip gap of an unknown
            # kind, none is known): it is not reported at a wrong place, and the run says so.
            unplaced += 1
            continue
        start, end = spans[id(f.anchor)]
        begin = Location(*index.position(start))
        if noqa_lines is not None and suppresses(noqa_lines, begin.row, f.code):
            continue
        fixes = []
        for p in f.fixes:
            located = [n for c in p.changes for n in nodes_to_locate(c)]
            if not all(_holds(source, spans, n) for n in located):
                withheld += 1
                continue
            edits = builder.build(p.changes)
            if edits is not None:  # None: it cannot be written safely (no quote fits): no fix rather than a broken one
                fixes.append(Fix(p.applicability, p.message, edits))
        group = Group(f.group, found.counts[id(f)]) if f.group is not None else None
        related = tuple(Location(*index.position(spans[id(n)][0])) for n in elsewhere[id(f.anchor)]
                        if id(n) in spans and not spans[id(n)][0] <= start < spans[id(n)][1])
        out.append(Diagnostic(f.code, f.message, filename, begin, Location(*index.position(end)), tuple(fixes),
                              group, related))
    return ModuleFindings(out, Misplaced(withheld, unplaced))


class _Found:
    """Every rule's findings on every call, one per value, code and contract.

    A call read in several variants (the branches of a conditional, the callers of a function), and
    calls that read one value through different names, repeat the findings on what they share: each
    value is reported once per code and contract (see _merge). A grouped finding (SOR006, once per
    client) counts the distinct calls it stands for.
    """

    def __init__(self, calls: Sequence[SoraCall], contexts: _Contexts, rules: Sequence[Any]) -> None:
        unique: dict[tuple[str, int, str], Finding] = {}
        grouped: dict[tuple[str, int, str], set[int]] = {}
        # id(anchor) -> the calls that send a value reported there (a grouped finding counts them instead)
        self.senders: dict[int, dict[int, Any]] = {}
        for call in calls:
            ctx = contexts.of(call)
            for rule in rules:
                for f in rule.check(call, ctx):
                    if ctx.assumed:  # a guessed contract: no fix under it is right whatever the server is
                        f.fixes = [replace(p, applicability=UNSAFE) for p in f.fixes]
                    # A grouped finding says one thing of many calls (each model's shutdown): its message is its own.
                    key = (f.code, id(f.anchor), ctx.tag if f.group is None else f.message)
                    unique[key] = _merge(unique.get(key), f)
                    if f.group is not None:
                        grouped.setdefault(key, set()).add(id(call.node))
                    else:
                        self.senders.setdefault(id(f.anchor), {})[id(call.node)] = call.node
        self.findings = list(unique.values())
        self.counts = {id(unique[key]): len(nodes) for key, nodes in grouped.items()}


def _sent_elsewhere(anchor: Any, calls: Iterable[Any]) -> list[Any]:
    """The calls that send ``anchor`` from somewhere else (a name, a default): each is a related location.
    A call with the value as one of its own arguments holds it, and is never one: it is not even located."""
    return [c for c in calls
            if not any(a is anchor or a.value is anchor or a.keyword is anchor for a in getattr(c, "args", ()))]


def _enclosing(fstrings: Sequence[Any], nodes: Sequence[Any]) -> list[Any]:
    """The f-strings that hold one of ``nodes`` (found by a walk, before any position is known)."""
    from .positions import within

    if not fstrings or not nodes:
        return []
    wanted = {id(n) for n in nodes}
    return [f for f in fstrings if within(f, wanted)]


def _merge(kept: Finding | None, other: Finding) -> Finding:
    """One finding for a value that several variants or calls report: only the fixes right for all of them
    (a fix one call proposes, such as its own model switch, may change another's valid request), and the
    message of the one with fewer fixes, whose advice offers no fix that was dropped."""
    if kept is None:
        return other
    common = [p for p in kept.fixes if p in other.fixes]
    base = other if len(other.fixes) < len(kept.fixes) else kept
    return replace(base, fixes=common) if common != base.fixes else base


def _holds(source: str, spans: Spans, node: Any) -> bool:
    """Whether the source text at the node's span is exactly the node's text: an edit is applied
    only there (a shifted offset would rewrite other bytes, and the result may still parse)."""
    span = spans.get(id(node))
    return span is not None and source[span[0]:span[1]] == spans.text(id(node))


def lint_source(source: str, filename: str = "<string>", settings: Settings | None = None,
                *, apply_noqa: bool = True, files: ProjectReader | None = None) -> list[Diagnostic]:
    """Every diagnostic for one file's text (a str without its BOM). ``files`` reads the other modules
    of its project (the run layer's reader); without it, constants imported from them are unknown."""
    return lint(source, filename, settings or Settings(), apply_noqa, files=files).diagnostics


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
          *, apply_noqa: bool = True, files: ProjectReader | None = None) -> Checked:
    """:func:`lint_source`, with what a front end needs besides the diagnostics: the files the
    results depend on (for a cache) and what could not be placed on the source (said on stderr)."""
    dependencies: list[str] = []
    checked = lint(source, filename, settings or Settings(), apply_noqa, dependencies=dependencies, files=files)
    return checked._replace(dependencies=tuple(dict.fromkeys(dependencies)))


def lint(source: str, filename: str, settings: Settings, apply_noqa: bool = True,
         parsed: Parsed | None = None,
         dependencies: list[str] | None = None, files: ProjectReader | None = None) -> Checked:
    """:func:`check` on a source already parsed (``parsed``), as the fix loop's rounds need."""
    if not might_contain_sora_call(source) or exempts_file(source):
        return Checked([], None)
    noqa_lines = NEWLINE.split(source) if apply_noqa and may_suppress(source) else None
    try:
        with COLLECTOR_PAUSED:
            parsed = parsed or parse_checked(source)
            diagnostics, misplaced = lint_module(parsed.module, source, filename, settings, dependencies,
                                                 parsed.lines, files, noqa_lines)
    except Unparsable as exc:
        return Checked(([_unparsable(exc, filename)] if settings.enabled(PARSE_ERROR) else []), None)
    except RecursionError:  # code generation recurses: a tree deeper than Python's limit
        loc = Location(1, 1)
        return Checked(([Diagnostic(PARSE_ERROR, "could not check this file: it is nested too deeply for sora-lint "
                                    "(Python's recursion limit)", filename, loc, loc)]
                        if settings.enabled(PARSE_ERROR) else []), None)
    return Checked(sorted(diagnostics, key=lambda d: d.sort_key), parsed, misplaced)
