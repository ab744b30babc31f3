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
    fix_blocked_note,
    is_unknown_version,
    model_candidates,
    rewrite,
    shown,
)


class ModelUnknown(Rule):
    code = "SOR005"
    name = "model-unknown"
    summary = "`model` looks like a mistyped Sora model name"
    why = (
        "An unknown model is rejected by the API. Deployment names and gateway aliases are common, "
        "so only a name that mentions Sora and is within two edits of a known model is reported, or one whose "
        "version no model of the contract has (`sora-1.0`)."
    )
    fix_safety = (
        "Safe when exactly one known model is that close; otherwise no fix, and the message lists the candidates."
    )
    reports = (
        "a model name that looks like a typo of a Sora model (`sora2`, `Sora-2-Pro`, `sora-2pro`), with a "
        "did-you-mean; "
        "a Sora version the contract does not have (`sora-1.0`, `sora-3`)"
    )
    fix_summary = "safe: the only close match"
    VALID = (
        Valid('client.videos.create(model="sora-2-2025-10-06", prompt="p")\n'),
        Valid('client.videos.create(model="my-sora-deployment", prompt="p")\n'),
        # A known version with more: maybe a gateway's own variant, not a version the contract lacks.
        Valid('client.videos.create(model="sora-2-landscape", prompt="p")\n'),
    )
    INVALID = (
        Invalid('client.videos.create(model="sora-1.0", prompt="p")\n',
                'model="sora-1.0" is not a model of the official OpenAI API (known: sora-2, sora-2-pro) '
                "[profile openai: pinned]", (1, 28), (1, 38)),
        Invalid('client.videos.create(model="sora2", prompt="p")\n',
                'model="sora2" is not a known Sora model; did you mean "sora-2"? (known: sora-2, sora-2-pro) '
                "[profile openai: "
                "pinned]", (1, 28), (1, 35), fixed='client.videos.create(model="sora-2", prompt="p")\n'),
        Invalid("client.videos.create(model='Sora-2-Pro', prompt='p')\n",
                "model='Sora-2-Pro' is not a known Sora model; did you mean \"sora-2-pro\"? (known: sora-2, "
                "sora-2-pro) "
                "[profile openai: "
                "pinned]", (1, 28), (1, 40), fixed="client.videos.create(model='sora-2-pro', prompt='p')\n"),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("model")
        if arg is None or not isinstance(arg.value, str):
            return
        candidates = model_candidates(arg.value, ctx.profile)
        known = ", ".join(ctx.profile.models)
        if not candidates:
            if is_unknown_version(arg.value, ctx.profile):
                yield self.finding(f"{shown(arg)} is not a model of {ctx.profile.contract_name or 'this profile'} "
                                   f"(known: {known}){ctx.tag}", arg.anchor)
            return
        guess = " or ".join(f'"{c}"' for c in candidates)
        message = (f"{shown(arg)} is not a known Sora model; did you mean {guess}? (known: "
                   f"{known}){fix_blocked_note(arg)}{ctx.tag}")
        fix = None
        if len(candidates) == 1:
            fix = rewrite(arg, candidates[0], SAFE, f'Replace with "{candidates[0]}"')
        yield self.finding(message, arg.anchor, fix)
