"""A user-defined profile ([tool.sora-lint.profiles.NAME]) end to end, through the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest

# The shape issue 6 says must work, as written there.
ISSUE_TOML = """\
[tool.sora-lint]
profile = "mygateway"
[tool.sora-lint.profiles.mygateway]
extends = "apiyi"
seconds-type = "int"            # or "str"
hosts = ["gateway.example.com"]
[tool.sora-lint.profiles.mygateway.models.sora-2]
seconds = [4, 6, 8, 12]
sizes = ["1280x720", "720x1280"]
"""
# The same profile left to the automatic choice: its hosts must steer it.
AUTO_TOML = ISSUE_TOML.replace('profile = "mygateway"\n', "")

SIX_SECONDS = '''\
from openai import OpenAI

client = OpenAI()
client.videos.create(model="sora-2", prompt="p", seconds=6)
'''

OPENAI_TAG = " [profile openai: auto: client has no base_url]"
SIX_UNDER_OPENAI = (
    "six.py:4:58: SOR001 [*] seconds=6 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
    f'use "4" or "8"{OPENAI_TAG}\n'  # an int too: the same finding, whose fix writes the string
)


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def concise(cli, cwd: Path, *args: str):
    proc = cli("check", "--output-format", "concise", *args, cwd=cwd)
    assert proc.stderr == ""
    return proc.returncode, proc.stdout


def test_user_profile_changes_what_check_reports(cli, tmp_path):
    write(tmp_path, "six.py", SIX_SECONDS)
    write(tmp_path, "pyproject.toml", "[tool.sora-lint]\n")
    assert concise(cli, tmp_path, "six.py") == (
        1, SIX_UNDER_OPENAI + "Found 1 error.\n[*] 1 fixable with `sora-lint fix`.\n")

    write(tmp_path, "pyproject.toml", ISSUE_TOML)
    assert concise(cli, tmp_path, "six.py") == (0, "All checks passed!\n")
    # What the profile does not redefine is inherited from apiyi: sora-2-pro's durations, and the int type.
    write(tmp_path, "pro.py", 'client.videos.create(model="sora-2-pro", prompt="p", seconds=12)\n'
                              'client.videos.create(model="sora-2", prompt="p", seconds="6")\n')
    tag = " [profile mygateway: set in pyproject.toml]"
    assert concise(cli, tmp_path, "pro.py") == (1, (
        "pro.py:1:62: SOR001 [*] seconds=12 is not supported by sora-2-pro (Supported values are: '10', '15', "
        f"and '25'); use 10 or 15{tag}\n"
        'pro.py:2:58: SOR002 [*] seconds="6" is a string, but profile mygateway expects an int: use 6 (the '
        f'official OpenAI API expects a string; if this code calls it, set profile = "openai"){tag}\n'
        "Found 2 errors.\n[*] 2 fixable with `sora-lint fix`.\n"))


GATEWAY_CLIENT = '''\
from openai import OpenAI

client = OpenAI(base_url="{url}")
client.videos.create(model="sora-2", prompt="p", seconds=6)
client.videos.create(model="sora-2", prompt="p", seconds="8")
'''


@pytest.mark.parametrize("url, host", [
    ("https://gateway.example.com/v1", "gateway.example.com"),
    ("https://eu.Gateway.example.com:8443/v1", "eu.gateway.example.com"),
])
def test_user_profile_hosts_steer_auto(cli, tmp_path, url, host):
    write(tmp_path, "pyproject.toml", AUTO_TOML)
    write(tmp_path, "gw.py", GATEWAY_CLIENT.format(url=url))
    write(tmp_path, "six.py", SIX_SECONDS)
    # gw.py: seconds=6 is valid under mygateway and only the string "8" is reported;
    # six.py has no base_url and stays on openai.
    assert concise(cli, tmp_path, "gw.py", "six.py") == (1, (
        'gw.py:5:58: SOR002 [*] seconds="8" is a string, but profile mygateway expects an int: use 8 (the '
        'official OpenAI API expects a string; if this code calls it, set profile = "openai") '
        f"[profile mygateway: auto: base_url {host}]\n"
        + SIX_UNDER_OPENAI +
        "Found 2 errors.\n[*] 2 fixable with `sora-lint fix`.\n"))


def test_user_profile_hosts_steer_auto_in_worker_processes(cli, tmp_path):
    """Enough files for the process pool: the settings with the user profile reach the workers."""
    write(tmp_path, "pyproject.toml", AUTO_TOML)
    for i in range(10):
        write(tmp_path, f"gw{i}.py", GATEWAY_CLIENT.format(url="https://gateway.example.com/v1"))
    proc = cli("check", "--statistics", "--jobs", "2", ".")
    assert (proc.returncode, proc.stdout) == (1, "10  SOR002  [*] seconds-type\n"
                                                 "Found 10 errors.\n[*] 10 fixable with `sora-lint fix`.\n")


def test_apiyi_host_still_picks_apiyi_next_to_a_user_profile(cli, tmp_path):
    write(tmp_path, "pyproject.toml", AUTO_TOML)
    write(tmp_path, "gw.py", GATEWAY_CLIENT.format(url="https://api.apiyi.com/v1"))
    code, out = concise(cli, tmp_path, "gw.py")
    assert code == 1
    assert out.splitlines()[0].startswith("gw.py:4:58: SOR001 [*] seconds=6 is not supported by sora-2 "
                                          "(Supported values are: '4', '8', and '12')")
    assert out.splitlines()[0].endswith("[profile apiyi: auto: base_url api.apiyi.com]")


SHIPPED_TABLES = """\
apiyi (shipped)
  APIYI gateway: seconds is an int; sora-2 takes 4/8/12 s, sora-2-pro 10/15/25 s
  seconds type    int (seconds=8)
  hosts           api.apiyi.com, apiyi.com
  extends         -
  aliases         -
  extend seconds  - (not checked)
  default model   sora-2

  model       seconds     default  upgrades    sizes
  sora-2      4, 8, 12    4        sora-2-pro  1280x720, 720x1280
  sora-2-pro  10, 15, 25  10       -           1280x720, 720x1280, 1792x1024, 1024x1792

