"""Raw HTTP requests to the Sora video-creation endpoint, read into the same :class:`SoraCall`.

About one Sora call in five does not go through the ``openai`` SDK: it posts a JSON body or a
multipart form to ``/v1/videos`` with ``requests``, ``httpx`` or ``aiohttp``. A request is read
here when all of these are statically known:

* the sender: ``requests.post``/``requests.request("POST", ...)``, ``httpx.post``/``httpx.request``,
  ``aiohttp.request``, or ``.post``/``.request("POST", ...)`` on a ``requests.Session``,
  ``httpx.Client``, ``httpx.AsyncClient`` or ``aiohttp.ClientSession`` that is built right there,
  bound once to a name, bound by ``with ... as name``, held as ``self.X`` by its class, or a
  parameter annotated with one of those classes;
* the endpoint: the URL's literal text ends in ``/videos`` (optional trailing slash, query string
  ignored), whatever the dynamic parts before it; ``/videos/{id}/remix`` and the like never match;
* a Sora body: ``json=`` (or ``data=json.dumps(...)``) and form fields in ``data=``/``files=``
  (a dict, ``dict(...)``, a list of pairs, or a name bound once to one) that carry a ``prompt``
  or name a Sora model.

The URL's host (or, for a relative URL, the session's ``base_url``) steers profile ``auto``
exactly as a client's ``base_url`` does. Form fields are text on the wire, so they are marked
``form_field`` and the type rule leaves them alone.
"""
from __future__ import annotations

import re

import libcst as cst

from .arguments import Alternative, combine, resolve
from .environ import environment_default
from .facts import UNKNOWN, ClientInfo, SoraCall
from .functions import builder_mapping
from .imported import project_mapping
from .scopes import ASSIGN, Scope
from .sdk import trace
from .shapes import (
    BODY_KEYWORDS,
    MODULE_SENDERS,
    SDK_KEYWORDS,
    SESSION_CLASSES,
    SORA_PARAMS,
    URL_JOINERS,
    URLLIB_REQUEST,
    is_other_model,
    is_sora_model,
)
from .syntax import json_dumps_argument, literal_value
from .values import Resolver

_DYNAMIC = "\0"  # a part of a URL that is not known statically
_MAX_DEPTH = 8  # names bound to names bound to ...: enough for real code, safe against cycles
# A body's fields {key: (value node, its scope, fix blocker)}, the name it came through, why a shared body is not fixed.
Fields = tuple[dict[str, tuple[cst.BaseExpression, Scope, "str | None"]], "str | None", "str | None"]
_VIDEOS_ENDPOINT = re.compile(r"/videos/?$")
# ``/videos/{video_id}/remix``: the id is any one path segment, known or not.
_REMIX_ENDPOINT = re.compile(r"/videos/[^/]+/remix/?$")
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")


# --- the URL -------------------------------------------------------------------

def url_template(node: cst.BaseExpression, resolver: Resolver, scope: Scope, depth: int = 0,
                 assumed: list[str] | None = None) -> str:
    """The URL's text with every part that is not statically known replaced by ``_DYNAMIC``.

    The default of an environment variable stands for it; why is appended to ``assumed``."""
    value = literal_value(node)
    if isinstance(value, str):
        return value
    if depth > _MAX_DEPTH:
        return _DYNAMIC
    found = environment_default(resolver, node, scope)
    if found is not None:
        if assumed is not None:
            assumed.append(f"the default of {found.variable}")
        return url_template(found.default, resolver, scope, depth + 1, assumed)
    if isinstance(node, cst.Call) and resolver.qualified(node.func, scope) in URL_JOINERS:
        parts = [a.value for a in node.args if a.keyword is None and not a.star]
        if len(parts) != 2 or len(node.args) != 2:
            return _DYNAMIC
        return _joined(url_template(parts[0], resolver, scope, depth + 1, assumed),
                       url_template(parts[1], resolver, scope, depth + 1, assumed))
    if isinstance(node, cst.FormattedString):
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value.replace("{{", "{").replace("}}", "}"))
            elif (
                isinstance(part, cst.FormattedStringExpression) and part.conversion is None and part.format_spec is None
            ):
                out.append(url_template(part.expression, resolver, scope, depth + 1, assumed))
            else:
                out.append(_DYNAMIC)
        return "".join(out)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return url_template(node.left, resolver, scope, depth + 1, assumed) + url_template(
            node.right, resolver, scope, depth + 1, assumed
        )
    if isinstance(node, cst.ConcatenatedString):
        return url_template(node.left, resolver, scope, depth + 1, assumed) + url_template(
            node.right, resolver, scope, depth + 1, assumed
        )
    if isinstance(node, cst.Name):
        bound, bound_scope = resolver.bound_expression(node, scope)
        if bound is not node:
            return url_template(bound, resolver, bound_scope, depth + 1, assumed)
    return _DYNAMIC


