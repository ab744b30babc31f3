"""What a rule sees (a resolved Sora call and its profile) and what it may propose.

Rules import only this module: it re-exports (``__all__``) the catalog and analysis pieces
they need, and a rule's fix asks for a value (:class:`ReplaceValue`) or a new argument
(:class:`AddKeyword`); :mod:`sora_lint.engine.edits` decides the bytes. So a rule never
touches I/O, LibCST's parser or the source text.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import libcst as cst

from ..analysis.facts import UNKNOWN, Resolved, SoraCall, UnknownKeyword
from ..analysis.shapes import SDK_KEYWORDS
from ..analysis.syntax import comment_inside, new_string
from ..contracts.catalog import (
    SOR_TYPE_INT,
    SOR_TYPE_STR,
    ModelSpec,
    Profile,
    canonical_size,
    contract_for_seconds_type,
    is_canonical_size,
    is_unknown_version,
    model_candidates,
    nearest_seconds,
    neighbours,
    parameter_alias,
    same_orientation_size,
    sdk_default_server,
    upgrades_of,
)
from ..contracts.lifecycle import Notice, Server, notice
from ..core.types import PARSE_ERROR, SAFE, UNSAFE
from .proposals import AddKeyword, Change, Finding, FixProposal, RenameKeyword, ReplaceValue, Value

# What rules import from here: the pieces of the contracts and the analysis they use, and this module's own.
__all__ = [
    "SOR_TYPE_INT",
    "SOR_TYPE_STR",
    "ModelSpec",
    "Profile",
    "canonical_size",
    "contract_for_seconds_type",
    "is_canonical_size",
    "is_unknown_version",
    "model_candidates",
    "nearest_seconds",
    "neighbours",
    "parameter_alias",
    "SDK_KEYWORDS",
    "UnknownKeyword",
    "RenameKeyword",
    "same_orientation_size",
    "sdk_default_server",
    "upgrades_of",
    "Notice",
    "Server",
    "notice",
    "UNKNOWN",
    "Resolved",
    "SoraCall",
    "SAFE",
    "UNSAFE",
    "Value",
    "ReplaceValue",
    "AddKeyword",
    "Change",
    "value_text",
    "FixProposal",
    "Finding",
    "Context",
    "Invalid",
    "Valid",
    "Rule",
    "RuleCodeTaken",
    "shown",
    "shown_value",
    "supported_list",
    "model_spec",
    "model_assumed",
    "applicability",
    "seconds_value",
    "seconds_type_is_wrong",
    "supported_seconds",
    "rewrite",
    "fix_blocked_note",
    "valid_under",
    "as_number",
    "upgrade_for",
    "switch_model",
    "fix_blocker",
]

_EMPTY_MODULE = cst.Module(body=[])

def value_text(node: cst.BaseExpression | None, value: object) -> str:
    """How a message shows a value: as its literal was written when that is one short line, else
    as a canonical literal (``"10"``, ``10``), never the source span with its parentheses and lines."""
    if (
        isinstance(node, (cst.SimpleString, cst.Integer, cst.Float))
        and "\n" not in node.value
        and "\r" not in node.value
    ):
        return node.value
    if isinstance(value, str):
        return new_string(value, frozenset()) or repr(value)
    return repr(value)


@dataclass(frozen=True)
class Context:
    """The profile that applies to the file, and why (shown in every message); the server it talks to."""

    profile: Profile
    reason: str
    server: Server | None = None  # None when the file does not say which server it talks to
    server_inferred: bool = False  # the SDK's default server, because the client has no base_url
    today: datetime.date | None = None  # None: lifecycle dates are not checked
    # The contract is a guess (a fallback for a base_url that is not a literal, an unknown host, a getenv
    # default): no fix under it is safe, and every message says how to state the contract instead.
    assumed: bool = False
    # Where SOR006 reports the server once: the construction of the client these calls go through
    # (or the first call through it when it is not built in the file); None: at each call.
    server_anchor: cst.CSTNode | None = None

    @property
    def contract_assumed(self) -> bool:
        """Whether the profile is the fallback for a server nobody can read: a finding that only the
        contract's type makes (not the value) is then too likely to be noise."""
        return "fallback-profile" in self.reason

    @property
    def tag(self) -> str:
        if self.assumed:
            return (f" [profile {self.profile.name} assumed ({self.reason}): "
                    f'state the contract with profile = "NAME" in [tool.sora-lint]]')
        return f" [profile {self.profile.name}: {self.reason}]"


class Invalid(NamedTuple):
    """An example the rule must report, as Fixit's are: exactly one finding of the rule, with this
    message from ``start`` to ``end`` (1-based line and column, as diagnostics show them).
    ``fixed`` is the source after its safe fix; None when it has none (the source stays as it is)."""

    source: str
    message: str
    start: tuple[int, int]
    end: tuple[int, int]
    fixed: str | None = None
    profile: str = "openai"


