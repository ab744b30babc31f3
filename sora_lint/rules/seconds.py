from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from ..analysis.facts import UNKNOWN, Resolved
from .base import (
    SAFE,
    SOR_TYPE_INT,
    SOR_TYPE_STR,
    Context,
    Finding,
    Invalid,
    Rule,
    SoraCall,
    Valid,
    applicability,
    as_number,
    contract_for_seconds_type,
    fix_blocked_note,
    nearest_seconds,
    neighbours,
    rewrite,
    seconds_type_is_wrong,
    seconds_value,
    shown,
    shown_value,
    supported_list,
    supported_seconds,
    switch_model,
    upgrade_for,
)


class SecondsUnsupported(Rule):
    code = "SOR001"
    name = "seconds-unsupported"
    summary = "`seconds` is a duration the model does not support"
    why = (
        "The API rejects the request with `invalid_value` on `seconds` "
        "(`Invalid value: '10'. Supported values are: '4', '8', and '12'.`), "
        "but only when the code runs."
    )
    fix_safety = (
        "Safe: the value moves to the nearest supported duration, rounding up on a tie; "
        "the original request can never succeed, so there is no working behaviour to preserve. "
        "Unsafe (with --unsafe-fixes): switch to `sora-2-pro` where the duration is valid there, "
        "which changes price and output; not offered where the call also sends other values (another caller's, "
        "another choice's, another branch's), whose valid requests the switch would change. "
        "The nearest duration is unsafe too where the model is a guess (a typo's "
        "only close match, which SOR005 fixes) or the contract is assumed. "
        "A value both unsupported and of the wrong type (`seconds=10` under `openai`) is one finding, SOR001's, "
        "not SOR002's as well: the duration is the problem the API rejects, and this fix writes the nearest "
        "supported duration in the contract's type, so one fix leaves a valid value."
    )
    reports = ("a duration the model does not support (`seconds=10` on `sora-2`), "
               "or an extension length `videos.extend` does not take")
    fix_summary = (
        'safe: nearest supported value, ties round up; unsafe: `model="sora-2-pro"` where the value is valid there'
    )
    VALID = (
        Valid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="p", '
              'seconds="8")\n'),
        Valid('from openai import '
              'OpenAI\nOpenAI(base_url="https://api.apiyi.com/v1").videos.create(model="sora-2-pro", prompt="p", '
              'seconds=15)\n', "auto"),
        Valid("from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model=MODEL, prompt=p, "
              "seconds=args.seconds)\n"),
    )
    INVALID = (
        Invalid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="p", '
                'seconds="9")\n',
                "seconds=\"9\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
                'use "8" or "12" '

                "[profile openai: pinned]", (3, 58), (3, 61),
                fixed='from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="p", '
                      'seconds="8")\n'),
        # A tie (10 is as far from 8 as from 12) rounds up: the user asked for at least that long.
        Invalid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="p", '
                'seconds="10")\n',
                "seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
                'use "8" or "12" '

                "[profile openai: pinned]", (3, 58), (3, 62),
                fixed='from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="p", '
                      'seconds="12")\n'),
        Invalid("client.videos.create(model='sora-2', prompt='p', seconds=5)\n",
                "seconds=5 is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 4 or 8 "
                "[profile apiyi: pinned]", (1, 58), (1, 59),
                fixed="client.videos.create(model='sora-2', prompt='p', seconds=4)\n", profile="apiyi"),
        Invalid('client.videos.create(model="sora-2-pro", prompt="p", seconds=30)\n',
                "seconds=30 is not supported by sora-2-pro (Supported values are: '10', '15', and '25'); use 25 "
                "[profile apiyi: pinned]", (1, 62), (1, 64),
                fixed='client.videos.create(model="sora-2-pro", prompt="p", seconds=25)\n', profile="apiyi"),
        # The wrong type too: one finding, whose advice and fix are in the contract's type.
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds=5)\n',
                "seconds=5 is not supported by sora-2 (Supported values are: '4', '8', and '12'); use \"4\" or \"8\" "
                "[profile openai: pinned]", (1, 58), (1, 59),
                fixed='client.videos.create(model="sora-2", prompt="p", seconds="4")\n'),
        # A mistyped model is checked as its only close match (the one SOR005 writes), on the first run;
        # the fix depends on that guess, so it is unsafe.
        Invalid('client.videos.create(**{"model": "sora2", "prompt": "p", "seconds": "16"})\n',
                'seconds="16" is not supported by sora-2 (taken for model="sora2") (Supported values '
                "are: '4', '8', and '12'); use \"12\" [profile openai: pinned]", (1, 69), (1, 73)),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("seconds")
        if arg is None:
            return
        number = as_number(arg.value)
        found = supported_seconds(call, ctx)
        if number is None:
            if isinstance(arg.value, str):
                yield self.finding(f"{shown(arg)} is not a number of seconds{_what_to_write(call, found)}{ctx.tag}",
                                   arg.anchor)
            return
        if found is None or number in found[0]:
            return
        supported, what = found
        best = nearest_seconds(number, supported)
        # The advice is written as the fix writes it, in the contract's type: following the message alone
        # gives a valid value, whatever type the value had (a wrong type is said here, not by SOR002 too).
        advice = " or ".join(shown_value(seconds_value(n, ctx.profile, arg)) for n in neighbours(number, supported))
        target = upgrade_for(call, ctx)
        # Valid on the other model, but of the wrong type: the switch writes it in the contract's type too.
        retyped = (arg, seconds_value(int(number), ctx.profile, arg)) if seconds_type_is_wrong(arg, ctx.profile) \
            and number == int(number) else None
        pro = switch_model(call, ctx, target, retyped)
        alternative = f', or model="{target}"' if pro else ""
        message = (
            f"{shown(arg)} is not {what} (Supported values are: {supported_list(supported)}); "
            f"use {advice}{alternative}{fix_blocked_note(arg)}{ctx.tag}"
        )
        replacement = seconds_value(best, ctx.profile, arg)
        nearest = rewrite(arg, replacement, applicability(call, ctx),
                          f"Replace with {shown_value(replacement)}, the nearest supported duration")
        yield self.finding(message, arg.anchor, nearest, pro)


