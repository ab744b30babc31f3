"""One argument's possible values, and the variants of a call they make together.

Most arguments have one value. Two shapes give several, each checked on its own and reported
where it is written: a conditional expression (``"12" if hd else "10"``: one per branch), and a
parameter of the module's own function passed straight on (``def make(seconds="10")``: its
default, and the literal each call of ``make`` in the module passes). Values that vary together
are kept together: every parameter of one function takes the same caller's values, and
conditionals on the same test take the same branch. Values that vary independently are never
combined: when two sources vary, they are skipped rather than paired in ways the code may never run.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

import libcst as cst

from .evidence import literal_members, value_kind
from .facts import UNKNOWN, Resolved
from .functions import method_callers
from .objects import attribute_values
from .options import Option, argparse_option, click_option
from .project import import_blocker
from .scopes import ASSIGN, DEF, PARAM, Binding, Scope
from .shapes import INTERDEPENDENT_PARAMS
from .syntax import UNREADABLE, passed_argument
from .tables import table_values
from .values import Entry, Resolver, Value

MAX_VARIANTS = 16

# What ties alternatives of different parameters together: ("if", (scope, test source)) or ("param", id(function)).
Group = Optional[tuple[str, object]]


class Alternative(NamedTuple):
    resolved: Resolved
    group: Group
    key: object  # the branch index, or the caller ("default" or its index)


def resolve(resolver: Resolver, param: str, node: cst.BaseExpression, scope: Scope,
            via: str | None = None, key: str | None = None, blocker: str | None = None) -> list[Alternative]:
    """Every value ``node`` may have as the argument ``param``, each anchored where it is written."""
    if isinstance(node, cst.IfExp):
        group: Group = ("if", (id(scope), _source(node.test)))  # the same test text in the same scope
        out = []
        for index, branch in enumerate((node.body, node.orelse)):
            for alt in resolve(resolver, param, branch, scope, via, key, blocker):
                if alt.group is not None:
                    return [_unknown(param, node, via, key)]  # nested variation: not followed
                out.append(Alternative(alt.resolved, group, index))
        return out
    if isinstance(node, cst.Attribute):
        option = argparse_option(resolver, node, scope)
        if option is not None:
            return _through_option(resolver, param, option, node, via, key)
        through = _through_object(resolver, param, node, scope, via, key, blocker)
        if through is not None:
            return through
    if isinstance(node, cst.Name):
        binding = resolver.binding(node.value, scope)
        if binding is not None and binding.kind == PARAM:
            option = click_option(resolver, binding)
            if option is not None:
                return _through_option(resolver, param, option, node, via, key)
            members = _literal_members(binding)
            if members is not None:
                return _through_members(resolver, param, members, binding, via, key)
            through = _through_parameter(resolver, param, binding, via, key)
            if through is not None:
                return through
        if binding is not None and binding.kind == ASSIGN and isinstance(binding.value, cst.IfExp):
            # ``seconds = "12" if hd else "10"``: each branch, through the name.
            shared = (f"{node.value} is used elsewhere too" if resolver.readers(binding) != 1 else None) or (
                None if blocker else import_blocker(resolver.constants, binding))
            return [alt._replace(resolved=_through_name(alt.resolved, node.value))
                    for alt in resolve(resolver, param, binding.value, binding.scope, via, key, blocker or shared)]
    value = resolver.value(node, scope)
    if value.value is UNKNOWN:
        table = table_values(resolver, node, scope)
        if table is not None:
            return _through_table(resolver, param, node, table, via, key)
    return [Alternative(_resolved(param, value, node, via, key, blocker), None, None)]


def _through_table(resolver: Resolver, param: str, node: cst.BaseExpression,
                   table: tuple[list[cst.BaseExpression], Scope, str], via: str | None,
                   key: str | None) -> list[Alternative]:
    """Each value of a literal table the code reads by a key or a choice it cannot know."""
    values, where, name = table
    group: Group = ("table", id(values[0]))
    why = f"{name} is read at run time by a key or a choice the code does not fix"
    shown = _source(node)
    return [Alternative(_through_name(_resolved(param, resolver.value(v, where), v, via, key, why), shown),
                        group, index) for index, v in enumerate(values)]


def resolve_entry(resolver: Resolver, param: str, entry: Entry, via: str | None,
                  blocker: str | None) -> list[Alternative]:
    """A dict key's values: the one it is written with, and each one a branch writes before the call.

    Every possibility is checked where it is written; none is rewritten, since the literal no
    longer has one path to the call. Keys written in the same block vary together.
    """
    if entry.node is not None and not entry.branches:
        return resolve(resolver, param, entry.node, entry.scope, via, param, blocker)
    group: Group = ("branch", (id(entry.scope), via))
    why = blocker or f"{via[2:] if via else 'the dict'}[{param!r}] is also written in a branch"
    writes = ([(entry.node, entry.scope, "default")] if entry.node is not None else []) + [
        (node, scope, block) for node, scope, block in entry.branches]
    out = []
    for node, scope, key in writes:
        for alt in resolve(resolver, param, node, scope, via, param, why):
            if alt.group is not None:
                return [_unknown(param, node, via, param)]  # a conditional inside a branch: not followed
            out.append(Alternative(alt.resolved, group, key))
    return out


def _through_object(resolver: Resolver, param: str, node: cst.Attribute, scope: Scope, via: str | None,
                    key: str | None, blocker: str | None) -> list[Alternative] | None:
    """``self.duration`` / ``config.size`` / ``spec.seconds``: what the object's attribute may hold."""
    writes = attribute_values(resolver, node, scope)
    if writes is None:
        return None
    if not writes:
        return [_unknown(param, node, via, key)]
    shown = _source(node)
    group: Group = ("object", id(writes[0].scope)) if len(writes) > 1 else None
    out = []
    for write in writes:
        for alt in resolve(resolver, param, write.node, write.scope, via, key, blocker or write.blocker):
            if alt.group is not None and group is not None:
                return [_unknown(param, node, via, key)]  # a conditional in one of several writes: not followed
            out.append(Alternative(_through_name(alt.resolved, shown), alt.group if group is None else group,
                                   alt.key if group is None else write.key))
    return out