def _joined(base: str, relative: str) -> str:
    """``urljoin(base, relative)`` over templates: an absolute path keeps only the base's origin."""
    if _ABSOLUTE.match(relative) or relative.startswith(_DYNAMIC):
        return relative
    if relative.startswith("/"):
        origin = _ABSOLUTE.match(base)
        return (base[:origin.end()] if origin else _DYNAMIC) + relative
    return base.rsplit("/", 1)[0] + "/" + relative if "/" in base else _DYNAMIC + relative


def is_videos_endpoint(template: str) -> bool:
    """Whether the URL's literal text ends in ``/videos`` (the create endpoint, not a sub-path)."""
    return endpoint_method(template) == "create"


def endpoint_method(template: str) -> str | None:
    """The SDK method a POST to this URL stands for: "create" (``/videos``), "remix"
    (``/videos/{id}/remix``); None for any other path."""
    path = template.split("#", 1)[0].split("?", 1)[0]
    if _VIDEOS_ENDPOINT.search(path):
        return "create"
    return "remix" if _REMIX_ENDPOINT.search(path) else None


def url_origin(template: str) -> object:
    """``scheme://host`` of an absolute URL; UNKNOWN when the host is dynamic; None when relative."""
    absolute = _ABSOLUTE.match(template)
    if absolute:
        host = absolute.group(1)
        return template[:absolute.end()] if host and _DYNAMIC not in host else UNKNOWN
    return UNKNOWN if template.startswith(_DYNAMIC) else None


# --- the sender ----------------------------------------------------------------

def _sender(
    resolver: Resolver, func: cst.BaseExpression, scope: Scope
) -> tuple[str, cst.Call | None, Scope | None] | None:
    """What sends the request (``"httpx.Client.post"``), the session it is built with, and where."""
    name = resolver.qualified(func, scope)
    if name in MODULE_SENDERS:
        return name, None, None
    if not isinstance(func, cst.Attribute) or name is not None:
        return None
    session = trace(resolver, func.value, scope, SESSION_CLASSES)
    if session is None:
        return None
    return f"{session.qualified}.{func.attr.value}", session.construction, session.scope


def _argument(call: cst.Call, position: int | None, keyword: str) -> cst.BaseExpression | None:
    """An argument given by position (when it may be) or by keyword."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position is not None and len(positional) > position:
        return positional[position].value
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)


def _base_url(session: cst.Call | None, sender: str) -> cst.BaseExpression | None:
    """The ``base_url`` a session is built with (first positional for ``aiohttp.ClientSession``)."""
    if session is None:
        return None
    return _argument(session, 0 if sender.startswith("aiohttp.") else None, "base_url")


# --- the body ------------------------------------------------------------------

def _pairs(node: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    """Form fields given as a list/tuple of ``(name, value)`` pairs."""
    pairs = []
    for el in node.elements:  # type: ignore[attr-defined]
        pair = el.value
        if isinstance(el, cst.StarredElement) or not isinstance(pair, cst.Tuple) or len(pair.elements) != 2:
            return None
        key = literal_value(pair.elements[0].value)
        if not isinstance(key, str):
            return None
        pairs.append((key, pair.elements[1].value))
    return pairs


def _form_value(node: cst.BaseExpression) -> cst.BaseExpression:
    """A ``files=`` field's text: the second element of ``(None, "8")`` / ``(filename, content, ...)``."""
    if isinstance(node, cst.Tuple) and len(node.elements) >= 2:
        return node.elements[1].value
    return node


