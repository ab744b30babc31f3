"""Bindings per scope: the records :mod:`.walk` fills and :mod:`.values` reads.

Per scope (module, class, function, lambda, comprehension): each name's bindings, how often the
name is loaded, and ``global`` / ``nonlocal`` redirections. A name resolves through the chain of
scopes as Python resolves it (a class body is not an enclosing scope for the functions in it).
"""
from __future__ import annotations

import libcst as cst

# Kinds of binding.
ASSIGN = "assign"  # ``name = value`` (value: the expression)
PARAM = "param"  # a function parameter (node: the Param; value: its default)
IMPORT = "import"  # (value: the qualified name, "openai.OpenAI"; a relative import starts with dots)
WITH = "with"  # ``with item as name`` (value: the item)
DEF = "def"  # ``def name`` (node: the FunctionDef)
CLASS = "class"  # ``class name`` (node: the ClassDef)
LOOP = "loop"  # ``for name in iterable`` (value: the iterable): its items, when a literal table gives them
OTHER = "other"  # anything whose value cannot be known: loops, ``+=``, ``del``, ``except``, walrus, match


class Scope:
    __slots__ = ("kind", "parent", "node", "bindings", "loads", "safe", "redirect", "readers", "safe_readers")

    def __init__(self, kind: str, parent: Scope | None, node: cst.CSTNode | None) -> None:
        self.kind = kind  # "module", "class", "function" or "comprehension"
        self.parent = parent
        self.node = node  # the FunctionDef / ClassDef / Lambda that opens it
        self.bindings: dict[str, list[Binding]] = {}
        self.loads: dict[str, int] = {}  # loads of a name in this scope
        self.safe: dict[str, int] = {}  # ... of which hand a container on unchanged (``**name``, ``name["k"]``)
        self.redirect: dict[str, Scope] = {}  # ``global`` / ``nonlocal`` names
        self.readers: dict[str, int] = {}  # loads anywhere that resolve to this scope's binding
        self.safe_readers: dict[str, int] = {}

    def owner(self, name: str) -> Scope | None:
        """The scope whose binding of ``name`` a load in this scope reaches, as Python resolves it."""
        current: Scope | None = self
        first = True
        while current is not None:
            if current.redirect:
                target = current.redirect.get(name)
                if target is not None:
                    return target if name in target.bindings else None
            if (first or current.kind != "class") and name in current.bindings:
                return current
            first = False
            current = current.parent
        return None

    def function(self) -> Scope | None:
        """The nearest function scope, this one included (comprehensions and lambdas belong to it)."""
        current: Scope | None = self
        while current is not None and current.kind not in ("function", "module"):
            current = current.parent
        return current if current is not None and current.kind == "function" else None


class Binding:
    __slots__ = ("name", "scope", "kind", "value", "node", "line")

    def __init__(self, name: str, scope: Scope, kind: str, value: object = None,
                 node: cst.CSTNode | None = None, line: cst.CSTNode | None = None) -> None:
        self.name = name
        self.scope = scope
        self.kind = kind
        self.value = value
        self.node = node
        self.line = line  # the statement line of an assignment (for straight-line reasoning)


class KeyStore:
    """``name["key"] = value`` as a statement: a dict completed after its literal."""

    __slots__ = ("name", "scope", "key", "value", "line", "order")

    def __init__(self, name: str, scope: Scope, key: str, value: cst.BaseExpression, line: cst.CSTNode | None,
                 order: int) -> None:
        self.name, self.scope, self.key, self.value, self.line = name, scope, key, value, line
        self.order = order  # when the walk met it, against a call's ``Walk.order``


class AttributeStore:
    """``owner.attr = value`` where ``owner`` is a name (``self.client = OpenAI()``)."""

    __slots__ = ("owner", "attr", "value", "scope")

    def __init__(self, owner: str, attr: str, value: cst.BaseExpression, scope: Scope) -> None:
        self.owner, self.attr, self.value, self.scope = owner, attr, value, scope




def add(counter: dict[str, int], name: str, count: int = 1) -> None:
    counter[name] = counter.get(name, 0) + count


def optional_import(name: str, scope: Scope) -> Binding | None:
    """The import of an optional dependency: ``try: from openai import OpenAI`` / ``except ImportError:
    OpenAI = None``. Where the name is not ``None`` it is that import (calling ``None`` fails), so it
    qualifies as the import. ``OpenAI = None`` alone, or two different imports, are not one."""
    owner = scope.owner(name)
    if owner is None:
        return None
    imports = [b for b in owner.bindings[name] if b.kind == IMPORT]
    others = [b for b in owner.bindings[name] if b.kind != IMPORT]
    if not imports or len({b.value for b in imports}) != 1:
        return None
    if all(b.kind == ASSIGN and isinstance(b.value, cst.Name) and b.value.value == "None" for b in others):
        return imports[0]
    return None
