"""The SDK shapes: ``<client>.videos.create(...)`` and its kin, and litellm's video functions.

A ``.videos.create(...)``-shaped call is a Sora call when its receiver traces to a Sora client
(:func:`trace`), or, when it cannot be traced, when a Sora model is passed and every keyword is one
the SDK method takes (``SDK_KEYWORDS``: ``openai_id=`` says an ORM). An ``openai`` import
alone says nothing: an ORM's reverse manager (``project.videos.create(...)``) in a file that
also imports openai is not a Sora call.
"""
from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

import libcst as cst

from .arguments import Alternative, combine, resolve, resolve_entry
from .environ import environment_default
from .facts import UNKNOWN, ClientInfo, Resolved, SoraCall, UnknownKeyword
from .functions import builder_mapping, function_of, returned
from .imported import project_client, project_item, project_mapping
from .scopes import ASSIGN, IMPORT, PARAM, WITH, Scope
from .shapes import (
    BASE_URL_KEYWORDS,
    CLIENT_CLASSES,
    CLIENT_DERIVING_METHODS,
    EXTEND_METHODS,
    EXTRA_BODY,
    FUNCTION_POSITIONS,
    FUNCTIONS,
    LITELLM_BASE_URL_KEYWORDS,
    MODEL_PROVIDER_CLIENTS,
    MODEL_PROVIDER_PREFIXES,
    MODULE_CLIENTS,
    NOT_SORA_HOSTS,
    OWN_DEFAULT_SERVER_CLIENTS,
    RESPONSE_WRAPPERS,
    SDK_KEYWORDS,
    SDK_METHODS,
    SORA_PARAMS,
    is_other_model,
    is_sora_model,
)
from .syntax import literal_value
from .values import MAX_DEPTH, Resolver

CLIENT_NAMES = frozenset(CLIENT_CLASSES)
# The arguments of a call made indirectly, each with the scope it is written in.
Given = Sequence[tuple[cst.Arg, Scope]]
_EMPTY_MODULE = cst.Module(body=[])


class Trace(NamedTuple):
    """What a receiver is: a qualified class or module, and the call that built it (when there is one)."""

    qualified: str
    construction: cst.Call | None
    scope: Scope | None


def trace(resolver: Resolver, node: cst.BaseExpression, scope: Scope, classes: AbstractSet[str],
          modules: AbstractSet[str] = frozenset(), depth: int = 0) -> Trace | None:
    """Follow a receiver to an instance of one of ``classes`` (or one of ``modules`` itself).

    Followed: a construction (``OpenAI(...)``), a name bound once (assignment, ``with ... as``),
    an import, a parameter annotated with the class, and ``self.X`` / ``cls.X`` where the class
    binds ``X`` once (in its body or in one method).
    """
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in CLIENT_DERIVING_METHODS and classes is CLIENT_NAMES:
            return trace(resolver, func.value, scope, classes, modules, depth + 1)
        qualified = resolver.qualified(func, scope)
        if qualified is not None:
            return Trace(qualified, node, scope) if qualified in classes else None
        return _factory(resolver, node, scope, classes, modules, depth)
    if isinstance(node, cst.IfExp):
        return _either(resolver, [(node.body, scope), (node.orelse, scope)], classes, modules, depth)
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        # ``client or OpenAI()``: whichever side is sent, it is a client (``None`` on the left is falsy).
        return _either(resolver, [(node.left, scope), (node.right, scope)], classes, modules, depth)
    if isinstance(node, cst.Name):
        binding = resolver.binding(node.value, scope)
        if binding is None:
            owner = scope.owner(node.value)
            bindings = owner.bindings[node.value] if owner is not None else []
            if bindings and all(b.kind in (ASSIGN, WITH) for b in bindings):
                # ``try: client = OpenAI() / except ...: client = None``: a client wherever it is one.
                return _either(resolver, [(b.value, b.scope) for b in bindings], classes, modules, depth)  # type: ignore[misc]
            return None
        if binding.kind in (ASSIGN, WITH):
            return trace(resolver, binding.value, binding.scope, classes, modules, depth + 1)  # type: ignore[arg-type]
        if binding.kind == IMPORT and binding.value in modules:
            return Trace(str(binding.value), None, None)
        if binding.kind == IMPORT:
            built = project_client(resolver, node, scope)
            return Trace(built, None, None) if built is not None and built in classes else None
        if binding.kind == PARAM and binding.node.annotation is not None:  # type: ignore[union-attr]
            annotation = binding.node.annotation.annotation  # type: ignore[union-attr]
            qualified = annotated_class(resolver, annotation, binding.scope.parent or binding.scope)
            return Trace(qualified, None, None) if qualified is not None and qualified in classes else None
        return None
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        held = held_value(resolver, node, scope)
        if held is not None:
            return trace(resolver, held[0], held[1], classes, modules, depth + 1)
        built = project_client(resolver, node, scope)  # ``clients.sora_client``
        if built is not None:
            return Trace(built, None, None) if built in classes else None
    return None


