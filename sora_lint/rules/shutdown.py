from __future__ import annotations

from collections.abc import Iterable

from .base import Context, Finding, Invalid, Notice, Rule, SoraCall, Valid, notice, sdk_default_server

_OFFICIAL = sdk_default_server()

# The pyproject.toml line that tells sora-lint which server a client without base_url talks to.
_TELL_US = ("the client has no base_url, so it talks to the openai SDK's default server unless OPENAI_BASE_URL "
            'points elsewhere: if it does, tell sora-lint with profile = "NAME" in [tool.sora-lint] '
            "(a shipped profile, or a user profile with hosts for your gateway)")


class ApiShutDown(Rule):
    code = "SOR006"
    name = "api-shut-down"
    summary = "the server it goes to has shut down its Sora API, or has scheduled the shutdown"
    why = (
        f"OpenAI turned its Videos API off on {_OFFICIAL.dates.shutdown} (announced on {_OFFICIAL.dates.deprecated}; "
        f"{_OFFICIAL.source}, on every `client.videos` method). A request to a server that no longer serves Sora "
        "fails whatever its parameters, so a call with valid parameters is still a call that fails. Gateways that "
        "still serve Sora-compatible endpoints are not affected: the shutdown belongs to the server, not to "
        "the contract. The server is the client's `base_url` or the request's URL; a client without "
        "`base_url` talks to the SDK's default server unless `OPENAI_BASE_URL` says otherwise "
        "(pin a `profile` to tell sora-lint so). A user profile can declare `deprecated` and `shutdown` dates "
        "for its own gateway. Today is the local date; `SORA_LINT_TODAY=YYYY-MM-DD` overrides it. "
        "`sora-lint doctor` prints every known date and its source."
    )
    example = 'from openai import OpenAI\n\nOpenAI().videos.create(model="sora-2", prompt="a cat", seconds="8")'
    use_instead = ('from openai import OpenAI\n\n'
                   '# A gateway that still serves Sora (describe its contract in a user profile).\n'
                   'OpenAI(base_url="https://gateway.example.com/v1").videos.create(\n'
                   '    model="sora-2", prompt="a cat", seconds="8")')
    fixable = False
    fix_safety = (
        "No fix: there is no replacement for a server that is shut down; the move to another server is a choice."
    )
    # The examples run with today after the official shutdown (tests/test_rule_examples.py).
    reports = ("a call to a server that has shut down its Sora API (OpenAI's own, `api.openai.com` and the SDK's "
               f"default, since {_OFFICIAL.dates.shutdown}), or has scheduled it, with the date and its source")
    fix_summary = "none"
    VALID = (
        Valid('from openai import OpenAI\n'
              'OpenAI(base_url="https://gateway.example.com/v1").videos.create(model="sora-2", prompt="p", '
              'seconds="8")\n'),
        Valid('from openai import AzureOpenAI\nAzureOpenAI().videos.create(model="sora-2", prompt="p", seconds="8")\n'),
        Valid('from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds=8)\n', "apiyi"),
    )
    INVALID = (
        Invalid('from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="8")\n',
                f"the official Sora API was shut down on {_OFFICIAL.dates.shutdown}: this request fails whatever its "
                f"parameters ({_OFFICIAL.source}); {_TELL_US} [profile openai: pinned]", (2, 1), (2, 23)),
        Invalid('import requests\n'
                'requests.post("https://api.openai.com/v1/videos", json={"model": "sora-2", "prompt": "p"})\n',
                f"the official Sora API was shut down on {_OFFICIAL.dates.shutdown}: this request fails whatever its "
                f"parameters ({_OFFICIAL.source}) [profile openai: pinned]", (2, 1), (2, 14)),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        if ctx.server is None or ctx.today is None:
            return
        found = notice(ctx.server, call.model_name(ctx.profile.default_model_name), ctx.today)
        if found is None:
            return
        hint = f"; {_TELL_US}" if ctx.server_inferred else ""
        yield self.finding(f"{_wording(found)}{hint}{ctx.tag}", call.node.func)


def _wording(found: Notice) -> str:
    if found.shut_down:
        return (f"{found.subject} was shut down on {found.shutdown.isoformat()}: "
                f"this request fails whatever its parameters ({found.source})")
    days = f"{found.days_left} day{'s' if found.days_left != 1 else ''}"
    return (f"{found.subject} is scheduled to shut down on {found.shutdown.isoformat()} (in {days}): "
            f"from then on this request fails whatever its parameters ({found.source})")
