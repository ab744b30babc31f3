"""Issue 18: values reach a call through reads, branches, tables, objects, types and options."""
from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import diags, fixed

from sora_lint.contracts.settings import Settings
from sora_lint.core.types import Location
from sora_lint.engine import lint_source
from sora_lint.frontends.output import OutputOptions, as_concise, as_github, as_json, as_sarif

HEAD = "from openai import OpenAI\nclient = OpenAI()\n"


# --- 1. flow that ignores reads ---------------------------------------------------------------

def test_a_parameter_read_for_logging_still_reaches_the_call() -> None:
    source = HEAD + (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "def make_video(prompt, seconds: str = \"10\", size=\"1280x720\"):\n"
        "    log.info(\"render %s %s\", prompt, seconds)\n"
        "    if seconds == \"4\" and size:\n"
        "        print(f\"short {seconds}\")\n"
        "    return client.videos.create(model=\"sora-2\", prompt=prompt, seconds=seconds, size=size)\n"
    )
    assert diags(source, profile="openai") == [
        "5:39 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        "use \"8\" or \"12\" (not fixed automatically: seconds is used elsewhere too) [profile openai: pinned]",
    ]
    assert fixed(source, profile="openai") == source  # the literal has other readers: reported, not rewritten


def test_a_dict_read_for_logging_and_tests_still_reaches_the_call() -> None:
    source = HEAD + (
        "def go(prompt, log):\n"
        "    params = {\"model\": \"sora-2\", \"prompt\": prompt, \"seconds\": \"10\"}\n"
        "    log.debug(\"params %s\", params)\n"
        "    if params and \"seconds\" in params:\n"
        "        print(f\"{params}\", len(params))\n"
        "    return client.videos.create(**params)\n"
    )
    assert diags(source, profile="openai") == [
        "4:63 SOR001 seconds=\"10\" (in **params) is not supported by sora-2 (Supported values are: '4', '8', "
        "and '12'); use \"8\" or \"12\" (not fixed automatically: params is used elsewhere too) [profile openai: "
        "pinned]",
    ]


def test_a_rebinding_in_a_loop_stops_the_flow() -> None:
    source = HEAD + (
        "def go(prompt, seconds=\"10\"):\n"
        "    for seconds in (\"4\", \"8\"):\n"
        "        client.videos.create(model=\"sora-2\", prompt=prompt, seconds=seconds)\n"
    )
    assert diags(source, profile="openai") == []


def test_a_mutation_through_a_call_we_cannot_read_stops_the_flow() -> None:
    source = HEAD + (
        "from helpers import tune\n"
        "def go(prompt):\n"
        "    params = {\"model\": \"sora-2\", \"prompt\": prompt, \"seconds\": \"10\"}\n"
        "    tune(params)\n"
        "    return client.videos.create(**params)\n"
    )
    assert diags(source, profile="openai") == []


# --- 2. writes in branches --------------------------------------------------------------------

BRANCHES = HEAD + (
    "def go(prompt, image_paths, img, hd):\n"
    "    params = {\"model\": \"sora-2\", \"prompt\": prompt, \"seconds\": 8, \"size\": \"720x1280\"}\n"
    "    if image_paths:\n"
    "        params[\"input_reference\"] = (\"product.jpg\", img, \"image/jpeg\")\n"
    "    if hd:\n"
    "        params[\"size\"] = \"1792x1024\"\n"
    "    else:\n"
    "        params[\"size\"] = \"1280x720\"\n"
    "    return client.videos.create(**params)\n"
)


def test_an_unchecked_key_in_a_branch_keeps_the_dict_readable_and_each_branch_is_checked() -> None:
    assert diags(BRANCHES, profile="openai") == [
        "4:63 SOR002 seconds=8 (in **params) is an int, but profile openai expects a string, as the openai SDK "
        "types it: use \"8\" (the APIYI gateway expects an int; if this code calls it, set profile = \"apiyi\") "
        "[profile openai: pinned]",
        "8:26 SOR003 size=\"1792x1024\" (in **params) is not supported by sora-2 (Supported values are: "
        "'1280x720' and '720x1280'); use \"1280x720\" (same orientation) "
        "(not fixed automatically: params['size'] is also written in a branch) [profile openai: pinned]",
    ]


