"""Analysis v3, part 2 (issue 19): Sora calls and requests in the forms real code writes them.

Each case asserts the exact diagnostics (row:column, code, message) and, for fixes, the exact bytes;
the negatives assert that nothing is reported.
"""
from conftest import diags, fixed

from sora_lint.contracts.catalog import OPENAI as OPENAI_PROFILE
from sora_lint.contracts.catalog import profile_from_table

OPENAI = " [profile openai: auto: client has no base_url]"
SECONDS_10 = ("seconds=\"10\" is not supported by sora-2 (the default model) (Supported values are: '4', '8', "
              "and '12'); use 8 or 12" + OPENAI)
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
            f"9:57 SOR008 duration=8 {TYPE_ERROR}; did you mean seconds?{EXTRA_BODY} [profile openai: auto: "
            "Portkey client has no base_url (its own gateway), using fallback-profile]",
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