class Valid(NamedTuple):
    """An example the rule must not report."""

    source: str
    profile: str = "openai"


class Rule:
    """A check over one Sora call. Subclasses fill the class attributes and :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    why: ClassVar[str]
    fix_safety: ClassVar[str]
    # The README's rule table: what it reports (a noun phrase with an example) and its fix in brief.
    reports: ClassVar[str]
    fix_summary: ClassVar[str]
    fixable: ClassVar[bool] = True  # whether its findings can carry a fix (the docs' "fix" column)
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in vars(cls):  # a rule, not a base class of rules
            _claim(cls)

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, message: str, anchor: cst.CSTNode, *fixes: FixProposal | None) -> Finding:
        return Finding(self.code, message, anchor, [f for f in fixes if f is not None])


class RuleCodeTaken(Exception):
    """Two rule classes declare the same code or name: raised when the second class is defined."""


# Every rule class defined so far, by code and by name: a code or name means one rule.
_CLAIMED: dict[str, type[Rule]] = {}


def _claim(rule: type[Rule]) -> None:
    """Register ``rule``'s code and name, or say which class holds them already."""
    where = f"{rule.__module__}.{rule.__qualname__}"
    if not re.fullmatch(r"SOR\d{3}", rule.code) or rule.code == PARSE_ERROR:
        raise RuleCodeTaken(f"{where}: code {rule.code!r} must be SOR001 to SOR999 (SOR000 is the parse error)")
    for key in (rule.code, f"name {rule.name}"):
        holder = _CLAIMED.get(key)
        # The same class defined again (a module reloaded) replaces itself.
        if holder is not None and (holder.__module__, holder.__qualname__) != (rule.__module__, rule.__qualname__):
            what = f"code {rule.code}" if key == rule.code else f"name {rule.name!r}"
            raise RuleCodeTaken(f"{where}: {what} is taken by {holder.__module__}.{holder.__qualname__}; "
                                f"pick a free one (sora-lint rule --all lists the taken codes)")
    _CLAIMED[rule.code] = _CLAIMED[f"name {rule.name}"] = rule


# --- helpers rules share --------------------------------------------------------

def shown(arg: Resolved) -> str:
    """How a finding names an argument, on one line: ``seconds=10``, ``seconds=DURATION (= 10)``,
    ``seconds=str(DURATION) (= "10")``, ``size=f"{W}x{H}" (= "1792x1024")`` or ``seconds="9" (in **params)``.

    A value is shown from its literal, never from its source span, which may hold parentheses,
    comments and line breaks; an expression written at the call is shown on one line.
    """
    value = value_text(arg.literal if _literal_has_value_type(arg) else None, arg.value)
    if arg.via is not None and (arg.via.startswith("**") or "=" in arg.via):  # "**params", a body "json=payload"
        return f"{arg.param}={value} (in {arg.via})"
    if arg.literal is arg.anchor:
        if arg.via is None:  # written at the call (maybe in parentheses, with comments)
            return f"{arg.param}={value}"
        written = arg.via  # a branch of a conditional bound to a name: reported at the branch
    else:
        written = " ".join(_EMPTY_MODULE.code_for_node(arg.anchor).split())
    if written == value:
        return f"{arg.param}={value}"
    return f"{arg.param}={written} (= {value})"


def _literal_has_value_type(arg: Resolved) -> bool:
    """Whether the literal shows the value as it is sent (``str(10)`` sends ``"10"``, not ``10``)."""
    if isinstance(arg.value, str):
        return isinstance(arg.literal, (cst.SimpleString, cst.ConcatenatedString))
    return isinstance(arg.literal, (cst.Integer, cst.Float))


def shown_value(value: int | str) -> str:
    """A replacement value as a message shows it: ``12`` or ``"12"``."""
    return value_text(None, value)


def supported_list(values: Sequence[object]) -> str:
    """The API's own wording: ``'4', '8', and '12'``."""
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def model_spec(call: SoraCall, ctx: Context) -> tuple[ModelSpec | None, str]:
    """The spec of the call's model and how to name it; no spec when unknown.

    A mistyped model with exactly one close match (the one SOR005's fix writes) is checked as that
    model, so its other values are reported on the first run, not after the fix: see :func:`model_assumed`.
    """
    name = call.model_name(ctx.profile.default_model_name)
    if not isinstance(name, str):
        return None, ""
    spec = ctx.profile.model(name)
    if spec is None:
        candidates = model_candidates(name, ctx.profile)
        if len(candidates) == 1:
            return ctx.profile.model(candidates[0]), f'{candidates[0]} (taken for model="{name}")'
        return None, ""
    label = name if "model" in call.args else f"{name} (the default model)"
    return spec, label


