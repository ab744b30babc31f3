"""Literal tables read by a key or a choice the code cannot know: every value is a possibility.

``SIZES.get(aspect, "720x1280")``, ``SIZES[aspect]``, ``random.choice([4, 8, 12])`` and
``for seconds in DURATIONS:`` may give any value of the table. Each is checked where it is
written, when the table is read nowhere else (so every read flows into the same parameter): a value
no model of the contract accepts is wrong whichever key selects it.
"""
from __future__ import annotations

import libcst as cst

from .facts import UNKNOWN
from .scopes import ASSIGN, LOOP, Scope
from .syntax import literal_value
from .values import Resolver


def table_values(resolver: Resolver, node: cst.BaseExpression,
                 scope: Scope) -> tuple[list[cst.BaseExpression], Scope, str] | None:
    """The values ``node`` may take from a literal table, where they are written, and how a message names
    the table; None when ``node`` reads no such table."""
    if isinstance(node, cst.Name):
        binding = resolver.binding(node.value, scope)
        if binding is not None and binding.kind == ASSIGN and resolver.readers(binding) == 1:
            return table_values(resolver, binding.value, binding.scope)  # type: ignore[arg-type]
        if binding is None or binding.kind != LOOP:
            return None
        return _items(resolver, binding.value, binding.scope)  # type: ignore[arg-type]
    if isinstance(node, cst.Subscript):
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        if literal_value(node.slice[0].slice.value) is not UNKNOWN:
            return None  # a literal key: the one entry it selects (values.py)
        return _values(resolver, node.value, scope)
    if not isinstance(node, cst.Call) or any(a.star or a.keyword is not None for a in node.args):
        return None
    func = node.func
    if resolver.qualified(func, scope) == "random.choice" and len(node.args) == 1:
        return _items(resolver, node.args[0].value, scope)
    if (isinstance(func, cst.Attribute) and func.attr.value == "get" and len(node.args) in (1, 2)
            and literal_value(node.args[0].value) is UNKNOWN):
        found = _values(resolver, func.value, scope)
        if found is None:
            return None
        values, where, name = found
        return (values + [node.args[1].value], where, name) if len(node.args) == 2 else found
    return None


def _only_read(resolver: Resolver, node: cst.BaseExpression,
               scope: Scope) -> tuple[cst.BaseExpression, Scope, str] | None:
    """A literal written at its use, or a name bound once to one and read nowhere else."""
    if not isinstance(node, cst.Name):
        return node, scope, "the list"
    binding = resolver.binding(node.value, scope)
    if binding is None or binding.kind != ASSIGN or resolver.readers(binding) != 1:
        return None
    return binding.value, binding.scope, node.value  # type: ignore[return-value]


def _items(resolver: Resolver, node: cst.BaseExpression,
           scope: Scope) -> tuple[list[cst.BaseExpression], Scope, str] | None:
    found = _only_read(resolver, node, scope)
    if found is None or not isinstance(found[0], (cst.List, cst.Tuple, cst.Set)) or not found[0].elements:
        return None
    table, where, name = found
    if any(isinstance(e, cst.StarredElement) for e in table.elements):  # type: ignore[attr-defined]
        return None
    return [e.value for e in table.elements], where, name  # type: ignore[attr-defined]


def _values(resolver: Resolver, node: cst.BaseExpression,
            scope: Scope) -> tuple[list[cst.BaseExpression], Scope, str] | None:
    found = _only_read(resolver, node, scope)
    if found is None or not isinstance(found[0], cst.Dict) or not found[0].elements:
        return None
    table, where, name = found
    if any(not isinstance(e, cst.DictElement) for e in table.elements):  # type: ignore[attr-defined]
        return None
    return [e.value for e in table.elements], where, name  # type: ignore[attr-defined]
