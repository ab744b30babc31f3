"""The statements that bind names, as :class:`~.walk.Walk` meets them.

Each handler records the bindings a statement makes in the scope that owns them (``global`` and
``nonlocal`` redirect), pushes what the statement loads, and returns True (its children are
handled). Whatever cannot be followed (a loop target, ``+=``, ``del``, ``except ... as``, a walrus,
a match capture) is an ``OTHER`` binding: its value is never known.
"""
from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from .scopes import (
    ASSIGN,
    IMPORT,
    LOOP,
    OTHER,
    WITH,
    AttributeStore,
    Binding,
    KeyStore,
    Scope,
    add,
)
from .syntax import literal_value, target_names


class Binders:
    module_scope: Scope
    key_stores: list[KeyStore]
    attribute_stores: list[AttributeStore]
    positions: dict[int, tuple[int, int]]
    order: dict[int, int]
    star_import: bool
    _line: cst.CSTNode | None
    _stack: list[tuple[cst.CSTNode, Scope]]
    _first_iters: set[int]

    def _push(self, nodes: cst.CSTNode | Sequence[cst.CSTNode | None] | None, scope: Scope) -> None:
        """Visit ``nodes`` (a node, a sequence of nodes, or None) next, in source order."""
        if nodes is None:
            return
        kind = type(nodes)
        if kind is not tuple and kind is not list:  # a node (an isinstance of LibCST's ABC costs more)
            self._stack.append((nodes, scope))  # type: ignore[arg-type]
            return
        for node in reversed(nodes):  # type: ignore[arg-type]
            if node is not None:
                self._stack.append((node, scope))

    def bind(self, scope: Scope, name: str, kind: str, value: object = None, node: cst.CSTNode | None = None) -> None:
        target = scope.redirect.get(name, scope) if scope.redirect else scope
        target.bindings.setdefault(name, []).append(Binding(name, target, kind, value, node, self._line))

    def _bind_targets(self, target: cst.CSTNode, scope: Scope, kind: str = OTHER) -> None:
        for name in target_names(target):
            self.bind(scope, name, kind)


    # --- statements -------------------------------------------------------------------

    def _block(self, node: cst.Module | cst.BaseSuite, scope: Scope) -> bool:
        block = id(node)
        positions = self.positions
        for index, statement in enumerate(node.body):
            positions[id(statement)] = (block, index)
        return False

    def _simple_line(self, node: cst.CSTNode, scope: Scope) -> bool:
        self._line = node  # small statements never nest: every binder until the next line is in this one
        return False

    def _assign(self, node: cst.Assign, scope: Scope) -> bool:
        value = node.value
        for target in node.targets:
            self._store(target.target, value, scope)
        self._push(value, scope)
        return True

    def _ann_assign(self, node: cst.AnnAssign, scope: Scope) -> bool:
        if node.value is not None:
            self._store(node.target, node.value, scope)
        elif not isinstance(node.target, cst.Name):
            self._push(node.target, scope)
        self._push(node.annotation, scope)
        self._push(node.value, scope)
        return True

    def _store(self, target: cst.BaseExpression, value: cst.BaseExpression, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            self.bind(scope, target.value, ASSIGN, value)
            if self._line is not None:  # when the literal was met, against the keys stored after it
                self.order.setdefault(id(self._line), len(self.order))
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else None
            pairwise = (values is not None and len(values) == len(elements)
                        and not any(isinstance(e, cst.StarredElement) for e in (*elements, *values)))
            for index, element in enumerate(elements):
                if pairwise and isinstance(element.value, cst.Name):
                    self.bind(scope, element.value.value, ASSIGN, values[index].value)  # type: ignore[index]
                elif isinstance(element.value, (cst.Name, cst.Tuple, cst.List, cst.StarredElement)):
                    self._bind_targets(element.value, scope)
                else:
                    self._push(element.value, scope)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            name = target.value.value
            key = _literal_key(target)
            if key is not None:
                self.key_stores.append(KeyStore(name, scope, key, value, self._line, len(self.order)))
            else:
                add(scope.loads, name)  # an unknown key: the dict is changed in a way we cannot follow
            self._push(target.slice, scope)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            self.attribute_stores.append(AttributeStore(target.value.value, target.attr.value, value, scope))
            self._push(target.value, scope)
        else:
            self._push(target, scope)

    def _aug_assign(self, node: cst.AugAssign, scope: Scope) -> bool:
        target = node.target
        if isinstance(target, cst.Name):
            self.bind(scope, target.value, OTHER)
            add(scope.loads, target.value)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            add(scope.loads, target.value.value)  # ``params["seconds"] += 2``: a change, not a read
            self._push(target.slice, scope)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            # ``self.duration += 2``: a store whose value is unknown (a name nothing binds)
            self.attribute_stores.append(AttributeStore(target.value.value, target.attr.value, _CHANGED, scope))
            self._push(target.value, scope)
        else:
            self._push(target, scope)
        self._push(node.value, scope)
        return True

    def _del(self, node: cst.Del, scope: Scope) -> bool:
        targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else [node.target]
        for target in targets:
            target = getattr(target, "value", target) if isinstance(target, cst.Element) else target
            if isinstance(target, cst.Name):
                self.bind(scope, target.value, OTHER)
            elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                add(scope.loads, target.value.value)  # ``del params["seconds"]``: a change
                self._push(target.slice, scope)
            else:
                self._push(target, scope)
        return True

    def _for(self, node: cst.For, scope: Scope) -> bool:
        if isinstance(node.target, cst.Name):
            self.bind(scope, node.target.value, LOOP, node.iter)
        else:
            self._bind_targets(node.target, scope)
        self._push((node.iter, node.body, node.orelse), scope)
        return True

    def _with_item(self, node: cst.WithItem, scope: Scope) -> bool:
        if node.asname is not None:
            name = node.asname.name
            if isinstance(name, cst.Name):
                # ``with OpenAI() as client``: clients and sessions return themselves from __enter__.
                self.bind(scope, name.value, WITH, node.item)
            else:
                self._bind_targets(name, scope)
        self._push(node.item, scope)
        return True

    def _except(self, node: cst.ExceptHandler | cst.ExceptStarHandler, scope: Scope) -> bool:
        if node.name is not None:
            self._bind_targets(node.name.name, scope)
        self._push((node.type, node.body), scope)
        return True

    def _walrus(self, node: cst.NamedExpr, scope: Scope) -> bool:
        owner = scope
        while owner.kind == "comprehension" and owner.parent is not None:
            owner = owner.parent  # a walrus in a comprehension binds in the enclosing scope
        self._bind_targets(node.target, owner)
        self._push(node.value, scope)
        return True

    def _import(self, node: cst.Import, scope: Scope) -> bool:
        for alias in node.names:
            parts = _dotted_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bind(scope, alias.asname.name.value, IMPORT, parts)
            else:
                head = parts.split(".", 1)[0]
                self.bind(scope, head, IMPORT, head)
        return True

    def _import_from(self, node: cst.ImportFrom, scope: Scope) -> bool:
        module = "." * len(node.relative) + (_dotted_name(node.module) if node.module is not None else "")
        if isinstance(node.names, cst.ImportStar):
            self.star_import = True
            return True
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else alias.name.value
            )
            joiner = "" if module.endswith(".") else "."
            self.bind(scope, local, IMPORT, f"{module}{joiner}{alias.name.value}")
        return True

    def _global(self, node: cst.Global, scope: Scope) -> bool:
        for item in node.names:
            scope.redirect[item.name.value] = self.module_scope
        return True

    def _nonlocal(self, node: cst.Nonlocal, scope: Scope) -> bool:
        # The enclosing function that owns the name may bind it later in the source than this
        # statement: rather than guess which one it is, every enclosing function's binding of the
        # name becomes unknown (it can be rebound from here).
        for item in node.names:
            name = item.name.value
            owner = scope.parent
            while owner is not None and owner.kind != "module":
                if owner.kind == "function":
                    owner.bindings.setdefault(name, []).append(Binding(name, owner, OTHER, None, None, self._line))
                    scope.redirect.setdefault(name, owner)
                owner = owner.parent
        return True

    def _match_name(self, node: cst.MatchAs | cst.MatchStar, scope: Scope) -> bool:
        if node.name is not None:
            self.bind(scope, node.name.value, OTHER)
        return False

    def _match_mapping(self, node: cst.MatchMapping, scope: Scope) -> bool:
        if node.rest is not None:
            self.bind(scope, node.rest.value, OTHER)
        self._push(node.elements, scope)
        return True


_CHANGED = cst.Name("__changed_in_place__")


def _dotted_name(node: cst.CSTNode) -> str:
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))


def _literal_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    key = literal_value(node.slice[0].slice.value)
    return key if isinstance(key, str) else None
