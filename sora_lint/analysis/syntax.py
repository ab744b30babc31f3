"""Small readers of LibCST nodes that every part of the analysis shares (no scopes, no state)."""
from __future__ import annotations

import collections.abc
import dataclasses
import typing
from collections.abc import Iterator
from typing import Union

import libcst as cst

from .facts import UNKNOWN


def literal_value(node: cst.CSTNode) -> object:
    """The Python value of a simple literal; UNKNOWN for anything else."""
    kind = type(node)
    if kind is cst.SimpleString:
        plain = _plain_string(node.value)  # type: ignore[attr-defined]
        if plain is not None:
            return plain
    if kind is cst.SimpleString or kind is cst.ConcatenatedString:
        try:
            value = node.evaluated_value  # type: ignore[attr-defined]
        except Exception:
            return UNKNOWN
        return value if isinstance(value, str) else UNKNOWN
    if kind is cst.Integer:
        try:
            return int(node.value, 0)  # type: ignore[attr-defined]
        except ValueError:  # "00": let LibCST's evaluation decide
            return int(node.evaluated_value)  # type: ignore[attr-defined]
    if kind is cst.Float:
        return float(node.value)  # type: ignore[attr-defined]
    if (
        kind is cst.UnaryOperation
        and isinstance(node.operator, cst.Minus)  # type: ignore[attr-defined]
        and isinstance(node.expression, (cst.Integer, cst.Float))  # type: ignore[attr-defined]
    ):
        inner = literal_value(node.expression)  # type: ignore[attr-defined]
        return -inner if isinstance(inner, (int, float)) else UNKNOWN
    return UNKNOWN


def _plain_string(raw: str) -> str | None:
    """The value of a string literal without escapes, without ``ast.literal_eval`` (which compiles:
    the costliest step of reading a literal); None when it needs Python's own evaluation."""
    if "\\" in raw or "\r" in raw:  # escapes, or a carriage return Python reads as a newline
        return None
    start = raw.find(raw[-1])  # the first quote of the kind that closes it
    if raw[:start].lower() not in ("", "u", "r"):
        return None  # bytes
    quote = raw[start:start + 3] if raw[start:start + 3] in ('"""', "'''") and len(raw) - start >= 6 else raw[start]
    return raw[start + len(quote):len(raw) - len(quote)]


def dotted(node: cst.CSTNode) -> list[str]:
    """``a.b.c`` -> ["a", "b", "c"]; a call or subscript in the chain becomes ""."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    parts.append(node.value if isinstance(node, cst.Name) else "")
    return parts[::-1]


def json_dumps_argument(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``x`` in ``json.dumps(x, ...)`` or ``json.dumps(x).encode()`` (a request body serialised by hand);
    None for anything else."""
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "encode"
        and isinstance(node.func.value, cst.Call)
    ):
        node = node.func.value
    if (
        isinstance(node, cst.Call)
        and dotted(node.func)[-2:] == ["json", "dumps"]
        and node.args
        and not node.args[0].star
    ):
        return node.args[0].value
    return None


def target_names(node: cst.CSTNode) -> Iterator[str]:
    """The names an assignment target binds (``a``, ``a, (b, *c)``); attributes and subscripts bind none."""
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for el in node.elements:
            yield from target_names(el.value)
    elif isinstance(node, cst.StarredElement):
        yield from target_names(node.value)


# One entry of a mapping as written: a literal key and its value, or ``**other`` spread into it.
DictPart = Union[tuple[str, cst.BaseExpression], cst.BaseExpression]


def dict_parts(node: cst.BaseExpression) -> list[DictPart] | None:
    """The parts of a dict literal or ``dict(...)`` in order: (key, value) or a spread mapping.

    None when a key is not a literal string (the keys cannot be known).
    """
    parts: list[DictPart] = []
    if isinstance(node, cst.Dict):
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                parts.append(el.value)  # ``**other``
                continue
            key = literal_value(el.key)
            if not isinstance(key, str):
                return None
            parts.append((key, el.value))
        return parts
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        for index, arg in enumerate(node.args):
            if arg.star == "**" or (arg.keyword is None and not arg.star and index == 0):
                parts.append(arg.value)  # dict(BASE, ...) or dict(**BASE)
            elif arg.keyword is not None:
                parts.append((arg.keyword.value, arg.value))
            else:
                return None
        return parts
    return None


def new_string(value: str, forbidden: frozenset[str]) -> str | None:
    """A plain string literal for ``value``, double-quoted unless that quote is forbidden."""
    for quote in ('"', "'"):
        if quote in forbidden:
            continue
        body = (value.replace("\\", "\\\\").replace(quote, "\\" + quote)
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        if forbidden and "\\" in body:
            return None  # no backslash inside an f-string's replacement field before 3.12
        return f"{quote}{body}{quote}"
    return None


def comment_inside(target: cst.BaseExpression) -> bool:
    """Whether a comment sits inside the value itself, where a rewrite would delete it (between the
    parts of ``("1792"  # wide`` ``"x1024")``); comments inside its own parentheses, around it, are kept."""
    if isinstance(target, ONE_TOKEN):  # nowhere for a comment to be (the common case: no walk, no copy)
        return False
    return _has_comment(target.with_changes(lpar=[], rpar=[]) if target.lpar or target.rpar else target)


# Leaves of one token, which LibCST keeps verbatim: no comment fits inside one, and its text is its source.
ONE_TOKEN = (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Name)


def _has_comment(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Comment) or any(_has_comment(child) for child in node.children)


# What a call passes for a parameter that ``*args`` or ``**kwargs`` may hold: it cannot be read.
UNREADABLE = cst.Name("_")


def passed_argument(call: cst.Call, position: int | None, name: str) -> cst.BaseExpression | None:
    """What ``call`` passes for the parameter ``name`` at ``position`` among the positional ones (None: it
    takes a keyword only): a node, None when the call omits it, or :data:`UNREADABLE`."""
    index = 0
    for arg in call.args:
        if arg.star:
            return UNREADABLE
        if arg.keyword is None:
            if index == position:
                return arg.value
            index += 1
        elif arg.keyword.value == name:
            return arg.value
    return None


def node_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a LibCST node type that may hold a node: not its ``__slots__`` pseudo-field, nor a
    field typed as text or a flag (a name's ``value``), which a walk would otherwise read on every node."""
    return tuple(f.name for f in dataclasses.fields(node_type) if not _never_a_node(f.type))


def sequence_fields(node_type: type) -> frozenset[str]:
    """The fields of a LibCST node type declared as a sequence of nodes (a block's body, a call's arguments):
    a walk pushes their items without asking each one's type."""
    return frozenset(f.name for f in dataclasses.fields(node_type)
                     if typing.get_origin(f.type) is collections.abc.Sequence and not _never_a_node(f.type))


def _never_a_node(hint: object) -> bool:
    if hint in (str, bool, int, type(None)):
        return True
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return True
    return origin is typing.Union and all(_never_a_node(arg) for arg in typing.get_args(hint))
