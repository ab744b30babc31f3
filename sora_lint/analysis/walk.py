"""One walk over the tree (no LibCST metadata) that fills the scopes of :mod:`.scopes`.

LibCST's ``ScopeProvider`` would answer the same questions, but it costs several times the
parse (see ``bench/run.py``). This walk uses an explicit stack; after it, each load is credited
to the scope its name resolves to, so a binding's readers are known exactly. The same walk
records the candidate calls of every shape in :mod:`.shapes`, the ``self.X = ...`` stores of
methods, and the keys a dict gets after its literal (``params["seconds"] = "8"``).
"""
from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from .binders import Binders
from .scopes import CLASS, DEF, OTHER, PARAM, AttributeStore, KeyStore, Scope, add
from .shapes import (
    BODY_KEYWORDS,
    CLIENT_SHORT_NAMES,
    FUNCTION_SHORT_NAMES,
    HTTP_VERBS,
    INDIRECT_SHORT_NAMES,
    SDK_METHODS,
)
from .syntax import json_dumps_argument, node_fields, sequence_fields

# Methods of a dict that read it and never change it.
READ_ONLY_METHODS = frozenset({"get", "copy", "keys", "values", "items"})
# Calls that only read their arguments: builtins that look at a value, and logging's methods
# (``log.info("%s", params)``). Reading a container does not change what it holds.
READING_FUNCTIONS = frozenset({"print", "len", "repr", "str", "bool", "isinstance", "type", "id", "sorted",
                               "list", "tuple", "set", "debug", "info", "warning", "warn", "error",
                               "exception", "critical", "log", "echo", "secho", "pprint", "format"})

_SKIPPED_FIELDS = ("whitespace", "lpar", "rpar", "comma", "equal", "semicolon", "colon", "dot",
                   "operator", "header", "footer", "leading_lines", "lines_after_decorators",
                   "star", "lbracket", "rbracket", "lbrace", "rbrace", "newline", "indent",
                   "default_indent", "default_newline", "encoding", "has_trailing_newline",
                   "keyword", "quote", "prefix", "value_str")
# Per node type, its fields that may hold a node, each with whether it is a sequence of nodes.
_FIELD_CACHE: dict[type, tuple[tuple[str, bool], ...]] = {}
_NODE_TYPES: dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    """``issubclass(kind, CSTNode)``, cached: CSTNode is an ABC, and its isinstance is slow."""
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return known


def _child_fields(node_type: type) -> tuple[tuple[str, bool], ...]:
    fields = _FIELD_CACHE.get(node_type)
    if fields is None:
        sequences = sequence_fields(node_type)
        fields = tuple((name, name in sequences) for name in node_fields(node_type)
                       if not any(name.startswith(p) or name.endswith(p) for p in _SKIPPED_FIELDS))
        _FIELD_CACHE[node_type] = fields
    return fields


