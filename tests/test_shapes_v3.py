"""Analysis v3, part 2 (issue 19): Sora calls and requests in the forms real code writes them.

Each case asserts the exact diagnostics (row:column, code, message) and, for fixes, the exact bytes;
the negatives assert that nothing is reported.
"""
from conftest import diags, fixed

from sora_lint.contracts.catalog import OPENAI as OPENAI_PROFILE
from sora_lint.contracts.catalog import profile_from_table

OPENAI = " [profile openai: auto: client has no base_url]"
SECONDS_10 = ("seconds=\"10\" is not supported by sora-2 (the default model) (Supported values are: '4', '8', "
              "and '12'); use \"8\" or \"12\"" + OPENAI)
TYPE_ERROR = "is not a keyword of videos.create: the SDK raises TypeError"
EXTRA_BODY = " (a gateway's own parameter goes in extra_body={...})"


class TestOptionalImports:
    def test_try_import_with_a_none_fallback_is_still_the_client(self):
        source = """\
        try:
            from openai import OpenAI
        except ImportError:  # an optional dependency
            OpenAI = None
        client = OpenAI(api_key="k")
        client.videos.create(prompt="p", seconds="10")
        """
        assert diags(source) == ["6:42 SOR001 " + SECONDS_10]

    def test_every_client_class_and_portkey(self):
        source = """\
        try:
            from openai import AsyncOpenAI, AzureOpenAI
            from portkey_ai import Portkey
        except ImportError:
            AsyncOpenAI = AzureOpenAI = None
            Portkey = None
        async def go():
            await AsyncOpenAI().videos.create(prompt="p", seconds="10")
        Portkey(api_key="k").videos.create(prompt="p", duration=8)
        """
        assert diags(source) == [
            "8:59 SOR001 " + SECONDS_10,
            f"9:57 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY} [profile openai assumed (auto: "
            "Portkey client has no base_url (its own gateway), using fallback-profile): state the contract with "
            "profile = \"NAME\" in [tool.sora-lint]]",
        ]

    def test_a_module_import_with_a_none_fallback(self):
        source = """\
        try:
            import openai
        except ImportError:
            openai = None
        openai.OpenAI().videos.create(prompt="p", seconds="10")
        """
        assert diags(source) == ["5:51 SOR001 " + SECONDS_10]

    def test_import_inside_a_function(self):
        source = """\
        def render(prompt):
            import openai
            client = openai.OpenAI()
            return client.videos.create(prompt=prompt, seconds="10")
        """
        assert diags(source) == ["4:56 SOR001 " + SECONDS_10]

    def test_none_alone_is_not_a_client(self):
        # `OpenAI = None` with no import: nothing says which class the name is.
        source = """\
        OpenAI = None
        client = OpenAI(api_key="k")
        client.videos.create(prompt="p", seconds="10", duration=8)
        """
        assert diags(source) == []

    def test_two_different_imports_are_not_one(self):
        source = """\
        try:
            from openai import OpenAI
        except ImportError:
            from vimeo_sdk import OpenAI
        OpenAI().videos.create(prompt="p", title="t", duration=8)
        """
        assert diags(source) == []


