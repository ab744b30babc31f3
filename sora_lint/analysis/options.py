"""Command-line options: what ``args.seconds`` (argparse) or a click / typer parameter may hold.

An option's value is one of its ``choices`` when it has them, or else its ``default`` when the
option is not given, and a value of its type otherwise: ``type=int`` makes an int, no type a
string (argparse and click hand on the text). Each possibility is reported where it is written
(the choice, the default), never rewritten: the command line, not the code, picks the value.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Protocol

import libcst as cst

from .evidence import annotation_kind
from .facts import UNKNOWN
from .scopes import ASSIGN, PARAM, Binding, Scope
from .syntax import dotted, literal_value

OPTION_TYPES = {"int": "int", "str": "str", "float": "float", "INT": "int", "STRING": "str", "FLOAT": "float"}


class Resolver(Protocol):
    """What this module asks of :class:`~.values.Resolver`."""

    walk: Any

    def binding(self, name: str, scope: Scope) -> Binding | None: ...
    def qualified(self, node: cst.BaseExpression, scope: Scope) -> str | None: ...


class Option(NamedTuple):
    values: list[cst.BaseExpression]  # the choices, and the default when it is not one of them
    kind: str | None  # the type of a value given on the command line, when no choices bound it
    scope: Scope
    where: str  # how a fix blocker names it: "--seconds"


def argparse_option(resolver: Resolver, node: cst.Attribute, scope: Scope) -> Option | None:
    """``args.seconds`` where ``args = parser.parse_args()`` and ``parser.add_argument("--seconds", ...)``."""
    if not isinstance(node.value, cst.Name):
        return None
    args = resolver.binding(node.value.value, scope)
    if args is None or args.kind != ASSIGN or not isinstance(args.value, cst.Call):
        return None
    parse = args.value.func
    if not (isinstance(parse, cst.Attribute) and parse.attr.value == "parse_args"
            and isinstance(parse.value, cst.Name)):
        return None
    parser = resolver.binding(parse.value.value, args.scope)
    if parser is None or parser.kind != ASSIGN or not isinstance(parser.value, cst.Call):
        return None
    if resolver.qualified(parser.value.func, parser.scope) != "argparse.ArgumentParser":
        return None
    found = [(call, call_scope) for call, call_scope in resolver.walk.option_calls  # type: ignore[attr-defined]
             if isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name)
             and resolver.binding(call.func.value.value, call_scope) is parser
             and _dest(call) == node.attr.value]
    if len(found) != 1:
        return None  # not declared here (a subparser, a parent parser), or declared twice
    call, call_scope = found[0]
    return _option(call, call_scope, "argparse")


def click_option(resolver: Resolver, binding: Binding) -> Option | None:
    """A parameter of a function decorated ``@click.option("--seconds", ...)``, or ``typer.Option(...)``."""
    function = binding.scope.node
    param = binding.node
    if binding.kind != PARAM or not isinstance(function, cst.FunctionDef) or not isinstance(param, cst.Param):
        return None
    outer = binding.scope.parent or binding.scope
    if isinstance(param.default, cst.Call) and dotted(param.default.func)[-1] == "Option" and (
            (resolver.qualified(param.default.func, outer) or "").startswith("typer.")):
        given = param.default.args
        default = given[0].value if given and given[0].keyword is None else _keyword(param.default, "default")
        kind = annotation_kind(param.annotation.annotation) if param.annotation else None
        return Option([default] if default is not None else [], kind, outer, f"--{binding.name}")
    for decorator in function.decorators:
        call = decorator.decorator
        if (isinstance(call, cst.Call) and dotted(call.func)[-1] == "option"
                and (resolver.qualified(call.func, outer) or "").startswith("click.") and _dest(call) == binding.name):
            return _option(call, outer, "click")
    return None


def _option(call: cst.Call, scope: Scope, library: str) -> Option | None:
    default = _keyword(call, "default")
    choices = _keyword(call, "choices")
    kind_node = _keyword(call, "type")
    if library == "click" and isinstance(kind_node, cst.Call) and dotted(kind_node.func)[-1] == "Choice":
        choices = kind_node.args[0].value if kind_node.args else None
        kind_node = None
    if _keyword(call, "action") is not None or _keyword(call, "nargs") is not None:
        return None  # a flag, a count, a list: not one value of the option's type
    where = next((a.value.value for a in call.args if isinstance(a.value, cst.SimpleString)), "the option")
    values: list[cst.BaseExpression] = []
    if choices is not None:
        if not isinstance(choices, (cst.List, cst.Tuple, cst.Set)) or any(
                isinstance(e, cst.StarredElement) for e in choices.elements):
            return None
        values = [e.value for e in choices.elements]
    if default is not None and not (isinstance(default, cst.Name) and default.value == "None") and not any(
            literal_value(default) == literal_value(v) is not UNKNOWN for v in values):
        values.append(default)  # a default that is one of the choices is checked once, at the choice
    kind: str | None = "str"
    if kind_node is not None:
        kind = OPTION_TYPES.get(dotted(kind_node)[-1]) if isinstance(kind_node, (cst.Name, cst.Attribute)) else None
    return Option(values, None if choices is not None else kind, scope, where.strip("'\""))


def _dest(call: cst.Call) -> str | None:
    """The attribute / parameter name an option is stored under (``--video-seconds`` -> ``video_seconds``)."""
    dest = _keyword(call, "dest")
    if isinstance(dest, cst.SimpleString):
        return dest.value.strip("'\"")
    names = [a.value.value.strip("'\"") for a in call.args
             if a.keyword is None and isinstance(a.value, cst.SimpleString)]
    long = [n for n in names if n.startswith("--")]
    chosen = long[0] if long else (names[0] if names else None)
    if chosen is None:
        return None
    return chosen.lstrip("-").replace("-", "_")


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)