def _factory(resolver: Resolver, node: cst.Call, scope: Scope, classes: AbstractSet[str],
             modules: AbstractSet[str], depth: int) -> Trace | None:
    """A call of the module's own function that returns a client: annotated ``-> OpenAI``, or whose one
    ``return`` traces to one."""
    found = function_of(resolver, node, scope)
    if found is None:
        return None
    function, inner = found
    if function.returns is not None:
        qualified = annotated_class(resolver, function.returns.annotation, inner.parent or inner)
        if qualified is not None:
            return Trace(qualified, None, None) if qualified in classes else None
    value = returned(resolver, node, scope)
    return trace(resolver, value[0], value[1], classes, modules, depth + 1) if value is not None else None


def _either(resolver: Resolver, options: list[tuple[cst.BaseExpression, Scope]], classes: AbstractSet[str],
            modules: AbstractSet[str], depth: int) -> Trace | None:
    """The client every option that is not ``None`` traces to (what a receiver bound in branches is)."""
    found: list[Trace] = []
    for value, value_scope in options:
        if isinstance(value, cst.Name) and value.value == "None":
            continue
        traced = trace(resolver, value, value_scope, classes, modules, depth + 1)
        if traced is None:
            return None
        found.append(traced)
    return found[0] if found else None


def annotated_class(resolver: Resolver, annotation: cst.BaseExpression, scope: Scope) -> str | None:
    """The class an annotation names: ``OpenAI``, ``openai.OpenAI``, ``"OpenAI"``, ``Optional[OpenAI]``,
    ``OpenAI | None``."""
    if isinstance(annotation, cst.SimpleString):
        text = literal_value(annotation)
        if not isinstance(text, str) or not all(part.isidentifier() for part in text.split(".")):
            return None
        try:
            annotation = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return None
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [annotation.left, annotation.right]
        named = [s for s in sides if not (isinstance(s, cst.Name) and s.value == "None")]
        return annotated_class(resolver, named[0], scope) if len(named) == 1 else None
    if isinstance(annotation, cst.Subscript) and len(annotation.slice) == 1:
        wrapper = resolver.qualified(annotation.value, scope)
        inner = annotation.slice[0].slice
        if wrapper in ("typing.Optional", "typing_extensions.Optional") and isinstance(inner, cst.Index):
            return annotated_class(resolver, inner.value, scope)
        return None
    return resolver.qualified(annotation, scope)


