"""The unsafe model switch (``model="sora-2-pro"``) is offered only where the call never sends a valid
request as it is: the model is written once for every value that reaches the call, so switching it for
one caller, one choice or one branch changes the others' valid requests (found by a new user's pass:
`fix --unsafe-fixes` rewrote ``make("y", seconds=8)`` to 10 after switching the model for the default)."""
from __future__ import annotations

from conftest import diags, fixed

APIYI = 'from openai import OpenAI\ngw = OpenAI(base_url="https://api.apiyi.com/v1")\n'
TAG = "[profile apiyi: auto: base_url api.apiyi.com]"
CALLERS = APIYI + (
    "def make(prompt, seconds=10):\n"
    "    return gw.videos.create(model=\"sora-2\", prompt=prompt, seconds=seconds)\n"
    "make(\"y\", seconds=8)\n"
    "make(\"z\", seconds=4)\n"
    "make(\"x\")\n"
)


def test_a_default_that_other_callers_override_gets_no_model_switch():
    assert diags(CALLERS) == [
        f"3:26 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        f"use 8 or 12 {TAG}"]
    # The unsafe run writes the nearest duration into the default and leaves the model and the callers.
    assert fixed(CALLERS, unsafe=True) == CALLERS.replace("seconds=10)", "seconds=12)")


def test_a_call_that_sends_one_value_still_gets_the_switch():
    source = APIYI + 'gw.videos.create(model="sora-2", prompt="p", seconds=10)\n'
    assert diags(source) == [
        f"3:54 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        f'use 8 or 12, or model="sora-2-pro" {TAG}']
    assert fixed(source, unsafe=True) == source.replace('"sora-2"', '"sora-2-pro"')


def test_option_choices_are_one_finding_with_no_switch():
    source = APIYI + (
        "import argparse\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument(\"--seconds\", type=int, default=8, choices=[4, 8, 10, 12])\n"
        "args = parser.parse_args()\n"
        "gw.videos.create(model=\"sora-2\", prompt=\"p\", seconds=args.seconds)\n"
    )
    assert diags(source) == [
        f"5:70 SOR001 seconds=args.seconds (= 10) is not supported by sora-2 (Supported values are: '4', '8', "
        f"and '12'); use 8 or 12 (not fixed automatically: --seconds is a command-line option) {TAG}"]
    assert fixed(source, unsafe=True) == source


def test_one_value_read_through_two_names_is_one_finding_naming_both_calls(cli, tmp_path):
    # A new user's pass: one dataclass default read as self.settings.seconds by one call and as
    # config.seconds by another was two findings at one position (their messages named the value differently).
    (tmp_path / "app.py").write_text(
        "from dataclasses import dataclass\n"
        "from openai import OpenAI\n"
        "@dataclass\n"
        "class RenderSettings:\n"
        "    seconds: int = 20\n"
        "class RenderService:\n"
        "    def __init__(self) -> None:\n"
        "        self.settings = RenderSettings()\n"
        "        self.client = OpenAI(base_url=\"https://api.apiyi.com/v1\")\n"
        "    def render(self, prompt: str):\n"
        "        return self.client.videos.create(model=\"sora-2\", prompt=prompt, seconds=self.settings.seconds)\n"
        "def f(config: RenderSettings | None = None):\n"
        "    config = config or RenderSettings()\n"
        "    OpenAI(base_url=\"https://api.apiyi.com/v1\").videos.create(model=\"sora-2\", prompt=\"p\",\n"
        "                                                             seconds=config.seconds)\n")
    result = cli("check", "--no-cache", "--output-format", "concise", "app.py")
    assert result.stdout.splitlines() == [
        "app.py:5:20: SOR001 seconds=self.settings.seconds (= 20) is not supported by sora-2 (Supported values are: "
        "'4', '8', and '12'); use 12 (not fixed automatically: self.settings.seconds is an attribute other code may "
        f"read) {TAG} (sent by the calls at lines 11, 14)",
        "Found 1 error.",
    ]
