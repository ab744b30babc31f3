"""SDK calls made indirectly: ``functools.partial``, ``asyncio.to_thread``, ``loop.run_in_executor``.

``render = functools.partial(client.videos.create, model="sora-2")`` then ``render(prompt=p, seconds="8")``
sends the partial's keywords and the call's together (the call's win): each call of a partial bound to
a name is read with both. A partial that is never called by its name in the module (passed to an
executor, a retry helper) is read on its own; when it is bound to a name, whoever calls it may add
keywords, so an omitted parameter is not assumed to take its default. ``asyncio.to_thread(f, **kw)`` calls
``f(**kw)``; ``loop.run_in_executor(None, f, *args)`` passes positional arguments only, which the SDK
methods do not take, so only a partial (or a name bound to one) is read there.
A lambda passed to a helper (``retry(lambda: client.videos.create(**kw))``) needs nothing here: the call
inside it is an ordinary call.
"""
from __future__ import annotations

import libcst as cst

from .facts import SoraCall
from .scopes import ASSIGN, Scope
from .sdk import Given, Trace, read_sdk_call, sdk_shape
from .shapes import INDIRECT_CALLERS, INDIRECT_METHODS, PARTIAL
from .values import Resolver

Read = tuple[list[SoraCall], "Trace | None"]


def read_indirect(resolver: Resolver, node: cst.Call, scope: Scope) -> list[Read]:
    """The SDK calls ``node`` makes indirectly (several when it is a partial called more than once)."""
    func = node.func
    qualified = resolver.qualified(func, scope)
    index = INDIRECT_CALLERS.get(qualified or "")
    if index is None and isinstance(func, cst.Attribute) and qualified is None:
        index = INDIRECT_METHODS.get(func.attr.value)
    if index is None:
        return []
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if len(positional) <= index or positional[index] is not node.args[index]:
        return []
    target = node.args[index].value
    rest: Given = [(a, scope) for a in node.args[index + 1:]]
    if qualified == PARTIAL:
        return _partial(resolver, node, scope, target, rest)
    if sdk_shape(target) is not None and qualified is not None:  # asyncio.to_thread(client.videos.create, ...)
        return [read_sdk_call(resolver, node, scope, target, rest)]
    partial = _bound_partial(resolver, target, scope)
    if partial is None:
        return []
    # to_thread(render, seconds="8") / run_in_executor(None, render): the partial's keywords, then these.
    call, call_scope, method = partial
    return [read_sdk_call(resolver, call if qualified is None else node, call_scope, method,
                          _partial_args(call, call_scope) + (list(rest) if qualified is not None else []))]


def _partial(resolver: Resolver, node: cst.Call, scope: Scope, method: cst.BaseExpression, rest: Given) -> list[Read]:
    if sdk_shape(method) is None:
        return []
    name = _bound_name(resolver, node, scope)
    callers = _calls_of(resolver, name, scope) if name is not None else []
    if not callers:
        calls, traced = read_sdk_call(resolver, node, scope, method, rest)
        if name is not None:  # passed on by its name: whoever calls it may add any keyword
            for sora_call in calls:
                sora_call.has_star_args = True
        return [(calls, traced)]
    out = []
    inside = _node_ids(node)
    for caller, caller_scope in callers:
        calls, traced = read_sdk_call(resolver, caller, scope, method,
                                      list(rest) + [(a, caller_scope) for a in caller.args])
        if len(callers) > 1:
            for sora_call in calls:
                for arg in [*sora_call.args.values(), *(u.value for u in sora_call.unknown_keywords)]:
                    if arg.literal is not None and id(arg.literal) in inside and arg.fix_blocker is None:
                        arg.fix_blocker = f"the partial {name} is called more than once"
        out.append((calls, traced))
    return out


def _bound_name(resolver: Resolver, node: cst.Call, scope: Scope) -> str | None:
    """The name a partial is bound to (``render = functools.partial(...)``), bound only there."""
    for name, bindings in scope.bindings.items():
        if len(bindings) == 1 and bindings[0].kind == ASSIGN and bindings[0].value is node:
            return name
    return None


def _calls_of(resolver: Resolver, name: str, scope: Scope) -> list[tuple[cst.Call, Scope]]:
    """The calls ``name(...)`` in the module that reach the binding of ``name`` in ``scope``."""
    return [(call, call_scope) for call, call_scope in resolver.walk.named_calls.get(name, ())
            if call_scope.owner(name) is scope]


def _bound_partial(resolver: Resolver, target: cst.BaseExpression,
                   scope: Scope) -> tuple[cst.Call, Scope, cst.BaseExpression] | None:
    """The partial of an SDK method a name is bound to: (the partial, its scope, the method)."""
    bound, bound_scope = resolver.bound_expression(target, scope)
    if bound is target or not isinstance(bound, cst.Call) or resolver.qualified(bound.func, bound_scope) != PARTIAL:
        return None
    if not bound.args or bound.args[0].keyword is not None or bound.args[0].star:
        return None
    method = bound.args[0].value
    return (bound, bound_scope, method) if sdk_shape(method) is not None else None


def _partial_args(call: cst.Call, scope: Scope) -> list[tuple[cst.Arg, Scope]]:
    return [(a, scope) for a in call.args[1:]]


def _node_ids(node: cst.CSTNode) -> set[int]:
    found: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        found.add(id(current))
        stack.extend(current.children)
    return found
