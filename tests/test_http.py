"""Raw HTTP requests to the Sora videos endpoint (issue 7): requests, httpx and aiohttp.

Every shape is checked in-process with exact diagnostics and fixed source, and the fixtures
go end to end through the CLI and the real flake8, each run as a process (conftest's ``cli``
and ``flake8``: ``sys.executable -m sora_lint ...`` and ``sys.executable -m flake8 --select SOR ...``).
"""
import shutil
import textwrap

import pytest
from conftest import FIXTURES, diags, fixed, lines

from sora_lint.analysis.prefilter import might_contain_sora_call
from sora_lint.contracts.settings import Settings
from sora_lint.engine import lint_source

# The reason every diagnostic carries: kept here so a rewording is a one-line change.
APIYI_URL = "[profile apiyi: auto: request URL api.apiyi.com]"
OPENAI_URL = "[profile openai: auto: request URL api.openai.com]"
# A server sora-lint cannot know: the contract is assumed, so the finding says how to state it (and no fix is safe).
STATE_IT = ': state the contract with profile = "NAME" in [tool.sora-lint]]'
FALLBACK_DYNAMIC = "[profile openai assumed (auto: request URL is not a literal, using fallback-profile)" + STATE_IT

URL = '"https://api.apiyi.com/v1/videos"'
BODY = '{"model": "sora-2", "prompt": "p", "seconds": 10}'
NOT_SORA_2 = (
    ' is not supported by sora-2 (Supported values are: \'4\', \'8\', and \'12\'); use 8 or 12, or model="sora-2-pro"'
)
# A form field is text whatever the contract: the advice is written as its fix writes it, a string.
NOT_SORA_2_FORM = NOT_SORA_2.replace("use 8 or 12", 'use "8" or "12"')
TEN = "SOR001 seconds=10" + NOT_SORA_2
TEN_DEFAULT = ("SOR001 seconds=10 is not supported by sora-2 (the default model) "
               "(Supported values are: '4', '8', and '12'); use 8 or 12")
# SOR002's wording belongs to the SDK path; the HTTP tests only need it in one place.
INT_UNDER_OPENAI = ('seconds=8 is an int, but profile openai expects a string, as the openai SDK types it: use "8" '
                    '(the APIYI gateway expects an int; if this code calls it, set profile = "apiyi")')
TEXT_UNDER_APIYI = ('seconds="8" is a string, but profile apiyi expects an int: use 8 (the official OpenAI API '
                    'expects a string; if this code calls it, set profile = "openai")')
TEN_TEXT = 'SOR001 seconds="10"' + NOT_SORA_2_FORM


def profiles(source: str, **settings) -> list[str]:
    """The code and profile name of each diagnostic (for tests about which profile applies)."""
    return [f"{d.code} {d.message.rsplit('[profile ', 1)[1].split(':')[0].split(' ')[0]}"
            for d in lint_source(textwrap.dedent(source), "t.py", Settings(**settings))]


def reported_and_fixed(source: str, expected: list[str], old: str, new: str) -> None:
    """Exactly ``expected`` is reported, and the safe fixes turn ``old`` into ``new``."""
    assert diags(source) == expected
    assert fixed(source) == source.replace(old, new)


def at(source: str, needle: str) -> str:
    """``row:col`` (1-based) where the last occurrence of ``needle`` in ``source`` starts."""
    source = textwrap.dedent(source)
    offset = source.rindex(needle)
    row = source.count("\n", 0, offset) + 1
    col = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return f"{row}:{col}"


# --- every client library ----------------------------------------------------------

