from __future__ import annotations

from collections.abc import Iterable

from .base import (
    SAFE,
    Context,
    Finding,
    Invalid,
    Rule,
    SoraCall,
    Valid,
    applicability,
    canonical_size,
    fix_blocked_note,
    is_canonical_size,
    model_spec,
    rewrite,
    same_orientation_size,
    shown,
    supported_list,
    switch_model,
    upgrade_for,
)

# How a message and a fix say which of the model's sizes was chosen.
SAME = "same orientation"
NEAREST = "same orientation, nearest in area"


class SizeUnsupported(Rule):
    code = "SOR003"
    name = "size-unsupported"
    summary = "`size` is a resolution the model cannot render"
    why = ("`sora-2` renders at most 720p (1280x720 or 720x1280); larger sizes need `sora-2-pro`, "
           "and the API rejects the request.")
    fix_safety = (
        "Safe: the model's supported size of the same orientation (landscape or portrait), "
        "the nearest in area where it has several. "
        "Unsafe (with --unsafe-fixes): switch to `sora-2-pro`, which renders the size asked for "
        "but changes price and output; not offered where the call also sends other values (another caller's, "
        "another choice's, another branch's), whose valid requests the switch would change. "
        "A size both malformed and unsupported (`\"1792 x 1024\"` on `sora-2`) is "
        "one finding, SOR003's, not SOR004's as well: the model cannot render it however it is written, and both "
        "fixes write a canonical size, so one fix leaves a valid value."
    )
    reports = "a size the model cannot render (`1792x1024` on `sora-2`)"
    fix_summary = ("safe: the model's size of the same orientation, the nearest in area; "
                   'unsafe: `model="sora-2-pro"`')
    VALID = (
        Valid('client.videos.create(model="sora-2-pro", prompt="p", size="1792x1024")\n'),
        Valid('client.videos.create(model="sora-2", prompt="p", size=f"{w}x{h}")\n'),
    )
    INVALID = (
        Invalid('client.videos.create(model="sora-2", prompt="p", size="1792x1024")\n',
                "size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and '720x1280'); "
                'use "1280x720" (same orientation), or model="sora-2-pro" [profile openai: pinned]',
                (1, 55), (1, 66), fixed='client.videos.create(model="sora-2", prompt="p", size="1280x720")\n'),
        Invalid("from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(prompt='p', size='1024x1792', "
                "seconds=4)\n",
                "size='1024x1792' is not supported by sora-2 (the default model) (Supported values are: '1280x720' "
                "and '720x1280'); use \"720x1280\" (same orientation) [profile apiyi: pinned]",
                (3, 39), (3, 50),
                fixed="from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(prompt='p', size='720x1280', "
                      "seconds=4)\n",
                profile="apiyi"),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("size")
        if arg is None or not isinstance(arg.value, str) or call.is_extend:
            return
        size = canonical_size(arg.value)
        if size is None:
            return  # no width and height: SOR004 says how to write it
        spec, label = model_spec(call, ctx)
        if spec is None or size in spec.sizes:
            return
        # Malformed too ("1792 x 1024"): one finding, this one; its fixes write a canonical size.
        canonical = None if is_canonical_size(arg.value) else (arg, size)
        same = same_orientation_size(size, spec.sizes)
        # Where the model has several sizes of that orientation, say how this one was chosen.
        chosen = NEAREST if any(s != same and same_orientation_size(size, [s]) for s in spec.sizes) else SAME
        target = upgrade_for(call, ctx)
        pro = switch_model(call, ctx, target, canonical)
        advice = []
        if same:
            advice.append(f'"{same}" ({chosen})')
        if pro:
            advice.append(f'model="{target}"')
        use = f"; use {', or '.join(advice)}" if advice else ""
        message = (f"{shown(arg)} is not supported by {label} "
                   f"(Supported values are: {supported_list(spec.sizes)}){use}{fix_blocked_note(arg)}{ctx.tag}")
        how = f" ({NEAREST})" if chosen == NEAREST else ""
        safe = rewrite(arg, same, applicability(call, ctx), f'Replace with "{same}"{how}') if same else None
        yield self.finding(message, arg.anchor, safe, pro)


class SizeMalformed(Rule):
    code = "SOR004"
    name = "size-malformed"
    summary = '`size` is not written as `"WIDTHxHEIGHT"`'
    why = 'The API only accepts sizes such as `"1280x720"`; `"1280*720"`, `"1280 x 720"` or `"720p"` are rejected.'
    fix_safety = (
        "Safe: the same width and height in canonical form. A value with no width and height (`\"720p\"`) has no fix. "
        "A malformed size the model does not support is SOR003's finding alone (one finding per value)."
    )
    reports = 'a size not written `WIDTHxHEIGHT` (`"1280*720"`, `"1280 x 720"`, `"720p"`)'
    fix_summary = "safe: canonical form, where there is one"
    VALID = (Valid('client.videos.create(model="sora-2", prompt="p", size="720x1280")\n'),)
    INVALID = (
        Invalid('client.videos.create(model="sora-2", prompt="p", size="1280*720")\n',
                'size="1280*720" is not a valid size: write it as "1280x720" (WIDTHxHEIGHT) [profile openai: pinned]',
                (1, 55), (1, 65), fixed='client.videos.create(model="sora-2", prompt="p", size="1280x720")\n'),
        Invalid('client.videos.create(model="sora-2", prompt="p", size="720p")\n',
                "size=\"720p\" is not a valid size: write it as \"WIDTHxHEIGHT\" (Supported values are: '1280x720' "
                "and '720x1280') [profile openai: pinned]", (1, 55), (1, 61)),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("size")
        if arg is None or call.is_extend:
            return
        if not isinstance(arg.value, str):
            if isinstance(arg.value, (int, float)):
                yield self.finding(f'{shown(arg)} is not a size: write it as "WIDTHxHEIGHT"{ctx.tag}', arg.anchor)
            return
        if is_canonical_size(arg.value):
            return
        canon = canonical_size(arg.value)
        spec, _label = model_spec(call, ctx)
        if canon is not None and spec is not None and canon not in spec.sizes:
            return  # unsupported as well: one finding per value, SOR003's, whose fix writes a supported size
        if canon is not None:
            message = (f'{shown(arg)} is not a valid size: write it as "{canon}" '
                       f'(WIDTHxHEIGHT){fix_blocked_note(arg)}{ctx.tag}')
            fix = rewrite(arg, canon, SAFE, f'Replace with "{canon}"')
            yield self.finding(message, arg.anchor, fix)
            return
        known = f" (Supported values are: {supported_list(spec.sizes)})" if spec else ""
        yield self.finding(f'{shown(arg)} is not a valid size: write it as '
                           f'"WIDTHxHEIGHT"{known}{ctx.tag}', arg.anchor)