def test_only_the_literal_with_one_path_is_rewritten() -> None:
    assert fixed(BRANCHES, profile="openai") == BRANCHES.replace('"seconds": 8', '"seconds": "8"')


def test_keys_written_in_one_branch_vary_together() -> None:
    source = HEAD + (
        "def go(prompt, pro):\n"
        "    params = {\"model\": \"sora-2\", \"prompt\": prompt, \"seconds\": \"8\"}\n"
        "    if pro:\n"
        "        params[\"model\"] = \"sora-2-pro\"\n"
        "        params[\"size\"] = \"1792x1024\"\n"
        "    client.videos.create(**params)\n"
    )
    assert diags(source, profile="openai") == []


def test_a_checked_key_written_after_the_call_in_a_loop_is_not_followed() -> None:
    source = HEAD + (
        "def go(prompt, shots):\n"
        "    params = {\"model\": \"sora-2\", \"prompt\": prompt, \"seconds\": \"8\"}\n"
        "    for shot in shots:\n"
        "        client.videos.create(**params)\n"
        "        if shot:\n"
        "            params[\"seconds\"] = \"10\"\n"
    )
    assert diags(source, profile="openai") == []


# --- 3. objects -----------------------------------------------------------------------------------

def test_an_attribute_stored_once_in_init_reaches_the_call() -> None:
    source = HEAD + (
        "class SoraService:\n"
        "    def __init__(self):\n"
        "        self.client = OpenAI()\n"
        "        self.duration = 4\n"
        "    def render(self, prompt):\n"
        "        return self.client.videos.create(prompt=prompt, model=\"sora-2\", seconds=self.duration)\n"
    )
    assert diags(source, profile="openai") == [
        "6:25 SOR002 seconds=self.duration (= 4) is an int, but profile openai expects a string, as the openai "
        "SDK types it: use \"4\" (the APIYI gateway expects an int; if this code calls it, set profile = "
        "\"apiyi\") (not fixed automatically: self.duration is an attribute other code may read) "
        "[profile openai: pinned]",
    ]
    assert fixed(source, profile="openai") == source


OBJECTS = HEAD + (
    "from dataclasses import dataclass\n"
    "from enum import Enum\n"
    "from typing import NamedTuple, Optional\n"
    "from pydantic import BaseModel\n"
    "class Model(str, Enum):\n"
    "    STANDARD = \"sora-2\"\n"
    "    PRO = \"sora2-pro\"\n"
    "@dataclass\n"
    "class ShotSpec:\n"
    "    prompt: str\n"
    "    seconds: str = \"8\"\n"
    "    size: str = \"720x1280\"\n"
    "class SoraConfig(BaseModel):\n"
    "    model: str = \"sora-2\"\n"
    "    size: str = \"1792x1024\"\n"
    "class Shot(NamedTuple):\n"
    "    prompt: str\n"
    "    seconds: str\n"
    "def render(spec: ShotSpec):\n"
    "    return client.videos.create(model=\"sora-2\", prompt=spec.prompt, seconds=spec.seconds, size=spec.size)\n"
    "render(ShotSpec(\"a\", \"10\"))\n"
    "render(ShotSpec(prompt=\"b\", seconds=\"4\", size=\"1280x720\"))\n"
    "def go(config: Optional[SoraConfig] = None):\n"
    "    config = config or SoraConfig()\n"
    "    client.videos.create_and_poll(model=config.model, prompt=\"p\", size=config.size)\n"
    "one = Shot(\"x\", \"20\")\n"
    "client.videos.create(model=\"sora-2\", prompt=one.prompt, seconds=one.seconds)\n"
    "client.videos.create(model=Model.PRO, prompt=\"p\")\n"
    "client.videos.create(model=Model.STANDARD.value, prompt=\"p\", seconds=\"8\")\n"
)