def model_assumed(call: SoraCall, ctx: Context) -> bool:
    """Whether the call's model is a guess (a typo's only close match): a fix that depends on it is unsafe."""
    name = call.model_name(ctx.profile.default_model_name)
    return isinstance(name, str) and ctx.profile.model(name) is None


def applicability(call: SoraCall, ctx: Context) -> str:
    """SAFE, unless the contract or the model is assumed: a safe fix is right whatever the unknowns are."""
    return UNSAFE if ctx.assumed or model_assumed(call, ctx) else SAFE


def seconds_value(value: int, profile: Profile, arg: Resolved | None = None) -> int | str:
    """``value`` in the type the contract wants; a form field keeps its literal's type (it is text on the wire)."""
    if arg is not None and arg.form_field:
        return str(value) if isinstance(arg.value, str) else value
    return str(value) if profile.seconds_type == SOR_TYPE_STR else value


def seconds_type_is_wrong(arg: Resolved, profile: Profile) -> bool:
    """Whether ``seconds`` has another type than the contract's (a form field is text whatever its type)."""
    if arg.form_field:
        return False
    if profile.seconds_type == SOR_TYPE_STR:
        return not isinstance(arg.value, str)
    return type(arg.value) is not int


def supported_seconds(call: SoraCall, ctx: Context) -> tuple[tuple[int, ...], str] | None:
    """The durations the call accepts and how a message names them; None when unknown or unchecked."""
    if call.is_extend:
        supported = ctx.profile.extend_seconds
        return (supported, "an extension length videos.extend supports") if supported else None
    spec, label = model_spec(call, ctx)
    return (spec.seconds, f"supported by {label}") if spec is not None else None


def rewrite(arg: Resolved, value: int | str, applicability: str, message: str) -> FixProposal | None:
    """A fix that writes ``value`` in place of the argument's literal, unless the literal may not be touched."""
    if arg.literal is None or fix_blocker(arg) is not None:
        return None
    return FixProposal(applicability, message, (ReplaceValue(arg.literal, value),))


def fix_blocker(arg: Resolved) -> str | None:
    """Why the argument's literal may not be rewritten: the analysis's reason, or a comment that a
    rewrite would delete (a fix never loses one); None when it may."""
    if arg.fix_blocker:
        return arg.fix_blocker
    if arg.literal is not None and comment_inside(arg.literal):
        return "a comment sits inside the value"
    return None


def fix_blocked_note(arg: Resolved) -> str:
    blocker = fix_blocker(arg)
    return f" (not fixed automatically: {blocker})" if blocker else ""


def valid_under(call: SoraCall, spec: ModelSpec, profile: Profile) -> bool:
    """Whether every known duration and size of the call is accepted by ``spec``."""
    seconds = call.args.get("seconds")
    if seconds is not None and not isinstance(seconds.value, type(UNKNOWN)):
        number = as_number(seconds.value)
        if number is None or number not in spec.seconds:
            return False
    size = call.args.get("size")
    return not (size is not None and isinstance(size.value, str) and canonical_size(size.value) not in spec.sizes)


def as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def upgrade_for(call: SoraCall, ctx: Context) -> str | None:
    """The first model of the call's upgrade path that accepts every duration and size it asks for."""
    if call.is_extend or model_assumed(call, ctx):
        return None  # the model is a typo: SOR005 proposes the name, no other model is proposed over it
    if call.variants > 1:
        # The call sends other values too (another caller's, another choice's): the model it names is
        # written once for all of them, so a switch would change requests that are valid as they are.
        return None
    spec, _label = model_spec(call, ctx)
    if spec is None:
        return None
    return next((up.name for up in upgrades_of(spec, ctx.profile) if valid_under(call, up, ctx.profile)), None)


def switch_model(call: SoraCall, ctx: Context, target: str | None,
                 value: tuple[Resolved, Value] | None = None) -> FixProposal | None:
    """The unsafe fix that moves the call to ``target`` (from :func:`upgrade_for`); with ``value``, it also
    writes the reported value as the contract wants it (``"10"`` -> ``10``), so that one fix leaves a valid
    call, not a second finding on the same value in the next round."""
    if target is None:
        return None
    message = f'Use model="{target}" (changes price and output)'
    also: tuple[Change, ...] = ()
    if value is not None:
        arg, written = value
        if arg.literal is None or fix_blocker(arg) is not None:
            return None
        also = (ReplaceValue(arg.literal, written),)
    model = call.args.get("model")
    if model is not None:
        switched = rewrite(model, target, UNSAFE, message)
        return FixProposal(UNSAFE, message, switched.changes + also) if switched is not None else None
    if call.has_star_args or call.is_http:  # a request body has no keyword to add the model to
        return None
    return FixProposal(UNSAFE, message, (AddKeyword(call.node, "model", target), *also))

