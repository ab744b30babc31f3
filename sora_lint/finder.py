"""Where the Sora calls are in a module, and what their arguments resolve to.

LibCST's ``ScopeProvider`` and ``PositionProvider`` would answer both questions,
but on a typical module they cost three to four times the parse itself (see
``bench/run.py``), and a linter that runs on every save cannot pay that. So the
finder reads the tree once, without metadata, keeping only what a Sora call can
use: client constructions, imports, and how often each name is bound; and
:func:`sora_lint.analysis.positions.locate` computes offsets afterwards for just the nodes that are reported.
Anything the finder cannot resolve statically is ``UNKNOWN`` and never guessed.

Raw HTTP requests to the videos endpoint (``requests``, ``httpx``, ``aiohttp``) are
collected by the same walk and read by :mod:`sora_lint.http_calls`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

import libcst as cst

from .analysis.facts import EXTEND_METHODS, UNKNOWN, ClientInfo, ModuleFacts, Resolved, SoraCall  # noqa: F401

SORA_PARAMS = ("model", "seconds", "size", "prompt")
CREATE_METHODS = frozenset({"create", "create_and_poll"})
RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})
CLIENT_CLASSES = frozenset({"OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"})
# Raw HTTP: the methods that may send a POST, and the keywords that carry a request body.
HTTP_VERBS = frozenset({"post", "request"})
BODY_KEYWORDS = ("json", "data", "files")


# --- literal values ------------------------------------------------------------

def literal_value(node: cst.BaseExpression) -> object:
    """The Python value of a simple literal; UNKNOWN for anything else."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.Float):
        return float(node.evaluated_value)
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes: not a value we can read
            return UNKNOWN
        return value if isinstance(value, str) else UNKNOWN
    if (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, (cst.Integer, cst.Float))
    ):
        inner = literal_value(node.expression)
        return -inner if isinstance(inner, (int, float)) else UNKNOWN
    return UNKNOWN


