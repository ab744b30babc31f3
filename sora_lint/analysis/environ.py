"""A value read from the environment with a default: ``os.environ.get("BASE", "https://...")``.

The variable is not known statically, but its default names the server the author had in mind
(and the one the code talks to wherever the variable is not set). A server found there is
*assumed*: :class:`~.facts.ClientInfo` says so, so findings under it say so and its fixes are unsafe.
"""
from __future__ import annotations

from typing import NamedTuple

import libcst as cst

from .scopes import Scope
from .syntax import literal_value
from .values import Resolver

# Readers of the environment that take (name, default).
ENVIRONMENT_READERS = frozenset({"os.environ.get", "os.getenv"})


class EnvironmentDefault(NamedTuple):
    default: cst.BaseExpression  # the default as written
    variable: str  # the variable's name ("OPENAI_BASE"), or "the environment" when it is not a literal


def environment_default(resolver: Resolver, node: cst.BaseExpression, scope: Scope) -> EnvironmentDefault | None:
    """``os.environ.get(NAME, default)``, ``os.getenv(NAME, default)``, ``os.environ.get(NAME) or default``."""
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        left = node.left
        if isinstance(left, cst.Call) and resolver.qualified(left.func, scope) in ENVIRONMENT_READERS:
            return EnvironmentDefault(node.right, _variable(left))
        return None
    if not isinstance(node, cst.Call) or resolver.qualified(node.func, scope) not in ENVIRONMENT_READERS:
        return None
    positional = [a for a in node.args if a.keyword is None and not a.star]
    default = positional[1].value if len(positional) > 1 else next(
        (a.value for a in node.args if a.keyword is not None and a.keyword.value in ("default", "failobj")), None)
    return EnvironmentDefault(default, _variable(node)) if default is not None else None


def _variable(call: cst.Call) -> str:
    name = literal_value(call.args[0].value) if call.args and not call.args[0].star else None
    return name if isinstance(name, str) else "the environment"