LIBRARIES = {
    "requests.post": f"import requests\nrequests.post({URL}, json={BODY})\n",
    "requests.request": f'import requests\nrequests.request("POST", {URL}, json={BODY})\n',
    "requests.api.post": f"import requests.api\nrequests.api.post({URL}, json={BODY})\n",
    "requests.Session().post": f"import requests\nrequests.Session().post({URL}, json={BODY})\n",
    "requests.session().post": f"import requests\nrequests.session().post({URL}, json={BODY})\n",
    "session bound to a name": f"import requests\nsession = requests.Session()\nsession.post({URL}, json={BODY})\n",
    "session.request": f'import requests\nsession = requests.Session()\nsession.request("post", {URL}, json={BODY})\n',
    "with requests.Session()": f"import requests\nwith requests.Session() as s:\n    s.post({URL}, json={BODY})\n",
    "httpx.post": f"import httpx\nhttpx.post({URL}, json={BODY})\n",
    "httpx.request by keyword": f'import httpx\nhttpx.request(method="POST", url={URL}, json={BODY})\n',
    "httpx.Client().post": f"import httpx\nhttpx.Client().post({URL}, json={BODY})\n",
    "httpx client bound to a "
    "name": f"import httpx\nclient = httpx.Client(timeout=60)\nclient.post({URL}, json={BODY})\n",
    "with httpx.Client()": f"import httpx\nwith httpx.Client() as c:\n    c.post({URL}, json={BODY})\n",
    "httpx.AsyncClient().post": (f"import httpx\nasync def go():\n"
                                 f"    return await httpx.AsyncClient().post({URL}, json={BODY})\n"),
    "async with httpx.AsyncClient()": (f"import httpx\nasync def go():\n    async with httpx.AsyncClient() as c:\n"
                                       f"        return await c.post({URL}, json={BODY})\n"),
    "aiohttp.ClientSession().post": (f"import aiohttp\nasync def go():\n"
                                     f"    return await aiohttp.ClientSession().post({URL}, json={BODY})\n"),
    "async with aiohttp.ClientSession()": (f"import aiohttp\nasync def go():\n"
                                           f"    async with aiohttp.ClientSession() as session:\n"
                                           f"        async with session.post({URL}, json={BODY}) as response:\n"
                                           f"            return await response.json()\n"),
    "aiohttp.request": (f"import aiohttp\nasync def go():\n"
                        f'    async with aiohttp.request("POST", {URL}, json={BODY}) as response:\n'
                        f"        return await response.json()\n"),
    "import requests as rq": f"import requests as rq\nrq.post({URL}, json={BODY})\n",
    "from requests import post": f"from requests import post\npost({URL}, json={BODY})\n",
    "from requests import Session as S": f"from requests import Session as S\nS().post({URL}, json={BODY})\n",
    "from httpx import AsyncClient": (f"from httpx import AsyncClient\nasync def go():\n"
                                      f"    async with AsyncClient() as client:\n"
                                      f"        await client.post({URL}, json={BODY})\n"),
    "from aiohttp import ClientSession": (f"from aiohttp import ClientSession\nsession = ClientSession()\n"
                                          f"async def go():\n    await session.post({URL}, json={BODY})\n"),
}


@pytest.mark.parametrize("source", LIBRARIES.values(), ids=LIBRARIES.keys())
def test_every_client_library_is_recognised_and_fixed(source):
    reported_and_fixed(source, [f'{at(source, "10}")} {TEN} {APIYI_URL}'], '"seconds": 10}', '"seconds": 12}')


NOT_SENDERS = {
    "a GET": f"import requests\nrequests.get({URL}, params={BODY})\n",
    "request with another method": f'import requests\nrequests.request("PUT", {URL}, json={BODY})\n',
    "request with a method that is not a literal": f"import requests\nrequests.request(verb, {URL}, json={BODY})\n",
    "an unknown receiver": f"import requests\ndef go(http):\n    http.post({URL}, json={BODY})\n",
    "an attribute receiver": f"import requests\nself.session.post({URL}, json={BODY})\n",
    "a session bound twice": (f"import requests, httpx\nsession = requests.Session()\nsession = make()\n"
                              f"session.post({URL}, json={BODY})\n"),
    "a module that is not imported": f"requests_mock.post({URL}, json={BODY})  # sora\n",
    "a Client of another library": f"from mylib import Client\nClient().post({URL}, json={BODY})\n",
    "the URL in *args": f"import requests\nrequests.post(*parts, json={BODY})\n",
}


