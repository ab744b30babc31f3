"""What ``obj.X`` may hold: an attribute a method stores once, or a field of a class of records.

A class of records (a dataclass, an attrs class, a pydantic ``BaseModel`` / ``BaseSettings``, a
``NamedTuple``, a ``TypedDict``) declares its fields in its body; an instance holds what its
constructor call passes (by keyword, or by position in field order) or else the field's default.
When the call that built the instance is known (``spec = ShotSpec(seconds="10")``) its value is
the one; when it is not (``self.X`` in a method, a parameter annotated with the class,
``config = config or Config()``), every constructor call of the module gives a possibility, and
the default gives one when a call omits the field or there is no call. A call that passes
``*args`` / ``**kwargs`` makes the field unknown.
"""
from __future__ import annotations

from typing import NamedTuple

import libcst as cst

from .scopes import ASSIGN, CLASS, PARAM, Scope
from .syntax import UNREADABLE, passed_argument
from .values import Resolver

RECORD_BASES = frozenset({"BaseModel", "BaseSettings", "NamedTuple", "TypedDict"})
RECORD_DECORATORS = frozenset({"dataclass", "define", "frozen", "mutable", "s", "attrs"})
MAX_DEPTH = 6


class Written(NamedTuple):
    node: cst.BaseExpression
    scope: Scope
    key: object  # "default", or the index of the constructor call that passes it
    blocker: str | None


class Instance(NamedTuple):
    body: Scope  # the class body
    call: cst.Call | None  # the constructor call, when the instance is known to come from it
    call_scope: Scope | None


def attribute_values(resolver: Resolver, node: cst.Attribute, scope: Scope) -> list[Written] | None:
    """The expressions ``node`` may hold, each with the constructor call it comes from.

    None when ``node`` is no attribute of an object this module follows; an empty list when it is
    one whose value cannot be known (a constructor call passes ``**kwargs``).
    """
    instance = instance_of(resolver, node.value, scope, 0)
    if instance is None:
        return None
    name = node.attr.value
    shown = _source(node)
    # An object's attribute may be read by code this module cannot see (another module holding the
    # instance): its literal is reported, never rewritten.
    shared = f"{shown} is an attribute other code may read"
    stores = [s for s in resolver.walk.attribute_stores if s.attr == name]
    if stores:
        store = stores[0]
        if (len(stores) != 1 or name in instance.body.bindings or _subclass_binds(resolver, instance.body, name)
                or resolver.class_of(store.owner, store.scope) is not instance.body):
            return None
        return [Written(store.value, store.scope, None, shared)]
    if not is_record_class(instance.body):
        return None
    fields = field_names(instance.body)
    if name not in fields or _subclass_binds(resolver, instance.body, name):
        return None
    calls = [(instance.call, instance.call_scope)] if instance.call is not None else constructor_calls(
        resolver, instance.body)
    out: list[Written] = []
    omitted = not calls
    for index, (call, call_scope) in enumerate(calls):
        given = _argument_for(call, fields, name)  # type: ignore[arg-type]
        if given is UNREADABLE:
            return []  # ``Job(**data)``: any value, the class default included, may be the one
        if given is None:
            omitted = True
        else:
            out.append(Written(given, call_scope, index, shared))  # type: ignore[arg-type]
    if omitted:
        default = instance.body.bindings.get(name, ())
        if len(default) != 1 or default[0].kind != ASSIGN:
            return []
        out.append(Written(default[0].value, instance.body, "default", shared))  # type: ignore[arg-type]
    return out