def _through_option(resolver: Resolver, param: str, option: Option, node: cst.BaseExpression, via: str | None,
                    key: str | None) -> list[Alternative]:
    """A command-line option: each choice and the default where written, and the type of any other value."""
    group: Group = ("option", id(option.values[0]) if option.values else id(node))
    why = f"{option.where} is a command-line option"
    shown = _source(node)
    out = []
    kinds = set()
    for index, written in enumerate(option.values):
        value = resolver.value(written, option.scope)
        kinds.add(value_kind(value.value))
        out.append(Alternative(_through_name(_resolved(param, value, written, via, key, why), shown), group, index))
    if option.kind is not None and option.kind not in kinds:  # else the default already shows the type
        typed = Resolved(param, UNKNOWN, node, None, via=via, key=key, kind=option.kind,
                         kind_from=f"{option.where} is read as {option.kind}")
        out.append(Alternative(typed, group, "given"))
    if len(out) == 1:
        return [out[0]._replace(group=None, key=None)]  # one possibility: it varies with nothing
    return out


def _literal_members(binding: Binding) -> list[cst.BaseExpression] | None:
    node = binding.node
    if not isinstance(node, cst.Param) or node.annotation is None:
        return None
    return literal_members(node.annotation.annotation)


def _through_members(resolver: Resolver, param: str, members: list[cst.BaseExpression], binding: Binding,
                     via: str | None, key: str | None) -> list[Alternative]:
    """``seconds: Literal["4", "8", "10"]``: every member may be passed; each is checked where it is written."""
    group: Group = ("literal", id(binding.node))
    why = f"{binding.name}'s annotation lists the values callers may pass"
    out = []
    for index, member in enumerate(members):
        value = resolver.value(member, binding.scope)
        out.append(Alternative(_through_name(_resolved(param, value, member, via, key, why), binding.name),
                               group, index))
    return out


def _through_name(res: Resolved, name: str) -> Resolved:
    """A branch reached through a name: reported at the name's use, rewritten at the branch."""
    if res.value is not UNKNOWN and res.via is None:
        res.via = name
    return res


def _resolved(param: str, value: Value, anchor: cst.CSTNode, via: str | None, key: str | None,
              blocker: str | None) -> Resolved:
    if value.value is UNKNOWN:
        return Resolved(param, UNKNOWN, anchor, None, via=via or (value.via if value.kind else None), key=key,
                        kind=value.kind, kind_from=value.kind_from)
    return Resolved(param, value.value, anchor, value.literal, via=via or value.via,
                    fix_blocker=blocker or value.blocker, key=key, defined_at=value.defined_at)


def _unknown(param: str, anchor: cst.CSTNode, via: str | None, key: str | None) -> Alternative:
    return Alternative(Resolved(param, UNKNOWN, anchor, None, via=via, key=key), None, None)