def json_dumps_argument(node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``x`` in ``json.dumps(x, ...)`` (a request body serialised by hand); None for anything else."""
    if isinstance(node, cst.Call) and _dotted(node.func)[-2:] == ["json", "dumps"] and node.args and not node.args[0].star:
        return node.args[0].value
    return None


def _dotted(node: cst.BaseExpression) -> List[str]:
    """``a.b.c`` -> ["a", "b", "c"]; a call or subscript in the chain becomes ""."""
    parts: List[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    parts.append(node.value if isinstance(node, cst.Name) else "")
    return parts[::-1]


def sora_method(func: cst.BaseExpression) -> Optional[str]:
    """The videos method a call's callee names, or None when it is not one."""
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    if method not in CREATE_METHODS and method not in EXTEND_METHODS:
        return None
    owner = func.value
    if not isinstance(owner, cst.Attribute):
        return None
    if owner.attr.value == "videos":
        return method
    if (
        owner.attr.value in RESPONSE_WRAPPERS
        and isinstance(owner.value, cst.Attribute)
        and owner.value.attr.value == "videos"
    ):
        return method
    return None


# --- the walk ------------------------------------------------------------------

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


@dataclass
class _Scope:
    kind: str  # "module", "function" or "class"
    parent: Optional["_Scope"]
    bindings: Dict[str, List[Optional[cst.BaseExpression]]] = field(default_factory=dict)

    def bind(self, name: str, value: Optional[cst.BaseExpression]) -> None:
        """Record a binding; ``value`` is None where the bound value is not an expression."""
        self.bindings.setdefault(name, []).append(value)


def _target_names(node: cst.CSTNode) -> Iterable[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for el in node.elements:
            yield from _target_names(el.value)
    elif isinstance(node, cst.StarredElement):
        yield from _target_names(node.value)


class _Walker:
    """One pass over the tree with an explicit stack (no visitor dispatch, no recursion)."""

    def __init__(self) -> None:
        self.module_scope = _Scope("module", None)
        self.name_uses: Counter = Counter()
        self.star_uses: Counter = Counter()  # ``**name`` arguments
        self.body_uses: Counter = Counter()  # ``json=name``, ``data=json.dumps(name)``, ...
        self.calls: List[Tuple[cst.Call, str, _Scope]] = []
        # Client constructions (with their class name) and candidate HTTP requests (None), in
        # source order: the first of them that names a server decides the profile under ``auto``.
        self.client_calls: List[Tuple[cst.Call, Optional[str], _Scope]] = []
        self.imports: Dict[str, str] = {}  # local name -> what it imports ("rq" -> "requests")
        self.imports_openai = False
        self.fstrings: List[cst.FormattedString] = []
        self._with_targets: Set[int] = set()  # ids of the AsName nodes a ``with`` item binds

    def walk(self, module: cst.Module) -> None:
        stack: List[Tuple[cst.CSTNode, _Scope]] = [(module, self.module_scope)]
        pop, push = stack.pop, stack.append
        Name, Call = cst.Name, cst.Call
        while stack:
            node, scope = pop()
            kind = type(node)
            if kind is Name:
                self.name_uses[node.value] += 1  # type: ignore[attr-defined]
                continue
            if kind is Call:
                self._on_call(node, scope)  # type: ignore[arg-type]
            elif kind in _BINDERS:
                scope = self._on_binder(node, scope)
            elif kind is cst.FormattedString and len(node.end) == 1:  # type: ignore[attr-defined]
                self.fstrings.append(node)  # type: ignore[arg-type]
            for fname in _child_fields(kind):
                child = getattr(node, fname)
                child_kind = type(child)
                if child_kind in (tuple, list):
                    for item in reversed(child):
                        if _is_node(type(item)):
                            push((item, scope))
                elif _is_node(child_kind):
                    push((child, scope))

    def _on_call(self, node: cst.Call, scope: _Scope) -> None:
        method = sora_method(node.func)
        request = False
        if method:
            self.calls.append((node, method, scope))
        else:
            last = _dotted(node.func)[-1]
            if last in CLIENT_CLASSES:
                self.client_calls.append((node, last, scope))
            elif last in HTTP_VERBS:
                self.client_calls.append((node, None, scope))
                request = True
        for arg in node.args:
            if arg.star == "**" and isinstance(arg.value, cst.Name):
                self.star_uses[arg.value.value] += 1
            elif request and arg.keyword is not None and arg.keyword.value in BODY_KEYWORDS:
                # Sending a dict as a request body does not change it; any other call might.
                body = json_dumps_argument(arg.value) or arg.value
                if isinstance(body, cst.Name):
                    self.body_uses[body.value] += 1

    def _on_binder(self, node: cst.CSTNode, scope: _Scope) -> _Scope:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    scope.bind(target.target.value, node.value)
                else:
                    for name in _target_names(target.target):
                        scope.bind(name, None)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None and isinstance(node.target, cst.Name):
                scope.bind(node.target.value, node.value)
        elif isinstance(node, (cst.AugAssign, cst.NamedExpr)):
            for name in _target_names(node.target):
                scope.bind(name, None)
        elif isinstance(node, (cst.For, cst.CompFor)):
            for name in _target_names(node.target):
                scope.bind(name, None)
        elif isinstance(node, cst.WithItem):
            # ``with httpx.Client() as c``: ``c`` is what the item returns; clients and sessions
            # return themselves, and any other value resolves to UNKNOWN as a call always does.
            if node.asname is not None and isinstance(node.asname.name, cst.Name):
                scope.bind(node.asname.name.value, node.item)
                self._with_targets.add(id(node.asname))
        elif isinstance(node, cst.AsName):
            if id(node) not in self._with_targets:
                for name in _target_names(node.name):
                    scope.bind(name, None)
        elif isinstance(node, cst.ExceptHandler):
            if node.name is not None:
                for name in _target_names(node.name.name):
                    scope.bind(name, None)
        elif isinstance(node, cst.Del):
            for name in _target_names(node.target):
                scope.bind(name, None)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                scope.bind(item.name.value, None)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)  # type: ignore[arg-type]
                if dotted[0] == "openai":
                    self.imports_openai = True
                if alias.asname is None:
                    scope.bind(dotted[0], None)
                    self.imports[dotted[0]] = dotted[0]
                elif isinstance(alias.asname.name, cst.Name):
                    self.imports[alias.asname.name.value] = ".".join(dotted)
        elif isinstance(node, cst.ImportFrom):
            module = _dotted(node.module) if node.module is not None and not node.relative else None
            if module and module[0] == "openai":
                self.imports_openai = True
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    if alias.asname is None and isinstance(alias.name, cst.Name):
                        scope.bind(alias.name.value, None)
                    if module and isinstance(alias.name, cst.Name):
                        local = alias.evaluated_alias or alias.evaluated_name
                        self.imports[local] = ".".join(module + [alias.name.value])
        elif isinstance(node, cst.MatchAs) or isinstance(node, cst.MatchStar):
            if node.name is not None:
                scope.bind(node.name.value, None)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            scope.bind(node.name.value, None)
            inner = _Scope("function" if isinstance(node, cst.FunctionDef) else "class", scope)
            if isinstance(node, cst.FunctionDef):
                _bind_params(node.params, inner)
            return inner
        elif isinstance(node, cst.Lambda):
            inner = _Scope("function", scope)
            _bind_params(node.params, inner)
            return inner
        return scope


_BINDERS = frozenset({
    cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor, cst.WithItem, cst.AsName,
    cst.ExceptHandler, cst.Del, cst.Global, cst.Nonlocal, cst.Import, cst.ImportFrom,
    cst.MatchAs, cst.MatchStar, cst.FunctionDef, cst.ClassDef, cst.Lambda,
})


def _bind_params(params: cst.Parameters, scope: _Scope) -> None:
    for group in (params.posonly_params, params.params, params.kwonly_params):
        for p in group:
            scope.bind(p.name.value, None)
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            scope.bind(star.name.value, None)


# --- resolution ----------------------------------------------------------------

class _Resolver:
    def __init__(self, walker: _Walker) -> None:
        self.walker = walker

    def binding(self, name: str, scope: _Scope) -> Tuple[Optional[cst.BaseExpression], Optional[str]]:
        """The one expression ``name`` is bound to as seen from ``scope``, or why there is none."""
        current: Optional[_Scope] = scope
        while current is not None:
            if current.kind == "class" and current is not scope:
                current = current.parent  # class bodies are not enclosing scopes
                continue
            found = current.bindings.get(name)
            if found is not None:
                if len(found) != 1 or found[0] is None:
                    return None, f"{name} is bound more than once" if len(found) != 1 else f"{name} is not bound to a literal"
                return found[0], None
            current = current.parent
        return None, f"{name} is not bound in this module"

    def value(self, param: str, node: cst.BaseExpression, scope: _Scope, anchor: cst.CSTNode) -> Resolved:
        value = literal_value(node)
        if value is not UNKNOWN:
            return Resolved(param, value, anchor, node)
        if isinstance(node, cst.Name):
            bound, _why = self.binding(node.value, scope)
            if bound is not None:
                value = literal_value(bound)
                if value is not UNKNOWN:
                    blocker = None
                    if self.walker.name_uses[node.value] != 2:
                        blocker = f"{node.value} is used elsewhere too"
                    return Resolved(param, value, anchor, bound, via=node.value, fix_blocker=blocker)
        return Resolved(param, UNKNOWN, anchor, None)

    def passed_whole(self, node: cst.BaseExpression, scope: _Scope) -> Tuple[Optional[cst.BaseExpression], Optional[str], int]:
        """The container a ``**`` or body argument denotes: (node, name it came through, calls it is passed to).

        A name counts only when it is bound once and every other use hands it whole to a
        call (``**name``, ``json=name``): any other use could mutate it. (None, None, 0) otherwise.
        """
        if not isinstance(node, cst.Name):
            return node, None, 1
        name = node.value
        bound, _why = self.binding(name, scope)
        passes = self.walker.star_uses[name] + self.walker.body_uses[name]
        if bound is None or self.walker.name_uses[name] != passes + 1:
            return None, None, 0
        return bound, name, passes

    def mapping(self, node: cst.BaseExpression, scope: _Scope) -> Optional[Tuple[List[Tuple[str, cst.BaseExpression]], Optional[str], Optional[str]]]:
        """Keys and value nodes of a ``**`` argument: a dict literal, ``dict(...)``, or a name bound to one.

        Returns (entries, via, fix_blocker), or None when the mapping cannot be read.
        """
        container, name, passes = self.passed_whole(node, scope)
        entries = dict_entries(container) if container is not None else None
        if entries is None:
            return None
        blocker = f"{name} is unpacked into more than one call" if name and passes != 1 else None
        return entries, (f"**{name}" if name else None), blocker

    def call(self, node: cst.Call, method: str, scope: _Scope) -> SoraCall:
        args: Dict[str, Resolved] = {}
        star = False
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in SORA_PARAMS:
                args[arg.keyword.value] = self.value(arg.keyword.value, arg.value, scope, arg.value)
            elif arg.star == "**":
                read = self.mapping(arg.value, scope)
                if read is None:
                    star = True
                    continue
                entries, via, blocker = read
                for key, value_node in entries:
                    if key in SORA_PARAMS:
                        res = self.value(key, value_node, scope, arg.value)
                        res.via = via or res.via
                        res.fix_blocker = blocker or res.fix_blocker
                        args[key] = res
            elif arg.star == "*":
                star = True
        model = args.get("model")
        sora_model = model is not None and isinstance(model.value, str) and "sora" in model.value.lower()
        evidence = sora_model or self.walker.imports_openai or self._receiver_is_client(node, scope)
        return SoraCall(node, method, args, evidence, star)

    def _receiver_is_client(self, node: cst.Call, scope: _Scope) -> bool:
        receiver: cst.BaseExpression = node.func
        while isinstance(receiver, (cst.Attribute, cst.Call, cst.Subscript)):
            if isinstance(receiver, cst.Call) and _dotted(receiver.func)[-1] in CLIENT_CLASSES:
                return True
            receiver = receiver.value if not isinstance(receiver, cst.Call) else receiver.func
        if isinstance(receiver, cst.Name):
            bound, _ = self.binding(receiver.value, scope)
            return isinstance(bound, cst.Call) and _dotted(bound.func)[-1] in CLIENT_CLASSES
        return False

    def client(self, node: cst.Call, class_name: str, scope: _Scope) -> ClientInfo:
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("base_url", "azure_endpoint"):
                res = self.value(arg.keyword.value, arg.value, scope, arg.value)
                return ClientInfo(node, class_name, res.value if isinstance(res.value, str) else UNKNOWN)
            if arg.star:
                return ClientInfo(node, class_name, UNKNOWN)
        return ClientInfo(node, class_name, None)


def dict_entries(node: cst.BaseExpression) -> Optional[List[Tuple[str, cst.BaseExpression]]]:
    """Keys and value nodes of a dict literal or ``dict(...)``; None when a key is not a literal."""
    entries: List[Tuple[str, cst.BaseExpression]] = []
    if isinstance(node, cst.Dict):
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                return None  # ``**other`` inside: keys unknown
            key = literal_value(el.key)
            if not isinstance(key, str):
                return None
            entries.append((key, el.value))
        return entries
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        for arg in node.args:
            if arg.keyword is None:
                return None
            entries.append((arg.keyword.value, arg.value))
        return entries
    return None
