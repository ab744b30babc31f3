"""Character offsets of reported nodes in the source text, computed only for the nodes that are reported.

This is the only module that touches LibCST's private code generation
(``libcst._nodes.internal.CodegenState``): a position pass that generates code up to the
last reported node costs a fraction of LibCST's ``PositionProvider``. If LibCST changes
that private API, ``tests/test_positions.py`` fails loudly.

LibCST does not reproduce every source byte for byte (``except ValueError   :`` comes back as
``except ValueError:``; docs/libcst-roundtrip.md lists the gaps), so offsets in generated code
are not offsets in the source. The generated prefix is compared with the source (one string
compare, at C speed); only when they differ are offsets mapped across the gaps, which are
whitespace only (scripts/scan_roundtrip.py checks that claim on real code). A node's first and
last characters are mapped through the run of equal text that holds them, never through a gap;
an edit is then allowed only where the source text is exactly the node's generated text
(engine checks). A node that cannot be mapped has no span.
"""
from __future__ import annotations

import contextlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

import libcst as cst
from libcst._nodes.internal import CodegenState

from ..types import NEWLINE

Span = tuple[int, int]

# What LibCST may drop, add or rewrite between two tokens it keeps.
_GAP = re.compile(r"[ \t\x0c\r\n\\]*")


class _AllLocated(Exception):
    pass


class _OffsetRecorder(CodegenState):
    """Code generation that keeps the text it generates and remembers where the targets start and end.

    It stops as soon as the last target is closed, so only the prefix up to it is generated.
    """

    def __init__(self, module: cst.Module, targets: Iterable[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.length = 0
        self.targets = {id(t) for t in targets}
        self.spans: dict[int, Span] = {}
        self._open: dict[int, int] = {}

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.length += len(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def pop_trailing_newline(self) -> None:
        pass  # only reached after the last statement: every target is closed by then

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            self._open[id(node)] = self.length

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self._open:
            self.spans[key] = (self._open.pop(key), self.length)
            if len(self.spans) == len(self.targets):
                raise _AllLocated


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


class LineIndex:
    """Offsets in a text to (line, column), both 1-based, columns in characters."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def locate(module: cst.Module, nodes: Sequence[cst.CSTNode], source: str | None = None) -> Spans:
    """Character spans (start, end) of ``nodes`` in ``source``, keyed by ``id(node)``.

    ``source`` is the text ``module`` was parsed from (``module.code`` when not given). A node
    whose span cannot be mapped exactly onto ``source`` is left out.
    """
    if not nodes:
        return Spans({}, {})
    state = _OffsetRecorder(module, nodes)
    with contextlib.suppress(_AllLocated):
        module._codegen(state)
    generated = "".join(state.tokens)
    texts = {key: generated[start:end] for key, (start, end) in state.spans.items()}
    if source is None or source.startswith(generated):
        return Spans(state.spans, texts)
    return Spans(_map_spans(generated, source, state.spans), texts)


def _common_length(a: str, i: int, b: str, j: int) -> int:
    """How many characters ``a[i:]`` and ``b[j:]`` share at their start (string compares at C speed)."""
    low, high = 0, min(len(a) - i, len(b) - j)
    if a[i:i + high] == b[j:j + high]:
        return high
    while low < high:  # invariant: the first ``low`` characters agree, the first ``high`` do not
        middle = (low + high + 1) // 2
        if a[i:i + middle] == b[j:j + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def align(generated: str, source: str) -> list[tuple[int, int, int]]:
    """Runs ``(generated offset, source offset, length)`` of equal text, in order.

    Between two runs, LibCST dropped, added or rewrote whitespace. Where the texts differ in
    anything else (no such gap is known), the runs stop: nothing after it is mapped.
    """
    runs: list[tuple[int, int, int]] = []
    i = j = 0
    while i < len(generated):
        same = _common_length(generated, i, source, j)
        if same:
            runs.append((i, j, same))
            i += same
            j += same
        if i >= len(generated):
            break
        skip_generated = _GAP.match(generated, i).end() - i  # type: ignore[union-attr]
        skip_source = _GAP.match(source, j).end() - j  # type: ignore[union-attr]
        if not skip_generated and not skip_source:
            break
        i += skip_generated
        j += skip_source
    return runs


def _map_spans(generated: str, source: str, spans: dict[int, Span]) -> dict[int, Span]:
    runs = align(generated, source)
    run_starts = [run[0] for run in runs]

    def mapped(offset: int, inside: int) -> int | None:
        """``offset`` in the source, through the run holding the generated character at ``inside``."""
        at = bisect_right(run_starts, inside) - 1
        if at < 0:
            return None
        start, source_start, length = runs[at]
        if not start <= inside < start + length:
            return None
        return source_start + offset - start

    out: dict[int, Span] = {}
    for key, (start, end) in spans.items():
        if start == end:
            continue
        # A node starts with its first character and ends after its last: each is mapped
        # through the run that holds that character, never through a whitespace gap.
        source_start, source_end = mapped(start, start), mapped(end, end - 1)
        if source_start is not None and source_end is not None:
            out[key] = (source_start, source_end)
    return out
