"""What the analysis hands to the rules: resolved Sora calls and the servers a module names.

These records are the contract between the analysis (which builds them) and the rules,
the engine and :func:`sora_lint.validate` (which read them). Fields may be added
with defaults; none is removed or renamed without changing every reader.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from .shapes import EXTEND_METHODS


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass
class Resolved:
    """One argument of a Sora call and where its value came from."""

    param: str
    value: object  # int, float or str; UNKNOWN when not statically known
    anchor: cst.CSTNode  # where a finding is reported: the value at the call
    literal: cst.BaseExpression | None  # the literal node a fix rewrites
    via: str | None = None  # a name ("DURATION") or "**params" the value came through
    fix_blocker: str | None = None  # why the literal may not be rewritten
    form_field: bool = False  # a multipart/form field: sent as text whatever its Python type
    key: str | None = None  # the dict key the value came through (``**params``, a request body)
    defined_at: str | None = None  # "settings.py:3" when the value is a constant of another project file
    # When the value is UNKNOWN, the type a cast, a builtin or an annotation gives it ("int", "str",
    # "float"), and how a message names that evidence ("annotated int"); None when nothing says.
    kind: str | None = None
    kind_from: str | None = None


@dataclass
class UnknownKeyword:
    """A keyword of a Sora call that the SDK method (or the library function) does not take."""

    name: str  # "duration"
    value: Resolved  # what it passes
    keyword: cst.Name | None  # the keyword as written at the call (a fix renames it); None in a **mapping


@dataclass
class SoraCall:
    node: cst.Call
    method: str  # "create", "create_and_poll" or "extend"
    args: dict[str, Resolved]
    has_evidence: bool
    has_star_args: bool  # *args or an unresolved **kwargs: an omitted parameter may be there
    # How many variants the analysis read of this call node (the branches of a conditional, a function's
    # callers, the choices of an option): one of several is a request the call makes only sometimes.
    variants: int = 1
    transport: str = "sdk"  # "sdk" (client.videos.create) or "http" (a raw request's body)
    # The server this call talks to, when it is known for the call itself (its receiver traces to a
    # client built in the module, the module-level client, a request's URL, litellm's provider prefix):
    # its profile and server are chosen from it. None: the file's choice applies.
    client: ClientInfo | None = None
    # Keywords the method does not take (``duration=8``): the openai SDK raises TypeError on them.
    unknown_keywords: list[UnknownKeyword] = field(default_factory=list)
    # Where the call's keywords go: "sdk" (a client's method: an unknown one is a TypeError) or "kwargs"
    # (litellm: forwarded to the provider, whose documentation decides).
    keyword_sink: str = "sdk"

    @property
    def is_extend(self) -> bool:
        return self.method in EXTEND_METHODS

    @property
    def is_http(self) -> bool:
        return self.transport == "http"

    def model_name(self, default: str) -> object:
        arg = self.args.get("model")
        if arg is None:
            return UNKNOWN if self.has_star_args else default
        return arg.value


@dataclass
class ClientInfo:
    """Where a file says which server it talks to: a client's ``base_url``, or a request's URL."""

    node: cst.Call
    class_name: str  # "OpenAI", ...; for a raw request, its sender ("requests.post", "httpx.Client.post")
    base_url: object  # str, None (not given) or UNKNOWN
    steered_by: str = "base_url"  # how the profile reason names it: "base_url" or "request URL"
    # Whether a missing base_url means the openai SDK's default server (False: a Portkey client, whose
    # default is Portkey's own gateway).
    sdk_default: bool = True
    named: str = "client"  # how the profile reason names it when it has no base_url ("client has no base_url")
    # Why the server is only assumed ("the default of OPENAI_BASE_URL"): the URL comes from the environment,
    # whose default names it, so its contract is assumed: findings say so, and no fix is safe. None: the URL
    # is written in the code (or not given). Any shape may state it.
    assumed: str | None = None


@dataclass
class ModuleFacts:
    module: cst.Module
    calls: list[SoraCall]
    clients: list[ClientInfo]
    imports_openai: bool
    # f-strings quoted with one ' or ": before Python 3.12 their expressions cannot use that quote,
    # so a fix inside one must write its strings with the other. Only those with a call inside are
    # listed: no fix can land in the others.
    fstrings: list[cst.FormattedString] = field(default_factory=list)
    # Other files of the project whose contents this module's results depend on (constants
    # imported from them), as absolute paths: a cached result is stale when one of them changes.
    dependencies: tuple[str, ...] = ()
    # The walk's scopes, for release(): each binding points to its scope, which lists its bindings.
    scopes: list[Any] = field(default_factory=list, repr=False)

    def release(self) -> None:
        """Break the cycles between the scopes and their bindings, once the facts are no longer read: then
        the file's tree, which the bindings hold, dies by reference counting as soon as the last finding is
        placed, instead of waiting in cyclic garbage for the collector (a full walk of it, per file)."""
        for scope in self.scopes:
            scope.bindings.clear()
        self.scopes.clear()