# --- the endpoint --------------------------------------------------------------------

ENDPOINTS = {
    "without /v1": 'requests.post("https://api.apiyi.com/videos", json=BODY)',
    "trailing slash": 'requests.post("https://api.apiyi.com/v1/videos/", json=BODY)',
    "query string": 'requests.post("https://api.apiyi.com/v1/videos?source=docs", json=BODY)',
    "f-string": 'requests.post(f"{BASE}/videos", json=BODY)',
    "concatenation": 'requests.post(BASE + "/videos", json=BODY)',
    "implicit concatenation": 'requests.post("https://api.apiyi.com" "/v1/videos", json=BODY)',
    "name bound to an f-string": 'URL = f"{BASE}/videos"\nrequests.post(URL, json=BODY)',
    "name in a function": 'def go():\n    url = BASE + "/videos"\n    return requests.post(url, json=BODY)',
    "keyword url": 'requests.post(url=f"{BASE}/videos/", json=BODY)',
}
HEAD = 'import requests\nBASE = "https://api.apiyi.com/v1"\nBODY = {"model": "sora-2", "prompt": "p", "seconds": 10}\n'


@pytest.mark.parametrize("call", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_endpoint_forms(call):
    source = HEAD + call + "\n"
    # Reported at the value, where the body is written (issue 10), not at the call.
    reported_and_fixed(source, [f"{at(source, '10}')} SOR001 seconds=10 (in json=BODY){NOT_SORA_2} {APIYI_URL}"],
                       '"seconds": 10}', '"seconds": 12}')


OTHER_ENDPOINTS = {
    "remix": 'requests.post(f"{BASE}/videos/{video_id}/remix", json=BODY)',
    "another vendor's text2video": 'requests.post("https://api.klingai.com/v1/videos/text2video", json=BODY)',
    "content": 'requests.post(f"{BASE}/videos/{video_id}/content", json=BODY)',
    "a sub-path": 'requests.post("https://api.apiyi.com/v1/videos/generations", json=BODY)',
    "a word ending in videos": 'requests.post("https://api.apiyi.com/v1/myvideos", json=BODY)',
    "no slash before videos": 'requests.post(base + "videos", json=BODY)',
    "a dynamic URL": "requests.post(url, json=BODY)",
    "a dynamic path": 'requests.post(f"{BASE}/{endpoint}", json=BODY)',
    "a dynamic suffix": 'requests.post(f"{BASE}/videos{suffix}", json=BODY)',
    "an attribute": "requests.post(settings.VIDEOS_URL, json=BODY)",
    "a name bound twice": 'URL = f"{BASE}/videos"\nURL = URL.strip()\nrequests.post(URL, json=BODY)',
    "a formatted path": 'requests.post(f"{BASE}/{\'videos\'!s}", json=BODY)',
}


# --- the payload ---------------------------------------------------------------------

POST = 'import json, requests\nrequests.post("https://api.apiyi.com/v1/videos", '


@pytest.mark.parametrize("payload, message", [
    ('json={"model": "sora-2", "prompt": "p", "seconds": 10}', TEN),
    ('json=dict(model="sora-2", prompt="p", seconds=10)', TEN),
    ('data=json.dumps({"model": "sora-2", "prompt": "p", "seconds": 10})', TEN),
    ('data={"model": "sora-2", "prompt": "p", "seconds": "10"}', TEN_TEXT),
    ('data=[("model", "sora-2"), ("prompt", "p"), ("seconds", "10")]', TEN_TEXT),
    ('files={"model": (None, "sora-2"), "prompt": (None, "p"), "seconds": (None, "10")}', TEN_TEXT),
    ('files=[("model", (None, "sora-2")), ("prompt", (None, "p")), ("seconds", (None, "10"))]', TEN_TEXT),
    ('data={"model": "sora-2", "prompt": "p"}, files={"seconds": (None, "10"), "input_reference": f}', TEN_TEXT),
], ids=["json dict", "json dict()", "data=json.dumps", "data dict", "data pairs", "files tuples", "files pairs",
        "data and files"])
def test_payload_forms(payload, message):
    source = POST + payload + ")\n"
    value = "10" if message is TEN else '"10"'  # reported at the value; for (None, "10") the tuple's second element
    reported_and_fixed(source, [f"{at(source, value)} {message} {APIYI_URL}"], value, value.replace("10", "12"))


@pytest.mark.parametrize("source, expected", [
    ('BODY = {"model": "sora-2", "prompt": "p", "seconds": 10}\nrequests.post(URL, json=BODY)\n',
     "3:54 SOR001 seconds=10 (in json=BODY)"),
    ('BODY = {"model": "sora-2", "prompt": "p", "seconds": 10}\nrequests.post(URL, data=json.dumps(BODY))\n',
     "3:54 SOR001 seconds=10 (in data=json.dumps(BODY))"),
    ('FORM = {"model": "sora-2", "prompt": "p", "seconds": "10"}\nrequests.post(URL, data=FORM)\n',
     '3:54 SOR001 seconds="10" (in data=FORM)'),
    ('FILES = {"model": (None, "sora-2"), "prompt": (None, "p"), "seconds": (None, "10")}\n'
     "requests.post(URL, files=FILES)\n",
     '3:78 SOR001 seconds="10" (in files=FILES)'),
    ('SECONDS = 10\nrequests.post(URL, json={"model": "sora-2", "prompt": "p", "seconds": SECONDS})\n',
     "4:71 SOR001 seconds=SECONDS (= 10)"),
])
def test_payload_through_names_is_fixed_where_it_is_written(source, expected):
    # A value in a body bound to a name is reported where it is written (issue 10), not at the call.
    source = 'import json, requests\nURL = "https://api.apiyi.com/v1/videos"\n' + source
    advice = NOT_SORA_2_FORM if '="10"' in expected else NOT_SORA_2  # a form field keeps its text
    reported_and_fixed(source, [f"{expected}{advice} {APIYI_URL}"], "10", "12")


NOT_SORA_BODIES = {
    "no prompt and no Sora model": 'json={"title": "Launch", "seconds": 10, "size": "4k"}',
    "another vendor's model": 'json={"model": "veo-3", "prompt": "p", "seconds": 10}',
    "a model that is not a literal": 'json={"model": MODEL, "prompt": "p", "seconds": 10}',
    "more keys in **kwargs": 'json={"prompt": "p", "seconds": 10}, **options',
    "more keys in the dict": 'json={"prompt": "p", "seconds": 10, **extra}',
    "a body that is not a literal": "json=make_body()",
    "a string body": 'data=raw_json, headers={"Content-Type": "application/json"}',
    "a body given by position": '{"prompt": "p", "seconds": 10}',
    "a form object": "data=aiohttp.FormData()",
}

CHANGED_BODIES = {  # a body changed after it is built is not read
    "item set": 'BODY["seconds"] = 8\n',
    "update": "BODY.update(seconds=8)\n",
    "rebound": "BODY = {}\n",
    "handed to a call that is not a request": "prepare(data=BODY)\n",
}
NOT_REPORTED = {
    **{f"sender: {k}": v for k, v in NOT_SENDERS.items()},
    **{f"endpoint: {k}": HEAD + v + "\n" for k, v in OTHER_ENDPOINTS.items()},
    **{f"body: {k}": POST + v + ")  # sora\n" for k, v in NOT_SORA_BODIES.items()},
    **{f"body changed: {k}": f"{HEAD}{v}requests.post({URL}, json=BODY)\n" for k, v in CHANGED_BODIES.items()},
}


@pytest.mark.parametrize("source", NOT_REPORTED.values(), ids=NOT_REPORTED.keys())
def test_not_reported(source):
    """Other senders, other or unreadable endpoints, bodies that are not Sora or cannot be read."""
    assert diags(source) == []


def test_model_defaults_to_sora_2_when_a_prompt_is_there():
    source = 'import requests\nrequests.post("https://api.apiyi.com/v1/videos", json={"prompt": "p", "seconds": 10})\n'
    assert diags(source) == [f"{at(source, '10}')} {TEN_DEFAULT} {APIYI_URL}"]


def test_a_sora_model_without_a_prompt_is_a_sora_body():
    source = (
        'import requests\nrequests.post("https://api.apiyi.com/v1/videos", json={"model": "sora-2", "seconds": 10})\n'
    )
    assert diags(source) == [f"{at(source, '10}')} {TEN} {APIYI_URL}"]


# --- form fields are text: the type rule does not apply -----------------------------------

def test_type_rule_applies_to_json_but_not_to_form_fields():
    source = """\
        import requests
        URL = "https://api.openai.com/v1/videos"
        requests.post(URL, json={"prompt": "p", "seconds": 8})
        requests.post(URL, data={"prompt": "p", "seconds": 8})
        requests.post(URL, files={"prompt": (None, "p"), "seconds": (None, "8")})
    """
    assert diags(source) == [f"3:52 SOR002 {INT_UNDER_OPENAI} {OPENAI_URL}"]
    assert diags(source.replace("openai.com", "apiyi.com").replace(": 8}", ': "8"}')) == [
        f"3:52 SOR002 {TEXT_UNDER_APIYI} {APIYI_URL}"]


def test_a_form_field_fix_keeps_the_fields_own_type():
    source = """\
        import requests
        URL = "https://api.openai.com/v1/videos"
        requests.post(URL, data={"prompt": "p", "seconds": 10})
        requests.post(URL, files={"prompt": (None, "p"), "seconds": (None, '10')})
    """
    assert fixed(source) == textwrap.dedent(source).replace("10}", "12}").replace("'10'", "'12'")


# --- which profile applies --------------------------------------------------------------

@pytest.mark.parametrize("prefix, url, reason", [
    ("", '"https://api.apiyi.com/v1/videos"', APIYI_URL[1:-1]),
    ("", '"https://api.openai.com/v1/videos"', OPENAI_URL[1:-1]),
    ("", '"https://my-res.openai.azure.com/openai/v1/videos?api-version=preview"',
     "profile openai: auto: request URL my-res.openai.azure.com"),
    ("", '"https://gateway.example.com/v1/videos"',
     "profile openai assumed (auto: request URL host gateway.example.com is unknown, using fallback-profile)"
     + STATE_IT[:-1]),
    ("import os\n", 'os.environ["SORA_BASE"] + "/videos"', FALLBACK_DYNAMIC[1:-1]),
    ("import os\nBASE = os.getenv('B')\n", 'f"{BASE}/videos"', FALLBACK_DYNAMIC[1:-1]),
])
def test_the_url_host_steers_auto(prefix, url, reason):
    source = f'import requests\n{prefix}requests.post({url}, json={{"prompt": "p", "size": "1792x1024"}})\n'
    assert [d.split(" ")[1] + " " + d.split(" [profile ", 1)[1] for d in diags(source)] == [
        f"SOR003 {reason.replace('profile ', '', 1)}]"]


def test_a_relative_url_takes_the_host_of_the_sessions_base_url():
    source = """\
        import aiohttp, httpx
        BASE = "https://api.apiyi.com/v1"
        def a():
            with httpx.Client(base_url=BASE) as client:
                client.post("/videos", json={"prompt": "p", "seconds": "8"})
        async def b():
            async with aiohttp.ClientSession(BASE) as session:
                await session.post("/videos", json={"prompt": "p", "seconds": "8"})
    """
    assert diags(source) == [f"5:64 SOR002 {TEXT_UNDER_APIYI} "
                             f"{APIYI_URL}", f"8:71 SOR002 {TEXT_UNDER_APIYI} {APIYI_URL}"]
    assert diags('import httpx\nhttpx.Client().post("/v1/videos", json={"prompt": "p", "seconds": 8})\n') == [
        f"2:67 SOR002 {INT_UNDER_OPENAI} {FALLBACK_DYNAMIC}"]


def test_fallback_and_pinned_profiles_apply_to_requests_too():
    source = (
        'import requests\nrequests.post("https://gateway.example.com/v1/videos", json={"prompt": "p", "seconds": 8})\n'
    )
    assert profiles(source) == ["SOR002 openai"]
    [guessed] = lint_source(source, "t.py", Settings())
    assert guessed.message.endswith("unknown, using fallback-profile)" + STATE_IT)
    assert [f.applicability for f in guessed.fixes] == ["unsafe"]
    assert profiles(source, fallback_profile="apiyi") == []
    assert profiles(source, profile="apiyi") == []
    assert profiles(source.replace("gateway.example.com", "api.apiyi.com"), profile="openai") == ["SOR002 openai"]


def test_a_request_follows_its_own_url_whatever_the_files_first_server():
    source = """\
        import requests
        from openai import OpenAI
        client = OpenAI()
        requests.post("https://api.apiyi.com/v1/videos", json={"prompt": "p", "seconds": 8})
    """
    # The SDK client without base_url comes first, but the request names its own server: seconds=8 is right there.
    assert profiles(source) == []
    reordered = textwrap.dedent(source).splitlines()
    reordered = "\n".join([reordered[0], reordered[1], reordered[3], reordered[2]]) + "\n"
    assert diags(reordered) == []  # the request names apiyi first: seconds=8 is right there


def test_a_request_that_is_not_sora_does_not_steer_the_profile():
    source = """\
        import requests
        from openai import OpenAI
        requests.post("https://api.apiyi.com/v1/videos", json={"title": "not sora"})
        OpenAI().videos.create(model="sora-2", prompt="p", seconds=8)
    """
    assert profiles(source) == ["SOR002 openai"]


# --- fixes ---------------------------------------------------------------------------

def test_switching_to_pro_is_an_unsafe_fix_when_the_body_names_the_model():
    source = (
        f"import requests\nrequests.post({URL}, json={{\"model\": \"sora-2\", \"prompt\": \"p\", \"seconds\": 15}})\n"
    )
    assert fixed(source) == source.replace("15", "12")
    assert fixed(source, unsafe=True) == source.replace('"sora-2"', '"sora-2-pro"')
    without_model = f'import requests\nrequests.post({URL}, json={{"prompt": "p", "seconds": 15}})\n'
    assert diags(without_model) == [
        f"{at(without_model, '15}')} SOR001 seconds=15 is not supported by sora-2 (the default model) "
        f"(Supported values are: '4', '8', and '12'); use 12 {APIYI_URL}"]
    assert fixed(without_model, unsafe=True) == without_model.replace("15", "12")


def test_a_body_sent_twice_is_reported_but_not_fixed():
    source = f'import requests\nBODY = {BODY}\nrequests.post({URL}, json=BODY)\nrequests.post({URL}, json=BODY)\n'
    message = (f"SOR001 seconds=10 (in json=BODY) is not supported by sora-2 (Supported values are: '4', '8', "
               f"and '12'); "
               f"use 8 or 12 (not fixed automatically: BODY is passed to more than one call) {APIYI_URL}")
    # Both calls send the same value: one finding, where the value is written.
    assert diags(source) == [f"{at(source, '10}')} {message}"]
    assert fixed(source) == source


def test_noqa_on_the_value_line():
    source = textwrap.dedent(f"""\
        import requests
        requests.post(
            {URL},
            json={{
                "prompt": "p",
                "seconds": 10,  # noqa: SOR001
                "size": "1792x1024",
            }},
        )
    """)
    assert [d.split(" ")[:2] for d in diags(source)] == [["7:17", "SOR003"]]


# --- the text prefilter ------------------------------------------------------------------

def test_prefilter_lets_a_request_without_sora_or_openai_through():
    source = 'import requests\nrequests.post("https://api.apiyi.com/v1/videos", json={"prompt": "p", "seconds": 10})\n'
    assert might_contain_sora_call(source)
    assert [d.split(" ")[1] for d in diags(source)] == ["SOR001"]
    assert not might_contain_sora_call('requests.post("https://example.com/v1/videos", json={"title": "x"})\n')


def test_with_binding_also_traces_sdk_clients():
    source = """\
        from openai import OpenAI
        with OpenAI(base_url="https://api.apiyi.com/v1") as client:
            client.videos.create(model="sora-2", prompt="p", seconds=10)
    """
    assert [d.split(" ")[:2] for d in diags(source)] == [["3:62", "SOR001"]]


# --- end to end: the CLI and flake8 as processes ---------------------------------------

CHECK_RAW_HTTP = [
    "11:73: SOR001 [*] seconds=10 (in json=CLIP) is not supported by sora-2 (Supported values are: '4', '8', "
    "and '12'); "
    f'use 8 or 12, or model="sora-2-pro" {APIYI_URL}',
    "20:87: SOR001 [*] seconds=20 is not supported by sora-2-pro (Supported values are: '10', '15', and '25'); "
    f"use 15 or 25 {APIYI_URL}",
    f"25:100: SOR002 [*] {TEXT_UNDER_APIYI} {APIYI_URL}",
    "35:31: SOR001 [*] seconds=\"6\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
    f'use "4" or "8" {APIYI_URL}',  # a form field: text, as its fix writes it
    "36:28: SOR003 [*] size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and "
    f"'720x1280'); use \"1280x720\" (same orientation) {APIYI_URL}",
    '43:67: SOR005 [*] model="Sora-2" is not a known Sora model; did you mean "sora-2"? (known: sora-2, sora-2-pro) '
    f"{APIYI_URL}",
    f'48:71: SOR004 [*] size="1280 x 720" is not a valid size: write it as "1280x720" (WIDTHxHEIGHT) {APIYI_URL}',
    "53:111: SOR001 [*] seconds=12 is not supported by sora-2-pro (Supported values are: '10', '15', and '25'); "
    f"use 10 or 15 {APIYI_URL}",
    "63:94: SOR001 [*] seconds=30 is not supported by sora-2 (the default model) (Supported values are: '4', '8', "
    f"and '12'); use 12 {APIYI_URL}",
]
FIX_RAW_HTTP = [
    ('CLIP = {"model": "sora-2", "prompt": "a lighthouse at dusk", "seconds": 10}',
     'CLIP = {"model": "sora-2", "prompt": "a lighthouse at dusk", "seconds": 12}'),
    ('"prompt": prompt, "seconds": 20})', '"prompt": prompt, "seconds": 25})'),
    ('json.dumps({"prompt": prompt, "seconds": "8"})', 'json.dumps({"prompt": prompt, "seconds": 8})'),
    ('"seconds": (None, "6")', '"seconds": (None, "8")'),
    ('"size": (None, "1792x1024")', '"size": (None, "1280x720")'),
    ('data={"model": "Sora-2"', 'data={"model": "sora-2"'),
    ('"size": "1280 x 720"', '"size": "1280x720"'),
    ('"prompt": prompt, "seconds": 12})', '"prompt": prompt, "seconds": 10})'),
    ('json={"prompt": prompt, "seconds": 30}', 'json={"prompt": prompt, "seconds": 12}'),
]
CHECK_RAW_HTTP_OPENAI = [
    f"12:106: SOR002 [*] {INT_UNDER_OPENAI} {OPENAI_URL}",
    "17:98: SOR003 [*] size=\"1024x1792\" is not supported by sora-2 (the default model) (Supported values are: "
    f"'1280x720' and '720x1280'); use \"720x1280\" (same orientation) {OPENAI_URL}",
    "24:32: SOR001 [*] seconds=\"16\" is not supported by sora-2 (the default model) (Supported values are: '4', "
    f"'8', and '12'); use \"12\" {OPENAI_URL}",
    "30:60: SOR001 [*] seconds=\"10\" (in json=body) is not supported by sora-2-pro (Supported values are: '4', '8', "
    f"and '12'); use \"8\" or \"12\" {OPENAI_URL}",
]
FIX_RAW_HTTP_OPENAI = [
    ('"prompt": prompt, "seconds": 8})', '"prompt": prompt, "seconds": "8"})'),
    ('"seconds": 8, "size": "1024x1792"}', '"seconds": 8, "size": "720x1280"}'),
    ('("seconds", (None, "16"))', '("seconds", (None, "12"))'),
    ('seconds="10", size="1792x1024"', 'seconds="12", size="1792x1024"'),
]
END_TO_END = [
    ("raw_http.py", CHECK_RAW_HTTP, FIX_RAW_HTTP),
    ("raw_http_openai.py", CHECK_RAW_HTTP_OPENAI, FIX_RAW_HTTP_OPENAI),
]


def _replaced(text: str, replacements) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


# The CLI names the call that sends a value reported away from it (issue 18); flake8 has no place for it.
SENT_BY = {("raw_http.py", 0): " (sent by the call at line 15)",
           ("raw_http_openai.py", 3): " (sent by the call at line 31)"}


@pytest.mark.parametrize("name, expected, _fixes", END_TO_END, ids=[e[0] for e in END_TO_END])
def test_cli_check(cli, tmp_path, name, expected, _fixes):
    shutil.copy(FIXTURES / name, tmp_path / name)
    result = cli("check", "--output-format", "concise", name)
    assert result.returncode == 1, result.stderr
    n = len(expected)
    assert lines(result.stdout) == [f"{name}:{line}{SENT_BY.get((name, i), '')}" for i, line in enumerate(expected)] + [
        f"Found {n} errors.", f"[*] {n} fixable with `sora-lint fix`."]


@pytest.mark.parametrize("name, _expected, fixes", END_TO_END, ids=[e[0] for e in END_TO_END])
def test_cli_fix(cli, tmp_path, name, _expected, fixes):
    shutil.copy(FIXTURES / name, tmp_path / name)
    result = cli("fix", name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines(result.stdout) == [f"{len(fixes)} fixes applied in 1 file, 0 findings left."]
    assert (tmp_path / name).read_text() == _replaced((FIXTURES / name).read_text(), fixes)
    assert cli("check", name).stdout == "All checks passed!\n"


@pytest.mark.parametrize("name, expected, _fixes", END_TO_END, ids=[e[0] for e in END_TO_END])
def test_flake8(flake8, tmp_path, name, expected, _fixes):
    shutil.copy(FIXTURES / name, tmp_path / name)
    result = flake8(name)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == [f"{name}:{line.replace(' [*]', '')}" for line in expected]


def test_negatives_end_to_end(cli, flake8, tmp_path):
    name = "raw_http_not_sora.py"
    shutil.copy(FIXTURES / name, tmp_path / name)
    assert might_contain_sora_call((tmp_path / name).read_text())  # parsed, not skipped
    result = cli("check", name)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")
    result = flake8(name)
    assert (result.returncode, result.stdout) == (0, "")


def test_a_body_completed_key_by_key_is_read_per_function():
    # Issue 10: `payload` in another function (a parameter there) does not hide this one, and keys
    # added in straight-line code after the literal count; the finding is where the value is written.
    source = """\
        import requests
        URL = "https://api.apiyi.com/v1/videos"
        def create(prompt):
            payload = {}
            payload["model"] = "sora-2"
            payload["prompt"] = prompt
            payload["size"] = "1792x1024"
            return requests.post(URL, json=payload, timeout=30)
        def retry(payload):
            return requests.post(URL, json=payload)
    """
    assert diags(source) == [
        "7:23 SOR003 size=\"1792x1024\" (in json=payload) is not supported by sora-2 (Supported values are: "
        "'1280x720' and '720x1280'); use \"1280x720\" (same orientation), or model=\"sora-2-pro\" " + APIYI_URL]
    assert fixed(source) == textwrap.dedent(source).replace('"1792x1024"', '"1280x720"')
