"""Character offsets of reported nodes in the source text, computed only for the nodes that are reported.

This is the only module that touches LibCST's private code generation
(``libcst._nodes.internal.CodegenState``): a position pass that generates code up to the
last reported node costs a fraction of LibCST's ``PositionProvider``. If LibCST changes
that private API, ``tests/test_positions.py`` fails loudly.

LibCST does not reproduce every source byte for byte (``except ValueError   :`` comes back as
``except ValueError:``; docs/libcst-roundtrip.md lists the gaps), so offsets in generated code
are not offsets in the source. The generated prefix is compared with the source (one string
compare, at C speed); only when they differ are offsets mapped across the gaps (engine/gaps.py), which are
whitespace only (scripts/scan_roundtrip.py checks that claim on real code). A node's first and
last characters are mapped through the run of equal text that holds them, never through a gap;
an edit is then allowed only where the source text is exactly the node's generated text
(engine checks). A node that cannot be mapped has no span.

With the CPython tree of the same source (the engine parses it first anyway), code is generated
only for the top-level statements that hold a node to locate: CPython's line numbers say where
each statement starts in the source, and the statement's generated text must be exactly the
source there, or the whole-module pass above is used instead. On a file full of Sora calls this
generates a few small statements instead of everything up to the last reported node.
"""
from __future__ import annotations

import ast
import contextlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, count
from operator import add
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState

from ..analysis.syntax import ONE_TOKEN, node_fields
from ..core.types import NEWLINE
from .gaps import map_spans

Span = tuple[int, int]

class _AllLocated(Exception):
    pass


