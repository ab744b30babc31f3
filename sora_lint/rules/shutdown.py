from __future__ import annotations

from collections.abc import Iterable

from .base import Context, Finding, Invalid, Notice, Rule, SoraCall, Valid, notice, sdk_default_server

_OFFICIAL = sdk_default_server()


class ApiShutDown(Rule):
    code = "SOR006"
    name = "api-shut-down"
    summary = "the server it goes to has shut down its Sora API, or has scheduled the shutdown"
    why = (
        f"OpenAI turned its Videos API off on {_OFFICIAL.dates.shutdown} (announced on {_OFFICIAL.dates.deprecated}; "
        f"{_OFFICIAL.source}, on every `client.videos` method). A request to a server that no longer serves Sora "
        "fails whatever its parameters, so a call with valid parameters is still a call that fails. Gateways that "
        "still serve Sora-compatible endpoints are not affected: the shutdown belongs to the server, not to "
        "the contract. The server is the client's `base_url` or the request's URL. A client without `base_url` "
        "talks to the openai SDK's default server unless the `OPENAI_BASE_URL` environment variable points "
        "elsewhere; sora-lint cannot see the environment, so if it does, say so with `profile = \"NAME\"` in "
        "`[tool.sora-lint]` (a shipped profile, or a user profile with `hosts` for your gateway). "
        "A user profile can declare `deprecated` and `shutdown` dates for its own gateway. "
        "The finding is reported once per client in each file, at the client's construction (or at the first "
        "call through it when it is built elsewhere), and once per request URL: every call through that client "
        "fails alike, so one line says it, and the run's summary counts the calls "
        "(`N calls go to a server that was shut down on DATE (SOR006)`). Today is the local date; "
        "`SORA_LINT_TODAY=YYYY-MM-DD` overrides it. `sora-lint doctor` prints every known date and its source."
    )
    fixable = False
    fix_safety = (
        "No fix: there is no replacement for a server that is shut down; the move to another server is a choice."
    )
    # The examples run with today after the official shutdown (tests/test_rule_examples.py).
    reports = ("a client (or request URL) whose server has shut down its Sora API (OpenAI's own, `api.openai.com` "
               f"and the SDK's default, since {_OFFICIAL.dates.shutdown}), or has scheduled it: once per client")
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
                f"the official Sora API (api.openai.com, the client's default) was shut down on "
                f"{_OFFICIAL.dates.shutdown}: every request to it fails", (2, 1), (2, 7)),
        Invalid('import requests\n'
                'requests.post("https://api.openai.com/v1/videos", json={"model": "sora-2", "prompt": "p"})\n',
                f"the official Sora API (api.openai.com) was shut down on {_OFFICIAL.dates.shutdown}: "
                "every request to it fails", (2, 1), (2, 14)),
    )

    def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
        if ctx.server is None or ctx.today is None:
            return
        found = notice(ctx.server, call.model_name(ctx.profile.default_model_name), ctx.today)
        if found is None:
            return
        named = [*ctx.server.hosts[:1], *(["the client's default"] if ctx.server_inferred else [])]
        anchor = ctx.server_anchor if ctx.server_anchor is not None else call.node.func
        message, group = _wording(found, f" ({', '.join(named)})" if named else "")
        yield Finding(self.code, message, anchor, group=group)


def _wording(found: Notice, where: str) -> tuple[str, str]:
    """The one short line (the date and the server; the rest is in `sora-lint rule SOR006`), and the
    summary's words for the calls it stands for."""
    date = found.shutdown.isoformat()
    if found.shut_down:
        return (f"{found.subject}{where} was shut down on {date}: every request to it fails",
                f"to a server that was shut down on {date}")
    days = f"{found.days_left} day{'s' if found.days_left != 1 else ''}"
    return (f"{found.subject}{where} shuts down on {date} (in {days}): from then on every request to it fails",
            f"to a server that shuts down on {date}")