openai (shipped)
  official OpenAI API (openai SDK types): seconds is a string "4"/"8"/"12" for every model
  seconds type    str (seconds="8")
  hosts           api.openai.com, openai.azure.com, cognitiveservices.azure.com, services.ai.azure.com
  extends         -
  aliases         -
  extend seconds  4, 8, 12, 16, 20
  default model   sora-2
  lifecycle       the official Sora API (api.openai.com): deprecated 2026-03-24, shutdown 2026-09-24

  model       seconds   default  upgrades    sizes
  sora-2      4, 8, 12  4        sora-2-pro  1280x720, 720x1280
  sora-2-pro  4, 8, 12  4        -           1280x720, 720x1280, 1792x1024, 1024x1792
"""


def test_profiles_prints_shipped_profiles(cli, tmp_path):
    proc = cli("profiles")
    assert (proc.returncode, proc.stdout) == (0, SHIPPED_TABLES)


def test_profiles_prints_user_profiles_after_the_shipped_ones(cli, tmp_path):
    write(tmp_path, "pyproject.toml", ISSUE_TOML + """\
[tool.sora-lint.profiles.strict]
extends = "mygateway"
description = "our staging gateway"
seconds-type = "str"
aliases = { "video-fast" = "sora-2" }
[tool.sora-lint.profiles.strict.models.sora-3]
seconds = [5, 10]
sizes = ["1920x1080"]
default-seconds = 5
""")
    proc = cli("profiles")
    assert proc.returncode == 0
    assert proc.stdout == SHIPPED_TABLES + f"""
mygateway (user-defined in {tmp_path / 'pyproject.toml'})
  user profile mygateway (extends apiyi)
  seconds type    int (seconds=8)
  hosts           gateway.example.com
  extends         apiyi
  aliases         -
  extend seconds  - (not checked)
  default model   sora-2

  model       seconds      default  upgrades    sizes
  sora-2      4, 6, 8, 12  4        sora-2-pro  1280x720, 720x1280
  sora-2-pro  10, 15, 25   10       -           1280x720, 720x1280, 1792x1024, 1024x1792

strict (user-defined in {tmp_path / 'pyproject.toml'})
  our staging gateway
  seconds type    str (seconds="8")
  hosts           -
  extends         mygateway
  aliases         video-fast -> sora-2
  extend seconds  - (not checked)
  default model   sora-2

  model       seconds      default  upgrades    sizes
  sora-2      4, 6, 8, 12  4        sora-2-pro  1280x720, 720x1280
  sora-2-pro  10, 15, 25   10       -           1280x720, 720x1280, 1792x1024, 1024x1792
  sora-3      5, 10        5        -           1920x1080
"""


@pytest.mark.parametrize("table, message", [
    ("[tool.sora-lint.profiles.mygateway.models.sora-2]\nsecond = [4, 6]\n",
     "[tool.sora-lint.profiles.mygateway.models.sora-2] second: unknown key (known: default-seconds, deprecated, "
     "seconds, shutdown, sizes, upgrades)"),
    ('[tool.sora-lint.profiles.mygateway]\nextends = "apiyy"\n',
     "[tool.sora-lint.profiles.mygateway] extends: unknown profile 'apiyy' (known: apiyi, openai)"),
    ('[tool.sora-lint.profiles.mygateway]\nseconds-type = "integer"\n',
     '[tool.sora-lint.profiles.mygateway] seconds-type: must be "int" or "str"'),
])
def test_bad_user_profile_names_the_key(cli, tmp_path, table, message):
    write(tmp_path, "pyproject.toml", "[tool.sora-lint]\n" + table)
    path = tmp_path / "pyproject.toml"
    for args in (["profiles"], ["check", "."]):
        proc = cli(*args)
        assert (proc.returncode, proc.stdout) == (2, "")
        assert proc.stderr == f"sora-lint: error: {path}: {message}\n"
