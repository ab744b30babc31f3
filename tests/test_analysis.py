"""Analysis v2 (issue 10): what each shape resolves to, seen as a user sees it.

Every case asserts the exact diagnostics (row, column, code, message) and the exact bytes the safe
fixes write; a case that is silent asserts that nothing is reported and nothing is rewritten.
"""
import textwrap
from collections.abc import Sequence

import pytest
from conftest import diags

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes

OPENAI = ' [profile openai: auto: client has no base_url]'
APIYI = " [profile apiyi: auto: base_url api.apiyi.com]"
PORTKEY = (" [profile openai assumed (auto: Portkey client has no base_url (its own gateway), using fallback-profile): "
           'state the contract with profile = "NAME" in [tool.sora-lint]]')
LITELLM_OPENAI = " [profile openai: auto: litellm's openai/ provider has no api_base]"


def assert_fixed(source: str, replacements: Sequence[tuple[str, str]]) -> None:
    """The safe fixes change exactly ``replacements`` (each old text once), and nothing else."""
    source = textwrap.dedent(source)
    expected = source
    for old, new in replacements:
        assert expected.count(old) == 1, old
        expected = expected.replace(old, new)
    assert apply_fixes(source, "t.py", Settings()).source == expected


class TestClientsByQualifiedName:
    def test_alias_import(self):
        # import openai as oa: the client is oa.OpenAI, whatever the alias
        source = """\
        import openai as oa
        client = oa.OpenAI(base_url="https://api.apiyi.com/v1")
        client.videos.create(model="sora-2", prompt="p", seconds=10)
        """
        assert diags(source) == [
            '3:58 SOR001 seconds=10 is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use 8 or 12, or model="sora-2-pro"' + APIYI,
        ]
        assert_fixed(source, [
            ('client.videos.create(model="sora-2", prompt="p", seconds=10)', 'client.videos.create(model="sora-2", '
                                                                             'prompt="p", seconds=12)'),
        ])

    def test_alias_from(self):
        # from openai import AsyncOpenAI as Client, bound by async with
        source = """\
        from openai import AsyncOpenAI as Client
        async def go():
            async with Client() as client:
                await client.videos.create(prompt="p", seconds="10")
        """
        assert diags(source) == [
            '4:56 SOR001 seconds="10" is not supported by sora-2 (the default model) (Supported values are: \'4\', '
            '\'8\', and \'12\'); use "8" or "12"' + OPENAI,
        ]
        assert_fixed(source, [
            ('await client.videos.create(prompt="p", seconds="10")', 'await client.videos.create(prompt="p", '
                                                                     'seconds="12")'),
        ])

    def test_resource(self):
        # videos = OpenAI().videos; videos.create(...)
        source = """\
        from openai import OpenAI
        videos = OpenAI().videos
        videos.create(prompt="p", seconds="5")
        """
        assert diags(source) == [
            '3:35 SOR001 seconds="5" is not supported by sora-2 (the default model) (Supported values are: \'4\', '
            '\'8\', and \'12\'); use "4" or "8"' + OPENAI,
        ]
        assert_fixed(source, [
            ('videos.create(prompt="p", seconds="5")', 'videos.create(prompt="p", seconds="4")'),
        ])

    def test_annotated(self):
        # a parameter annotated with the client class
        source = """\
        from openai import OpenAI
        def go(client: OpenAI):
            return client.videos.with_raw_response.create(prompt="p", seconds="6")
        """
        assert diags(source) == [
            '3:71 SOR001 seconds="6" is not supported by sora-2 (the default model) (Supported values are: \'4\', '
            '\'8\', and \'12\'); use "4" or "8" [profile openai: auto: no client is built in this file]',
        ]
        assert_fixed(source, [
            ('return client.videos.with_raw_response.create(prompt="p", '
             'seconds="6")', 'return client.videos.with_raw_response.create(prompt="p", seconds="8")'),
        ])

    def test_module_level(self):
        # the module-level client: openai.videos.create
        source = """\
        import openai
        openai.videos.create(model="sora-2", prompt="p", seconds="10")
        """
        assert diags(source) == [
            '2:58 SOR001 seconds="10" is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use "8" or "12"' + OPENAI,
        ]
        assert_fixed(source, [
            ('openai.videos.create(model="sora-2", prompt="p", seconds="10")', 'openai.videos.create(model="sora-2", '
                                                                               'prompt="p", seconds="12")'),
        ])

    def test_portkey(self):
        # Portkey's client has the same videos methods; without base_url it talks to Portkey's own gateway,
        # whose contract sora-lint does not know: the fallback profile applies, assumed
        source = """\
        from portkey_ai import Portkey
        portkey = Portkey(api_key="k")
        portkey.videos.extend(video="v", prompt="p", seconds="6")
        portkey.videos.create_and_poll(model="sora-2", prompt="p", size="1024x1792")
        """
        assert diags(source) == [
            '3:54 SOR001 seconds="6" is not an extension length videos.extend supports (Supported values are: \'4\', '
            '\'8\', \'12\', \'16\', and \'20\'); use "4" or "8"' + PORTKEY,
            '4:65 SOR003 size="1024x1792" is not supported by sora-2 (Supported values are: \'1280x720\' and '
            '\'720x1280\'); use "720x1280" (same orientation), or model="sora-2-pro"' + PORTKEY,
        ]
        # The contract is assumed: no safe fix (`fix --unsafe-fixes` applies them).
        assert_fixed(source, [])
        fixed = apply_fixes(textwrap.dedent(source), "t.py", Settings(), unsafe_fixes=True).source
        assert 'seconds="8")' in fixed and 'size="720x1280")' in fixed

    def test_litellm(self):
        # litellm's functions, with the provider prefix stripped before the check (and never rewritten); another
        # provider's model is not Sora; the prefix says the provider, so the profile: openai/ without api_base is the
        # official API, azure/ is Azure
        source = """\
        import litellm
        from litellm import video_generation
        litellm.video_generation(model="openai/sora-2", prompt="p", seconds="10", size="1792x1024")
        video_generation(model="azure/sora2", prompt="p")
        litellm.avideo_generation(model="gemini/veo-3", prompt="p", seconds="10")
        litellm.video_extension(model="openai/sora-2", video_id="v", seconds="7")
        """
        assert diags(source) == [
            '3:69 SOR001 seconds="10" is not supported by sora-2 (Supported values are: \'4\', \'8\', and \'12\'); use '
            '"8" or "12"' + LITELLM_OPENAI,
            '3:80 SOR003 size="1792x1024" is not supported by sora-2 (Supported values are: \'1280x720\' and '
            '\'720x1280\'); use "1280x720" (same orientation)' + LITELLM_OPENAI,
            '4:24 SOR005 model="azure/sora2" is not a known Sora model; did you mean "sora-2"? (known: sora-2, '
            'sora-2-pro) (not fixed automatically: the model carries the provider prefix azure/) [profile openai: '
            'auto: Azure OpenAI client]',
            '6:70 SOR001 seconds="7" is not an extension length videos.extend supports (Supported values are: \'4\', '
            '\'8\', \'12\', \'16\', and \'20\'); use "4" or "8"' + LITELLM_OPENAI,
        ]
        assert_fixed(source, [
            ('litellm.video_generation(model="openai/sora-2", prompt="p", seconds="10", '
             'size="1792x1024")', 'litellm.video_generation(model="openai/sora-2", prompt="p", seconds="12", '
                                  'size="1280x720")'),
            ('litellm.video_extension(model="openai/sora-2", video_id="v", '
             'seconds="7")', 'litellm.video_extension(model="openai/sora-2", video_id="v", seconds="8")'),
        ])

    def test_http_self_and_annotation(self):
        # a session held on self, and a parameter annotated aiohttp.ClientSession
        source = """\
        import aiohttp
        import requests
        URL = "https://api.apiyi.com/v1/videos"
        class Poster:
            def __init__(self):
                self.session = requests.Session()
            def post(self):
                return self.session.post(URL, json={"prompt": "p", "seconds": 10})
        async def send(session: aiohttp.ClientSession):
            return await session.post(URL, json={"prompt": "p", "seconds": 5})
        """
        assert diags(source) == [
            "8:71 SOR001 seconds=10 is not supported by sora-2 (the default model) (Supported values are: '4', '8', "
            "and '12'); use 8 or 12 [profile apiyi: auto: request URL api.apiyi.com]",
            "10:68 SOR001 seconds=5 is not supported by sora-2 (the default model) (Supported values are: '4', '8', "
            "and '12'); use 4 or 8 [profile apiyi: auto: request URL api.apiyi.com]",
        ]
        assert_fixed(source, [
            ('return self.session.post(URL, json={"prompt": "p", "seconds": '
             '10})', 'return self.session.post(URL, json={"prompt": "p", "seconds": 12})'),
            ('return await session.post(URL, json={"prompt": "p", "seconds": '
             '5})', 'return await session.post(URL, json={"prompt": "p", "seconds": 4})'),
        ])