def test_record_fields_constructor_literals_and_enum_members() -> None:
    assert diags(OBJECTS, profile="openai") == [
        "17:17 SOR003 size=config.size (= \"1792x1024\") is not supported by sora-2 (Supported values are: "
        "'1280x720' and '720x1280'); use \"1280x720\" (same orientation) (not fixed automatically: config.size "
        "is an attribute other code may read) [profile openai: pinned]",
        "23:22 SOR001 seconds=spec.seconds (= \"10\") is not supported by sora-2 (Supported values are: '4', '8', "
        "and '12'); use \"8\" or \"12\" (not fixed automatically: spec.seconds is an attribute other code may read) "
        "[profile openai: pinned]",
        "28:17 SOR001 seconds=one.seconds (= \"20\") is not supported by sora-2 (Supported values are: '4', '8', "
        "and '12'); use \"12\" (not fixed automatically: one.seconds is an attribute other code may read) "
        "[profile openai: pinned]",
        "30:28 SOR005 model=Model.PRO (= \"sora2-pro\") is not a known Sora model; did you mean \"sora-2-pro\"? "
        "(known: sora-2, sora-2-pro) (not fixed automatically: Model.PRO is an Enum member) "
        "[profile openai: pinned]",
    ]
    assert fixed(OBJECTS, profile="openai") == OBJECTS


def test_a_field_default_overridden_by_every_constructor_call_is_not_reported() -> None:
    source = HEAD + (
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class Job:\n"
        "    seconds: str = \"10\"\n"
        "    def run(self):\n"
        "        return client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=self.seconds)\n"
        "Job(\"8\").run()\n"
        "Job(seconds=\"12\").run()\n"
    )
    assert diags(source, profile="openai") == []


def test_a_field_given_through_kwargs_is_unknown() -> None:
    source = HEAD + (
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class Job:\n"
        "    seconds: str = \"10\"\n"
        "    def run(self):\n"
        "        return client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=self.seconds)\n"
        "def load(data):\n"
        "    return Job(**data).run()\n"
    )
    assert diags(source, profile="openai") == []


def test_a_django_reverse_manager_is_not_sora() -> None:
    source = (
        "import openai\n"
        "from django.db import models\n"
        "class Video(models.Model):\n"
        "    seconds = models.IntegerField(default=10)\n"
        "def save(project):\n"
        "    Video.objects.create(seconds=10)\n"
        "    project.videos.create(seconds=10, size=\"1792x1024\")\n"
    )
    assert diags(source) == []


# --- 4. types as evidence ---------------------------------------------------------------------------

TYPES = (
    "import random\n"
    "from typing import Literal\n"
    "from openai import OpenAI\n"
    "client = OpenAI({client})\n"
    "def a(s, prompt):\n"
    "    kwargs = dict(model=\"sora-2\", prompt=prompt, seconds=int(s))\n"
    "    return client.videos.create(**kwargs)\n"
    "def b(prompt, seconds: int):\n"
    "    return client.videos.create(model=\"sora-2\", prompt=prompt, seconds=seconds)\n"
    "def c(prompt, want):\n"
    "    allowed = [4, 8, 12]\n"
    "    payload = {{\"model\": \"sora-2\", \"prompt\": prompt}}\n"
    "    payload[\"seconds\"] = min(allowed, key=lambda v: abs(v - want))\n"
    "    return client.videos.create(**payload)\n"
    "def d(prompt, n):\n"
    "    return client.videos.create(model=\"sora-2\", prompt=prompt, seconds=str(n))\n"
    "def e(prompt):\n"
    "    n = random.choice([4, 8])\n"
    "    return client.videos.create(model=\"sora-2\", prompt=prompt, seconds=n)\n"
    "def g(prompt, seconds: Literal[\"4\", \"8\", \"10\"] = \"4\"):\n"
    "    return client.videos.create(model=\"sora-2\", prompt=prompt, seconds=seconds)\n"
)
APIYI_HINT = ("(the APIYI gateway expects an int; if this code calls it, set profile = \"apiyi\") "
              "[profile openai: pinned]")