class SecondsType(Rule):
    code = "SOR002"
    name = "seconds-type"
    summary = "`seconds` has the wrong type for the contract (string vs int, or a float)"
    why = (
        "The official SDK types `seconds` as a string (`\"8\"`); the APIYI gateway wants an int (`8`). "
        "The wrong type is a type-checker error with the SDK, or a rejected request on the gateway."
    )
    fix_safety = (
        "Safe: the same number in the type the contract expects. A duration the call does not support is "
        "SOR001's finding alone (its fix writes the contract's type too): one value, one finding, one fix."
    )
    reports = '`seconds` of the wrong type for the contract (`"8"` under `apiyi`, `8` under `openai`, `8.0` anywhere)'
    fix_summary = "safe: same number, right type"
    VALID = (
        Valid('client.videos.create(model="sora-2", prompt="p", seconds="8")\n'),
        Valid('client.videos.create(model="sora-2", prompt="p", seconds=8)\n', "apiyi"),
        Valid('client.videos.create(model="sora-2", prompt="p", seconds=5)\n'),  # SOR001's finding alone
    )
    INVALID = (
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds=8)\n',
                'seconds=8 is an int, but profile openai expects a string, as the openai SDK types it: use "8" '
                '(the APIYI gateway expects an int; if this code calls it, '
                'set profile = "apiyi") [profile openai: pinned]',
                (1, 58), (1, 59), fixed='client.videos.create(model="sora-2", prompt="p", seconds="8")\n'),
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds="8")\n',
                'seconds="8" is a string, but profile apiyi expects an int: use 8 (the official OpenAI API expects a '
                'string; if this code calls it, set profile = "openai") [profile apiyi: pinned]',
                (1, 58), (1, 61), fixed='client.videos.create(model="sora-2", prompt="p", '
                                        'seconds=8)\n', profile="apiyi"),
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds=8.0)\n',
                "seconds=8.0 is a float, but profile apiyi expects an int: use 8 (seconds is a whole number of "
                "seconds) "
                "[profile apiyi: pinned]",
                (1, 58), (1, 61), fixed='client.videos.create(model="sora-2", prompt="p", '
                                        'seconds=8)\n', profile="apiyi"),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("seconds")
        if arg is None or arg.form_field:
            return  # a multipart/form field is text on the wire, whatever its type in Python
        if arg.value is UNKNOWN:
            yield from self._typed(arg, ctx)
            return
        number = as_number(arg.value)
        if number is None or number != int(number):
            return  # not a number, or not a whole one: SOR001 says what to use
        whole = int(number)
        wants_int = ctx.profile.seconds_type == SOR_TYPE_INT
        if wants_int and type(arg.value) is int:
            return
        if not wants_int and isinstance(arg.value, str) and arg.value == str(whole):
            return
        found = supported_seconds(call, ctx)
        if found is not None and whole not in found[0]:
            return  # one finding per value: SOR001 reports it, and its fix writes the contract's type too
        replacement = seconds_value(whole, ctx.profile)
        use = f"use {shown_value(replacement)}"
        if wants_int:
            kind = "a string" if isinstance(arg.value, str) else "a float"
            other = (_other_contract(SOR_TYPE_STR, "a string")
                     if isinstance(arg.value, str) else "seconds is a whole number of seconds")
            message = (f"{shown(arg)} is {kind}, but profile {ctx.profile.name} expects an int: {use} "
                       f"({other}){fix_blocked_note(arg)}{ctx.tag}")
        elif isinstance(arg.value, str):
            # A string already, but not the SDK's literal (" 8", "08", "8.0"): saying it should be a
            # string would contradict itself, so the message names the literal it should be.
            message = (f"{shown(arg)} is not written as the openai SDK's literal {shown_value(str(whole))} "
                       f"(the bare number as a string): {use}{fix_blocked_note(arg)}{ctx.tag}")
        else:
            kind = "an int" if isinstance(arg.value, int) else "a float"
            message = (f"{shown(arg)} is {kind}, but profile {ctx.profile.name} expects a string, "
                       f'as the openai SDK types it: {use} ({_other_contract(SOR_TYPE_INT, "an int")})'
                       f"{fix_blocked_note(arg)}{ctx.tag}")
        fix = rewrite(arg, replacement, SAFE,
                      f"Replace with {'the int' if wants_int else 'the string'} {shown_value(replacement)}")
        yield self.finding(message, arg.anchor, fix)


    def _typed(self, arg: Resolved, ctx: Context) -> Iterable[Finding]:
        """A value nobody can know whose type is known (``int(s)``, ``seconds: int``): the wrong type is
        wrong whatever the value. Quiet where the contract is assumed, and never fixed (the value is unknown)."""
        if arg.kind is None or ctx.contract_assumed:
            return
        wants_int = ctx.profile.seconds_type == SOR_TYPE_INT
        if arg.kind == ("int" if wants_int else "str"):
            return
        kind = {"int": "an int", "str": "a string", "float": "a float"}[arg.kind]
        written = " ".join(_EMPTY_MODULE.code_for_node(arg.anchor).split())
        evidence = f" ({arg.kind_from})" if arg.kind_from else ""
        if arg.via is not None and arg.via.startswith("**"):
            evidence += f" (in {arg.via})"
        if wants_int:
            other = (_other_contract(SOR_TYPE_STR, "a string")
                     if arg.kind == "str" else "seconds is a whole number of seconds")
            expects, convert = "an int", "int(...)"
        else:
            other = _other_contract(SOR_TYPE_INT, "an int")
            expects, convert = "a string, as the openai SDK types it", "str(...)"
        yield self.finding(f"seconds={written}{evidence} is {kind}, but profile {ctx.profile.name} expects {expects}: "
                           f"pass it through {convert} ({other}){ctx.tag}", arg.anchor)


def _what_to_write(call: SoraCall, found: tuple[tuple[int, ...], str] | None) -> str:
    """For a value that is no number at all: the durations to choose from, when the call's are known."""
    if found is None:
        return ""
    supported, what = found
    one = what if call.is_extend else f"one {what}"
    return f": write {one} (Supported values are: {supported_list(supported)})"


def _other_contract(seconds_type: str, kind: str) -> str:
    """Which shipped contract the value's type would be right for, and how to say the code calls it."""
    other = contract_for_seconds_type(seconds_type)
    if other is None:
        return f"no shipped contract expects {kind}"
    return f'{other.contract_name} expects {kind}; if this code calls it, set profile = "{other.name}"'


_EMPTY_MODULE = cst.Module(body=[])