class TestNotSora:
    def test_langchain(self):
        # LangChain's OpenAI is not a client: the APIYI client decides the profile, and seconds=15 on sora-2-pro is
        # valid there
        source = """\
        from langchain_openai import OpenAI
        from openai import OpenAI as SDKClient
        llm = OpenAI(temperature=0.2)
        client = SDKClient(base_url="https://api.apiyi.com/v1")
        def make(prompt):
            params = {"model": "sora-2-pro", "prompt": prompt, "seconds": 15}
            return client.videos.create(**params)
        def other(params):
            return params
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_django(self):
        # a reverse manager in a file that imports openai
        source = """\
        import openai
        def attach(project, video):
            project.videos.create(openai_id=video.id, seconds=8, size="1920x1080")
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_gemini(self):
        # Gemini's OpenAI-compatible endpoint and its veo models
        source = """\
        from openai import OpenAI
        import requests
        gemini = OpenAI(base_url="https://generativelanguage.googleapis.com/v1beta/openai/")
        gemini.videos.create(model="veo-3.0-generate-preview", prompt="p", seconds=10, size="1920x1080")
        requests.post("https://generativelanguage.googleapis.com/v1beta/openai/videos", json={"model": "veo-3.0", \
"prompt": "p", "seconds": 10})
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_list_extend(self):
        # list.extend on a variable called videos
        source = """\
        import openai
        client = openai.OpenAI()
        videos = []
        videos.extend(["a.mp4"])
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_lookalike(self):
        # receivers that trace to nothing, with arguments that say nothing about Sora
        source = """\
        import openai
        client = openai.OpenAI()
        def upload(youtube, channel):
            youtube.videos.create(model="lite", seconds=10, size="4k")
            channel.videos.create(title="x", seconds=10)
        """
        assert diags(source) == []
        assert_fixed(source, [])