def instance_of(resolver: Resolver, node: cst.BaseExpression, scope: Scope, depth: int) -> Instance | None:
    """The class ``node`` is an instance of (and the call that built it, when that one is known)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, cst.Call):
        body = _class_called(resolver, node.func, scope)
        return Instance(body, node, scope) if body is not None else None
    if isinstance(node, cst.Attribute):
        stores = [s for s in resolver.walk.attribute_stores if s.attr == node.attr.value]
        if len(stores) != 1 or not isinstance(node.value, cst.Name):
            return None
        owner = resolver.class_of(node.value.value, scope)
        if owner is None or resolver.class_of(stores[0].owner, stores[0].scope) is not owner:
            return None
        return instance_of(resolver, stores[0].value, stores[0].scope, depth + 1)
    if not isinstance(node, cst.Name):
        return None
    owner_scope = scope.owner(node.value)
    if owner_scope is None:
        return None
    bindings = owner_scope.bindings[node.value]
    if len(bindings) == 1 and bindings[0].kind == PARAM and _first_parameter(bindings[0].scope, bindings[0].node):
        body = resolver.class_of(node.value, scope)  # ``self`` / ``cls``
        if body is not None:
            return Instance(body, None, None)
    if len(bindings) == 1 and bindings[0].kind == ASSIGN:
        return instance_of(resolver, bindings[0].value, bindings[0].scope, depth + 1)  # type: ignore[arg-type]
    # ``def f(config: Config | None = None): config = config or Config()``: an instance of Config,
    # built by a call this function cannot see.
    classes = set()
    found: Scope | None = None
    for binding in bindings:
        if binding.kind == PARAM and isinstance(binding.node, cst.Param):
            annotation = binding.node.annotation
            outer = owner_scope.parent or scope
            body = _annotated_class(resolver, annotation.annotation, outer) if annotation else None
            if body is None and not _defaults_to_none(binding.node):
                return None
            if body is not None:
                classes.add(id(body))
                found = body
        elif binding.kind == ASSIGN and isinstance(binding.value, cst.BooleanOperation) and isinstance(
                binding.value.operator, cst.Or) and isinstance(binding.value.right, cst.Call):
            body = _class_called(resolver, binding.value.right.func, binding.scope)
            if body is None:
                return None
            classes.add(id(body))
            found = body
        else:
            return None
    if len(classes) != 1 or found is None:
        return None
    return Instance(found, None, None)


def is_record_class(body: Scope) -> bool:
    node = body.node
    if not isinstance(node, cst.ClassDef):
        return False
    if any(_last(b.value) in RECORD_BASES for b in node.bases):
        return True
    return any(_last(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) in RECORD_DECORATORS
               for d in node.decorators)


def field_names(body: Scope) -> list[str]:
    """The fields a record class declares, in order (``name: type`` or ``name: type = default``)."""
    node = body.node
    out = []
    for statement in node.body.body:  # type: ignore[union-attr]
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    out.append(small.target.value)
    return out


def constructor_calls(resolver: Resolver, body: Scope) -> list[tuple[cst.Call, Scope]]:
    name = body.node.name.value  # type: ignore[union-attr]
    return [(call, scope) for call, scope in resolver.walk.named_calls.get(name, ())
            if _class_called(resolver, call.func, scope) is body]


def _argument_for(call: cst.Call, fields: list[str], name: str) -> cst.BaseExpression | None:
    return passed_argument(call, fields.index(name), name)


def _class_called(resolver: Resolver, func: cst.BaseExpression, scope: Scope) -> Scope | None:
    if not isinstance(func, cst.Name):
        return None
    binding = resolver.binding(func.value, scope)
    if binding is None or binding.kind != CLASS:
        return None
    return resolver.walk.class_scopes.get(id(binding.node))


def _annotated_class(resolver: Resolver, annotation: cst.BaseExpression, scope: Scope) -> Scope | None:
    """``Config``, ``Config | None``, ``Optional[Config]``: the class body of the module's class it names."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [annotation.left, annotation.right]
        named = [s for s in sides if not (isinstance(s, cst.Name) and s.value == "None")]
        return _annotated_class(resolver, named[0], scope) if len(named) == 1 else None
    if isinstance(annotation, cst.Subscript) and _last(annotation.value) == "Optional" and len(annotation.slice) == 1:
        inner = annotation.slice[0].slice
        return _annotated_class(resolver, inner.value, scope) if isinstance(inner, cst.Index) else None
    if isinstance(annotation, cst.SimpleString):
        return None
    return _class_called(resolver, annotation, scope)


def _defaults_to_none(param: cst.Param) -> bool:
    return isinstance(param.default, cst.Name) and param.default.value == "None"


def _first_parameter(scope: Scope, param: object) -> bool:
    function = scope.node
    if not isinstance(function, cst.FunctionDef):
        return False
    params = function.params
    first = (params.posonly_params or params.params or (None,))[0]
    return first is not None and first is param


def _subclass_binds(resolver: Resolver, body: Scope, name: str) -> bool:
    """Whether a subclass of the class binds ``name`` too (``self.X`` may then be the subclass's ``X``)."""
    own = body.node.name.value  # type: ignore[union-attr]
    return any(s is not body and s.kind == "class" and name in s.bindings
               and any(_last(b.value) == own for b in s.node.bases)  # type: ignore[union-attr]
               for s in resolver.walk.scopes)


def _last(node: cst.BaseExpression) -> str:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""


_EMPTY_MODULE = cst.Module(body=[])


def _source(node: cst.CSTNode) -> str:
    return _EMPTY_MODULE.code_for_node(node)