def test_a_cast_a_builtin_and_an_annotation_give_the_type_under_openai() -> None:
    assert diags(TYPES.format(client=""), profile="openai") == [
        "6:58 SOR002 seconds=int(s) (in **kwargs) is an int, but profile openai expects a string, as the openai SDK "
        f"types it: pass it through str(...) {APIYI_HINT}",
        "9:72 SOR002 seconds=seconds (annotated int) is an int, but profile openai expects a string, as the openai "
        f"SDK types it: pass it through str(...) {APIYI_HINT}",
        "13:26 SOR002 seconds=min(allowed, key=lambda v: abs(v - want)) (in **payload) is an int, but profile openai "
        f"expects a string, as the openai SDK types it: pass it through str(...) {APIYI_HINT}",
        # random.choice of a literal list gives its items (a table read by a choice), each where it is written
        *(f"18:{column} SOR002 seconds=n (= {n}) is an int, but profile openai expects a string, as the openai SDK "
          f"types it: use \"{n}\" (the APIYI gateway expects an int; if this code calls it, set profile = \"apiyi\") "
          "(not fixed automatically: the list is read at run time by a key or a choice the code does not fix) "
          "[profile openai: pinned]" for column, n in ((24, 4), (27, 8))),
        "20:42 SOR001 seconds=seconds (= \"10\") is not supported by sora-2 (Supported values are: '4', '8', and "
        "'12'); use \"8\" or \"12\" (not fixed automatically: seconds's annotation lists the values callers may pass) "
        "[profile openai: pinned]",
    ]
    source = TYPES.format(client="")
    assert fixed(source, profile="openai") == source  # no value is known: nothing is rewritten


def test_an_int_is_right_under_apiyi_and_str_of_it_is_wrong_there() -> None:
    # int(s), ``seconds: int``, min() of ints and random.choice of ints are all right under apiyi;
    # the Literal's string members are not.
    other = "(the official OpenAI API expects a string; if this code calls it, set profile = \"openai\")"
    member = "(not fixed automatically: seconds's annotation lists the values callers may pass) [profile apiyi: pinned]"
    assert diags(TYPES.format(client=""), profile="apiyi") == [
        f"16:72 SOR002 seconds=str(n) is a string, but profile apiyi expects an int: pass it through int(...) {other} "
        "[profile apiyi: pinned]",
        f"20:32 SOR002 seconds=seconds (= \"4\") is a string, but profile apiyi expects an int: use 4 {other} {member}",
        f"20:37 SOR002 seconds=seconds (= \"8\") is a string, but profile apiyi expects an int: use 8 {other} {member}",
        # One finding per value (issue 20): "10" is unsupported and a string; SOR001 says both in its advice.
        "20:42 SOR001 seconds=seconds (= \"10\") is not supported by sora-2 (Supported values are: '4', '8', and "
        f"'12'); use 8 or 12 {member}",
    ]


def test_types_alone_say_nothing_on_an_assumed_contract() -> None:
    # Values (the random.choice items) are judged as literals are; a type with no value says nothing there.
    found = diags(TYPES.format(client="base_url=BASE"))
    assert [d.split(" ", 1)[0] for d in found if "SOR002" in d] == ["18:24", "18:27"]
    assert not any("pass it through" in d for d in found)


# --- 5. command-line options ------------------------------------------------------------------------