class TestBindings:
    def test_params_per_function(self):
        # a parameter called params in another function does not hide this one
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def first():
            params = {"model": "sora-2", "prompt": "p", "seconds": "10"}
            return client.videos.create(**params)
        def second(params):
            return len(params)
        """
        assert diags(source) == [
            '4:60 SOR001 seconds="10" (in **params) is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use "8" or "12"' + OPENAI,
        ]
        assert_fixed(source, [
            ('params = {"model": "sora-2", "prompt": "p", "seconds": '
             '"10"}', 'params = {"model": "sora-2", "prompt": "p", "seconds": "12"}'),
        ])

    def test_rebinding(self):
        # a name bound in two branches is unknown
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(flag):
            seconds = "10"
            if flag:
                seconds = "8"
            return client.videos.create(prompt="p", seconds=seconds)
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_mutation(self):
        # a dict changed through a call is unknown
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(extra):
            params = {"prompt": "p", "seconds": "10"}
            params.update(extra)
            return client.videos.create(**params)
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_global_rebinding(self):
        # a function that rebinds the constant through global makes it unknown
        source = """\
        from openai import OpenAI
        client = OpenAI()
        DURATION = "10"
        def reset():
            global DURATION
            DURATION = "8"
        def go():
            return client.videos.create(prompt="p", seconds=DURATION)
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_shared_fix_blocked(self):
        # a binding with another reader is reported, not rewritten
        source = """\
        from openai import OpenAI
        client = OpenAI()
        SECONDS = "10"
        def go():
            return client.videos.create(prompt="p", seconds=SECONDS)
        def log():
            print(SECONDS)
        """
        assert diags(source) == [
            '5:53 SOR001 seconds=SECONDS (= "10") is not supported by sora-2 (the default model) (Supported values '
            'are: \'4\', \'8\', and \'12\'); use "8" or "12" (not fixed automatically: SECONDS is used elsewhere '
            'too)' + OPENAI,
        ]
        assert_fixed(source, [])

    def test_completed(self):
        # a dict completed key by key in straight-line code: the finding and the fix are at the added value
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(image):
            params = {"model": "sora-2", "prompt": "p", "seconds": "8"}
            params["input_reference"] = ("ref.png", image, "image/png")
            params["size"] = "1792x1024"
            return client.videos.create(**params)
        """
        assert diags(source) == [
            '6:22 SOR003 size="1792x1024" (in **params) is not supported by sora-2 (Supported values are: \'1280x720\' '
            'and \'720x1280\'); use "1280x720" (same orientation), or model="sora-2-pro"' + OPENAI,
        ]
        assert_fixed(source, [
            ('params["size"] = "1792x1024"', 'params["size"] = "1280x720"'),
        ])

    def test_completed_in_branch(self):
        # a key added in a branch is one possibility (issue 18): checked where it is written, never
        # rewritten (the literal has two paths to the call); before issue 18 this call was skipped
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(hd):
            params = {"model": "sora-2", "prompt": "p", "seconds": "8"}
            if hd:
                params["size"] = "1792x1024"
            return client.videos.create(**params)
        """
        assert diags(source, profile="openai") == [
            "6:26 SOR003 size=\"1792x1024\" (in **params) is not supported by sora-2 (Supported values are: "
            "'1280x720' and '720x1280'); use \"1280x720\" (same orientation), or model=\"sora-2-pro\" "
            "(not fixed automatically: params['size'] is also written in a branch) [profile openai: pinned]"]
        assert_fixed(source, [])