def held_value(resolver: Resolver, node: cst.Attribute, scope: Scope) -> tuple[cst.BaseExpression, Scope] | None:
    """What ``self.X`` / ``cls.X`` holds when the class binds ``X`` exactly once (in its body or a method)."""
    class_scope = resolver.class_of(node.value.value, scope)  # type: ignore[attr-defined]
    if class_scope is None:
        return None
    name = node.attr.value
    found: list[tuple[cst.BaseExpression, Scope]] = [
        (s.value, s.scope) for s in resolver.walk.attribute_stores
        if s.attr == name and resolver.class_of(s.owner, s.scope) is class_scope]
    found += [(b.value, b.scope) for b in class_scope.bindings.get(name, ()) if b.kind == ASSIGN]  # type: ignore[misc]
    if len(found) != 1 or len(class_scope.bindings.get(name, ())) > 1:
        return None
    return found[0]


def sdk_shape(func: cst.BaseExpression) -> tuple[str, cst.BaseExpression, bool] | None:
    """(method, receiver, receiver is the videos resource itself) for a ``videos``-shaped callee."""
    if not isinstance(func, cst.Attribute) or func.attr.value not in SDK_METHODS:
        return None
    method, owner = func.attr.value, func.value
    if isinstance(owner, cst.Name):
        return method, owner, True  # ``videos = client.videos; videos.create(...)``
    resource = _resource_receiver(owner)
    return (method, resource, False) if resource is not None else None


