from __future__ import annotations

from typing import Iterable

from ..rule import (
    PRO_MODEL,
    SAFE,
    SOR_TYPE_INT,
    Context,
    Finding,
    Invalid,
    Rule,
    SoraCall,
    Valid,
    as_number,
    fix_blocked_note,
    model_spec,
    neighbours,
    nearest_seconds,
    rewrite,
    seconds_literal,
    shown,
    source_of,
    supported_list,
    switch_to_pro,
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
    example = 'client.videos.create(model="sora-2", prompt="a cat", seconds="10")'
    use_instead = 'client.videos.create(model="sora-2", prompt="a cat", seconds="12")'
    fix_safety = (
        "Safe: the value moves to the nearest supported duration, rounding up on a tie; "
        "the original request can never succeed, so there is no working behaviour to preserve. "
        "Unsafe (with --unsafe-fixes): switch to `sora-2-pro` where the duration is valid there, "
        "which changes price and output."
    )
    VALID = (
        Valid('from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="8")\n'),
        Valid('from openai import OpenAI\nOpenAI(base_url="https://api.apiyi.com/v1").videos.create(model="sora-2-pro", prompt="p", seconds=15)\n', "auto"),
        Valid("import openai\nclient = openai.OpenAI()\nclient.videos.create(model=MODEL, seconds=args.seconds)\n"),
    )
    INVALID = (
        Invalid('from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n',
                'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="12")\n'),
        Invalid("client.videos.create(model='sora-2', prompt='p', seconds=6)\n",
                "client.videos.create(model='sora-2', prompt='p', seconds=8)\n", "apiyi"),
        Invalid('client.videos.create(model="sora-2-pro", prompt="p", seconds=20)\n',
                'client.videos.create(model="sora-2-pro", prompt="p", seconds=25)\n', "apiyi"),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("seconds")
        if arg is None:
            return
        number = as_number(arg.value)
        if number is None:
            if isinstance(arg.value, str):
                yield self.finding(f"{shown(arg)} is not a number of seconds{ctx.tag}", arg.anchor)
            return
        if call.is_extend:
            supported = ctx.profile.extend_seconds
            if not supported or number in supported:
                return
            what = "an extension length videos.extend supports"
        else:
            spec, label = model_spec(call, ctx)
            if spec is None or number in spec.seconds:
                return
            supported = spec.seconds
            what = f"supported by {label}"
        best = nearest_seconds(number, supported)
        advice = " or ".join(str(n) for n in neighbours(number, supported))
        pro = None if call.is_extend else switch_to_pro(call, ctx)
        alternative = f', or model="{PRO_MODEL}"' if pro else ""
        message = (
            f"{shown(arg)} is not {what} (Supported values are: {supported_list(supported)}); "
            f"use {advice}{alternative}{fix_blocked_note(arg)}{ctx.tag}"
        )
        nearest = rewrite(arg, seconds_literal(best, ctx.profile, arg), SAFE,
                          f"Replace with {best}, the nearest supported duration")
        yield self.finding(message, arg.anchor, nearest, pro)


class SecondsType(Rule):
    code = "SOR002"
    name = "seconds-type"
    summary = "`seconds` has the wrong type for the contract (string vs int, or a float)"
    why = (
        "The official SDK types `seconds` as a string (`\"8\"`); the APIYI gateway wants an int (`8`). "
        "The wrong type is a type-checker error with the SDK, or a rejected request on the gateway."
    )
    example = 'client.videos.create(model="sora-2", prompt="a cat", seconds=8)  # profile openai'
    use_instead = 'client.videos.create(model="sora-2", prompt="a cat", seconds="8")'
    fix_safety = "Safe: the same number in the type the contract expects."
    VALID = (
        Valid('client.videos.create(model="sora-2", prompt="p", seconds="8")\n'),
        Valid('client.videos.create(model="sora-2", prompt="p", seconds=8)\n', "apiyi"),
    )
    INVALID = (
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds=8)\n',
                'client.videos.create(model="sora-2", prompt="p", seconds="8")\n'),
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds="8")\n',
                'client.videos.create(model="sora-2", prompt="p", seconds=8)\n', "apiyi"),
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds=8.0)\n',
                'client.videos.create(model="sora-2", prompt="p", seconds=8)\n', "apiyi"),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("seconds")
        if arg is None or arg.form_field:
            return  # a multipart/form field is text on the wire, whatever its type in Python
        number = as_number(arg.value)
        if number is None or number != int(number):
            return  # not a number, or not a whole one: SOR001 says what to use
        whole = int(number)
        wants_int = ctx.profile.seconds_type == SOR_TYPE_INT
        if wants_int and type(arg.value) is int:
            return
        if not wants_int and isinstance(arg.value, str) and arg.value == str(whole):
            return
        replacement = seconds_literal(whole, ctx.profile)
        if wants_int:
            kind = "a string" if isinstance(arg.value, str) else "a float"
            other = ('the official OpenAI API expects a string; if this code calls it, set profile = "openai"'
                     if isinstance(arg.value, str) else "seconds is a whole number of seconds")
            message = (f"{shown(arg)} is {kind}, but profile {ctx.profile.name} expects an int: use {whole} "
                       f"({other}){fix_blocked_note(arg)}{ctx.tag}")
        else:
            kind = "an int" if isinstance(arg.value, int) else ("a float" if isinstance(arg.value, float) else "a string")
            other = ('the APIYI gateway expects an int; if this code calls it, set profile = "apiyi"'
                     if isinstance(arg.value, (int, float)) else "write the bare number as a string")
            message = (f"{shown(arg)} is {kind}, but profile {ctx.profile.name} expects a string, "
                       f'as the openai SDK types it: use "{whole}" ({other}){fix_blocked_note(arg)}{ctx.tag}')
        fix = rewrite(arg, replacement, SAFE, f"Replace with {'the int' if wants_int else 'the string'} {source_of(replacement)}")
        yield self.finding(message, arg.anchor, fix)