class TestUnknownParameters:
    def test_the_issue_s_call(self):
        source = """\
        from openai import OpenAI
        client = OpenAI(api_key="k")
        client.videos.create(model="sora-1.0", prompt="p", duration=8, resolution="1920x1080")
        """
        assert diags(source) == [
            '3:28 SOR005 model="sora-1.0" is not a model of the official OpenAI API (known: sora-2, sora-2-pro)'
            + OPENAI,
            f"3:61 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}",
            f'3:75 SOR008 resolution="1920x1080" {TYPE_ERROR}; did you mean size?{EXTRA_BODY}{OPENAI}',
        ]
        assert fixed(source, unsafe=True) == source.replace("    ", "")  # nothing maps one to one here

    def test_one_to_one_renames_are_unsafe_and_write_the_contract_s_type(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        client.videos.create(model="sora-2", prompt="p", duration=8, resolution="1280x720")
        """
        assert diags(source) == [
            f"3:59 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}",
            f'3:73 SOR008 resolution="1280x720" {TYPE_ERROR}; did you mean size?{EXTRA_BODY}{OPENAI}',
        ]
        assert fixed(source) == fixed(source, unsafe=False)
        assert "duration=8" in fixed(source)  # no safe fix
        assert fixed(source, unsafe=True) == (
            'from openai import OpenAI\nclient = OpenAI()\n'
            'client.videos.create(model="sora-2", prompt="p", seconds="8", size="1280x720")\n')

    def test_int_contract_keeps_an_int(self):
        source = """\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        client.videos.create(model="sora-2-pro", prompt="p", n_seconds="15")
        """
        assert diags(source) == [
            f'3:64 SOR008 n_seconds="15" {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}'
            " [profile apiyi: auto: base_url api.apiyi.com]",
        ]
        assert fixed(source, unsafe=True).endswith('client.videos.create(model="sora-2-pro", prompt="p", seconds=15)\n')

    def test_no_rename_when_the_value_is_not_one_the_model_takes(self):
        source = """\
        from openai import OpenAI
        OpenAI().videos.create(model="sora-2", prompt="p", duration=10)
        """
        assert diags(source) == [f"2:61 SOR008 duration=10 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}"]
        assert fixed(source, unsafe=True).endswith("duration=10)\n")

    def test_no_rename_when_the_sdk_name_is_given_too(self):
        source = """\
        from openai import OpenAI
        OpenAI().videos.create(model="sora-2", prompt="p", seconds="8", duration=8)
        """
        assert diags(source) == [f"2:74 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}"]
        assert fixed(source, unsafe=True).endswith('seconds="8", duration=8)\n')

    def test_portkey_s_extend_drops_it(self):
        source = """\
        from portkey_ai import Portkey
        Portkey(api_key="k").videos.extend(video="v", prompt="p", seconds="8", length=8)
        """
        assert diags(source) == [
            "2:79 SOR008 length=8 is not a keyword of videos.extend: Portkey's SDK drops it unsent; did you mean "
            f"seconds?{EXTRA_BODY} [profile openai assumed (auto: Portkey client has no base_url (its own gateway), "
            "using fallback-profile): state the contract with profile = \"NAME\" in [tool.sora-lint]]"]

    def test_a_keyword_without_a_known_counterpart(self):
        source = """\
        from openai import OpenAI
        OpenAI().videos.create(model="sora-2", prompt="p", fps=24)
        """
        assert diags(source) == [f"2:56 SOR008 fps=24 {TYPE_ERROR}{EXTRA_BODY}{OPENAI}"]

    def test_a_key_of_an_unpacked_mapping(self):
        source = """\
        from openai import OpenAI
        params = {"model": "sora-2", "prompt": "p", "duration": 8}
        OpenAI().videos.create(**params)
        """
        assert diags(source) == [
            f"2:57 SOR008 duration=8 (in **params) {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}"]
        assert fixed(source, unsafe=True) == source.replace("    ", "")  # a key is never renamed

    def test_extra_body_is_the_way_out(self):
        source = """\
        from openai import OpenAI
        OpenAI().videos.create(model="sora-2", prompt="p", seconds="8", extra_body={"duration": 8, "fps": 24})
        """
        assert diags(source) == []

    def test_untraced_look_alike_is_never_reported(self):
        source = """\
        import openai
        project.videos.create(title="t", duration=8, model="sora-2")
        """
        assert diags(source) == []

    def test_litellm_misnomer_and_a_gateway_that_documents_it(self):
        source = """\
        import litellm
        litellm.video_generation(model="openai/sora-2", prompt="p", seconds="8", duration=8, api_key="k")
        """
        assert diags(source) == [
            "2:83 SOR008 duration=8 is not a parameter of the Sora API; did you mean seconds?"
            " [profile openai: auto: litellm's openai/ provider has no api_base]"]
        # A contract that documents `duration` (the catalog's `parameters`): litellm forwards it, so it is right.
        assert diags(source, profile="gw", user_profiles={"gw": GATEWAY}) == []

    def test_the_sdk_still_raises_on_a_keyword_the_gateway_documents(self):
        source = """\
        from openai import OpenAI
        OpenAI(base_url="https://gw.example.com/v1").videos.create(model="sora-2", prompt="p", duration=8)
        """
        assert diags(source, profile="gw", user_profiles={"gw": GATEWAY}) == [
            f"2:97 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds? (profile gw documents duration: send it "
            "in extra_body={...}) [profile gw: pinned]"]


GATEWAY = profile_from_table("gw", {"parameters": ["duration"]}, OPENAI_PROFILE)


URL_OPENAI = " [profile openai: auto: request URL api.openai.com]"


class TestRawHttp:
    def test_form_fields_in_data_and_files(self):
        source = """\
        import httpx, requests
        BASE = "https://api.openai.com"
        def go(f):
            httpx.AsyncClient().post(BASE + "/v1/videos", data={"model": "sora-2", "seconds": "5"},
                                     files={"input_reference": f})
            requests.post(f"{BASE}/v1/videos", files={"model": (None, "sora-2"), "size": (None, "1080x1920")})
        """
        assert diags(source) == [
            "4:87 SOR001 seconds=\"5\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            "use \"4\" or \"8\"" + URL_OPENAI,
            "6:89 SOR003 size=\"1080x1920\" is not supported by sora-2 (Supported values are: '1280x720' and "
            "'720x1280'); use \"720x1280\" (same orientation)" + URL_OPENAI,
        ]

    def test_content_json_dumps_and_urljoin(self):
        source = """\
        import json
        from urllib.parse import urljoin
        import httpx
        BASE = "https://api.openai.com/v1/"
        httpx.post(urljoin(BASE, "videos"), content=json.dumps({"model": "sora-2", "prompt": "p", "seconds": "5"}))
        """
        assert diags(source) == [
            "5:102 SOR001 seconds=\"5\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            "use \"4\" or \"8\"" + URL_OPENAI,
        ]
        assert fixed(source).endswith('"seconds": "4"}))\n')

    def test_urllib_request_with_an_encoded_json_body(self):
        source = """\
        import json
        import urllib.request
        URL = "https://api.apiyi.com/v1/videos"
        payload = {"model": "sora-2", "prompt": "p", "seconds": 10}
        req = urllib.request.Request(URL, data=json.dumps(payload).encode(), method="POST")
        urllib.request.urlopen(req)
        """
        assert diags(source) == [
            "4:57 SOR001 seconds=10 (in data=json.dumps(payload)) is not supported by sora-2 (Supported values "
            "are: '4', '8', and '12'); use 8 or 12, or model=\"sora-2-pro\" [profile apiyi: auto: request URL "
            "api.apiyi.com]",
        ]

    def test_urllib_get_is_not_a_create(self):
        source = """\
        import urllib.request
        urllib.request.Request("https://api.openai.com/v1/videos", method="GET")
        """
        assert diags(source) == []

    def test_an_environment_default_names_the_server_as_an_assumption(self):
        source = """\
        import os, requests
        BASE = os.environ.get("VIDEO_API", "https://api.apiyi.com")
        requests.post(BASE + "/v1/videos", json={"model": "sora-2", "prompt": "p", "seconds": 10})
        """
        assert diags(source) == [
            "3:87 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 "
            "or 12, or model=\"sora-2-pro\" [profile apiyi assumed (auto: request URL api.apiyi.com (the default of "
            "VIDEO_API, assumed)): state the contract with profile = \"NAME\" in [tool.sora-lint]]",
        ]

    def test_a_client_s_base_url_from_getenv(self):
        source = """\
        import os
        from openai import OpenAI
        client = OpenAI(base_url=os.getenv("OPENAI_BASE_URL") or "https://api.apiyi.com/v1")
        client.videos.create(model="sora-2", prompt="p", seconds="8")
        """
        assert diags(source) == [
            "4:58 SOR002 seconds=\"8\" is a string, but profile apiyi expects an int: use 8 (the official OpenAI "
            "API expects a string; if this code calls it, set profile = \"openai\") [profile apiyi assumed (auto: "
            "base_url "
            "api.apiyi.com (the default of OPENAI_BASE_URL, assumed)): state the contract with profile = \"NAME\" in "
            "[tool.sora-lint]]",
        ]

    def test_azure_path_in_an_f_string(self):
        source = """\
        import httpx
        class Azure:
            def render(self, prompt):
                body = {"model": "sora-2", "prompt": prompt, "seconds": "9"}
                return httpx.post(f"{self._endpoint}/openai/v1/videos", json=body)
        """
        assert diags(source) == [
            "4:65 SOR001 seconds=\"9\" (in json=body) is not supported by sora-2 (Supported values are: '4', '8', "
            "and '12'); use \"8\" or \"12\" [profile openai assumed (auto: request URL is not a literal, using "
            "fallback-profile): state the contract with profile = \"NAME\" in [tool.sora-lint]]",
        ]

    def test_remix_endpoint_and_method(self):
        source = """\
        import requests
        from openai import OpenAI
        requests.post("https://api.openai.com/v1/videos/vid_1/remix", json={"prompt": ""})
        OpenAI().videos.remix("vid_1", prompt=" ")
        """
        assert diags(source) == [
            '3:79 SOR007 prompt="" is empty: the API requires a non-empty prompt' + URL_OPENAI,
            '4:39 SOR007 prompt=" " is only whitespace: the API requires a non-empty prompt' + OPENAI,
        ]

    def test_remix_takes_only_a_prompt(self):
        source = """\
        from openai import OpenAI
        OpenAI().videos.remix("vid_1", prompt="p", seconds="10")
        """
        assert diags(source) == [
            '2:52 SOR008 seconds="10" is not a keyword of videos.remix: the SDK raises TypeError' + EXTRA_BODY + OPENAI]

    def test_an_upload_to_another_api_is_not_sora(self):
        source = """\
        import requests
        requests.post("https://api.vimeo.com/me/videos", files={"file_data": open("a.mp4", "rb")},
                      data={"name": "clip", "size": "1792x1024", "seconds": "10"})
        """
        assert diags(source) == []


class TestIndirectCalls:
    def test_a_partial_and_its_calls(self):
        source = """\
        import functools
        from openai import OpenAI
        client = OpenAI()
        render = functools.partial(client.videos.create, model="sora-2", size="1792x1024")
        render(prompt="p", seconds="8")
        """
        assert diags(source) == [
            "4:71 SOR003 size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and "
            "'720x1280'); use \"1280x720\" (same orientation), or model=\"sora-2-pro\"" + OPENAI,
        ]
        assert fixed(source).splitlines()[3].endswith('size="1280x720")')

    def test_a_call_s_keywords_win_over_the_partial_s(self):
        source = """\
        from functools import partial
        from openai import OpenAI
        render = partial(OpenAI().videos.create, model="sora-2", size="1792x1024")
        render(prompt="p", model="sora-2-pro", seconds="8")
        """
        assert diags(source) == []

    def test_a_partial_called_twice_is_reported_and_not_fixed_at_the_shared_literal(self):
        source = """\
        from functools import partial
        from openai import OpenAI
        hd = partial(OpenAI().videos.create, model="sora-2", seconds="10")
        hd(prompt="a")
        hd(prompt="b")
        """
        assert diags(source) == [
            "3:62 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use "
            "\"8\" or \"12\" (not fixed automatically: the partial hd is called more than once)" + OPENAI,
        ]

    def test_a_shared_partial_s_unknown_keyword_is_not_renamed(self):
        source = """\
        from functools import partial
        from openai import OpenAI
        hd = partial(OpenAI().videos.create, model="sora-2", duration=8)
        hd(prompt="a")
        hd(prompt="b", model="sora-2-pro")
        """
        assert diags(source) == [f"3:63 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}"]
        assert fixed(source, unsafe=True) == source.replace("        ", "")

    def test_to_thread_and_run_in_executor(self):
        source = """\
        import asyncio
        from functools import partial
        from openai import AsyncOpenAI, OpenAI
        client = OpenAI()
        async def go(p):
            await asyncio.to_thread(client.videos.create, model="sora-2", prompt=p, seconds="10")
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, partial(client.videos.create, prompt=p, seconds="6"))
        """
        assert diags(source) == [
            "6:85 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use "
            "\"8\" or \"12\"" + OPENAI,
            "8:86 SOR001 seconds=\"6\" is not supported by sora-2 (the default model) (Supported values are: '4', "
            "'8', and '12'); use \"4\" or \"8\"" + OPENAI,
        ]

    def test_a_lambda_passed_to_a_retry_helper(self):
        source = """\
        from openai import OpenAI
        client = OpenAI()
        kwargs = {"prompt": "p", "seconds": "10"}
        def call_api_with_retry(fn):
            return fn()
        call_api_with_retry(lambda: client.videos.create(**kwargs))
        """
        assert diags(source) == ["3:37 SOR001 seconds=\"10\" (in **kwargs) is not supported by sora-2 (the default "
                                 "model) (Supported values are: '4', '8', and '12'); use \"8\" or \"12\"" + OPENAI]

    def test_a_partial_of_a_look_alike_s_method(self):
        source = """\
        import functools
        import openai
        render = functools.partial(project.videos.create, title="t", seconds="10")
        render(duration=8)
        """
        assert diags(source) == []


class TestLitellmPositionalArguments:
    def test_positions_stand_for_the_signature_s_keywords(self):
        source = """\
        import litellm
        litellm.video_generation("a cat", "openai/sora-2", None, "10")
        litellm.video_extension(video_id, prompt, "7")
        """
        assert diags(source) == [
            "2:58 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use "
            "\"8\" "
            "or \"12\" [profile openai: auto: litellm's openai/ provider has no api_base]",
            "3:43 SOR001 seconds=\"7\" is not an extension length videos.extend supports (Supported values are: "
            "'4', '8', '12', '16', and '20'); use \"4\" or \"8\" [profile openai: auto: litellm's default openai/ "
            "provider "
            "has no api_base]",
        ]


class TestFunctions:
    def test_a_builder_returning_a_dict_read_where_it_is_called(self):
        source = """\
        import requests
        def build_payload(prompt, seconds="8"):
            return {"model": "sora-2", "prompt": prompt, "seconds": seconds}
        requests.post("https://api.openai.com/v1/videos", json=build_payload("p", seconds="10"))
        """
        assert diags(source) == [
            "4:83 SOR001 seconds=\"10\" (in json=build_payload()) is not supported by sora-2 (Supported values are: "
            "'4', '8', and '12'); use \"8\" or \"12\"" + URL_OPENAI,
        ]
        assert fixed(source).endswith('json=build_payload("p", seconds="12"))\n')

    def test_a_completed_dict_unpacked_from_a_builder(self):
        source = """\
        from openai import OpenAI
        def build_params():
            params = {"model": "sora-2", "prompt": "x"}
            params["size"] = "1792x1024"
            return params
        OpenAI().videos.create(**build_params())
        """
        assert diags(source) == [
            "4:22 SOR003 size=\"1792x1024\" (in **build_params()) is not supported by sora-2 (Supported values are: "
            "'1280x720' and '720x1280'); use \"1280x720\" (same orientation), or model=\"sora-2-pro\"" + OPENAI,
        ]

    def test_a_builder_called_twice_is_not_fixed_inside(self):
        source = """\
        from openai import OpenAI
        def preset():
            return {"model": "sora-2", "prompt": "x", "seconds": "10"}
        OpenAI().videos.create(**preset())
        OpenAI().videos.create(**preset())
        """
        assert diags(source) == [
            "3:58 SOR001 seconds=\"10\" (in **preset()) is not supported by sora-2 (Supported values are: '4', "
            "'8', and '12'); use \"8\" or \"12\" (not fixed automatically: preset() builds it for every call of "
            "it)" + OPENAI,
        ]

    def test_a_factory_annotated_or_returning_a_client(self):
        source = """\
        from functools import lru_cache
        from openai import OpenAI
        @lru_cache
        def get_client() -> OpenAI:
            return make_client_somehow()
        def gateway():
            return OpenAI(base_url="https://api.apiyi.com/v1")
        get_client().videos.create(prompt="p", duration=8)
        gateway().videos.create(model="sora-2", prompt="p", seconds="8")
        """
        assert diags(source) == [
            f"8:49 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY} [profile apiyi: auto: base_url "
            "api.apiyi.com]",
            "9:61 SOR002 seconds=\"8\" is a string, but profile apiyi expects an int: use 8 (the official OpenAI API "
            "expects a string; if this code calls it, set profile = \"openai\") [profile apiyi: auto: base_url "
            "api.apiyi.com]",
        ]

    def test_parameters_passed_through_a_method(self):
        source = """\
        from openai import OpenAI
        class Renderer:
            def __init__(self):
                self.client = OpenAI()
            def shot(self, prompt, seconds="8"):
                return self.client.videos.create(model="sora-2", prompt=prompt, seconds=seconds)
            def teaser(self):
                return self.shot("t", "4")
        renderer = Renderer()
        renderer.shot("p", seconds="15")
        """
        assert diags(source) == [
            "10:28 SOR001 seconds=\"15\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use "
            "\"12\"" + OPENAI,
        ]
        assert fixed(source).endswith('renderer.shot("p", seconds="12")\n')

    def test_a_static_method_s_callers_are_not_followed(self):
        source = """\
        from openai import OpenAI
        class Renderer:
            @staticmethod
            def shot(prompt, seconds="8"):
                return OpenAI().videos.create(model="sora-2", prompt=prompt, seconds=seconds)
        Renderer.shot("p", "15")
        """
        assert diags(source) == []

    def test_a_factory_returning_a_vimeo_client(self):
        source = """\
        import openai
        import vimeo
        def get_client():
            return vimeo.VimeoClient(token="t")
        get_client().videos.create(name="clip", duration=8, seconds="10")
        """
        assert diags(source) == []


class TestProjectModules:
    """Dicts and clients of another module of the project (found next to the file, under pyproject.toml)."""

    def project(self, tmp_path, main: str) -> list[str]:
        (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
        app = tmp_path / "app"
        app.mkdir()
        (app / "__init__.py").write_text("", encoding="utf-8")
        (app / "presets.py").write_text(
            'CINEMA = {"model": "sora-2", "size": "1792x1024", "seconds": "8"}\n'
            'TEASER = {"model": "sora-2", "seconds": "10", "duration": 4}\n', encoding="utf-8")
        (app / "clients.py").write_text("from openai import OpenAI\nsora_client = OpenAI(timeout=600)\n",
                                        encoding="utf-8")
        (app / "vimeo_clients.py").write_text("import vimeo\nsora_client = vimeo.VimeoClient(token='t')\n",
                                              encoding="utf-8")
        path = app / "main.py"
        path.write_text(main, encoding="utf-8")
        from sora_lint.contracts.settings import Settings
        from sora_lint.engine import lint_source
        from sora_lint.run.project_files import ProjectFiles
        return [f"{d.location.row}:{d.location.column} {d.code} {d.message}"
                for d in lint_source(main, str(path), Settings(), files=ProjectFiles())]

    def test_dicts_keys_and_clients_of_another_module(self, tmp_path):
        found = self.project(tmp_path, (
            "from . import presets\n"
            "from .clients import sora_client\n"
            "from .presets import TEASER\n"
            'sora_client.videos.create(prompt="p", **presets.CINEMA)\n'
            'sora_client.videos.create(prompt="p", seconds=presets.TEASER["seconds"])\n'
            'sora_client.videos.create(prompt="p", **TEASER)\n'))
        tag = " [profile openai: auto: no client is built in this file]"
        assert found == [
            "4:41 SOR003 size=\"1792x1024\" (in **presets.CINEMA) is not supported by sora-2 (Supported values are: "
            "'1280x720' and '720x1280'); use \"1280x720\" (same orientation) (not fixed automatically: presets.CINEMA "
            "is defined in another file (presets.py:1))" + tag,
            "5:47 SOR001 seconds=presets.TEASER[\"seconds\"] (= \"10\") is not supported by sora-2 (the default "
            "model) (Supported values are: '4', '8', and '12'); use \"8\" or \"12\" (not fixed automatically: "
            "presets.TEASER "
            "is defined in another file (presets.py:2))" + tag,
            "6:41 SOR001 seconds=\"10\" (in **TEASER) is not supported by sora-2 (Supported values are: '4', '8', and "
            "'12'); use \"8\" or \"12\" (not fixed automatically: TEASER is defined in another file "
            "(presets.py:2))" + tag,
            f"6:41 SOR008 duration=4 (in **TEASER) {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{tag}",
        ]

    def test_a_request_body_of_another_module(self, tmp_path):
        found = self.project(tmp_path, 'import requests\nfrom . import presets\n'
                                       'requests.post("https://api.openai.com/v1/videos", json=presets.TEASER)\n')
        assert found == [
            "3:56 SOR001 seconds=\"10\" (in json=presets.TEASER) is not supported by sora-2 (Supported values are: "
            "'4', '8', and '12'); use \"8\" or \"12\" (not fixed automatically: presets.TEASER is defined in another "
            "file "
            "(presets.py:2))" + URL_OPENAI,
        ]

    def test_a_look_alike_client_of_another_module(self, tmp_path):
        assert self.project(tmp_path, "from .vimeo_clients import sora_client\n"
                                      'sora_client.videos.create(name="clip", duration=8, seconds="10")\n') == []


class TestClientOrDefault:
    def test_a_passed_client_or_a_new_one_is_a_client(self):
        # ``self.client = client or OpenAI()``: either side is a client, so the call is Sora's and its unknown
        # keywords are what the SDK rejects.
        source = """\
        from typing import Optional
        from openai import OpenAI
        class Renderer:
            def __init__(self, client: Optional[OpenAI] = None):
                self.client = client or OpenAI()
            def legacy(self, prompt):
                return self.client.videos.create(model="sora-2", prompt=prompt, duration=8)
        """
        assert diags(source, select=("SOR008",)) == [
            f"7:82 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY}{OPENAI}"]

    def test_a_look_alike_or_a_client_is_not_traced(self):
        source = """\
        from openai import OpenAI
        class Vimeo: ...
        def make(v: Vimeo):
            client = v or OpenAI()
            return client.videos.create(name="launch", model="sora-2", seconds=10)
        """
        assert diags(source) == []
