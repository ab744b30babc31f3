"""What a call of one of the module's own functions returns: a client (a factory) or a dict (a builder).

``def get_client(): return OpenAI(...)`` then ``get_client().videos.create(...)``, and
``def build_payload(prompt, seconds="8"): return {"model": "sora-2", "prompt": prompt, "seconds": seconds}``
then ``json=build_payload(p, seconds="10")``. A function is followed only when it has exactly one
``return`` with a value (nested functions and classes aside), no ``yield``, and no decorator but a cache
(any other decorator may return something else). Its parameters resolve as any parameter passed
straight on does: to its default and to the literal each call of it in the module passes.
"""
from __future__ import annotations

import libcst as cst

from .scopes import ASSIGN, CLASS, DEF, PARAM, Scope
from .syntax import dotted
from .values import Mapping, Resolver

# Decorators that return what the function returns.
_TRANSPARENT_DECORATORS = frozenset({"cache", "lru_cache", "cached_property", "property"})


def function_of(resolver: Resolver, call: cst.Call, scope: Scope) -> tuple[cst.FunctionDef, Scope] | None:
    """The module's own function a call by name calls, and the scope of its body."""
    if not isinstance(call.func, cst.Name):
        return None
    binding = resolver.binding(call.func.value, scope)
    if binding is None or binding.kind != DEF or not isinstance(binding.node, cst.FunctionDef):
        return None
    function = binding.node
    if any(_decorator_name(d.decorator) not in _TRANSPARENT_DECORATORS for d in function.decorators):
        return None
    inner = next((s for s in resolver.walk.scopes if s.node is function), None)
    return (function, inner) if inner is not None else None


def returned(resolver: Resolver, call: cst.Call, scope: Scope) -> tuple[cst.BaseExpression, Scope] | None:
    """The expression a call of the module's own function returns, and the scope it is evaluated in."""
    found = function_of(resolver, call, scope)
    if found is None:
        return None
    values = _returns(found[0].body)
    return (values[0], found[1]) if values is not None and len(values) == 1 else None


def builder_mapping(resolver: Resolver, node: cst.BaseExpression, scope: Scope, before: int,
                    branches: bool = False) -> Mapping | None:
    """The keys of a mapping, also when it is built by a function of the module (``build_payload(...)``,
    or a name bound once to such a call and only handed on)."""
    found = resolver.mapping(node, scope, before, branches=branches)
    if found is not None or not isinstance(node, (cst.Call, cst.Name)):
        return found
    call, call_scope = node, scope
    if isinstance(node, cst.Name):
        binding = resolver.binding(node.value, scope)
        if (binding is None or binding.kind != ASSIGN or not isinstance(binding.value, cst.Call)
                or not resolver.only_handed_on(binding)
                or resolver.key_stores.completions(binding, before, scope) != []):
            return None
        call, call_scope = binding.value, binding.scope
    if not isinstance(call, cst.Call):
        return None
    value = returned(resolver, call, call_scope)
    if value is None:
        return None
    inner = resolver.mapping(value[0], value[1])
    if inner is None:
        return None
    name = call.func.value  # type: ignore[attr-defined]
    callers = sum(1 for c, s in resolver.walk.named_calls.get(name, ()) if s.owner(name) is call_scope.owner(name))
    why = f"{name}() builds it for every call of it" if callers != 1 else None
    shared = f"{inner.name} is read more than once" if inner.shared else None
    return Mapping({k: e._replace(blocker=e.blocker or shared or why) for k, e in inner.entries.items()}, f"{name}()")


def method_callers(resolver: Resolver, method: cst.FunctionDef, class_scope: Scope) -> list[tuple[cst.Call, Scope]]:
    """The calls of a plain method of the module's own class: ``self.shot(...)`` in its class, and
    ``obj.shot(...)`` where ``obj`` is bound once to ``Renderer(...)``. A decorated method (static, class,
    property) is never followed: its first argument may not be the instance."""
    if method.decorators or not isinstance(class_scope.node, cst.ClassDef):
        return []
    out = []
    for call, scope in resolver.walk.method_calls.get(method.name.value, ()):
        receiver = call.func.value  # type: ignore[attr-defined]
        if not isinstance(receiver, cst.Name):
            continue
        binding = resolver.binding(receiver.value, scope)
        if binding is None:
            continue
        if binding.kind == PARAM and resolver.class_of(receiver.value, scope) is class_scope:
            out.append((call, scope))
        elif (binding.kind == ASSIGN and isinstance(binding.value, cst.Call)
              and isinstance(binding.value.func, cst.Name)):
            built = resolver.binding(binding.value.func.value, binding.scope)
            if built is not None and built.kind == CLASS and built.node is class_scope.node:
                out.append((call, scope))
    return out


def _returns(body: cst.BaseSuite) -> list[cst.BaseExpression] | None:
    """The values of the ``return`` statements of a function body; None when it yields or returns bare."""
    out: list[cst.BaseExpression] = []
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Yield):
            return None
        if isinstance(node, cst.Return):
            if node.value is None:
                return None
            out.append(node.value)
            continue
        stack.extend(node.children)
    return out


def _decorator_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Call):
        node = node.func
    return dotted(node)[-1]
