from __future__ import annotations

from collections.abc import Iterable

from .base import Context, Finding, Invalid, Rule, SoraCall, Valid, shown


class PromptEmpty(Rule):
    code = "SOR007"
    name = "prompt-empty"
    summary = "`prompt` is an empty or whitespace-only string"
    why = (
        "`prompt` is a required, non-empty string: the API rejects a request whose prompt is empty, "
        "but only when the code runs. A prompt of nothing but spaces or newlines describes nothing either."
    )
    fixable = False
    fix_safety = "No fix: only the author knows what the video should show."
    reports = 'a `prompt` that is an empty or whitespace-only string (`prompt=""`, `prompt="  "`), when it is a literal'
    fix_summary = "none"
    VALID = (
        Valid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="a cat")\n'),
        # Not a literal: what the prompt holds is known only at run time, so it is not guessed.
        Valid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", '
              'prompt=args.prompt)\n'),
        Valid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", '
              'prompt=f"{subject}")\n'),
    )
    INVALID = (
        Invalid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt="")\n',
                'prompt="" is empty: the API requires a non-empty prompt [profile openai: pinned]', (3, 45), (3, 47)),
        Invalid('from openai import OpenAI\nclient = OpenAI()\nclient.videos.create(model="sora-2", prompt=" \\n ")\n',
                'prompt=" \\n " is only whitespace: the API requires a non-empty prompt [profile apiyi: pinned]',
                (3, 45), (3, 51), profile="apiyi"),
        Invalid('from openai import OpenAI\nclient = OpenAI()\nPROMPT = ""\n'
                'client.videos.create(model="sora-2", prompt=PROMPT)\n',
                'prompt=PROMPT (= "") is empty: the API requires a non-empty prompt [profile openai: '
                'pinned]', (4, 45), (4, 51)),
        Invalid('import requests\n'
                'requests.post("https://gateway.example.com/v1/videos", json={"model": "sora-2", "prompt": "  "})\n',
                'prompt="  " is only whitespace: the API requires a non-empty prompt [profile openai: pinned]',
                (2, 91), (2, 95)),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        arg = call.args.get("prompt")
        if arg is None or not isinstance(arg.value, str) or arg.value.strip():
            return
        what = "empty" if not arg.value else "only whitespace"
        yield self.finding(f"{shown(arg)} is {what}: the API requires a non-empty prompt{ctx.tag}", arg.anchor)
