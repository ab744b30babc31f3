from __future__ import annotations

from typing import Iterable

from ..rule import (
    PRO_MODEL,
    SAFE,
    Context,
    Finding,
    Invalid,
    Rule,
    SoraCall,
    Valid,
    canonical_size,
    fix_blocked_note,
    is_canonical_size,
    model_spec,
    rewrite,
    same_orientation_size,
    shown,
    string_like,
    supported_list,
    switch_to_pro,
)


class SizeUnsupported(Rule):
    code = "SOR003"
    name = "size-unsupported"
    summary = "`size` is a resolution the model cannot render"
    why = "`sora-2` renders at most 720p (1280x720 or 720x1280); larger sizes need `sora-2-pro`, and the API rejects the request."
    example = 'client.videos.create(model="sora-2", prompt="a cat", size="1792x1024")'
    use_instead = 'client.videos.create(model="sora-2", prompt="a cat", size="1280x720")'
    fix_safety = (
        "Safe: the model's supported size of the same orientation (landscape or portrait). "
        "Unsafe (with --unsafe-fixes): switch to `sora-2-pro`, which renders the size asked for "
        "but changes price and output."
    )
    VALID = (
        Valid('client.videos.create(model="sora-2-pro", prompt="p", size="1792x1024")\n'),
        Valid('client.videos.create(model="sora-2", prompt="p", size=f"{w}x{h}")\n'),
    )
    INVALID = (
        Invalid('client.videos.create(model="sora-2", prompt="p", size="1792x1024")\n',
                'client.videos.create(model="sora-2", prompt="p", size="1280x720")\n'),
        Invalid("import openai\nclient = openai.OpenAI()\nclient.videos.create(prompt='p', size='1024x1792', seconds=4)\n",
                "import openai\nclient = openai.OpenAI()\nclient.videos.create(prompt='p', size='720x1280', seconds=4)\n", "apiyi"),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("size")
        if arg is None or not isinstance(arg.value, str) or call.is_extend:
            return
        size = arg.value
        if not is_canonical_size(size):
            return  # SOR004 first; the canonical form is checked on the next round
        spec, label = model_spec(call, ctx)
        if spec is None or size in spec.sizes:
            return
        same = same_orientation_size(size, spec.sizes)
        pro = switch_to_pro(call, ctx)
        advice = []
        if same:
            advice.append(f'"{same}" (same orientation)')
        if pro:
            advice.append(f'model="{PRO_MODEL}"')
        use = f"; use {', or '.join(advice)}" if advice else ""
        message = (f"{shown(arg)} is not supported by {label} "
                   f"(Supported values are: {supported_list(spec.sizes)}){use}{fix_blocked_note(arg)}{ctx.tag}")
        safe = rewrite(arg, string_like(arg.literal, same), SAFE, f'Replace with "{same}"') if same and arg.literal is not None else None
        yield self.finding(message, arg.anchor, safe, pro)


class SizeMalformed(Rule):
    code = "SOR004"
    name = "size-malformed"
    summary = '`size` is not written as `"WIDTHxHEIGHT"`'
    why = 'The API only accepts sizes such as `"1280x720"`; `"1280*720"`, `"1280 x 720"` or `"720p"` are rejected.'
    example = 'client.videos.create(model="sora-2", prompt="a cat", size="1280*720")'
    use_instead = 'client.videos.create(model="sora-2", prompt="a cat", size="1280x720")'
    fix_safety = "Safe: the same width and height in canonical form. A value with no width and height (`\"720p\"`) has no fix."
    VALID = (Valid('client.videos.create(model="sora-2", prompt="p", size="720x1280")\n'),)
    INVALID = (
        Invalid('client.videos.create(model="sora-2", prompt="p", size="1280*720")\n',
                'client.videos.create(model="sora-2", prompt="p", size="1280x720")\n'),
        Invalid('client.videos.create(model="sora-2", prompt="p", size="720p")\n'),
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
        if canon is not None:
            message = f'{shown(arg)} is not a valid size: write it as "{canon}" (WIDTHxHEIGHT){fix_blocked_note(arg)}{ctx.tag}'
            fix = rewrite(arg, string_like(arg.literal, canon), SAFE, f'Replace with "{canon}"') if arg.literal is not None else None
            yield self.finding(message, arg.anchor, fix)
            return
        spec, _label = model_spec(call, ctx)
        known = f" (Supported values are: {supported_list(spec.sizes)})" if spec else ""
        yield self.finding(f'{shown(arg)} is not a valid size: write it as "WIDTHxHEIGHT"{known}{ctx.tag}', arg.anchor)
