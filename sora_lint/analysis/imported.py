"""Values another module of the project holds: ``**presets.CINEMA``, ``presets.CINEMA["seconds"]``,
``from .clients import sora_client``.

:mod:`.project` reads that module's top-level literals (dicts of literals too) and the clients it builds,
with :mod:`ast`. A value found there is reported at the call that uses it, never rewritten in the
other file (its other importers may rely on it): the reason is in the finding's note.
"""
from __future__ import annotations

from typing import NamedTuple

import libcst as cst

from .facts import Resolved
from .project import ProjectClient
from .scopes import Scope
from .syntax import literal_value
from .values import Resolver

_EMPTY_MODULE = cst.Module(body=[])


class ProjectMapping(NamedTuple):
    entries: dict[str, object]
    where: str  # "presets.py:3"
    shown: str  # how the call writes it: "presets.CINEMA"

    def resolved(self, param: str, anchor: cst.CSTNode, via: str | None = None) -> Resolved:
        return Resolved(param, self.entries[param], anchor, None, via=via or f"**{self.shown}",
                        fix_blocker=f"{self.shown} is defined in another file ({self.where})", key=param,
                        defined_at=self.where)


def _lookup(resolver: Resolver, node: cst.BaseExpression, scope: Scope) -> tuple[object, str] | None:
    if resolver.constants is None or not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    qualified = resolver.qualified(node, scope)
    return resolver.constants.lookup_any(qualified) if qualified is not None else None


def project_mapping(resolver: Resolver, node: cst.BaseExpression, scope: Scope) -> ProjectMapping | None:
    """A dict of literals another project module binds (``presets.CINEMA``, or ``CINEMA`` imported by name)."""
    found = _lookup(resolver, node, scope)
    if found is None or not isinstance(found[0], dict):
        return None
    return ProjectMapping(found[0], found[1], _EMPTY_MODULE.code_for_node(node))


def project_item(resolver: Resolver, param: str, node: cst.BaseExpression, scope: Scope) -> Resolved | None:
    """``presets.CINEMA["seconds"]``: one key of such a dict."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    key = literal_value(node.slice[0].slice.value)
    table = project_mapping(resolver, node.value, scope)
    if table is None or not isinstance(key, str) or key not in table.entries:
        return None
    found = table._replace(entries={param: table.entries[key]})
    return found.resolved(param, node, via=_EMPTY_MODULE.code_for_node(node))


def project_client(resolver: Resolver, node: cst.BaseExpression, scope: Scope) -> str | None:
    """The class of a client another project module builds (``from .clients import sora_client``)."""
    found = _lookup(resolver, node, scope)
    return found[0].qualified if found is not None and isinstance(found[0], ProjectClient) else None
