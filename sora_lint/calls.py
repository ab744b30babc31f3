"""Every Sora call in a module: SDK calls (:mod:`.finder`) and raw HTTP requests (:mod:`.http_calls`).

The one walk in :mod:`.finder` collects both kinds of candidate; this module, which
sits above both, turns them into :class:`~.finder.SoraCall` records.
"""
from __future__ import annotations

from typing import List

import libcst as cst

from .finder import ClientInfo, ModuleFacts, _Resolver, _Walker
from .http_calls import read_request


def find(module: cst.Module) -> ModuleFacts:
    """Every Sora call in ``module`` (SDK calls and raw requests) with its arguments resolved,
    and the clients and request URLs that say which server the file talks to."""
    walker = _Walker()
    walker.walk(module)
    resolver = _Resolver(walker)
    calls = [resolver.call(node, method, scope) for node, method, scope in walker.calls]
    clients: List[ClientInfo] = []
    for node, class_name, scope in walker.client_calls:
        if class_name is not None:
            clients.append(resolver.client(node, class_name, scope))
            continue
        request = read_request(resolver, node, scope)
        if request is not None:
            calls.append(request[0])
            if request[0].has_evidence:
                clients.append(request[1])
    return ModuleFacts(module, calls, clients, walker.imports_openai, walker.fstrings)
