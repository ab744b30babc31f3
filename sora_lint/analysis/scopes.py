"""Bindings per scope, collected in one walk over the tree (no LibCST metadata).

LibCST's ``ScopeProvider`` would answer the same questions, but it costs several times the
parse (see ``bench/run.py``). This walk uses an explicit stack and keeps, per scope (module,
class, function, lambda, comprehension), each name's bindings and how often the name is loaded,
with ``global`` / ``nonlocal`` redirecting bindings to the scope that owns them. After the walk
each load is credited to the scope its name resolves to, as Python resolves it (a class body is
not an enclosing scope for the functions in it), so a binding's readers are known exactly.

The same walk records the candidate calls of every shape in :mod:`.shapes`, the ``self.X = ...``
stores of methods, and the keys a dict gets after its literal (``params["seconds"] = "8"``).
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

import libcst as cst

from .shapes import (
    BODY_KEYWORDS,
    CLIENT_SHORT_NAMES,
    FUNCTION_SHORT_NAMES,
    HTTP_VERBS,
    SDK_METHODS,
)
from .syntax import json_dumps_argument, literal_value, target_names

# Kinds of binding.
ASSIGN = "assign"  # ``name = value`` (value: the expression)
PARAM = "param"  # a function parameter (node: the Param; value: its default)
IMPORT = "import"  # (value: the qualified name, "openai.OpenAI"; a relative import starts with dots)
WITH = "with"  # ``with item as name`` (value: the item)
DEF = "def"  # ``def name`` (node: the FunctionDef)
CLASS = "class"  # ``class name`` (node: the ClassDef)
OTHER = "other"  # anything whose value cannot be known: loops, ``+=``, ``del``, ``except``, walrus, match

# Methods of a dict that read it and never change it.
READ_ONLY_METHODS = frozenset({"get", "copy", "keys", "values", "items"})


class Scope:
    __slots__ = ("kind", "parent", "node", "bindings", "loads", "safe", "redirect", "readers", "safe_readers")

    def __init__(self, kind: str, parent: Optional["Scope"], node: Optional[cst.CSTNode]) -> None:
        self.kind = kind  # "module", "class", "function" or "comprehension"
        self.parent = parent
        self.node = node  # the FunctionDef / ClassDef / Lambda that opens it
        self.bindings: Dict[str, List[Binding]] = {}
        self.loads: Dict[str, int] = {}  # loads of a name in this scope
        self.safe: Dict[str, int] = {}  # ... of which hand a container on unchanged (``**name``, ``name["k"]``)
        self.redirect: Dict[str, Scope] = {}  # ``global`` / ``nonlocal`` names
        self.readers: Dict[str, int] = {}  # loads anywhere that resolve to this scope's binding
        self.safe_readers: Dict[str, int] = {}

    def owner(self, name: str) -> Optional["Scope"]:
        """The scope whose binding of ``name`` a load in this scope reaches, as Python resolves it."""
        current: Optional[Scope] = self
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

    def function(self) -> Optional["Scope"]:
        """The nearest function scope, this one included (comprehensions and lambdas belong to it)."""
        current: Optional[Scope] = self
        while current is not None and current.kind not in ("function", "module"):
            current = current.parent
        return current if current is not None and current.kind == "function" else None


class Binding:
    __slots__ = ("name", "scope", "kind", "value", "node", "line")

    def __init__(self, name: str, scope: Scope, kind: str, value: object = None,
                 node: Optional[cst.CSTNode] = None, line: Optional[cst.CSTNode] = None) -> None:
        self.name = name
        self.scope = scope
        self.kind = kind
        self.value = value
        self.node = node
        self.line = line  # the statement line of an assignment (for straight-line reasoning)


class KeyStore:
    """``name["key"] = value`` as a statement: a dict completed after its literal."""

    __slots__ = ("name", "scope", "key", "value", "line", "order")

    def __init__(self, name: str, scope: Scope, key: str, value: cst.BaseExpression, line: Optional[cst.CSTNode],
                 order: int) -> None:
        self.name, self.scope, self.key, self.value, self.line = name, scope, key, value, line
        self.order = order  # when the walk met it, against a call's ``Walk.order``


class AttributeStore:
    """``owner.attr = value`` where ``owner`` is a name (``self.client = OpenAI()``)."""

    __slots__ = ("owner", "attr", "value", "scope")

    def __init__(self, owner: str, attr: str, value: cst.BaseExpression, scope: Scope) -> None:
        self.owner, self.attr, self.value, self.scope = owner, attr, value, scope


_SKIPPED_FIELDS = ("whitespace", "lpar", "rpar", "comma", "equal", "semicolon", "colon", "dot",
                   "operator", "header", "footer", "leading_lines", "lines_after_decorators",
                   "star", "lbracket", "rbracket", "lbrace", "rbrace", "newline", "indent",
                   "default_indent", "default_newline", "encoding", "has_trailing_newline",
                   "keyword", "quote", "prefix", "value_str")
_FIELD_CACHE: Dict[type, Tuple[str, ...]] = {}
_NODE_TYPES: Dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    """``issubclass(kind, CSTNode)``, cached: CSTNode is an ABC, and its isinstance is slow."""
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return known


def _child_fields(node_type: type) -> Tuple[str, ...]:
    fields = _FIELD_CACHE.get(node_type)
    if fields is None:
        fields = tuple(
            name for name in node_type.__dataclass_fields__  # type: ignore[attr-defined]
            if not any(name.startswith(p) or name.endswith(p) for p in _SKIPPED_FIELDS)
        )
        _FIELD_CACHE[node_type] = fields
    return fields


def _add(counter: Dict[str, int], name: str) -> None:
    counter[name] = counter.get(name, 0) + 1


class Walk:
    """One pass over a module: its scopes, bindings, loads, and the candidate calls of every shape."""

    def __init__(self, module: cst.Module) -> None:
        self.module_scope = Scope("module", None, module)
        self.scopes: List[Scope] = [self.module_scope]
        self.sdk_calls: List[Tuple[cst.Call, Scope]] = []  # callee ``<x>.create`` / ``.extend`` / ...
        self.function_calls: List[Tuple[cst.Call, Scope]] = []  # callee named like a library function shape
        self.client_calls: List[Tuple[cst.Call, Scope]] = []  # callee named like a client class
        self.http_calls: List[Tuple[cst.Call, Scope]] = []  # callee ``post`` / ``request``
        # Calls of a plain name (``make(...)``), for values passed to a module's own functions.
        self.named_calls: Dict[str, List[Tuple[cst.Call, Scope]]] = {}
        self.key_stores: List[KeyStore] = []
        self.attribute_stores: List[AttributeStore] = []
        self.class_scopes: Dict[int, Scope] = {}  # id(ClassDef) -> its body's scope
        self.attribute_loads: Dict[str, int] = {}  # ``x.NAME`` reads, by attribute name
        # id(candidate call) -> when the walk met it (source order), for dict keys completed before it
        self.order: Dict[int, int] = {}
        self.fstrings: List[cst.FormattedString] = []
        self.positions: Dict[int, Tuple[int, int]] = {}  # id(statement) -> (id(its block), index)
        self.star_import = False
        self._line: Optional[cst.CSTNode] = None
        self._first_iters: set = set()  # ids of comprehension ``for`` clauses whose iterable is outer
        self._stack: List[Tuple[cst.CSTNode, Scope]] = []
        self._handlers: Dict[type, Callable[[cst.CSTNode, Scope], bool]] = {
            cst.Call: self._call, cst.Attribute: self._attribute, cst.Subscript: self._subscript,
            cst.Assign: self._assign, cst.AnnAssign: self._ann_assign, cst.AugAssign: self._aug_assign,
            cst.SimpleStatementLine: self._simple_line, cst.SimpleStatementSuite: self._simple_line,
            cst.IndentedBlock: self._block, cst.Module: self._block,
            cst.FunctionDef: self._function, cst.Lambda: self._lambda, cst.ClassDef: self._class,
            cst.ListComp: self._comprehension, cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension, cst.DictComp: self._comprehension, cst.CompFor: self._comp_for,
            cst.For: self._for, cst.WithItem: self._with_item, cst.ExceptHandler: self._except,
            cst.ExceptStarHandler: self._except, cst.Del: self._del, cst.NamedExpr: self._walrus,
            cst.Import: self._import, cst.ImportFrom: self._import_from, cst.Global: self._global,
            cst.Nonlocal: self._nonlocal, cst.MatchAs: self._match_name, cst.MatchStar: self._match_name,
            cst.MatchMapping: self._match_mapping, cst.FormattedString: self._fstring,
            cst.StarredDictElement: self._spread,
        }
        self._walk(module)
        self._credit_loads()

    # --- the loop ---------------------------------------------------------------------

    def _walk(self, module: cst.Module) -> None:
        stack = self._stack
        stack.append((module, self.module_scope))
        pop, push = stack.pop, stack.append
        handlers = self._handlers
        Name = cst.Name
        while stack:
            node, scope = pop()
            kind = type(node)
            if kind is Name:
                loads = scope.loads
                name = node.value  # type: ignore[attr-defined]
                loads[name] = loads.get(name, 0) + 1
                continue
            handler = handlers.get(kind)
            if handler is not None and handler(node, scope):
                continue
            for fname in _child_fields(kind):
                child = getattr(node, fname)
                child_kind = type(child)
                if child_kind is tuple or child_kind is list:
                    for item in reversed(child):
                        if _is_node(type(item)):
                            push((item, scope))
                elif _is_node(child_kind):
                    push((child, scope))

    def _push(self, nodes, scope: Scope) -> None:
        """Visit ``nodes`` (a node, a sequence of nodes, or None) next, in source order."""
        if nodes is None:
            return
        if isinstance(nodes, cst.CSTNode):
            self._stack.append((nodes, scope))
            return
        for node in reversed(nodes):
            if node is not None:
                self._stack.append((node, scope))

    def _credit_loads(self) -> None:
        """Credit every load to the scope that owns the binding it reaches."""
        for scope in self.scopes:
            for name, count in scope.loads.items():
                owner = scope.owner(name)
                if owner is not None:
                    _add_n(owner.readers, name, count)
                    safe = scope.safe.get(name)
                    if safe:
                        _add_n(owner.safe_readers, name, safe)

    def bind(self, scope: Scope, name: str, kind: str, value: object = None, node: Optional[cst.CSTNode] = None) -> None:
        target = scope.redirect.get(name, scope) if scope.redirect else scope
        target.bindings.setdefault(name, []).append(Binding(name, target, kind, value, node, self._line))

    def _bind_targets(self, target: cst.CSTNode, scope: Scope, kind: str = OTHER) -> None:
        for name in target_names(target):
            self.bind(scope, name, kind)

    def _new_scope(self, kind: str, parent: Scope, node: Optional[cst.CSTNode]) -> Scope:
        scope = Scope(kind, parent, node)
        self.scopes.append(scope)
        return scope

    # --- statements -------------------------------------------------------------------

    def _block(self, node, scope: Scope) -> bool:
        block = id(node)
        positions = self.positions
        for index, statement in enumerate(node.body):
            positions[id(statement)] = (block, index)
        return False

    def _simple_line(self, node, scope: Scope) -> bool:
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
                _add(scope.loads, name)  # an unknown key: the dict is changed in a way we cannot follow
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
            _add(scope.loads, target.value)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            _add(scope.loads, target.value.value)  # ``params["seconds"] += 2``: a change, not a read
            self._push(target.slice, scope)
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
                _add(scope.loads, target.value.value)  # ``del params["seconds"]``: a change
                self._push(target.slice, scope)
            else:
                self._push(target, scope)
        return True

    def _for(self, node: cst.For, scope: Scope) -> bool:
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

    def _except(self, node, scope: Scope) -> bool:
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
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else alias.name.value
            joiner = "" if module.endswith(".") else "."
            self.bind(scope, local, IMPORT, f"{module}{joiner}{alias.name.value}")
        return True

    def _global(self, node: cst.Global, scope: Scope) -> bool:
        for item in node.names:
            scope.redirect[item.name.value] = self.module_scope
        return True

    def _nonlocal(self, node: cst.Nonlocal, scope: Scope) -> bool:
        for item in node.names:
            name = item.name.value
            owner = scope.parent
            while owner is not None and (owner.kind == "class" or name not in owner.bindings) and owner.kind != "module":
                owner = owner.parent
            if owner is not None and owner.kind != "module":
                scope.redirect[name] = owner
        return True

    def _match_name(self, node, scope: Scope) -> bool:
        if node.name is not None:
            self.bind(scope, node.name.value, OTHER)
        return False

    def _match_mapping(self, node: cst.MatchMapping, scope: Scope) -> bool:
        if node.rest is not None:
            self.bind(scope, node.rest.value, OTHER)
        self._push(node.elements, scope)
        return True

    # --- scopes -----------------------------------------------------------------------

    def _parameters(self, params: cst.Parameters, inner: Scope, outer: Scope) -> None:
        for group in (params.posonly_params, params.params, params.kwonly_params):
            for param in group:
                self.bind(inner, param.name.value, PARAM, param.default, param)
                self._push((param.annotation, param.default), outer)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.bind(inner, star.name.value, OTHER)
                self._push(star.annotation, outer)

    def _function(self, node: cst.FunctionDef, scope: Scope) -> bool:
        self.bind(scope, node.name.value, DEF, None, node)
        inner = self._new_scope("function", scope, node)
        self._push(node.body, inner)
        self._push(node.returns, scope)
        self._parameters(node.params, inner, scope)
        self._push(node.decorators, scope)
        return True

    def _lambda(self, node: cst.Lambda, scope: Scope) -> bool:
        inner = self._new_scope("function", scope, node)
        self._push(node.body, inner)
        self._parameters(node.params, inner, scope)
        return True

    def _class(self, node: cst.ClassDef, scope: Scope) -> bool:
        self.bind(scope, node.name.value, CLASS, None, node)
        inner = self._new_scope("class", scope, node)
        self.class_scopes[id(node)] = inner
        self._push(node.body, inner)
        self._push(node.keywords, scope)
        self._push(node.bases, scope)
        self._push(node.decorators, scope)
        return True

    def _comprehension(self, node, scope: Scope) -> bool:
        inner = self._new_scope("comprehension", scope, node)
        first = node.for_in
        self._first_iters.add(id(first))
        self._push(first, inner)
        if isinstance(node, cst.DictComp):
            self._push((node.key, node.value), inner)
        else:
            self._push(node.elt, inner)
        self._push(first.iter, scope)  # the first iterable is evaluated in the enclosing scope
        return True

    def _comp_for(self, node: cst.CompFor, scope: Scope) -> bool:
        self._bind_targets(node.target, scope)
        self._push(node.inner_for_in, scope)
        self._push(node.ifs, scope)
        if id(node) not in self._first_iters:
            self._push(node.iter, scope)
        return True

    # --- expressions ------------------------------------------------------------------

    def _attribute(self, node: cst.Attribute, scope: Scope) -> bool:
        value = node.value
        attr = node.attr.value
        loads = self.attribute_loads
        loads[attr] = loads.get(attr, 0) + 1
        if type(value) is cst.Name and attr in READ_ONLY_METHODS:
            _add(scope.safe, value.value)
        self._stack.append((value, scope))  # ``attr`` is not a load of a name
        return True

    def _subscript(self, node: cst.Subscript, scope: Scope) -> bool:
        if type(node.value) is cst.Name:
            _add(scope.safe, node.value.value)  # a read of one key
        return False

    def _spread(self, node: cst.StarredDictElement, scope: Scope) -> bool:
        if type(node.value) is cst.Name:
            _add(scope.safe, node.value.value)  # ``{**BASE, ...}`` copies BASE
        return False

    def _fstring(self, node: cst.FormattedString, scope: Scope) -> bool:
        if len(node.end) == 1:
            self.fstrings.append(node)
        return False

    def _call(self, node: cst.Call, scope: Scope) -> bool:
        func = node.func
        kind = type(func)
        request = False
        if kind is cst.Attribute:
            last = func.attr.value  # type: ignore[attr-defined]
        elif kind is cst.Name:
            last = func.value  # type: ignore[attr-defined]
            self.named_calls.setdefault(last, []).append((node, scope))
            if last == "dict" and node.args and type(node.args[0].value) is cst.Name and not node.args[0].keyword:
                _add(scope.safe, node.args[0].value.value)  # ``dict(BASE, ...)`` copies BASE
        else:
            last = ""
        if last in SDK_METHODS and kind is cst.Attribute:
            self.sdk_calls.append((node, scope))
        elif last in CLIENT_SHORT_NAMES:
            self.client_calls.append((node, scope))
        elif last in HTTP_VERBS:
            self.http_calls.append((node, scope))
            request = True
        elif last in FUNCTION_SHORT_NAMES:
            self.function_calls.append((node, scope))
        self.order[id(node)] = len(self.order)
        if node.args:
            self._hand_on(node, scope, request)
        return False

    def _hand_on(self, node: cst.Call, scope: Scope, request: bool) -> None:
        """Count ``**name`` and request bodies as uses that hand a container on unchanged."""
        for arg in node.args:
            if arg.star == "**" and type(arg.value) is cst.Name:
                _add(scope.safe, arg.value.value)  # type: ignore[attr-defined]
            elif request and arg.keyword is not None and arg.keyword.value in BODY_KEYWORDS:
                # Sending a dict as a request body does not change it; any other call might.
                body = json_dumps_argument(arg.value) or arg.value
                if type(body) is cst.Name:
                    _add(scope.safe, body.value)  # type: ignore[attr-defined]


def _add_n(counter: Dict[str, int], name: str, count: int) -> None:
    counter[name] = counter.get(name, 0) + count


def _dotted_name(node: cst.CSTNode) -> str:
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))


def _literal_key(node: cst.Subscript) -> Optional[str]:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    key = literal_value(node.slice[0].slice.value)
    return key if isinstance(key, str) else None
