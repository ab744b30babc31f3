"""What an argument resolves to: a literal reached through names, conversions, dicts and tables.

Everything here follows one rule: a value is known only when every step to it is certain
(a single binding, a dict nobody changes in a way we cannot follow, a key written as a literal);
anything else is ``UNKNOWN`` and skipped, never guessed. A known value also says whether its
literal may be rewritten: only when nothing else reads the binding it came through.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import libcst as cst

from .evidence import annotation_kind, call_kind, value_kind
from .facts import UNKNOWN
from .formatting import formatted, percent
from .keystores import CHECKED_PARAMS, KeyStores
from .project import import_blocker
from .scopes import ASSIGN, CLASS, IMPORT, PARAM, WITH, Binding, Scope, optional_import
from .syntax import dict_parts, literal_value
from .walk import Walk

if TYPE_CHECKING:
    from .project import ProjectConstants

MAX_DEPTH = 8  # names bound to names bound to ...: enough for real code, safe against cycles
CONVERSIONS = {"str": str, "int": int}


class Value(NamedTuple):
    value: object  # UNKNOWN when not statically known
    literal: cst.BaseExpression | None = None  # the node a fix rewrites
    via: str | None = None  # the name the value came through
    blocker: str | None = None  # why the literal may not be rewritten
    defined_at: str | None = None  # "settings.py:3" for a constant of another module
    kind: str | None = None  # "int", "str" or "float" when only the type is known (``int(s)``)
    kind_from: str | None = None  # how a message names that evidence ("annotated int", "n = int(s)")


NOT_KNOWN = Value(UNKNOWN)


class Entry(NamedTuple):
    """One key of a mapping: its value as written, where it is evaluated, and why it may not be fixed.

    ``branches`` holds the values the key may get instead in a branch before the call
    (``if hd: params["size"] = "1792x1024"``), each with the block it is written in.
    """

    node: cst.BaseExpression | None  # None: the key is only written in branches (else omitted)
    scope: Scope
    blocker: str | None
    branches: tuple[tuple[cst.BaseExpression, Scope, int], ...] = ()


class Mapping(NamedTuple):
    entries: dict[str, Entry]
    name: str | None = None  # the name it came through (``params``), None for a literal at the call
    shared: bool = False  # that name is read more than once: its literals are not rewritten for one call

    def blocker(self, entry: Entry, shared_why: str) -> str | None:
        return entry.blocker or (shared_why if self.shared else None)


class Resolver:
    """Answers questions about one module's names, after its :class:`~.scopes.Walk`."""

    def __init__(self, walk: Walk, constants: ProjectConstants | None = None) -> None:
        self.walk = walk
        self.constants = constants  # a ProjectConstants for imports from the same project, or None
        self.key_stores = KeyStores(walk)

    # --- names ------------------------------------------------------------------------

    def binding(self, name: str, scope: Scope) -> Binding | None:
        """The single binding ``name`` reaches from ``scope``; None when there is none or more than one."""
        owner = scope.owner(name)
        if owner is None:
            return None
        found = owner.bindings[name]
        return found[0] if len(found) == 1 else None

    def is_builtin(self, name: str, scope: Scope) -> bool:
        return scope.owner(name) is None and not self.walk.star_import

    def kind_of(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The type of ``node``'s value: from the value when it is known, else from a cast or an annotation."""
        found = self.value(node, scope, depth)
        return found.kind if found.value is UNKNOWN else value_kind(found.value)

    def readers(self, binding: Binding) -> int:
        return binding.scope.readers.get(binding.name, 0)

    def only_handed_on(self, binding: Binding) -> bool:
        """Whether every read of a container only hands it on or reads a key (nothing can change it)."""
        scope = binding.scope
        return scope.readers.get(binding.name, 0) == scope.safe_readers.get(binding.name, 0)

    def bound_expression(self, node: cst.BaseExpression, scope: Scope) -> tuple[cst.BaseExpression, Scope]:
        """Follow a name to the expression it is bound to (once, by assignment or ``with``)."""
        for _ in range(MAX_DEPTH):
            if not isinstance(node, cst.Name):
                break
            binding = self.binding(node.value, scope)
            if binding is None or binding.kind not in (ASSIGN, WITH):
                break
            node, scope = binding.value, binding.scope  # type: ignore[assignment]
        return node, scope

    def qualified(self, node: cst.BaseExpression, scope: Scope) -> str | None:
        """``oa.OpenAI`` -> ``"openai.OpenAI"`` when ``oa`` is ``import openai as oa``; None otherwise."""
        attrs: list[str] = []
        while isinstance(node, cst.Attribute):
            attrs.append(node.attr.value)
            node = node.value
        if not isinstance(node, cst.Name):
            return None
        binding = self.binding(node.value, scope) or optional_import(node.value, scope)
        if binding is None or binding.kind != IMPORT:
            return None
        return ".".join([str(binding.value), *reversed(attrs)])

    # --- scalar values ----------------------------------------------------------------

    def value(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Value:
        value = literal_value(node)
        if value is not UNKNOWN:
            return Value(value, node)
        if depth > MAX_DEPTH:
            return NOT_KNOWN
        kind = type(node)
        if kind is cst.Name:
            return self._name_value(node, scope, depth)  # type: ignore[arg-type]
        if kind is cst.Call:
            found = self._converted(node, scope, depth)  # type: ignore[arg-type]
            if found.value is UNKNOWN:
                typed = call_kind(self, node, scope, depth)  # type: ignore[arg-type]
                return Value(UNKNOWN, kind=typed) if typed else found
            return found
        if kind is cst.FormattedString:
            return _text(formatted(self, node, scope, depth))  # type: ignore[arg-type]
        if kind is cst.BinaryOperation and isinstance(node.operator, cst.Modulo):  # type: ignore[attr-defined]
            return _text(percent(self, node, scope, depth))  # type: ignore[arg-type]
        if kind is cst.Subscript:
            entry = self.item(node, scope, depth)  # type: ignore[arg-type]
            if entry is not None and entry.node is not None:
                inner = self.value(entry.node, entry.scope, depth + 1)
                return inner._replace(blocker=inner.blocker or entry.blocker)
        if kind is cst.Attribute:
            return self._attribute_value(node, scope, depth)  # type: ignore[arg-type]
        return NOT_KNOWN

    def _name_value(self, node: cst.Name, scope: Scope, depth: int) -> Value:
        name = node.value
        binding = self.binding(name, scope)
        if binding is None:
            return NOT_KNOWN
        if binding.kind == PARAM and isinstance(binding.node, cst.Param) and binding.node.annotation is not None:
            typed = annotation_kind(binding.node.annotation.annotation)
            return Value(UNKNOWN, via=name, kind=typed, kind_from=f"annotated {typed}") if typed else NOT_KNOWN
        if binding.kind == ASSIGN:
            inner = self.value(binding.value, binding.scope, depth + 1)  # type: ignore[arg-type]
            if inner.value is UNKNOWN:
                if inner.kind is None:
                    return NOT_KNOWN
                written = " ".join(_source(binding.value).split())  # type: ignore[arg-type]
                return Value(UNKNOWN, via=name, kind=inner.kind, kind_from=inner.kind_from or f"{name} = {written}")
            blocker = (inner.blocker or (f"{name} is used elsewhere too" if self.readers(binding) != 1 else None)
                       or import_blocker(self.constants, binding))
            return inner._replace(via=name, blocker=blocker)
        if binding.kind == IMPORT and self.constants is not None:
            found = self.constants.lookup(str(binding.value))
            if found is not None:
                value, where = found
                return Value(value, None, name, f"{name} is defined in another file ({where})", where)
        return NOT_KNOWN

    def _converted(self, node: cst.Call, scope: Scope, depth: int) -> Value:
        """``str(10)``, ``str(DURATION)``, ``int("8")``: the converted literal (never rewritten through the call)."""
        func = node.func
        if (not isinstance(func, cst.Name) or func.value not in CONVERSIONS or len(node.args) != 1
                or node.args[0].keyword is not None or node.args[0].star or not self.is_builtin(func.value, scope)):
            return NOT_KNOWN
        inner = self.value(node.args[0].value, scope, depth + 1)
        if isinstance(inner.value, bool) or not isinstance(inner.value, (int, str)):
            return NOT_KNOWN
        try:
            converted = CONVERSIONS[func.value](inner.value)
        except ValueError:
            return NOT_KNOWN
        return inner._replace(value=converted, blocker=f"the value goes through {func.value}()")

    def _attribute_value(self, node: cst.Attribute, scope: Scope, depth: int) -> Value:
        """``Config.X`` / ``self.X`` / ``cls.X`` (a class attribute bound once), ``Member.value`` (an Enum
        member), ``config.X`` (a constant of a project module imported whole)."""
        attr = node.attr.value
        owner = node.value
        if attr == "value" and isinstance(owner, cst.Attribute):
            member = self.class_attribute(owner, scope)
            if member is not None and _is_enum(member[1]):
                found = self._bound_value(member[0], f"{_source(owner)}.value", depth, owner.attr.value)
                # An Enum is iterated and compared as a whole: its values are never rewritten for one call.
                return found._replace(blocker=found.blocker or f"{_source(owner)} is an Enum member")
        qualified = self.qualified(node, scope)
        if qualified is not None and self.constants is not None:
            defined = self.constants.lookup(qualified)
            if defined is not None:
                source = _source(node)
                return Value(defined[0], None, source, f"{source} is defined in another file ({defined[1]})",
                             defined[1])
        found_attr = self.class_attribute(node, scope)
        if found_attr is None:
            return NOT_KNOWN
        if _is_enum(found_attr[1]):
            if not _is_value_enum(found_attr[1]):
                return NOT_KNOWN
            # A member of a ``str`` / ``int`` enum is sent as its value (``class Model(str, Enum)``).
            found = self._bound_value(found_attr[0], _source(node), depth)
            return found._replace(blocker=found.blocker or f"{_source(node)} is an Enum member")
        return self._bound_value(found_attr[0], _source(node), depth)

    def _bound_value(self, binding: Binding, shown: str, depth: int, attr: str | None = None) -> Value:
        inner = self.value(binding.value, binding.scope, depth + 1)  # type: ignore[arg-type]
        if inner.value is UNKNOWN:
            return NOT_KNOWN
        # Attribute reads are counted by attribute name over the module: one read in all is this one.
        attr = attr or shown.rsplit(".", 1)[-1]
        shared = self.walk.attribute_loads.get(attr, 0) != 1 or self.readers(binding) != 0
        return inner._replace(via=shown, blocker=inner.blocker or (f"{shown} is used elsewhere too" if shared else None)
                              or import_blocker(self.constants, binding))

    def class_attribute(self, node: cst.Attribute, scope: Scope) -> tuple[Binding, Scope] | None:
        """The class-body binding ``Config.X`` / ``self.X`` / ``cls.X`` reads, when it is the only one.

        A class field with a default (dataclass, ``NamedTuple``) is such a binding. ``self.X``
        counts only when no method stores ``self.X`` too.
        """
        owner = node.value
        if not isinstance(owner, cst.Name):
            return None
        class_scope = self.class_of(owner.value, scope)
        if class_scope is None:
            return None
        name = node.attr.value
        found = class_scope.bindings.get(name)
        if not found or len(found) != 1 or found[0].kind != ASSIGN:
            return None
        if any(s.attr == name for s in self.walk.attribute_stores):
            return None  # ``obj.X = ...`` somewhere: an instance or the class may hold another value
        if owner.value != class_scope.node.name.value and any(  # type: ignore[union-attr]
                s is not class_scope and s.kind == "class" and name in s.bindings for s in self.walk.scopes):
            return None  # ``self.X`` may be a subclass's ``X``
        return found[0], class_scope

    def class_of(self, owner: str, scope: Scope) -> Scope | None:
        """The class body ``owner`` names: a class bound once, or ``self`` / ``cls`` in one of its methods."""
        binding = self.binding(owner, scope)
        if binding is None:
            return None
        if binding.kind == CLASS:
            return self.walk.class_scopes.get(id(binding.node))
        if binding.kind == PARAM:
            method = binding.scope
            if method.kind != "function" or method.parent is None or method.parent.kind != "class":
                return None
            if isinstance(method.node, cst.FunctionDef) and any(
                    isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
                    for d in method.node.decorators):
                return None  # a static method's first parameter is not the instance
            params = method.node.params  # type: ignore[union-attr]
            first = (params.posonly_params or params.params or (None,))[0]
            if first is not None and first is binding.node:
                return method.parent
        return None

    # --- containers -------------------------------------------------------------------

    def mapping(self, node: cst.BaseExpression, scope: Scope, before: int = 1 << 62, depth: int = 0,
                branches: bool = False) -> Mapping | None:
        """The keys of a mapping and where each value is written; None when the keys cannot be known.

        A dict literal or ``dict(...)`` (with ``**spreads`` and ``dict(BASE, ...)`` merged in order),
        a table entry with a literal key (``PRESETS["teaser"]``), or a name bound once to one of
        these that is only ever handed on or read by key; keys it gets in straight-line code after
        its literal (``params["seconds"] = "8"``) count. A checked key written in a branch gives
        its entry ``branches`` when the caller asks for them (``branches``), and makes the mapping
        unknown otherwise; a key no rule checks written in a branch counts as present.
        """
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Name):
            binding = self.binding(node.value, scope)
            if binding is None or binding.kind != ASSIGN or not self.only_handed_on(binding):
                return None
            inner = self.mapping(binding.value, binding.scope, before, depth + 1, branches)  # type: ignore[arg-type]
            stores = self.key_stores.completions(binding, before, scope)
            if inner is None or stores is None:
                return None
            entries = dict(inner.entries)
            for store, block in stores:
                if block is None:  # straight-line: the key now holds this value on every path
                    entries[store.key] = Entry(store.value, store.scope, None)
                    continue
                if store.key not in CHECKED_PARAMS:
                    entries.setdefault(store.key, Entry(store.value, store.scope, None))
                    continue
                if not branches:
                    return None
                old = entries.get(store.key, Entry(None, store.scope, None))
                entries[store.key] = old._replace(branches=(*old.branches, (store.value, store.scope, block)))
            shared = self.readers(binding) != 1
            if not shared and any(e.blocker is None for e in entries.values()):
                imported = import_blocker(self.constants, binding)
                if imported is not None:
                    entries = {k: e._replace(blocker=e.blocker or imported) for k, e in entries.items()}
            return Mapping(entries, node.value, shared)
        if isinstance(node, cst.Subscript):
            entry = self.item(node, scope, depth)
            if entry is None or entry.node is None:
                return None
            inner = self.mapping(entry.node, entry.scope, before, depth + 1)
            if inner is None:
                return None
            why = f"{_source(node.value)} is read more than once"
            return Mapping({k: e._replace(blocker=e.blocker or entry.blocker or inner.blocker(e, why))
                            for k, e in inner.entries.items()})
        parts = dict_parts(node)
        if parts is None:
            return None
        if isinstance(node, cst.Call) and not self.is_builtin("dict", scope):
            return None
        merged: dict[str, Entry] = {}
        for part in parts:
            if isinstance(part, tuple):
                merged[part[0]] = Entry(part[1], scope, None)
                continue
            spread = self.mapping(part, scope, before, depth + 1, branches)
            if spread is None:
                return None
            why = f"{spread.name} is read more than once"
            merged.update({k: e._replace(blocker=spread.blocker(e, why)) for k, e in spread.entries.items()})
        return Mapping(merged)

    def item(self, node: cst.Subscript, scope: Scope, depth: int = 0) -> Entry | None:
        """``TABLE["key"]``: the entry a literal key selects in a mapping that can be read."""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        key = literal_value(node.slice[0].slice.value)
        if not isinstance(key, str):
            return None
        table = self.mapping(node.value, scope, depth=depth + 1)
        if table is None or key not in table.entries:
            return None
        entry = table.entries[key]
        return entry._replace(blocker=table.blocker(entry, f"{table.name} is read more than once"))


def _text(text: str | None) -> Value:
    return NOT_KNOWN if text is None else Value(text)


def _is_enum(class_scope: Scope) -> bool:
    node = class_scope.node
    if not isinstance(node, cst.ClassDef):
        return False
    return any(isinstance(b.value, (cst.Name, cst.Attribute)) and _last(b.value).endswith("Enum") for b in node.bases)


def _is_value_enum(class_scope: Scope) -> bool:
    """An enum whose members are strings or ints themselves (``str, Enum``, ``StrEnum``, ``IntEnum``)."""
    bases = {_last(b.value) for b in class_scope.node.bases}  # type: ignore[union-attr]
    return bool(bases & {"str", "int", "StrEnum", "IntEnum"})


def _last(node: cst.BaseExpression) -> str:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""


_EMPTY_MODULE = cst.Module(body=[])


def _source(node: cst.CSTNode) -> str:
    return _EMPTY_MODULE.code_for_node(node)
