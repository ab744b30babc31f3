"""The entry of the analysis: every Sora call in a module, its arguments resolved, and its servers."""
from __future__ import annotations

from collections import Counter

import libcst as cst

from .facts import UNKNOWN, ClientInfo, ModuleFacts, SoraCall
from .http import read_request
from .indirect import read_indirect
from .project import ProjectConstants, ProjectReader
from .scopes import IMPORT, Scope
from .sdk import client_info, read_function_call, read_sdk_call, serves_sora
from .shapes import (
    BASE_URL_KEYWORDS,
    CLIENT_CLASSES,
    CLIENT_SHORT_NAMES,
    MODULE_CLIENTS,
)
from .values import Resolver
from .walk import Walk, contains_call


def find(module: cst.Module, path: str | None = None, files: ProjectReader | None = None) -> ModuleFacts:
    """Every Sora call in ``module`` (SDK calls, library functions and raw requests) with its arguments
    resolved, and the clients and request URLs that say which server the file talks to.

    ``path`` is the module's file: constants imported from other files of its project are read
    through ``files`` when both are given (without them, the module is read on its own).
    """
    walk = Walk(module)
    constants = ProjectConstants(path, files) if path and files is not None else None
    resolver = Resolver(walk, constants)
    order = walk.order
    calls: list[SoraCall] = []
    clients: list[tuple[int, ClientInfo]] = []
    # One record per client a call traces to (its construction, or the module-level client): each
    # call's profile and server come from its own client.
    traced_clients: dict[object, ClientInfo] = {}
    reads = [(node, read_sdk_call(resolver, node, scope)) for node, scope in walk.sdk_calls]
    reads += [(node, read) for node, scope in walk.indirect_calls for read in read_indirect(resolver, node, scope)]
    for node, (variants, traced) in reads:
        calls.extend(variants)
        if traced is None or not variants:
            continue
        if traced.construction is None and traced.qualified in MODULE_CLIENTS:
            info = traced_clients.get(traced.qualified)
            if info is None:
                info = ClientInfo(node, traced.qualified, _module_base_url(resolver, traced.qualified))
                traced_clients[traced.qualified] = info
            clients.append((order[id(node)], info))
        elif traced.construction is not None and traced.scope is not None:
            info = traced_clients.get(id(traced.construction))
            if info is None:
                info = client_info(resolver, traced.construction, traced.qualified, traced.scope)
                traced_clients[id(traced.construction)] = info
        else:
            continue  # a parameter annotated with the class: which client it is is not known here
        for variant in variants:
            variant.client = info
    for node, scope in walk.function_calls:
        calls.extend(read_function_call(resolver, node, scope))
    for node, scope in walk.client_calls + _aliased_constructions(walk):
        qualified = resolver.qualified(node.func, scope)
        if qualified in CLIENT_CLASSES:
            info = client_info(resolver, node, qualified, scope)
            if serves_sora(info):
                clients.append((order[id(node)], info))
    for node, scope in walk.http_calls:
        request = read_request(resolver, node, scope)
        if request is not None:
            calls.extend(request[0])
            for call in request[0]:
                call.client = request[1]
            if any(c.has_evidence for c in request[0]):
                clients.append((order[id(node)], request[1]))
    clients.sort(key=lambda item: item[0])  # the first server named in the source decides profile auto
    variants_of = Counter(id(c.node) for c in calls)
    for call in calls:
        call.variants = variants_of[id(call.node)]
    imports_openai = any(b.kind == IMPORT and str(b.value).split(".")[0] == "openai"
                         for scope in walk.scopes for found in scope.bindings.values() for b in found)
    dependencies = tuple(sorted(constants.used)) if constants is not None else ()
    # Only an f-string with a call inside can hold a fix (the call, its arguments, or a literal passed to
    # one of the module's functions): the others need no position, and locating them costs code generation.
    fstrings = [f for f in walk.fstrings if contains_call(f)]
    return ModuleFacts(module, calls, [c for _, c in clients], imports_openai, fstrings, dependencies, walk.scopes)


def _aliased_constructions(walk: Walk) -> list[tuple[cst.Call, Scope]]:
    """Calls of a client class imported under another name (``from openai import OpenAI as Client``)."""
    out: list[tuple[cst.Call, Scope]] = []
    for scope in walk.scopes:
        for name, bindings in scope.bindings.items():
            if name not in CLIENT_SHORT_NAMES and any(b.kind == IMPORT and b.value in CLIENT_CLASSES for b in bindings):
                out.extend(walk.named_calls.get(name, ()))
    return out


def _module_base_url(resolver: Resolver, module: str) -> object:
    """What ``openai.base_url = "..."`` sets for the module-level client: None when never set."""
    stores = [s for s in resolver.walk.attribute_stores if s.attr in BASE_URL_KEYWORDS[:1]
              and resolver.qualified(cst.Name(s.owner), s.scope) == module]
    if not stores:
        return None
    value = resolver.value(stores[0].value, stores[0].scope).value if len(stores) == 1 else UNKNOWN
    return value if isinstance(value, str) else UNKNOWN