class TestValues:
    def test_merges(self):
        # {**BASE, ...}, dict(BASE, ...) and {**A, **B}
        source = """\
        from openai import OpenAI
        client = OpenAI()
        BASE = {"model": "sora-2", "prompt": "p"}
        EXTRA = {"size": "1280*720"}
        client.videos.create(**{**BASE, "seconds": "10"})
        client.videos.create(**dict(BASE, seconds="6"))
        client.videos.create(**{**BASE, **EXTRA})
        """
        assert diags(source) == [
            '4:18 SOR004 size="1280*720" is not a valid size: write it as "1280x720" (WIDTHxHEIGHT)' + OPENAI,
            '5:44 SOR001 seconds="10" is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use "8" or "12"' + OPENAI,
            '6:43 SOR001 seconds="6" is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use "4" or "8"' + OPENAI,
        ]
        assert_fixed(source, [
            ('EXTRA = {"size": "1280*720"}', 'EXTRA = {"size": "1280x720"}'),
            ('client.videos.create(**{**BASE, "seconds": "10"})', 'client.videos.create(**{**BASE, "seconds": "12"})'),
            ('client.videos.create(**dict(BASE, seconds="6"))', 'client.videos.create(**dict(BASE, seconds="8"))'),
        ])

    def test_presets(self):
        # a table of presets looked up with a literal key
        source = """\
        from openai import OpenAI
        client = OpenAI()
        PRESETS = {"teaser": {"model": "sora-2", "seconds": "10"}}
        client.videos.create(prompt="p", **PRESETS["teaser"])
        """
        assert diags(source) == [
            '3:53 SOR001 seconds="10" (in **PRESETS["teaser"]) is not supported by sora-2 (Supported values are: '
            '\'4\', \'8\', and \'12\'); use "8" or "12"' + OPENAI,
        ]
        assert_fixed(source, [
            ('PRESETS = {"teaser": {"model": "sora-2", "seconds": '
             '"10"}}', 'PRESETS = {"teaser": {"model": "sora-2", "seconds": "12"}}'),
        ])

    def test_preset_value(self):
        # a value looked up in a table, key by key
        source = """\
        from openai import OpenAI
        client = OpenAI()
        PRESETS = {"hero": {"seconds": "16"}}
        client.videos.create(prompt="p", seconds=PRESETS["hero"]["seconds"])
        """
        assert diags(source) == [
            '4:42 SOR001 seconds=PRESETS["hero"]["seconds"] (= "16") is not supported by sora-2 (the default model) '
            '(Supported values are: \'4\', \'8\', and \'12\'); use "12"' + OPENAI,
        ]
        assert_fixed(source, [
            ('PRESETS = {"hero": {"seconds": "16"}}', 'PRESETS = {"hero": {"seconds": "12"}}'),
        ])

    def test_sizes(self):
        # sizes built from known parts: reported, never rewritten (there is no one literal to fix)
        source = """\
        from openai import OpenAI
        client = OpenAI()
        W, H = 1792, 1024
        client.videos.create(prompt="p", size=f"{W}x{H}")
        client.videos.create(prompt="p", size="%dx%d" % (W, H))
        """
        assert diags(source) == [
            '4:39 SOR003 size=f"{W}x{H}" (= "1792x1024") is not supported by sora-2 (the default model) (Supported '
            'values are: \'1280x720\' and \'720x1280\'); use "1280x720" (same orientation), '
            'or model="sora-2-pro"' + OPENAI,
            '5:39 SOR003 size="%dx%d" % (W, H) (= "1792x1024") is not supported by sora-2 (the default model) '
            '(Supported values are: \'1280x720\' and \'720x1280\'); use "1280x720" (same orientation), '
            'or model="sora-2-pro"' + OPENAI,
        ]
        assert_fixed(source, [])

    def test_conversions(self):
        # str() and int() of a known value: the converted value is checked; the literal is not rewritten through the
        # call
        source = """\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        DURATION = 10
        client.videos.create(prompt="p", seconds=str(DURATION))
        client.videos.create(prompt="p", seconds=int("5"))
        """
        # No switch to sora-2-pro: it would leave str(10), a string where apiyi wants an int, and the value
        # cannot be rewritten.
        assert diags(source) == [
            '4:42 SOR001 seconds=str(DURATION) (= "10") is not supported by sora-2 (the default model) (Supported '
            'values are: \'4\', \'8\', and \'12\'); use 8 or 12 (not fixed automatically: the '
            'value goes through str())' + APIYI,
            '5:42 SOR001 seconds=int("5") (= 5) is not supported by sora-2 (the default model) (Supported values are: '
            '\'4\', \'8\', and \'12\'); use 4 or 8 (not fixed automatically: the value goes through int())' + APIYI,
        ]
        assert_fixed(source, [])

    def test_conditional(self):
        # each branch of a conditional is checked, and the finding points at the branch
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(hd):
            return client.videos.create(prompt="p", seconds="12" if hd else "10")
        """
        assert diags(source) == [
            '4:69 SOR001 seconds="10" is not supported by sora-2 (the default model) (Supported values are: \'4\', '
            '\'8\', and \'12\'); use "8" or "12"' + OPENAI,
        ]
        assert_fixed(source, [
            ('return client.videos.create(prompt="p", seconds="12" if hd else '
             '"10")', 'return client.videos.create(prompt="p", seconds="12" if hd else "12")'),
        ])

    def test_conditional_correlated(self):
        # conditionals on the same test take the same branch: (sora-2-pro, 1792x1024) and (sora-2, 1280x720) are both
        # valid
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(hd):
            return client.videos.create(model="sora-2-pro" if hd else "sora-2", size="1792x1024" if hd else "1280x720")
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_conditional_independent(self):
        # conditionals on different tests are not combined: they are skipped rather than paired in ways the code may
        # never run
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(hd, pro):
            return client.videos.create(model="sora-2-pro" if pro else "sora-2", size="1792x1024" if hd else "1280x720")
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_class_attrs(self):
        # class attributes, dataclass and NamedTuple defaults, Enum members (never rewritten), through self.X and
        # Class.X
        source = """\
        from dataclasses import dataclass
        from enum import Enum
        from typing import NamedTuple
        from openai import OpenAI


        class Quality(Enum):
            HD = "1792x1024"


        @dataclass
        class Job:
            seconds: str = "5"


        class Shot(NamedTuple):
            size: str = "1280*720"


        class Studio:
            MODEL = "sora2"

            def __init__(self):
                self.client = OpenAI()

            def go(self):
                self.client.videos.create(model=self.MODEL, prompt="p", seconds=Job.seconds)
                self.client.videos.create(prompt="p", size=Shot.size)
                return self.client.videos.create(prompt="p", size=Quality.HD.value)
        """
        assert diags(source) == [
            '27:41 SOR005 model=self.MODEL (= "sora2") is not a known Sora model; did you mean "sora-2"? (known: '
            'sora-2, sora-2-pro)' + OPENAI,
            # Checked as the model the typo's fix writes, on the first run (its fix is unsafe until then).
            '27:73 SOR001 seconds=Job.seconds (= "5") is not supported by sora-2 (taken for model="sora2") '
            '(Supported values are: \'4\', \'8\', and \'12\'); use "4" or "8"' + OPENAI,
            '28:52 SOR004 size=Shot.size (= "1280*720") is not a valid size: write it as "1280x720" '
            '(WIDTHxHEIGHT)' + OPENAI,
            '29:59 SOR003 size=Quality.HD.value (= "1792x1024") is not supported by sora-2 (the default model) '
            '(Supported values are: \'1280x720\' and \'720x1280\'); use "1280x720" (same orientation), '
            'or model="sora-2-pro" (not fixed automatically: Quality.HD is an Enum member)' + OPENAI,
        ]
        assert_fixed(source, [
            ('seconds: str = "5"', 'seconds: str = "4"'),
            ('size: str = "1280*720"', 'size: str = "1280x720"'),
            ('MODEL = "sora2"', 'MODEL = "sora-2"'),
        ])

    def test_through_parameters(self):
        # a parameter passed straight on: its default and every literal the module's calls pass are checked where
        # written
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def make(prompt, seconds="10"):
            return client.videos.create(model="sora-2", prompt=prompt, seconds=seconds)
        make("a")
        make("b", seconds="5")
        make("c", "8")
        """
        assert diags(source) == [
            '3:26 SOR001 seconds="10" is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use "8" or "12"' + OPENAI,
            '6:19 SOR001 seconds="5" is not supported by sora-2 (Supported values are: \'4\', \'8\', '
            'and \'12\'); use "4" or "8"' + OPENAI,
        ]
        assert_fixed(source, [
            ('def make(prompt, seconds="10"):', 'def make(prompt, seconds="12"):'),
            ('make("b", seconds="5")', 'make("b", seconds="4")'),
        ])


