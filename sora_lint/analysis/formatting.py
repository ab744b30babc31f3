"""The text a string-building expression makes from known parts: f-strings and ``%`` formatting."""
from __future__ import annotations

from typing import Any, Protocol

import libcst as cst

from .scopes import Scope
from .syntax import literal_value


class Resolver(Protocol):
    """What this module asks of :class:`~.values.Resolver` (which imports it: no import back)."""

    def value(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Any: ...


def formatted(resolver: Resolver, node: cst.FormattedString, scope: Scope, depth: int) -> str | None:
    """``f"{W}x{H}"`` with known parts: the text it builds (no literal to rewrite)."""
    out = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            out.append(part.value.replace("{{", "{").replace("}}", "}"))
            continue
        if (
            not isinstance(part, cst.FormattedStringExpression)
            or part.conversion is not None
            or part.format_spec is not None
        ):
            return None
        inner = resolver.value(part.expression, scope, depth + 1)
        if isinstance(inner.value, bool) or not isinstance(inner.value, (int, str)):
            return None
        out.append(str(inner.value))
    return "".join(out)


def percent(resolver: Resolver, node: cst.BinaryOperation, scope: Scope, depth: int) -> str | None:
    """``"%dx%d" % (W, H)`` with known parts."""
    template = literal_value(node.left)
    right = node.right
    items = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
    if not isinstance(template, str) or any(isinstance(e, cst.StarredElement) for e in items):
        return None
    values = [resolver.value(item, scope, depth + 1).value for item in items]
    if any(isinstance(v, bool) or not isinstance(v, (int, str)) for v in values):
        return None
    try:
        return template % tuple(values)
    except (TypeError, ValueError):
        return None