CLI = HEAD + (
    "import argparse\n"
    "import click\n"
    "import typer\n"
    "parser = argparse.ArgumentParser()\n"
    "parser.add_argument(\"--seconds\", type=int, default=8, choices=[4, 8, 12])\n"
    "parser.add_argument(\"--video-size\", default=\"1792x1024\")\n"
    "parser.add_argument(\"--prompt\")\n"
    "args = parser.parse_args()\n"
    "client.videos.create(model=\"sora-2\", prompt=args.prompt, seconds=args.seconds)\n"
    "client.videos.create(model=\"sora-2\", prompt=args.prompt, size=args.video_size)\n"
    "@click.command()\n"
    "@click.option(\"--seconds\", default=\"10\", type=click.Choice([\"4\", \"8\", \"10\"]))\n"
    "def main(seconds):\n"
    "    client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=seconds)\n"
    "def run(seconds: int = typer.Option(8)):\n"
    "    client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=seconds)\n"
)


def test_argparse_click_and_typer_options_give_their_choices_defaults_and_types() -> None:
    option = "(not fixed automatically: --seconds is a command-line option) [profile openai: pinned]"
    assert diags(CLI, profile="openai") == [
        *(f"7:{column} SOR002 seconds=args.seconds (= {n}) is an int, but profile openai expects a string, as the "
          f"openai SDK types it: use \"{n}\" (the APIYI gateway expects an int; if this code calls it, set profile = "
          f"\"apiyi\") {option}" for column, n in ((64, 4), (67, 8), (70, 12))),
        "8:45 SOR003 size=args.video_size (= \"1792x1024\") is not supported by sora-2 (Supported values are: "
        "'1280x720' and '720x1280'); use \"1280x720\" (same orientation), or model=\"sora-2-pro\" (not fixed "
        "automatically: --video-size is a command-line option) [profile openai: pinned]",
        f"14:71 SOR001 seconds=seconds (= \"10\") is not supported by sora-2 (Supported values are: '4', '8', and "
        f"'12'); use \"8\" or \"12\" {option}",
        "17:37 SOR002 seconds=seconds (= 8) is an int, but profile openai expects a string, as the openai SDK types "
        f"it: use \"8\" (the APIYI gateway expects an int; if this code calls it, set profile = \"apiyi\") {option}",
    ]
    assert fixed(CLI, profile="openai") == CLI


def test_an_option_without_a_type_is_text() -> None:
    source = HEAD + (
        "import argparse\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument(\"--seconds\")\n"
        "args = parser.parse_args()\n"
        "client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=args.seconds)\n"
    )
    assert diags(source, profile="openai") == []
    assert diags(source, profile="apiyi") == [
        "7:58 SOR002 seconds=args.seconds (--seconds is read as str) is a string, but profile apiyi expects an int: "
        "pass it through int(...) (the official OpenAI API expects a string; if this code calls it, set profile = "
        "\"openai\") [profile apiyi: pinned]",
    ]


# --- 6. related locations ---------------------------------------------------------------------------

SHARED = HEAD + (
    "PRESET = {\"model\": \"sora-2\", \"size\": \"1792x1024\"}\n"
    "def teaser(prompt):\n"
    "    return client.videos.create(prompt=prompt, **PRESET)\n"
    "def hero(prompt):\n"
    "    return client.videos.create_and_poll(prompt=prompt, **PRESET)\n"
)


def _shared_diagnostics() -> list:
    return lint_source(SHARED, "t.py", Settings(profile="openai"))


def test_a_value_sent_by_two_calls_is_one_finding_naming_both() -> None:
    found = _shared_diagnostics()
    assert [(d.code, d.location, d.related) for d in found] == [
        ("SOR003", Location(3, 38), (Location(5, 12), Location(7, 12))),
    ]
    assert found[0].sent_by == " (sent by the calls at lines 5, 7)"


def test_a_finding_at_its_call_names_no_other_place() -> None:
    found = lint_source(HEAD + "client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=\"10\")\n", "t.py",
                        Settings(profile="openai"))
    assert [d.related for d in found] == [()]