class _Body:
    """The Sora fields of a request's body, read keyword by keyword."""

    def __init__(self, resolver: Resolver, scope: Scope, before: int) -> None:
        self.resolver = resolver
        self.scope = scope
        self.before = before
        self.args: dict[str, list[Alternative]] = {}
        self.has_prompt = False
        self.unreadable = False  # some part of the body cannot be read: a field may hide there

    def read(self, keyword: str, given: cst.BaseExpression) -> None:
        if isinstance(given, cst.Name) and given.value == "None":
            return
        node, is_json = given, keyword == "json"
        serialised = json_dumps_argument(given) if keyword in ("data", "content") else None
        if serialised is not None:
            node, is_json = serialised, True  # data=json.dumps({...}): a JSON body
        elif keyword == "content":
            self.unreadable = True  # raw bytes: what they hold is not read
            return
        table = project_mapping(self.resolver, node, self.scope)
        if table is not None:  # a body another project module holds: reported here, never rewritten there
            self.has_prompt = self.has_prompt or "prompt" in table.entries
            for key in SORA_PARAMS:
                if key in table.entries:
                    found = table.resolved(key, given, via=f"{keyword}={table.shown}")
                    found.form_field = not is_json
                    self.args[key] = [Alternative(found, None, None)]
            return
        fields = self._fields(node)
        if fields is None:
            self.unreadable = True
            return
        entries, name, shared = fields
        via = (f"{keyword}=json.dumps({name})" if serialised is not None else f"{keyword}={name}") if name else None
        for key, (value, scope, blocker) in entries.items():
            self.has_prompt = self.has_prompt or key == "prompt"
            if key not in SORA_PARAMS:
                continue
            if keyword == "files":
                value = _form_value(value)
            alternatives = resolve(self.resolver, key, value, scope, via, key, blocker or shared)
            for alt in alternatives:
                alt.resolved.form_field = not is_json
            self.args[key] = alternatives

    def _fields(self, node: cst.BaseExpression) -> Fields | None:
        """{key: (value node, its scope, fix blocker)}, the name it came through, and why a shared body is not fixed."""
        mapping = builder_mapping(self.resolver, node, self.scope, self.before)
        if mapping is not None:
            why = f"{mapping.name} is passed to more than one call"
            # Without ``branches`` every entry has a node: a checked key written in a branch unsettles the mapping.
            return ({k: (e.node, e.scope, mapping.blocker(e, why)) for k, e in mapping.entries.items()  # type: ignore[misc]
                     },
                    mapping.name, None)
        container: object = node
        scope = self.scope
        name: str | None = None
        shared: str | None = None
        if isinstance(node, cst.Name):
            binding = self.resolver.binding(node.value, self.scope)
            if binding is None or binding.kind != ASSIGN or not self.resolver.only_handed_on(binding):
                return None
            container, scope, name = binding.value, binding.scope, node.value
            shared = f"{name} is passed to more than one call" if self.resolver.readers(binding) != 1 else None
        if not isinstance(container, (cst.List, cst.Tuple)):
            return None
        pairs = _pairs(container)
        if pairs is None:
            return None
        return {k: (v, scope, shared) for k, v in pairs}, name, shared


# --- the request ---------------------------------------------------------------

def read_request(resolver: Resolver, node: cst.Call, scope: Scope) -> tuple[list[SoraCall], ClientInfo] | None:
    """The request's variants as Sora calls, and its URL as a record for profile selection.

    None when ``node`` is not a POST to the videos endpoint by a known HTTP library.
    """
    sender = _sender(resolver, node.func, scope)
    if sender is None or any(a.star == "*" for a in node.args):
        return None
    name, session, session_scope = sender
    generic = name.endswith(".request")
    if generic or name == URLLIB_REQUEST:
        # urllib's Request is a POST when it has data, unless its method says otherwise.
        method = _argument(node, 0 if generic else None, "method")
        verb = resolver.value(method, scope).value if method is not None else ("POST" if not generic else None)
        if not isinstance(verb, str) or verb.upper() != "POST":
            return None
    url = _argument(node, 1 if generic else 0, "url")
    if url is None:
        return None
    assumed: list[str] = []
    template = url_template(url, resolver, scope, assumed=assumed)
    endpoint = endpoint_method(template)
    if endpoint is None:
        return None

    body = _Body(resolver, scope, resolver.walk.order.get(id(node), 1 << 62))
    positional = [a for a in node.args if a.keyword is None and not a.star]
    body_at = 1 if name == URLLIB_REQUEST else None  # urllib.request.Request(url, data)
    body.unreadable = len(positional) > (2 if generic or body_at else 1)  # a body passed by position
    if body_at is not None and len(positional) > body_at:
        body.read("data", positional[body_at].value)
    for arg in node.args:
        if arg.star == "**":
            body.unreadable = True
        elif arg.keyword is not None and arg.keyword.value in BODY_KEYWORDS:
            body.read(arg.keyword.value, arg.value)
    calls = []
    taken = SDK_KEYWORDS[endpoint]
    for args in combine({k: v for k, v in body.args.items() if k in taken}):
        model = args.get("model")
        model_value = model.value if model is not None else None
        if is_other_model(model_value):
            continue
        calls.append(SoraCall(node, endpoint, args, body.has_prompt or is_sora_model(model_value), body.unreadable,
                              transport="http"))

    origin = url_origin(template)
    if origin is None:  # a relative URL: the session's base_url says where it goes
        base = _base_url(session, name)
        origin = url_origin(url_template(base, resolver, session_scope or scope, assumed=assumed)) if (
            base is not None) else None
    return calls, ClientInfo(node, name, UNKNOWN if origin is None else origin, steered_by="request URL",
                             assumed=assumed[0] if assumed and isinstance(origin, str) else None)
