from __future__ import annotations

from collections.abc import Iterable

from .base import (
    SDK_KEYWORDS,
    UNKNOWN,
    UNSAFE,
    Context,
    Finding,
    FixProposal,
    Invalid,
    RenameKeyword,
    ReplaceValue,
    Rule,
    SoraCall,
    UnknownKeyword,
    Valid,
    as_number,
    canonical_size,
    fix_blocker,
    model_spec,
    parameter_alias,
    seconds_value,
    shown,
    shown_value,
    supported_seconds,
)


class ParameterUnknown(Rule):
    code = "SOR008"
    name = "parameter-unknown"
    summary = "a keyword the Sora method does not take (`duration=`, `resolution=`)"
    why = (
        "The openai SDK's `videos.create` takes `prompt`, `model`, `seconds`, `size` and `input_reference`: "
        "any other keyword raises TypeError before a request is sent. Names borrowed from other video APIs "
        "(`duration`, `resolution`, `n_seconds`) are the usual cause. A gateway's own parameter goes in "
        "`extra_body={...}`, which the SDK merges into the request body."
    )
    fix_safety = (
        "Unsafe: renames the keyword to the SDK's (`duration=8` -> `seconds=\"8\"`, in the contract's type) "
        "only where the value is one the call's model accepts; the author may have meant another parameter."
    )
    reports = (
        "a keyword a traced Sora call's method does not take (`duration=`, `resolution=`), with a did-you-mean; "
        "on litellm, a known misnomer the contract does not document"
    )
    fix_summary = "unsafe: the SDK's keyword, where the value maps one to one"
    VALID = (
        Valid('from openai import OpenAI\nclient = OpenAI()\n'
              'client.videos.create(model="sora-2", prompt="p", seconds="8", extra_body={"duration": 8})\n'),
        # Not a client: another library's videos.create takes its own keywords.
        Valid('client.videos.create(title="t", duration=8)\n'),
        # litellm forwards keywords it does not know to the provider, whose documentation decides.
        Valid('import litellm\nlitellm.video_generation(model="openai/sora-2", prompt="p", seconds="8", '
              'api_key="k")\n'),
    )
    INVALID = (
        Invalid('from openai import OpenAI\nclient = OpenAI()\n'
                'client.videos.create(model="sora-2", prompt="p", duration=8)\n',
                "duration=8 is not a keyword of videos.create: the SDK raises TypeError; did you mean seconds? "
                "(a gateway's own parameter goes in extra_body={...}) [profile openai: pinned]",
                (3, 59), (3, 60)),
        Invalid('from openai import OpenAI\nclient = OpenAI()\n'
                'client.videos.create(model="sora-2", prompt="p", resolution="1920x1080")\n',
                'resolution="1920x1080" is not a keyword of videos.create: the SDK raises TypeError; did you mean '
                "size? (a gateway's own parameter goes in extra_body={...}) [profile openai: pinned]",
                (3, 61), (3, 72)),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        if not call.has_evidence:
            return
        for unknown in call.unknown_keywords:
            target = parameter_alias(unknown.name)
            documented = unknown.name in ctx.profile.parameters
            if call.keyword_sink == "kwargs":
                # litellm forwards the keyword to the provider: only a known misnomer the contract lacks is wrong.
                if target is None or documented:
                    continue
                message = f"{shown(unknown.value)} is not a parameter of the Sora API; did you mean {target}?"
            else:
                # portkey_ai's extend takes **kwargs and drops the ones it does not know; its other methods raise.
                dropped = call.is_extend and call.client is not None and call.client.class_name.endswith("Portkey")
                effect = "Portkey's SDK drops it unsent" if dropped else "the SDK raises TypeError"
                message = f"{shown(unknown.value)} is not a keyword of videos.{call.method}: {effect}"
                if target is not None:
                    message += f"; did you mean {target}?"
                if documented:
                    message += (f" ({ctx.profile.contract_name or 'the profile'} documents {unknown.name}: send it "
                                f"in extra_body={{...}})")
                else:
                    message += " (a gateway's own parameter goes in extra_body={...})"
            yield self.finding(message + ctx.tag, unknown.value.anchor, _rename(call, ctx, unknown, target))


def _rename(call: SoraCall, ctx: Context, unknown: UnknownKeyword, target: str | None) -> FixProposal | None:
    """The unsafe fix that writes the SDK's keyword, with the value in the contract's type, when the value
    is a literal at the call that the call's model accepts under the new name."""
    value = unknown.value
    if (target is None or unknown.keyword is None or target in call.args or value.literal is None
            or value.literal is not value.anchor or fix_blocker(value) is not None
            or target not in SDK_KEYWORDS.get(call.method, ())
            or sum(parameter_alias(u.name) == target for u in call.unknown_keywords) != 1):
        return None
    new = _mapped_value(call, ctx, target, value.value)
    if new is None:
        return None
    changes: list[RenameKeyword | ReplaceValue] = [RenameKeyword(unknown.keyword, target)]
    if new != value.value or type(new) is not type(value.value):
        changes.append(ReplaceValue(value.literal, new))
    return FixProposal(UNSAFE, f"Use {target}={shown_value(new)}", tuple(changes))


def _mapped_value(call: SoraCall, ctx: Context, target: str, value: object) -> int | str | None:
    """The value as ``target`` takes it, when the call's model accepts it; None otherwise."""
    if value is UNKNOWN or isinstance(value, bool):
        return None
    if target == "seconds":
        number = as_number(value)
        supported = supported_seconds(call, ctx)
        if number is None or not number.is_integer() or supported is None or int(number) not in supported[0]:
            return None
        return seconds_value(int(number), ctx.profile)
    if target == "size" and isinstance(value, str):
        spec, _label = model_spec(call, ctx)
        size = canonical_size(value)
        return size if spec is not None and size is not None and size in spec.sizes else None
    if target == "model" and isinstance(value, str) and ctx.profile.model(value) is not None:
        return value
    return None