def test_every_output_names_the_calls() -> None:
    found = _shared_diagnostics()
    opts = OutputOptions(cwd="/nowhere")
    message = found[0].message
    assert as_concise(found, opts) == f"t.py:3:38: SOR003 {message} (sent by the calls at lines 5, 7)"
    assert as_github(found, opts).endswith(f"::{message} (sent by the calls at lines 5, 7)")
    assert json.loads(as_json(found, opts))[0]["related_locations"] == [{"row": 5, "column": 12},
                                                                         {"row": 7, "column": 12}]
    result = json.loads(as_sarif(found, opts))["runs"][0]["results"][0]
    assert result["relatedLocations"] == [
        {"id": i, "message": {"text": "the call that sends this value"},
         "physicalLocation": {"artifactLocation": {"uri": Path(os.path.abspath("t.py")).as_uri()},
                              "region": {"startLine": row, "startColumn": 12}}}
        for i, row in enumerate((5, 7))]


# --- 2b. literal tables read by a key or a choice ---------------------------------------------------

TABLES = HEAD + (
    "import random\n"
    "DURATIONS = [\"4\", \"8\", \"10\"]\n"
    "SIZES = {\"16:9\": \"1280x720\", \"9:16\": \"720x1280\", \"1:1\": \"1024x1024\"}\n"
    "def a(prompt, aspect):\n"
    "    size = SIZES.get(aspect, \"720x1280\")\n"
    "    return client.videos.create(model=\"sora-2\", prompt=prompt, size=size)\n"
    "def b(prompt):\n"
    "    return client.videos.create(model=\"sora-2\", prompt=prompt, seconds=random.choice([\"5\", \"8\"]))\n"
    "def c(prompt):\n"
    "    for d in DURATIONS:\n"
    "        client.videos.create(model=\"sora-2\", prompt=prompt, seconds=d)\n"
)


def test_every_value_of_a_table_read_by_an_unknown_key_is_checked_where_written() -> None:
    runtime = "is read at run time by a key or a choice the code does not fix) [profile openai: pinned]"
    assert diags(TABLES, profile="openai") == [
        "4:24 SOR001 seconds=d (= \"10\") is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        f"use \"8\" or \"12\" (not fixed automatically: DURATIONS {runtime}",
        "5:57 SOR003 size=size (= \"1024x1024\") is not supported by sora-2 (Supported values are: '1280x720' and "
        f"'720x1280') (not fixed automatically: SIZES {runtime}",
        "10:87 SOR001 seconds=random.choice([\"5\", \"8\"]) (= \"5\") is not supported by sora-2 (Supported values "
        f"are: '4', '8', and '12'); use \"4\" or \"8\" (not fixed automatically: the list {runtime}",
    ]
    assert fixed(TABLES, profile="openai") == TABLES


def test_a_table_read_elsewhere_too_is_not_followed() -> None:
    source = HEAD + (
        "SIZES = {\"16:9\": \"1280x720\", \"1:1\": \"1024x1024\"}\n"
        "def a(prompt, aspect):\n"
        "    print(SIZES)\n"
        "    return client.videos.create(model=\"sora-2\", prompt=prompt, size=SIZES.get(aspect))\n"
    )
    assert diags(source, profile="openai") == []


def test_an_attribute_changed_in_place_is_unknown() -> None:
    source = HEAD + (
        "class Job:\n"
        "    def __init__(self):\n"
        "        self.duration = \"1\"  # \"10\" after longer()\n"
        "    def longer(self):\n"
        "        self.duration += \"0\"\n"
        "    def run(self):\n"
        "        return client.videos.create(model=\"sora-2\", prompt=\"p\", seconds=self.duration)\n"
    )
    assert diags(source, profile="openai") == []


def test_a_warm_run_keeps_the_related_locations(cli, tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "openai"\n')
    (tmp_path / "app.py").write_text(SHARED)
    cold = cli("check", "--output-format", "concise", "app.py").stdout
    warm = cli("check", "--output-format", "concise", "app.py").stdout
    assert (tmp_path / ".sora_lint_cache").is_dir()
    assert cold == warm
    assert cold.splitlines()[0].endswith("(sent by the calls at lines 5, 7)")