def _through_parameter(resolver: Resolver, param: str, binding: Binding, via: str | None,
                       key: str | None) -> list[Alternative] | None:
    """A parameter of a function of this module passed straight on: its default and its callers' values."""
    function = binding.scope.node
    if not isinstance(function, cst.FunctionDef) or binding.scope.parent is None:
        return None
    in_class = binding.scope.parent.kind == "class"  # a method: its callers pass the instance first
    # Reading the parameter elsewhere (logging it, comparing it) changes nothing: only a rebinding
    # would, and then it has two bindings and is not followed at all. Its literals then have
    # another reader, so they are reported but not rewritten.
    shared = f"{binding.name} is used elsewhere too" if resolver.readers(binding) != 1 else None
    parameter = binding.node
    if not isinstance(parameter, cst.Param):
        return None
    group: Group = ("param", id(function))
    out: list[Alternative] = []
    if parameter.default is not None:
        value = resolver.value(parameter.default, binding.scope.parent)
        out.append(Alternative(_resolved(param, value, parameter.default, via, key, shared), group, "default"))
    callers = (method_callers(resolver, function, binding.scope.parent) if in_class
               else _callers(resolver, function, binding.scope.parent))
    for index, (call, scope) in enumerate(callers):
        given = _argument_for(call, function, parameter, skip=int(in_class))
        if given is None:
            continue  # omitted: the default applies, checked once above
        if given is UNREADABLE:
            out.append(Alternative(Resolved(param, UNKNOWN, call, None, via=via, key=key), group, index))
            continue
        value = resolver.value(given, scope)
        out.append(Alternative(_resolved(param, value, given, via, key, shared), group, index))
    return out or None


def _callers(resolver: Resolver, function: cst.FunctionDef, scope: Scope) -> list[tuple[cst.Call, Scope]]:
    name = function.name.value
    out = []
    for call, call_scope in resolver.walk.named_calls.get(name, ()):
        binding = resolver.binding(name, call_scope)
        if binding is not None and binding.kind == DEF and binding.node is function:
            out.append((call, call_scope))
    return out


def _argument_for(call: cst.Call, function: cst.FunctionDef, parameter: cst.Param,
                  skip: int = 0) -> cst.BaseExpression | None:
    """What ``call`` passes for ``parameter`` (see :func:`passed_argument`); ``skip``: leading parameters the
    call does not pass (a method's ``self``)."""
    positional_params = [*function.params.posonly_params, *function.params.params][skip:]
    position = next((i for i, p in enumerate(positional_params) if p is parameter), None)
    return passed_argument(call, position, parameter.name.value)


def combine(arguments: dict[str, list[Alternative]]) -> list[dict[str, Resolved]]:
    """The variants of a call: one per branch or caller of the one source that varies."""
    varying = {p: alts for p, alts in arguments.items() if len(alts) > 1 or (alts and alts[0].group is not None)}
    fixed = {p: alts[0].resolved for p, alts in arguments.items() if p not in varying and alts}
    groups = {alt.group for alts in varying.values() for alt in alts}
    if not varying:
        return [fixed]
    if len(groups) != 1:
        return [dict(fixed, **{p: _as_unknown(alts[0].resolved) for p, alts in varying.items()})]
    if len(INTERDEPENDENT_PARAMS.intersection(varying)) > 1 and next(iter(groups))[0] == "param":  # type: ignore[index]
        # The default is sent together with whatever the callers pass for the other parameters:
        # rewriting it for the defaults' combination could break a caller's valid call.
        for alts in varying.values():
            for alt in alts:
                if alt.key == "default" and alt.resolved.literal is not None:
                    alt.resolved.fix_blocker = alt.resolved.fix_blocker or (
                        "the default is sent with other values of the function's other parameters")
    keys: list[object] = []
    for alts in varying.values():
        for alt in alts:
            if alt.key not in keys:
                keys.append(alt.key)
    variants = []
    for key in keys[:MAX_VARIANTS]:
        variant = dict(fixed)
        for param, alts in varying.items():
            chosen = next((a.resolved for a in alts if a.key == key), None)
            if chosen is None:  # a caller that omits the parameter gets its default
                chosen = next((a.resolved for a in alts if a.key == "default"), None)
            variant[param] = chosen if chosen is not None else _as_unknown(alts[0].resolved)
        variants.append(variant)
    return variants


def _as_unknown(res: Resolved) -> Resolved:
    return Resolved(res.param, UNKNOWN, res.anchor, None, via=res.via, key=res.key)


_EMPTY_MODULE = cst.Module(body=[])


def _source(node: cst.CSTNode) -> str:
    return _EMPTY_MODULE.code_for_node(node)
