"""Character offsets of reported nodes, computed only for the nodes that are reported.

This is the only module that touches LibCST's private code generation
(``libcst._nodes.internal.CodegenState``): a position pass that generates code up to the
last reported node costs a fraction of LibCST's ``PositionProvider``. If LibCST changes
that private API, ``tests/test_positions.py`` fails loudly.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Dict, Iterable, Mapping, Sequence, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

from ..types import NEWLINE


class _AllLocated(Exception):
    pass


class _OffsetRecorder(CodegenState):
    """Code generation that only counts characters and remembers where the targets start and end.

    It keeps no tokens (only their length) and stops as soon as the last target is closed.
    """

    def __init__(self, module: cst.Module, targets: Iterable[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.length = 0
        self.targets = {id(t) for t in targets}
        self.spans: Dict[int, Tuple[int, int]] = {}
        self._open: Dict[int, int] = {}

    def add_token(self, value: str) -> None:
        self.length += len(value)

    def add_indent_tokens(self) -> None:
        self.length += sum(len(t) for t in self.indent_tokens)

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


class LineIndex:
    """Offsets in a text to (line, column), both 1-based, columns in characters."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def position(self, offset: int) -> Tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def locate(module: cst.Module, nodes: Sequence[cst.CSTNode]) -> Mapping[int, Tuple[int, int]]:
    """Character spans (start, end) in ``module.code`` of ``nodes``, keyed by ``id(node)``."""
    if not nodes:
        return {}
    state = _OffsetRecorder(module, nodes)
    try:
        module._codegen(state)
    except _AllLocated:
        pass
    return state.spans
