"""The type of a value whose value is unknown: what a cast, a builtin or an annotation says.

``int(s)`` is an int and ``str(n)`` a string whatever ``s`` and ``n`` are; ``len(x)`` and
``round(x)`` are ints; ``min`` / ``max`` of ints, and ``random.choice`` of a literal list of ints,
are ints. A parameter annotated ``int`` (``Optional[int]``, ``int | None``) holds an int when it
holds anything. Only these are read: anything else has no known type, and is skipped.
"""
from __future__ import annotations

from typing import Protocol

import libcst as cst

from .facts import UNKNOWN
from .scopes import Scope
from .syntax import dotted, literal_value


class Resolver(Protocol):
    """What this module asks of :class:`~.values.Resolver` (which imports it: no import back)."""

    def is_builtin(self, name: str, scope: Scope) -> bool: ...
    def kind_of(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None: ...
    def qualified(self, node: cst.BaseExpression, scope: Scope) -> str | None: ...
    def bound_expression(self, node: cst.BaseExpression,
                         scope: Scope) -> tuple[cst.BaseExpression, Scope]: ...

CASTS = {"int": "int", "str": "str", "float": "float"}
SAME_AS_ITEMS = frozenset({"min", "max"})
TYPE_NAMES = {"int": "int", "str": "str", "float": "float"}


def call_kind(resolver: Resolver, node: cst.Call, scope: Scope, depth: int) -> str | None:
    """The type of what ``node`` returns, when a builtin or ``random.choice`` says it."""
    func = node.func
    args = [a for a in node.args if a.keyword is None]
    if any(a.star for a in node.args):
        return None
    if isinstance(func, cst.Name) and resolver.is_builtin(func.value, scope):
        name = func.value
        if name in CASTS and len(args) == 1:
            return CASTS[name]
        if name == "len" and len(args) == 1:
            return "int"
        if name == "round" and len(node.args) == 1:
            return "int"
        if name in SAME_AS_ITEMS and args:
            items = args if len(args) > 1 else None
            if items is None:
                return _items_kind(resolver, args[0].value, scope, depth)
            return _same_kind([resolver.kind_of(a.value, scope, depth + 1) for a in items])
        return None
    if dotted(func)[-1:] == ["choice"] and len(args) == 1 and resolver.qualified(func, scope) == "random.choice":
        return _items_kind(resolver, args[0].value, scope, depth)
    return None


def _items_kind(resolver: Resolver, node: cst.BaseExpression, scope: Scope, depth: int) -> str | None:
    """The type every item of a literal list / tuple / set has (through a name bound to one)."""
    node, scope = resolver.bound_expression(node, scope)
    if not isinstance(node, (cst.List, cst.Tuple, cst.Set)) or not node.elements:
        return None
    if any(isinstance(e, cst.StarredElement) for e in node.elements):
        return None
    return _same_kind([resolver.kind_of(e.value, scope, depth + 1) for e in node.elements])


def _same_kind(kinds: list[str | None]) -> str | None:
    first = kinds[0] if kinds else None
    return first if first is not None and all(k == first for k in kinds) else None


def value_kind(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    return TYPE_NAMES.get(type(value).__name__)


def annotation_kind(annotation: cst.BaseExpression | None) -> str | None:
    """``int``, ``Optional[int]``, ``int | None``, ``typing.Optional[str]``: the type it names, else None."""
    if annotation is None:
        return None
    if isinstance(annotation, cst.Name):
        return TYPE_NAMES.get(annotation.value)
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [s for s in (annotation.left, annotation.right) if not (isinstance(s, cst.Name) and s.value == "None")]
        return annotation_kind(sides[0]) if len(sides) == 1 else None
    if (isinstance(annotation, cst.Subscript) and dotted(annotation.value)[-1] == "Optional"
            and len(annotation.slice) == 1):
        inner = annotation.slice[0].slice
        return annotation_kind(inner.value) if isinstance(inner, cst.Index) else None
    return None


def literal_members(annotation: cst.BaseExpression | None) -> list[cst.BaseExpression] | None:
    """The members of ``Literal[...]`` (inside ``Optional`` / ``| None`` too); None for another annotation."""
    if annotation is None:
        return None
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [s for s in (annotation.left, annotation.right) if not (isinstance(s, cst.Name) and s.value == "None")]
        return literal_members(sides[0]) if len(sides) == 1 else None
    if not isinstance(annotation, cst.Subscript):
        return None
    head = dotted(annotation.value)[-1]
    indexes = [s.slice for s in annotation.slice]
    if not all(isinstance(i, cst.Index) for i in indexes):
        return None
    values = [i.value for i in indexes]  # type: ignore[attr-defined]
    if head == "Optional" and len(values) == 1:
        return literal_members(values[0])
    if head != "Literal" or any(literal_value(v) is UNKNOWN for v in values):
        return None
    return values