class TestFixesNeverBreakAValidCall:
    def test_a_default_sent_with_other_parameters_is_reported_but_not_rewritten(self):
        # make("a", model="sora-2-pro") sends seconds=10, valid on sora-2-pro under APIYI: rewriting the
        # default for the defaults' combination (sora-2) would break that call.
        source = """\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        def make(prompt, seconds=10, model="sora-2"):
            return client.videos.create(model=model, prompt=prompt, seconds=seconds)
        make("a", model="sora-2-pro")
        """
        assert diags(source) == [
            "3:26 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 or 12 "
            "(not fixed automatically: the default is sent with other values of the function's other "
            "parameters)" + APIYI,
        ]
        assert_fixed(source, [])

    def test_a_key_written_after_a_nested_function_reads_the_dict_is_unknown(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def outer():
            params = {"model": "sora-2", "seconds": "10"}
            def go():
                return client.videos.create(**params)
            params["seconds"] = "8"
            return go
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_a_key_written_after_the_call_in_the_same_function_does_not_count(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go():
            params = {"model": "sora-2", "seconds": "10"}
            video = client.videos.create(**params)
            params["seconds"] = "8"
            return video
        """
        assert diags(source) == [
            "4:45 SOR001 seconds=\"10\" (in **params) is not supported by sora-2 (Supported values are: '4', '8', "
            "and '12'); use \"8\" or \"12\"" + OPENAI,
        ]
        assert_fixed(source, [('"seconds": "10"}', '"seconds": "12"}')])

    def test_self_attribute_a_subclass_overrides_is_unknown(self):
        source = """\
        from openai import OpenAI
        class Base:
            MODEL = "sora2"
            def __init__(self):
                self.client = OpenAI()
            def go(self):
                return self.client.videos.create(model=self.MODEL, prompt="p")
        class Pro(Base):
            MODEL = "sora-2-pro"
        """
        assert diags(source) == []
        assert_fixed(source, [])

    def test_an_attribute_stored_on_an_instance_is_unknown(self):
        source = """\
        from openai import OpenAI
        class Job:
            SECONDS = "10"
            def __init__(self):
                self.client = OpenAI()
            def go(self):
                return self.client.videos.create(prompt="p", seconds=self.SECONDS)
        job = Job()
        job.SECONDS = "8"
        """
        assert diags(source) == []
        assert_fixed(source, [])


class TestAnnotatedReceivers:
    @pytest.mark.parametrize("annotation", [
        "OpenAI", '"OpenAI"', "Optional[OpenAI]", "OpenAI | None", "openai.OpenAI", "Optional['OpenAI']",
    ])
    def test_a_parameter_annotated_with_a_client_is_a_client(self, annotation):
        source = (f"import openai\nfrom openai import OpenAI\nfrom typing import Optional\n"
                  f"def go(client: {annotation}):\n    return client.videos.create(prompt=\"p\", seconds=\"6\")\n")
        assert diags(source) == [
            '5:53 SOR001 seconds="6" is not supported by sora-2 (the default model) (Supported values are: '
            "'4', '8', and '12'); use \"4\" or \"8\" [profile openai: auto: no client is built in this file]"]

    @pytest.mark.parametrize("annotation", ["Client", "Optional[Client]", "List[OpenAI]", '"my.OpenAI"'])
    def test_other_annotations_are_not(self, annotation):
        source = (f"from openai import OpenAI\nfrom typing import List, Optional\nfrom mylib import Client\n"
                  f"def go(client: {annotation}):\n    return client.videos.create(prompt=\"p\", seconds=\"6\")\n")
        assert diags(source) == []


class TestNonlocal:
    def test_a_name_an_inner_function_rebinds_through_nonlocal_is_unknown(self):
        # The outer binding comes after the inner function in the source: it is still the one rebound.
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def outer():
            def shorter():
                nonlocal seconds
                seconds = "8"
            seconds = "10"
            shorter()
            return client.videos.create(prompt="p", seconds=seconds)
        """
        assert diags(source) == []
        assert_fixed(source, [])


class TestEndToEnd:
    """The CLI as a process, on the issue's own report: valid APIYI code next to LangChain's OpenAI."""

    APP = textwrap.dedent('''\
        from langchain_openai import OpenAI
        from openai import OpenAI as SDKClient

        llm = OpenAI(temperature=0.2)
        client = SDKClient(base_url="https://api.apiyi.com/v1")


        def render(prompt, image):
            params = {"model": "sora-2-pro", "prompt": prompt, "seconds": 15}
            params["input_reference"] = ("ref.png", image, "image/png")
            return client.videos.create(**params)


        def summarize(params):
            return llm.invoke(str(params))
    ''')

    def test_valid_code_is_clean_and_fix_leaves_it_byte_identical(self, cli, tmp_path):
        path = tmp_path / "app.py"
        path.write_bytes(self.APP.encode())
        assert cli("check", "app.py").stdout == "All checks passed!\n"
        result = cli("fix", "app.py")
        assert result.returncode == 0, result.stdout + result.stderr
        assert path.read_bytes() == self.APP.encode()

    def test_an_invalid_value_in_the_same_code_is_fixed_where_it_is_written(self, cli, tmp_path):
        path = tmp_path / "app.py"
        path.write_text(self.APP.replace('"seconds": 15}', '"seconds": 20}'))
        result = cli("check", "--output-format", "concise", "app.py")
        assert result.stdout.splitlines()[0] == (
            "app.py:9:67: SOR001 [*] seconds=20 (in **params) is not supported by sora-2-pro (Supported values are: "
            "'10', '15', and '25'); use 15 or 25 [profile apiyi: auto: base_url api.apiyi.com] "
            "(sent by the call at line 11)")
        assert cli("fix", "app.py").returncode == 0
        assert path.read_text() == self.APP.replace('"seconds": 15}', '"seconds": 25}')


class TestConditionalThroughAName:
    def test_each_branch_of_a_conditional_bound_to_a_name_is_checked_at_the_branch(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(hd):
            seconds = "12" if hd else "10"
            return client.videos.create(prompt="p", seconds=seconds)
        """
        assert diags(source) == [
            '4:31 SOR001 seconds=seconds (= "10") is not supported by sora-2 (the default model) (Supported values '
            "are: '4', '8', and '12'); use \"8\" or \"12\"" + OPENAI,
        ]
        assert_fixed(source, [('seconds = "12" if hd else "10"', 'seconds = "12" if hd else "12"')])

    def test_a_conditional_name_read_twice_is_reported_but_not_rewritten(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(hd):
            seconds = "12" if hd else "10"
            print(seconds)
            return client.videos.create(prompt="p", seconds=seconds)
        """
        assert diags(source) == [
            '4:31 SOR001 seconds=seconds (= "10") is not supported by sora-2 (the default model) (Supported values '
            "are: '4', '8', and '12'); use \"8\" or \"12\" (not fixed automatically: seconds is used elsewhere "
            "too)" + OPENAI,
        ]
        assert_fixed(source, [])


class TestRecordsForTheRules:
    """What facts.Resolved tells the rules about a value that came through a dict (issue 12 words the messages)."""

    def test_a_value_through_a_dict_is_anchored_at_the_value_and_names_its_key(self):
        import libcst as cst

        from sora_lint.analysis.find import find

        source = ('from openai import OpenAI\nimport requests\nclient = OpenAI()\n'
                  'params = {"model": "sora-2", "seconds": "10"}\nclient.videos.create(prompt="p", **params)\n'
                  'requests.post("https://api.openai.com/v1/videos", json={"prompt": "p", "size": "1280*720"})\n')
        module = cst.parse_module(source)
        sdk, http = find(module).calls
        seconds, size = sdk.args["seconds"], http.args["size"]
        assert (seconds.key, seconds.via, module.code_for_node(seconds.anchor)) == ("seconds", "**params", '"10"')
        assert seconds.anchor is seconds.literal  # the value node in the dict, not the dict or the name
        assert (size.key, size.via, module.code_for_node(size.anchor)) == ("size", None, '"1280*720"')
        assert sdk.args["model"].key == "model" and sdk.args["model"].value == "sora-2"


class TestReceiversBoundInBranches:
    @pytest.mark.parametrize("binding", [
        "try:\n    client = OpenAI()\nexcept ImportError:\n    client = None\n",
        "client = OpenAI() if KEY else None\n",
        "if KEY:\n    client = OpenAI()\nelse:\n    client = AsyncOpenAI()\n",
    ])
    def test_a_client_in_every_branch_that_is_not_none_is_a_client(self, binding):
        source = f"from openai import AsyncOpenAI, OpenAI\n{binding}client.videos.create(prompt=\"p\", seconds=\"6\")\n"
        row = source.count("\n")
        assert diags(source) == [
            f'{row}:42 SOR001 seconds="6" is not supported by sora-2 (the default model) (Supported values are: '
            "'4', '8', and '12'); use \"4\" or \"8\"" + OPENAI]

    @pytest.mark.parametrize("binding", [
        "try:\n    client = OpenAI()\nexcept ImportError:\n    client = make_client()\n",
        "client = OpenAI() if KEY else project\n",
        "client = None\n",
    ])
    def test_a_branch_that_may_be_something_else_is_not(self, binding):
        source = f"from openai import OpenAI\n{binding}client.videos.create(prompt=\"p\", seconds=\"6\")\n"
        assert diags(source) == []


class TestModuleLevelClient:
    def test_the_base_url_set_on_the_module_steers_the_profile(self):
        source = """\
        import openai
        openai.base_url = "https://api.apiyi.com/v1"
        openai.videos.create(model="sora-2-pro", prompt="p", seconds=15)
        openai.videos.create(model="sora-2", prompt="p", seconds=10)
        """
        assert diags(source) == [
            "4:58 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 or "
            '12, or model="sora-2-pro"' + APIYI,
        ]
        assert_fixed(source, [('prompt="p", seconds=10)', 'prompt="p", seconds=12)')])


class TestLoopsAndStaticMethods:
    def test_a_static_methods_first_parameter_is_not_the_instance(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        class Job:
            SECONDS = "10"
            @staticmethod
            def go(other):
                return client.videos.create(prompt="p", seconds=other.SECONDS)
        """
        assert diags(source) == []

    def test_a_key_written_in_a_loop_after_the_call_is_unknown(self):
        # The second time round the loop, the call sends what the loop wrote.
        source = """\
        from openai import OpenAI
        client = OpenAI()
        def go(clips):
            params = {"model": "sora-2", "seconds": "5"}
            for clip in clips:
                client.videos.create(prompt=clip, **params)
                params["seconds"] = "8"
        """
        assert diags(source) == []
        assert_fixed(source, [])


class TestDerivedClients:
    def test_a_client_derived_with_options_is_a_client(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        client.with_options(timeout=600).videos.create(prompt="p", seconds="6")
        """
        assert diags(source) == [
            '3:68 SOR001 seconds="6" is not supported by sora-2 (the default model) (Supported values are: '
            "'4', '8', and '12'); use \"4\" or \"8\"" + OPENAI]