def _resource_receiver(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The client in ``client.videos``, ``client.videos.with_raw_response``, ``client.with_raw_response.videos``."""
    if not isinstance(node, cst.Attribute):
        return None
    if node.attr.value in RESPONSE_WRAPPERS:
        node = node.value  # type: ignore[assignment]
        if not isinstance(node, cst.Attribute):
            return None
    if node.attr.value != "videos":
        return None
    client = node.value
    if isinstance(client, cst.Attribute) and client.attr.value in RESPONSE_WRAPPERS:
        client = client.value
    return client


def client_info(resolver: Resolver, node: cst.Call, qualified: str, scope: Scope) -> ClientInfo:
    """The server a client construction names (its ``base_url``)."""
    name = CLIENT_CLASSES.get(qualified, qualified)
    base_url, assumed = _base_url(resolver, node, scope, BASE_URL_KEYWORDS)
    return ClientInfo(node, name, base_url, sdk_default=qualified not in OWN_DEFAULT_SERVER_CLIENTS, assumed=assumed)


def _base_url(resolver: Resolver, node: cst.Call, scope: Scope, keywords: tuple[str, ...]) -> tuple[object, str | None]:
    """The literal base URL a call passes (str), None when it passes none, UNKNOWN when it cannot be read;
    and, for the default of an environment variable, why it is only assumed."""
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            value = resolver.value(arg.value, scope).value
            if isinstance(value, str):
                return value, None
            bound, bound_scope = resolver.bound_expression(arg.value, scope)
            found = environment_default(resolver, bound, bound_scope)
            default = resolver.value(found.default, bound_scope).value if found is not None else None
            if found is not None and isinstance(default, str):
                return default, f"the default of {found.variable}"
            return UNKNOWN, None
        if arg.star:
            return UNKNOWN, None
    return None, None


def serves_sora(info: ClientInfo) -> bool:
    """False for a client built for a server that never serves Sora (Gemini's OpenAI-compatible API)."""
    return not (isinstance(info.base_url, str) and any(host in info.base_url for host in NOT_SORA_HOSTS))


def read_sdk_call(resolver: Resolver, node: cst.Call, scope: Scope, func: cst.BaseExpression | None = None,
                  given: Given | None = None) -> tuple[list[SoraCall], Trace | None]:
    """The variants of an SDK call, and what its receiver traced to (None: not traced).

    ``func`` and ``given``: the method and the arguments of a call made indirectly (``functools.partial``,
    ``asyncio.to_thread``), when they are not ``node``'s own."""
    shape = sdk_shape(node.func if func is None else func)
    if shape is None:
        return [], None
    method, receiver, is_resource = shape
    if is_resource:
        bound, bound_scope = resolver.bound_expression(receiver, scope)
        if bound is receiver:
            return [], None  # a name that is not ``client.videos``: ``videos.extend([...])`` on a list
        client = _resource_receiver(bound)
        if client is None:
            return [], None
        receiver, scope_of_receiver = client, bound_scope
    else:
        scope_of_receiver = scope
    traced = trace(resolver, receiver, scope_of_receiver, CLIENT_NAMES, MODULE_CLIENTS)
    client_ok: bool | None = None  # None: not traced
    if traced is None and _foreign_keyword(resolver, node, scope, method, given):
        return [], None
    if traced is not None:
        client_ok = traced.construction is None or serves_sora(
            client_info(resolver, traced.construction, traced.qualified, traced.scope))  # type: ignore[arg-type]
    calls = read_arguments(resolver, node, scope, method, client_ok, given=given)
    return calls, traced


def _foreign_keyword(resolver: Resolver, node: cst.Call, scope: Scope, method: str,
                     given: Given | None = None) -> bool:
    """Whether the call passes a keyword the SDK method does not take (``openai_id=``, ``title=``),
    written at the call or as a key of a ``**mapping`` that can be read."""
    known = SDK_KEYWORDS[method]
    for arg, arg_scope in [(a, scope) for a in node.args] if given is None else given:
        if arg.keyword is not None and arg.keyword.value not in known:
            return True
        if arg.star == "**":
            mapping = resolver.mapping(arg.value, arg_scope, resolver.walk.order.get(id(node), 1 << 62))
            if mapping is not None and any(key not in known for key in mapping.entries):
                return True
    return False


def read_function_call(resolver: Resolver, node: cst.Call, scope: Scope) -> list[SoraCall]:
    """litellm's ``video_generation(model="openai/sora-2", ...)``: a Sora call when the model is Sora's."""
    method = FUNCTIONS.get(resolver.qualified(node.func, scope) or "")
    if method is None:
        return []
    # Positional arguments stand for the keywords of the function's signature, in order.
    names = iter(FUNCTION_POSITIONS[method])
    given = [(cst.Arg(a.value, keyword=cst.Name(next(names, "_")))
              if a.keyword is None and not a.star else a, scope) for a in node.args]
    calls = read_arguments(resolver, node, scope, method, None, provider_prefixes=True, given=given)
    for call in calls:
        if method in EXTEND_METHODS and "model" not in call.args and call.client is None:
            # litellm's video_extension without a model goes to its default provider, openai.
            base_url, assumed = _base_url(resolver, node, scope, LITELLM_BASE_URL_KEYWORDS)
            call.has_evidence = True
            call.client = ClientInfo(node, MODEL_PROVIDER_CLIENTS[MODEL_PROVIDER_PREFIXES[0]], base_url,
                                     assumed=assumed, steered_by=LITELLM_BASE_URL_KEYWORDS[0],
                                     named="litellm's default openai/ provider")
    return calls


def read_arguments(resolver: Resolver, node: cst.Call, scope: Scope, method: str, client_ok: bool | None,
                   provider_prefixes: bool = False, given: Given | None = None) -> list[SoraCall]:
    """The variants of a call from its arguments (``given``: the arguments it is made with, when they are
    not ``node``'s own: a partial's and its call's, ``asyncio.to_thread``'s after the function)."""
    arguments: dict[str, list[Alternative]] = {}
    unknown: list[UnknownKeyword] = []
    extra_bodies: list[tuple[cst.BaseExpression, Scope]] = []
    star = False
    before = resolver.walk.order.get(id(node), 1 << 62)
    # litellm's functions take every parameter by keyword (video_extension's model too).
    known = SDK_KEYWORDS[method] | (frozenset(SORA_PARAMS) if provider_prefixes else frozenset())
    for arg, arg_scope in [(a, scope) for a in node.args] if given is None else given:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is not None and keyword in SORA_PARAMS and keyword in known:
            item = project_item(resolver, keyword, arg.value, arg_scope)
            arguments[keyword] = ([Alternative(item, None, None)] if item is not None
                                  else resolve(resolver, keyword, arg.value, arg_scope))
        elif keyword == EXTRA_BODY:
            extra_bodies.append((arg.value, arg_scope))
        elif keyword is not None and keyword not in known:
            unknown.append(UnknownKeyword(keyword, _single(resolve(resolver, keyword, arg.value, arg_scope), arg.value),
                                          arg.keyword))
        elif arg.star == "**" and (table := project_mapping(resolver, arg.value, arg_scope)) is not None:
            for key in table.entries:
                if key in SORA_PARAMS and key in known:
                    arguments[key] = [Alternative(table.resolved(key, arg.value), None, None)]
                elif key not in known:
                    unknown.append(UnknownKeyword(key, table.resolved(key, arg.value), None))
        elif arg.star == "**":
            mapping = builder_mapping(resolver, arg.value, arg_scope, before, branches=True)
            if mapping is None:
                star = True
                continue
            via = f"**{mapping.name}" if mapping.name else (
                f"**{_EMPTY_MODULE.code_for_node(arg.value)}" if isinstance(arg.value, cst.Subscript) else None)
            shared = f"{mapping.name} is used elsewhere too"
            for key, entry in mapping.entries.items():
                if key in SORA_PARAMS and key in known:
                    arguments[key] = resolve_entry(resolver, key, entry, via, mapping.blocker(entry, shared))
                elif key not in known:
                    unknown.append(UnknownKeyword(key, _single(resolve_entry(
                        resolver, key, entry, via, "it is a key of a mapping"), entry.node or arg.value), None))
        elif arg.star == "*":
            star = True
    for body, body_scope in extra_bodies:
        # The SDK merges extra_body into the request body last: its keys are what is sent.
        mapping = resolver.mapping(body, body_scope, before)
        if mapping is None:
            if not (isinstance(body, cst.Name) and body.value == "None"):
                star = True
            continue
        via = f"extra_body={mapping.name or '{...}'}"
        for key, entry in mapping.entries.items():
            if key in SORA_PARAMS and key in known:
                shared = f"{mapping.name} is passed to more than one call"
                arguments[key] = resolve_entry(resolver, key, entry, via, mapping.blocker(entry, shared))
    calls = []
    for args in combine(arguments):
        model = args.get("model")
        provider: ClientInfo | None = None
        if provider_prefixes and model is not None and isinstance(model.value, str) and "/" in model.value:
            prefix, rest = model.value.split("/", 1)
            if f"{prefix}/" not in MODEL_PROVIDER_PREFIXES:
                continue  # another provider's model (``gemini/veo-3``)
            model.value = rest
            model.fix_blocker = model.fix_blocker or f"the model carries the provider prefix {prefix}/"
            # The prefix says the provider, so the server: litellm's azure/ talks to Azure, its openai/ to
            # the official API unless a base URL is given.
            base_url, assumed = _base_url(resolver, node, scope, LITELLM_BASE_URL_KEYWORDS)
            provider = ClientInfo(node, MODEL_PROVIDER_CLIENTS[f"{prefix}/"], base_url, assumed=assumed,
                                  steered_by=LITELLM_BASE_URL_KEYWORDS[0], named=f"litellm's {prefix}/ provider")
        model_value = model.value if model is not None else UNKNOWN
        if client_ok is False or is_other_model(model_value):
            continue
        evidence = bool(client_ok) or is_sora_model(model_value)
        calls.append(SoraCall(node, method, args, evidence, star, client=provider, unknown_keywords=unknown,
                              keyword_sink="kwargs" if provider_prefixes else "sdk"))
    return calls


def _single(alternatives: list[Alternative], anchor: cst.BaseExpression) -> Resolved:
    """The one value of an argument; unknown when it varies (a rule on its name needs no variants)."""
    if len(alternatives) == 1 and alternatives[0].group is None:
        return alternatives[0].resolved
    return Resolved(alternatives[0].resolved.param if alternatives else "", UNKNOWN, anchor, None)