class _NoSyntacticPosition:
    """The context manager LibCST's code generation enters around many nodes; positions are not
    recorded here, and a plain object costs a fraction of the base class's generator-based one."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_SYNTACTIC_POSITION = _NoSyntacticPosition()


class _OffsetRecorder(CodegenState):
    """Code generation that keeps the text it generates and remembers where the targets start and end.

    It stops as soon as the last target is closed, so only the prefix up to it is generated.
    Marks are token counts (no Python call per token: ``add_token`` is the list's own append);
    :meth:`spans` turns them into character offsets.
    """

    def __init__(self, module: cst.Module, targets: Iterable[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.add_token = self.tokens.append  # type: ignore[method-assign,assignment]
        self.targets = {id(t) for t in targets}
        self.marks: dict[int, tuple[int, int]] = {}
        self._open: dict[int, int] = {}

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)

    def pop_trailing_newline(self) -> None:
        pass  # only reached after the last statement: every target is closed by then

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
                                  end_node: cst.CSTNode | None = None) -> Any:
        return _NO_SYNTACTIC_POSITION

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            self._open[id(node)] = len(self.tokens)

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self._open:
            self.marks[key] = (self._open.pop(key), len(self.tokens))
            if len(self.marks) == len(self.targets):
                raise _AllLocated

    def generate(self, node: cst.CSTNode) -> tuple[str, dict[int, Span]]:
        """The code generated for ``node`` up to its last target, and each closed target's span in it."""
        with contextlib.suppress(_AllLocated):
            node._codegen(self)
        ends = [0, *accumulate(map(len, self.tokens))]
        return "".join(self.tokens), {key: (ends[a], ends[b]) for key, (a, b) in self.marks.items()}


class Spans(dict[int, Span]):
    """Spans in the source keyed by ``id(node)``, and the code LibCST generates for each node.

    A span's text in the source is the node's generated text unless LibCST changed whitespace
    inside the node itself; an edit may replace only a span whose text is (engine checks).
    """

    def __init__(self, spans: dict[int, Span], texts: dict[int, str]) -> None:
        super().__init__(spans)
        self.texts = texts

    def text(self, key: int) -> str:
        """The code LibCST generates for the node (in its place in the module)."""
        return self.texts[key]


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (CR, LF and CRLF end a line)."""
    if "\r" in text:
        return [0] + [m.end() for m in NEWLINE.finditer(text)]
    # The common case, at C speed: each line's length plus its "\n", summed.
    return [0, *map(add, accumulate(map(len, text.split("\n")[:-1])), count(1))]


class LineIndex:
    """Offsets in a text to (line, column), both 1-based, columns in characters."""

    def __init__(self, text: str, starts: list[int] | None = None) -> None:
        self.starts = line_starts(text) if starts is None else starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def locate(module: cst.Module, nodes: Sequence[cst.CSTNode], source: str | None = None,
           tree: ast.Module | Sequence[int] | None = None, starts: list[int] | None = None) -> Spans:
    """Character spans (start, end) of ``nodes`` in ``source``, keyed by ``id(node)``.

    ``source`` is the text ``module`` was parsed from (``module.code`` when not given). A node
    whose span cannot be mapped exactly onto ``source`` is left out. ``tree`` is CPython's parse
    of ``source`` (or its :func:`statement_lines`): with it, only the statements holding the nodes are
    generated. ``starts``: :func:`line_starts` of ``source``, when the caller has them.
    """
    if not nodes or source is None:
        return _generated(module, nodes, source, tree)
    spans: dict[int, Span] = {}
    texts: dict[int, str] = {}
    rest = _by_unique_text(nodes, source, spans, texts)
    if rest:
        generated = _generated(module, rest, source, tree, starts)
        spans.update(generated)
        texts.update(generated.texts)
    return Spans(spans, texts)


def _generated(module: cst.Module, nodes: Sequence[cst.CSTNode], source: str | None,
               tree: ast.Module | Sequence[int] | None, starts: list[int] | None = None) -> Spans:
    """:func:`locate` by code generation: of the statements that hold ``nodes``, else of the module."""
    if not nodes:
        return Spans({}, {})
    if source is not None and tree is not None:
        found = locate_in_statements(module, nodes, source, tree, starts)
        if found is not None:
            return found
    generated, spans = _OffsetRecorder(module, nodes).generate(module)
    texts = {key: generated[start:end] for key, (start, end) in spans.items()}
    if source is None or source.startswith(generated):
        return Spans(spans, texts)
    return Spans(map_spans(generated, source, spans), texts)


def _by_unique_text(nodes: Sequence[cst.CSTNode], source: str, spans: dict[int, Span], texts: dict[int, str],
                    start: int = 0, end: int | None = None) -> list[cst.CSTNode]:
    """Place (into ``spans`` and ``texts``) the one-token leaves whose text occurs exactly once in
    ``source[start:end]``, at C speed with no code generation; return the nodes left for the generating passes.

    LibCST keeps such a leaf verbatim, so its text is in the source at its own place: where the text occurs
    once in a stretch that holds the node, that is its place. Any other case (the same number twice, ``10``
    inside ``1024``) leaves the node to the passes, which tell the copies apart.
    """
    end = len(source) if end is None else end
    rest: list[cst.CSTNode] = []
    for node in nodes:
        if isinstance(node, ONE_TOKEN) and not node.lpar:
            text = node.value
            at = source.find(text, start, end)
            if at != -1 and source.find(text, at + 1, end) == -1:
                spans[id(node)] = (at, at + len(text))
                texts[id(node)] = text
                continue
        rest.append(node)
    return rest


# Fields that never hold a node worth locating (whitespace, brackets, punctuation): not walked.
_SKIPPED_FIELD = re.compile(r"whitespace|lpar|rpar|comma|equal|semicolon|colon|dot|operator|header|footer|"
                            r"leading_lines|lines_after|star|lbracket|rbracket|lbrace|rbrace|newline|indent|"
                            r"encoding|has_trailing|quote|prefix|value_str")
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_NODE: dict[type, bool] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(n for n in node_fields(kind) if not _SKIPPED_FIELD.search(n))
    return fields


def _is_node(kind: type) -> bool:
    known = _IS_NODE.get(kind)
    if known is None:  # CSTNode is an ABC: its issubclass is slow, so it is asked once per type
        known = _IS_NODE[kind] = issubclass(kind, cst.CSTNode)
    return known


def within(statement: cst.CSTNode, wanted: set[int]) -> list[int]:
    """The ids in ``wanted`` of nodes inside ``statement`` (a walk of its fields, no code generation)."""
    found: list[int] = []
    stack: list[object] = [statement]
    pop, push = stack.pop, stack.append
    fields_of, known_node = _CHILD_FIELDS.get, _IS_NODE.get  # read inline: this loop sees every node
    while stack:
        node = pop()
        if id(node) in wanted:
            found.append(id(node))
        kind = type(node)
        fields = fields_of(kind)
        if fields is None:
            fields = _child_fields(kind)
        for name in fields:
            child = getattr(node, name)
            child_kind = type(child)
            if child_kind is tuple or child_kind is list:
                for item in child:
                    is_node = known_node(type(item))
                    if is_node or (is_node is None and _is_node(type(item))):
                        push(item)
            else:
                is_node = known_node(child_kind)
                if is_node or (is_node is None and _is_node(child_kind)):
                    push(child)
    return found


def _leaf_text(node: cst.CSTNode) -> str | None:
    """The longest text of a leaf inside ``node`` (a name, a number, a string): it is in the source
    wherever the node is, since LibCST keeps those verbatim."""
    best: str | None = None
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        value = getattr(current, "value", None)
        if type(value) is str and (best is None or len(value) > len(best)):
            best = value
        for name in _child_fields(type(current)):
            child = getattr(current, name)
            if type(child) is tuple or type(child) is list:
                stack.extend(item for item in child if _is_node(type(item)))
            elif _is_node(type(child)):
                stack.append(child)
    return best


def _search_order(nodes: Sequence[cst.CSTNode], source: str, starts: list[int]) -> list[int]:
    """Indexes of the top-level statements, those whose source text holds each node's leaf text first:
    only the order of the walk depends on it (each node is then found by identity, wherever it is)."""
    likely: set[int] = set()
    for node in nodes:
        needle = _leaf_text(node)
        if not needle:
            return list(range(len(starts)))
        at = source.find(needle)
        while at != -1:
            likely.add(max(bisect_right(starts, at) - 1, 0))
            at = source.find(needle, at + len(needle))
    return sorted(likely) + [i for i in range(len(starts)) if i not in likely]


def statement_lines(tree: ast.Module) -> tuple[int, ...]:
    """The line of each top-level statement of CPython's tree: all :func:`locate` needs of it (a tree kept
    alive through LibCST's parse would make every garbage collection walk it)."""
    return tuple(statement.lineno for statement in tree.body)


def _first_lines(module: cst.Module, tree: ast.Module | Sequence[int]) -> list[int] | None:
    """For each top-level LibCST statement, the line (1-based) of its first token in CPython's tree,
    or None when the two trees do not pair up statement for statement."""
    lines: list[int] = []
    at = 0
    body = statement_lines(tree) if isinstance(tree, ast.Module) else tree
    for statement in module.body:
        if at >= len(body):
            return None
        lines.append(body[at])
        # A line of small statements (``a = 1; b = 2``) is one LibCST statement and several of CPython's.
        at += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return lines if at == len(body) else None


def _region(index: int, first_lines: Sequence[int], starts: Sequence[int], end: int) -> Span:
    """The source from the line of top-level statement ``index``'s first token to the next one's: it holds
    all of the statement but its decorators (and may hold the next one's decorators and comments)."""
    following = starts[first_lines[index + 1] - 1] if index + 1 < len(first_lines) else end
    return starts[first_lines[index] - 1], following


def locate_in_statements(module: cst.Module, nodes: Sequence[cst.CSTNode], source: str,
                         tree: ast.Module | Sequence[int], starts: list[int] | None = None) -> Spans | None:
    """:func:`locate` through the statements holding ``nodes``; None when any of them cannot be placed
    exactly (a node outside the walked fields, a statement whose text is not the source's)."""
    first_lines = _first_lines(module, tree)
    if first_lines is None:
        return None
    if starts is None:
        starts = line_starts(source)
    if max(first_lines, default=0) > len(starts):
        return None
    wanted = {id(n) for n in nodes}
    by_statement: list[tuple[int, list[int]]] = []
    left = len(wanted)
    for index in _search_order(nodes, source, [starts[line - 1] for line in first_lines]):
        statement = module.body[index]
        held = within(statement, wanted)
        if held:
            by_statement.append((index, held))
            left -= len(held)
            if left <= 0:
                break
    if left:
        return None
    nodes_by_id = {id(n): n for n in nodes}
    spans: dict[int, Span] = {}
    texts: dict[int, str] = {}
    for index, held in by_statement:
        statement = module.body[index]
        # Within the statement's stretch of source, a leaf's text may occur once where it repeats in the file. Not
        # for a decorated statement: its decorators lie before the line its stretch starts at.
        if not getattr(statement, "decorators", None):
            rest = _by_unique_text([nodes_by_id[key] for key in held], source, spans, texts,
                                   *_region(index, first_lines, starts, len(source)))
            held = [id(node) for node in rest]
            if not held:
                continue
        targets = [nodes_by_id[key] for key in held]
        # CPython numbers a def's or a class's line at its keyword, after the decorators: the name is on it.
        anchor = statement.name if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) else None
        recorder = _OffsetRecorder(module, targets + ([anchor] if anchor is not None else []))
        generated, found = recorder.generate(statement)
        if len(found) != len(recorder.targets):
            return None
        before_first_token = generated[:found[id(anchor)][0]] if anchor is not None else None
        lines_before = (len(NEWLINE.findall(before_first_token)) if before_first_token is not None
                        else len(statement.leading_lines))
        line = first_lines[index] - lines_before
        if not 1 <= line <= len(starts):
            return None
        start = starts[line - 1]
        if not source.startswith(generated, start):
            return None  # a round-trip gap in this statement: the whole-module pass maps across it
        for key in held:
            a, b = found[key]
            spans[key] = (start + a, start + b)
            texts[key] = generated[a:b]
    return Spans(spans, texts)
