"""``request_problems``, behind the public ``sora_lint.validate``: the linter's own rules on one
request's parameters, at run time.

It builds the call record the analysis builds for ``client.videos.create(model=..., seconds=...,
size=...)`` written with literals, and runs the same rules on it, so it reports exactly the codes
and messages ``sora-lint check`` prints for that call under a pinned profile. LibCST (which the
rules' fixes are made of) is imported on the first call only.
"""
from __future__ import annotations

import json
import math
from typing import Any

from ..contracts.catalog import Problem, Profile, get_profile
from ..contracts.settings import Settings

PARAMS = ("model", "seconds", "size")


def request_problems(
    model: str | None = None,
    seconds: object = None,
    size: str | None = None,
    profile: str | Profile = "openai",
    extra_profiles: dict[str, Profile] | None = None,
) -> list[Problem]:
    """Every problem the linter reports on these parameters under ``profile``; [] when the request is valid.

    ``None`` means the parameter is not sent. A value the linter could not read from source (a
    bool, an object) is skipped, as the linter skips it. ``extra_profiles`` adds profiles by name
    (those of a configuration: ``load_settings().user_profiles``).
    """
    from ..analysis.facts import SoraCall
    from ..core.types import SAFE
    from ..rules import ALL_RULES
    from ..rules.base import Context, Finding, ReplaceValue

    prof = get_profile(profile, extra_profiles)
    values = {"model": model, "seconds": seconds, "size": size}
    args, node = _call({p: v for p, v in values.items() if v is not None})
    call = SoraCall(node, "create", args, has_evidence=True, has_star_args=False)
    ctx = Context(prof, Settings().profile_origin)  # the reason the linter gives a pinned profile
    findings: list[Finding] = [f for rule in ALL_RULES for f in rule().check(call, ctx)]
    param_of = {id(arg.anchor): arg.param for arg in args.values()}
    problems = []
    for finding in findings:
        safe = next((p for p in finding.fixes if p.applicability == SAFE), None)
        change = safe.changes[0] if safe is not None and len(safe.changes) == 1 else None
        suggestion = change.value if isinstance(change, ReplaceValue) else None
        problems.append(Problem(finding.code, param_of.get(id(finding.anchor), ""), finding.message, suggestion))
    order = {p: i for i, p in enumerate(PARAMS)}
    return sorted(problems, key=lambda p: (order.get(p.param, len(PARAMS)), p.code))


def _call(values: dict[str, object]) -> tuple[dict[str, Any], Any]:
    """The ``Resolved`` arguments and the call node of ``client.videos.create(**values)``."""
    import libcst as cst

    from ..analysis.facts import UNKNOWN, Resolved

    args: dict[str, Any] = {}
    nodes = []
    no_space = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    for param, value in values.items():
        literal = _literal(value)
        node = literal if literal is not None else cst.Name("value")
        args[param] = Resolved(param, value if literal is not None else UNKNOWN, node, literal)
        nodes.append(cst.Arg(node, keyword=cst.Name(param), equal=no_space))
    func = cst.Attribute(cst.Attribute(cst.Name("client"), cst.Name("videos")), cst.Name("create"))
    return args, cst.Call(func, args=_with_commas(nodes))


def _with_commas(nodes: list[Any]) -> list[Any]:
    import libcst as cst

    return [n.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for n in nodes[:-1]] + nodes[
        -1:
    ]


def _literal(value: object) -> Any | None:
    """The literal the linter would read ``value`` from; None for what it cannot read (it skips those)."""
    import libcst as cst

    if isinstance(value, bool):
        return None  # `True` in source is a name, not a number: the linter does not read it
    if isinstance(value, int):
        return cst.Integer(str(value)) if value >= 0 else cst.UnaryOperation(cst.Minus(), cst.Integer(str(-value)))
    if isinstance(value, float) and math.isfinite(value):
        text = repr(abs(value))
        return cst.Float(text) if value >= 0 else cst.UnaryOperation(cst.Minus(), cst.Float(text))
    if isinstance(value, str):
        return cst.SimpleString(json.dumps(value, ensure_ascii=False))
    return None
