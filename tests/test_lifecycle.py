"""SOR006 api-shut-down: a call to a server whose Sora API is shut down (or scheduled to be), at fixed dates."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AFTER_SHUTDOWN

from sora_lint.contracts.settings import Settings
from sora_lint.engine import lint_source

BEFORE = "2026-03-23"  # the day before OpenAI announced the shutdown
ANNOUNCED = "2026-03-24"
BETWEEN = "2026-09-01"
LAST_DAY = "2026-09-23"
SHUTDOWN_DAY = "2026-09-24"

# One short line (the date and the server): the SDK's words, OPENAI_BASE_URL and how to point sora-lint at a
# gateway are in `sora-lint rule SOR006`.
DEFAULT = " (api.openai.com, the client's default)"
HOST = " (api.openai.com)"


def shut(where: str = DEFAULT) -> str:
    return f"the official Sora API{where} was shut down on 2026-09-24: every request to it fails"


def scheduled(days: str, where: str = DEFAULT) -> str:
    return f"the official Sora API{where} shuts down on 2026-09-24 (in {days}): from then on every request to it fails"


SDK_DEFAULT = '''\
from openai import OpenAI

client = OpenAI()
client.videos.create(model="sora-2", prompt="p", seconds="8")
'''
SDK_OFFICIAL_HOST = SDK_DEFAULT.replace("OpenAI()", 'OpenAI(base_url="https://api.openai.com/v1")')
SDK_GATEWAY = SDK_DEFAULT.replace("OpenAI()", 'OpenAI(base_url="https://gateway.example.com/v1")')
SDK_AZURE = '''\
from openai import AzureOpenAI

client = AzureOpenAI(azure_endpoint="https://res.openai.azure.com", api_version="2025-04-01-preview")
client.videos.create(model="sora-2", prompt="p", seconds="8")
'''
SDK_AZURE_HOST = SDK_DEFAULT.replace("OpenAI()", 'OpenAI(base_url="https://res.openai.azure.com/openai/v1")')
HTTP_OFFICIAL = '''\
import requests

requests.post("https://api.openai.com/v1/videos", json={"model": "sora-2", "prompt": "p", "seconds": "8"})
'''
HTTP_SESSION = '''\
import httpx

with httpx.Client(base_url="https://api.openai.com/v1") as http:
    http.post("/videos", data={"model": "sora-2", "prompt": "p"})
'''
HTTP_GATEWAY = HTTP_OFFICIAL.replace("api.openai.com", "gateway.example.com")


def sor006(source: str, today: str, monkeypatch, settings: Settings | None = None):
    monkeypatch.setenv("SORA_LINT_TODAY", today)
    return [(d.location.row, d.location.column, d.message) for d in lint_source(source, "x.py", settings or Settings())
            if d.code == "SOR006"]


@pytest.mark.parametrize("today, expected", [
    (BEFORE, []),
    (ANNOUNCED, [(3, 10, scheduled("184 days"))]),
    (BETWEEN, [(3, 10, scheduled("23 days"))]),
    (LAST_DAY, [(3, 10, scheduled("1 day"))]),
    (SHUTDOWN_DAY, [(3, 10, shut())]),
    (AFTER_SHUTDOWN, [(3, 10, shut())]),
])
def test_sdk_call_without_base_url_over_time(today, expected, monkeypatch):
    assert sor006(SDK_DEFAULT, today, monkeypatch) == expected


@pytest.mark.parametrize("source, today, expected", [
    (SDK_OFFICIAL_HOST, BEFORE, []),
    (SDK_OFFICIAL_HOST, BETWEEN, [(3, 10, scheduled("23 days", HOST))]),
    (SDK_OFFICIAL_HOST, AFTER_SHUTDOWN, [(3, 10, shut(HOST))]),
    (HTTP_OFFICIAL, BEFORE, []),
    (HTTP_OFFICIAL, BETWEEN, [(3, 1, scheduled("23 days", HOST))]),
    (HTTP_OFFICIAL, AFTER_SHUTDOWN, [(3, 1, shut(HOST))]),
    (HTTP_SESSION, AFTER_SHUTDOWN, [(4, 5, shut(HOST))]),
])
def test_calls_to_api_openai_com_sdk_and_http(source, today, expected, monkeypatch):
    assert sor006(source, today, monkeypatch) == expected


@pytest.mark.parametrize("source", [SDK_GATEWAY, HTTP_GATEWAY, SDK_AZURE, SDK_AZURE_HOST],
                         ids=["sdk-gateway", "http-gateway", "azure-client", "azure-host"])
@pytest.mark.parametrize("today", [BETWEEN, AFTER_SHUTDOWN])
def test_gateways_and_azure_are_not_shut_down(source, today, monkeypatch):
    assert sor006(source, today, monkeypatch) == []


def test_pinned_profile_decides_the_server_only_when_the_file_does_not(monkeypatch):
    openai = Settings(profile="openai")
    # A gateway that follows the official contract is not shut down.
    assert sor006(SDK_GATEWAY, AFTER_SHUTDOWN, monkeypatch, openai) == []
    # No base_url and openai pinned: the SDK's default server, with the hint.
    assert sor006(SDK_DEFAULT, AFTER_SHUTDOWN, monkeypatch, openai) == [(3, 10, shut())]
    # Pinning the APIYI gateway says where OPENAI_BASE_URL points.
    assert sor006(SDK_DEFAULT, AFTER_SHUTDOWN, monkeypatch, Settings(profile="apiyi")) == []
    # A base_url that is not a literal, or a client built elsewhere: the server is not known, never guessed.
    variable = SDK_DEFAULT.replace("OpenAI()", "OpenAI(base_url=settings.url)")
    elsewhere = 'import openai\nclient.videos.create(model="sora-2", prompt="p", seconds="8")\n'
    assert sor006(variable, AFTER_SHUTDOWN, monkeypatch) == []
    assert sor006(elsewhere, AFTER_SHUTDOWN, monkeypatch) == []


def test_today_is_the_local_date_without_the_override(monkeypatch):
    import datetime

    monkeypatch.delenv("SORA_LINT_TODAY")
    found = [d for d in lint_source(SDK_DEFAULT, "x.py") if d.code == "SOR006"]
    assert len(found) == (1 if datetime.date.today() >= datetime.date(2026, 3, 24) else 0)


# --- through the CLI ---------------------------------------------------------------------------------------

PARAMETERS_TOO = '''\
from openai import OpenAI

client = OpenAI()
client.videos.create(model="sora-2", prompt="p", seconds="10")
client.videos.create(model="sora-2", prompt="p", seconds="8")  # noqa: SOR006
'''


def test_cli_reports_sor006_next_to_the_parameter_rules(cli, tmp_path):
    (tmp_path / "app.py").write_text(PARAMETERS_TOO, encoding="utf-8")
    proc = cli("check", "--output-format", "concise", "app.py", today=AFTER_SHUTDOWN)
    assert (proc.returncode, proc.stderr) == (1, "")
    # Reported once, at the client: a noqa on one call through it does not hide what every call shares.
    assert proc.stdout == (
        f"app.py:3:10: SOR006 {shut()}\n"
        "app.py:4:58: SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        'use "8" or "12" [profile openai: auto: client has no base_url]\n'
        "Found 2 errors.\n[*] 1 fixable with `sora-lint fix`.\n"
        "2 calls go to a server that was shut down on 2026-09-24 (SOR006).\n")
    ignored = cli("check", "--output-format", "concise", "--ignore", "SOR006", "app.py", today=AFTER_SHUTDOWN)
    assert [line.split(" ")[1] for line in ignored.stdout.splitlines()[:-2]] == ["SOR001"]
    noqa = PARAMETERS_TOO.replace("client = OpenAI()", "client = OpenAI()  # noqa: SOR006")
    (tmp_path / "app.py").write_text(noqa, encoding="utf-8")
    suppressed = cli("check", "--output-format", "concise", "app.py", today=AFTER_SHUTDOWN)
    assert [line.split(" ")[1] for line in suppressed.stdout.splitlines()[:-2]] == ["SOR001"]
    before = cli("check", "--output-format", "concise", "app.py", today=BEFORE)
    assert [line.split(" ")[1] for line in before.stdout.splitlines()[:-2]] == ["SOR001"]


def test_fix_leaves_a_shut_down_call_as_it_is(cli, tmp_path):
    (tmp_path / "app.py").write_text(SDK_DEFAULT, encoding="utf-8")
    proc = cli("fix", "--unsafe-fixes", "app.py", today=AFTER_SHUTDOWN)
    assert proc.returncode == 1
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == SDK_DEFAULT
    assert "0 fixes applied in 0 files, 1 finding left." in proc.stdout


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "2026-9-24"])
def test_a_bad_today_override_is_a_usage_error(cli, tmp_path, value):
    (tmp_path / "app.py").write_text(SDK_DEFAULT, encoding="utf-8")
    proc = cli("check", "app.py", today=value)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (f"sora-lint: error: environment: SORA_LINT_TODAY: {value!r} is not a date "
                           "(write it YYYY-MM-DD)\n")


# --- a user profile's own dates ----------------------------------------------------------------------------

GATEWAY_TOML = '''\
[tool.sora-lint]
[tool.sora-lint.profiles.mygateway]
extends = "openai"
hosts = ["gateway.example.com"]
deprecated = "2027-01-15"
shutdown = "2027-03-31"
lifecycle-source = "gateway.example.com/changelog, 2027-01-15"
[tool.sora-lint.profiles.mygateway.models.sora-2-pro]
shutdown = 2027-02-28
'''


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("today, expected", [
    ("2027-01-14", ""),
    # Once per client and date: the client's calls of sora-2-pro have a date of their own.
    ("2027-01-15", "app.py:3:10: SOR006 the Sora API of profile mygateway (gateway.example.com) shuts down on "
                   "2027-03-31 (in 75 days): from then on every request to it fails\n"
                   "app.py:3:10: SOR006 sora-2-pro-2025-10-06 on the Sora API of profile mygateway "
                   "(gateway.example.com) shuts down on 2027-02-28 (in 44 days): from then on every request to it "
                   "fails\n"),
    ("2027-04-01", "app.py:3:10: SOR006 the Sora API of profile mygateway (gateway.example.com) was shut down on "
                   "2027-03-31: every request to it fails\n"
                   "app.py:3:10: SOR006 sora-2-pro-2025-10-06 on the Sora API of profile mygateway "
                   "(gateway.example.com) was shut down on 2027-02-28: every request to it fails\n"),
])
def test_user_profile_with_its_own_dates(cli, tmp_path, today, expected):
    write(tmp_path, "pyproject.toml", GATEWAY_TOML)
    write(tmp_path, "app.py", SDK_GATEWAY + 'client.videos.create(model="sora-2-pro-2025-10-06", prompt="p")\n')
    proc = cli("check", "--output-format", "concise", "--select", "SOR006", "app.py", today=today)
    assert proc.stderr == ""
    assert proc.stdout.replace("All checks passed!\n", "").split("Found")[0] == expected


def test_user_profile_without_dates_never_reports(cli, tmp_path):
    write(tmp_path, "pyproject.toml", "\n".join(line for line in GATEWAY_TOML.splitlines()
                                                 if not line.startswith(("deprecated", "shutdown", "lifecycle"))))
    write(tmp_path, "app.py", SDK_GATEWAY)
    proc = cli("check", "app.py", today="2099-01-01")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "All checks passed!\n", "")


def test_pinned_user_profile_with_dates_covers_a_client_without_base_url(cli, tmp_path):
    write(tmp_path, "pyproject.toml", GATEWAY_TOML.replace("[tool.sora-lint]\n", '[tool.sora-lint]\nprofile = '
                                                                                 '"mygateway"\n'))
    write(tmp_path, "app.py", SDK_DEFAULT)
    proc = cli("check", "--output-format", "concise", "app.py", today="2027-04-01")
    assert proc.stdout.splitlines()[0] == (
        "app.py:3:10: SOR006 the Sora API of profile mygateway (gateway.example.com) was shut down on 2027-03-31: "
        "every request to it fails")


@pytest.mark.parametrize("line, message", [
    ('shutdown = "soon"', "[tool.sora-lint.profiles.mygateway] shutdown: 'soon' is not a date (write it YYYY-MM-DD)"),
    ("deprecated = 5", "[tool.sora-lint.profiles.mygateway] deprecated: 5 is not a date (write it YYYY-MM-DD)"),
    ('deprecated = '
     '"2027-05-01"', "[tool.sora-lint.profiles.mygateway] deprecated: 2027-05-01 is after shutdown 2027-03-31"),
    ("lifecycle-source = 3", "[tool.sora-lint.profiles.mygateway] lifecycle-source: must be a string"),
])
def test_bad_lifecycle_keys_name_the_file_and_key(cli, tmp_path, line, message):
    key = line.split(" ")[0]
    toml = "\n".join(x for x in GATEWAY_TOML.splitlines() if not x.startswith(key + " ")) + "\n"
    toml = toml.replace('hosts = ["gateway.example.com"]\n', f'hosts = ["gateway.example.com"]\n{line}\n')
    write(tmp_path, "pyproject.toml", toml)
    proc = cli("check", ".")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"sora-lint: error: {tmp_path / 'pyproject.toml'}: {message}\n"


def test_ignore_in_the_configuration_and_flake8(cli, flake8, tmp_path, monkeypatch):
    monkeypatch.setenv("SORA_LINT_TODAY", AFTER_SHUTDOWN)
    write(tmp_path, "app.py", SDK_DEFAULT)
    assert lines_of(flake8("app.py")) == [f"app.py:3:10: SOR006 {shut()}"]
    write(tmp_path, "pyproject.toml", '[tool.sora-lint]\nignore = ["SOR006"]\n')
    proc = cli("check", "app.py")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n")
    assert lines_of(flake8("app.py")) == []


def lines_of(proc) -> list:
    assert proc.stderr == ""
    return proc.stdout.splitlines()