class Walk(Binders):
    """One pass over a module: its scopes, bindings, loads, and the candidate calls of every shape."""

    def __init__(self, module: cst.Module) -> None:
        self.module_scope = Scope("module", None, module)
        self.scopes: list[Scope] = [self.module_scope]
        self.sdk_calls: list[tuple[cst.Call, Scope]] = []  # callee ``<x>.create`` / ``.extend`` / ...
        self.function_calls: list[tuple[cst.Call, Scope]] = []  # callee named like a library function shape
        self.client_calls: list[tuple[cst.Call, Scope]] = []  # callee named like a client class
        self.http_calls: list[tuple[cst.Call, Scope]] = []  # callee ``post`` / ``request``
        self.indirect_calls: list[tuple[cst.Call, Scope]] = []  # callee ``partial`` / ``to_thread`` / ...
        # Calls of a plain name (``make(...)``), for values passed to a module's own functions.
        self.named_calls: dict[str, list[tuple[cst.Call, Scope]]] = {}
        # Calls of an attribute (``renderer.shot(...)``), for values passed to the module's own methods.
        self.method_calls: dict[str, list[tuple[cst.Call, Scope]]] = {}
        self.key_stores: list[KeyStore] = []
        self.option_calls: list[tuple[cst.Call, Scope]] = []  # ``parser.add_argument(...)``
        self.attribute_stores: list[AttributeStore] = []
        self.class_scopes: dict[int, Scope] = {}  # id(ClassDef) -> its body's scope
        self.attribute_loads: dict[str, int] = {}  # ``x.NAME`` reads, by attribute name
        # id(candidate call) -> when the walk met it (source order), for dict keys completed before it
        self.order: dict[int, int] = {}
        self.fstrings: list[cst.FormattedString] = []
        self.positions: dict[int, tuple[int, int]] = {}  # id(statement) -> (id(its block), index)
        self.star_import = False
        self._line: cst.CSTNode | None = None
        self._first_iters: set = set()  # ids of comprehension ``for`` clauses whose iterable is outer
        self._stack: list[tuple[cst.CSTNode, Scope]] = []
        # A local, not an attribute: bound methods kept on self would make the walk a reference cycle, and
        # everything it holds, the file's whole tree included, would wait for the cyclic collector to die.
        handlers: dict[type, Callable[[Any, Scope], bool]] = {
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
            cst.StarredDictElement: self._spread, cst.Return: self._return,
            cst.Comparison: self._comparison, cst.If: self._test,
            cst.While: self._test, cst.IfExp: self._test, cst.BooleanOperation: self._boolean,
            cst.UnaryOperation: self._unary, cst.FormattedStringExpression: self._fstring_part,
        }
        self._walk(module, handlers)
        self._credit_loads()

    # --- the loop ---------------------------------------------------------------------

    def _walk(self, module: cst.Module, handlers: dict[type, Callable[[Any, Scope], bool]]) -> None:
        stack = self._stack
        stack.append((module, self.module_scope))
        pop, push = stack.pop, stack.append
        Name = cst.Name
        fields_of = _FIELD_CACHE.get
        known_node = _NODE_TYPES.get  # the cache behind _is_node, read inline: this loop sees every node
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
            fields = fields_of(kind)
            if fields is None:
                fields = _child_fields(kind)
            for fname, sequence in fields:
                child = getattr(node, fname)
                if sequence:  # declared a sequence of nodes: no item's type to ask
                    for item in reversed(child):
                        push((item, scope))
                    continue
                child_kind = type(child)
                if child_kind is tuple or child_kind is list:
                    for item in reversed(child):
                        item_kind = type(item)
                        is_node = known_node(item_kind)
                        if is_node or (is_node is None and _is_node(item_kind)):
                            push((item, scope))
                else:
                    is_node = known_node(child_kind)
                    if is_node or (is_node is None and _is_node(child_kind)):
                        push((child, scope))

    def _credit_loads(self) -> None:
        """Credit every load to the scope that owns the binding it reaches."""
        for scope in self.scopes:
            for name, count in scope.loads.items():
                owner = scope.owner(name)
                if owner is not None:
                    add(owner.readers, name, count)
                    safe = scope.safe.get(name)
                    if safe:
                        add(owner.safe_readers, name, safe)

    def _new_scope(self, kind: str, parent: Scope, node: cst.CSTNode | None) -> Scope:
        scope = Scope(kind, parent, node)
        self.scopes.append(scope)
        return scope

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

    def _comprehension(self, node: cst.BaseSimpleComp | cst.DictComp, scope: Scope) -> bool:
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
            add(scope.safe, value.value)
        self._stack.append((value, scope))  # ``attr`` is not a load of a name
        return True

    def _subscript(self, node: cst.Subscript, scope: Scope) -> bool:
        if type(node.value) is cst.Name:
            add(scope.safe, node.value.value)  # a read of one key
        return False

    def _spread(self, node: cst.StarredDictElement, scope: Scope) -> bool:
        if type(node.value) is cst.Name:
            add(scope.safe, node.value.value)  # ``{**BASE, ...}`` copies BASE
        return False

    def _return(self, node: cst.Return, scope: Scope) -> bool:
        if type(node.value) is cst.Name:
            add(scope.safe, node.value.value)  # a builder returns its dict: the caller reads it (analysis/functions.py)
        return False

    # Reads that never change a container: a comparison, a test, an f-string part (item 1 of issue 18).
    def _comparison(self, node: cst.Comparison, scope: Scope) -> bool:
        _read(node.left, scope)
        for target in node.comparisons:
            _read(target.comparator, scope)
        return False

    def _test(self, node: cst.If | cst.While | cst.IfExp, scope: Scope) -> bool:
        _read(node.test, scope)
        return False

    def _boolean(self, node: cst.BooleanOperation, scope: Scope) -> bool:
        _read(node.left, scope)
        _read(node.right, scope)
        return False

    def _unary(self, node: cst.UnaryOperation, scope: Scope) -> bool:
        if isinstance(node.operator, cst.Not):
            _read(node.expression, scope)
        return False

    def _fstring_part(self, node: cst.FormattedStringExpression, scope: Scope) -> bool:
        _read(node.expression, scope)
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
            self.method_calls.setdefault(last, []).append((node, scope))
        elif kind is cst.Name:
            last = func.value  # type: ignore[attr-defined]
            self.named_calls.setdefault(last, []).append((node, scope))
            if last == "dict" and node.args and type(node.args[0].value) is cst.Name and not node.args[0].keyword:
                add(scope.safe, node.args[0].value.value)  # ``dict(BASE, ...)`` copies BASE
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
        elif last in INDIRECT_SHORT_NAMES:
            self.indirect_calls.append((node, scope))
        if last == "add_argument":
            self.option_calls.append((node, scope))
        self.order[id(node)] = len(self.order)
        if node.args:
            self._hand_on(node, scope, request)
            if last in READING_FUNCTIONS:
                for arg in node.args:
                    if not arg.star:  # ``**params`` is counted once, by _hand_on
                        _read(arg.value, scope)
        return False

    def _hand_on(self, node: cst.Call, scope: Scope, request: bool) -> None:
        """Count ``**name`` and request bodies as uses that hand a container on unchanged."""
        for arg in node.args:
            if arg.star == "**" and type(arg.value) is cst.Name:
                add(scope.safe, arg.value.value)  # type: ignore[attr-defined]
            elif request and arg.keyword is not None and arg.keyword.value in BODY_KEYWORDS:
                # Sending a dict as a request body does not change it; any other call might.
                body = json_dumps_argument(arg.value) or arg.value
                if type(body) is cst.Name:
                    add(scope.safe, body.value)  # type: ignore[attr-defined]


def _read(node: cst.BaseExpression, scope: Scope) -> None:
    """A name read where nothing can change what it holds."""
    if type(node) is cst.Name:
        add(scope.safe, node.value)  # type: ignore[attr-defined]


def contains_call(node: cst.CSTNode) -> bool:
    """Whether a call is anywhere under ``node``."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Call:
            return True
        for fname, _sequence in _child_fields(kind):
            child = getattr(current, fname)
            if type(child) in (tuple, list):
                stack.extend(item for item in child if _is_node(type(item)))
            elif _is_node(type(child)):
                stack.append(child)
    return False
