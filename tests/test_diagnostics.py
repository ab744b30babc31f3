"""Exact diagnostics (code, line, column, message) for every rule under both profiles and `auto`."""

import pytest
from conftest import diags

APIYI_TAG = "[profile apiyi: auto: base_url api.apiyi.com]"
OPENAI_TAG = "[profile openai: auto: client has no base_url]"


APIYI_HEAD = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.apiyi.com/v1")\n'
OPENAI_HEAD = "from openai import OpenAI\nclient = OpenAI()\n"


class TestSecondsUnsupported:
    def test_apiyi_sora2_ten_seconds_names_both_options(self):
        assert diags(APIYI_HEAD + 'client.videos.create(model="sora-2", prompt="p", seconds=10)\n') == [
            "3:58 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            f'use 8 or 12, or model="sora-2-pro" {APIYI_TAG}'
        ]

    def test_apiyi_pro_twenty_seconds(self):
        assert diags(APIYI_HEAD + 'client.videos.create(model="sora-2-pro", prompt="p", seconds=20)\n') == [
            "3:62 SOR001 seconds=20 is not supported by sora-2-pro (Supported values are: '10', '15', and '25'); "
            f"use 15 or 25 {APIYI_TAG}"
        ]

    def test_openai_string_value_on_default_model(self):
        assert diags(OPENAI_HEAD + 'client.videos.create(prompt="p", seconds="10")\n') == [
            "3:42 SOR001 seconds=\"10\" is not supported by sora-2 (the default model) "
            f"(Supported values are: '4', '8', and '12'); use \"8\" or \"12\" {OPENAI_TAG}"
        ]

    def test_openai_pro_has_the_same_durations(self):
        assert diags(OPENAI_HEAD + 'client.videos.create(model="sora-2-pro", prompt="p", seconds="15")\n') == [
            "3:62 SOR001 seconds=\"15\" is not supported by sora-2-pro (Supported values are: '4', '8', and '12'); "
            f"use \"12\" {OPENAI_TAG}"
        ]

    def test_value_through_a_name_shows_the_name_and_its_value(self):
        source = APIYI_HEAD + "SECONDS = 30\nclient.videos.create(model='sora-2', prompt='p', seconds=SECONDS)\n"
        assert diags(source) == [
            "4:58 SOR001 seconds=SECONDS (= 30) is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            f"use 12 {APIYI_TAG}"
        ]

    def test_not_a_number(self):
        assert diags(OPENAI_HEAD + 'client.videos.create(model="sora-2", prompt="p", seconds="ten")\n') == [
            '3:58 SOR001 seconds="ten" is not a number of seconds: write one supported by sora-2 '
            f"(Supported values are: '4', '8', and '12') {OPENAI_TAG}"
        ]
        # Without a known model there is no list to give: the message says only what is wrong.
        assert diags(OPENAI_HEAD + 'client.videos.create(model=MODEL, prompt="p", seconds="8s")\n') == [
            f'3:55 SOR001 seconds="8s" is not a number of seconds {OPENAI_TAG}'
        ]
        assert diags(OPENAI_HEAD + 'client.videos.extend(video="v", prompt="p", seconds="8s")\n') == [
            '3:53 SOR001 seconds="8s" is not a number of seconds: write an extension length videos.extend supports '
            f"(Supported values are: '4', '8', '12', '16', and '20') {OPENAI_TAG}"
        ]

    def test_extension_lengths(self):
        assert diags(OPENAI_HEAD + 'client.videos.extend(video="v", prompt="p", seconds="16")\n') == []
        assert diags(OPENAI_HEAD + 'client.videos.extend(video="v", prompt="p", seconds="30")\n') == [
            "3:53 SOR001 seconds=\"30\" is not an extension length videos.extend supports "
            f"(Supported values are: '4', '8', '12', '16', and '20'); use \"20\" {OPENAI_TAG}"
        ]


class TestSecondsType:
    def test_openai_int_says_what_apiyi_expects(self):
        assert diags(OPENAI_HEAD + 'client.videos.create(model="sora-2", prompt="p", seconds=8)\n') == [
            '3:58 SOR002 seconds=8 is an int, but profile openai expects a string, as the openai SDK types it: use "8" '
            f'(the APIYI gateway expects an int; if this code calls it, set profile = "apiyi") {OPENAI_TAG}'
        ]

    def test_apiyi_string_says_what_openai_expects(self):
        assert diags(APIYI_HEAD + 'client.videos.create(model="sora-2", prompt="p", seconds="8")\n') == [
            '3:58 SOR002 seconds="8" is a string, but profile apiyi expects an int: use 8 '
            f'(the official OpenAI API expects a string; if this code calls it, set profile = "openai") {APIYI_TAG}'
        ]

    def test_a_string_not_written_as_the_sdk_literal_says_which_literal(self):
        # " 8" and "08" are strings already: the message names the literal, not the type.
        for written in ('" 8"', '"08"'):
            assert diags(OPENAI_HEAD + f'client.videos.create(model="sora-2", prompt="p", seconds={written})\n') == [
                f"3:58 SOR002 seconds={written} is not written as the openai SDK's literal \"8\" "
                f'(the bare number as a string): use "8" {OPENAI_TAG}'
            ]

    def test_float_under_both_profiles(self):
        source = 'import openai\nclient.videos.create(model="sora-2", prompt="p", seconds=8.0)\n'
        assert diags(source, "apiyi") == [
            "2:58 SOR002 seconds=8.0 is a float, but profile apiyi expects an int: use 8 "
            "(seconds is a whole number of seconds) [profile apiyi: pinned]"
        ]
        assert diags(source, "openai") == [
            '2:58 SOR002 seconds=8.0 is a float, but profile openai expects a string, '
            'as the openai SDK types it: use "8" '
            '(the APIYI gateway expects an int; if this code calls it, set profile = "apiyi") [profile openai: pinned]'
        ]

    def test_wrong_type_and_wrong_value_are_one_finding(self):
        # One value, one finding, one fix: SOR001's, whose advice and fix are in the contract's type.
        assert diags(APIYI_HEAD + 'client.videos.create(model="sora-2", prompt="p", seconds="10")\n') == [
            "3:58 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            f'use 8 or 12, or model="sora-2-pro" {APIYI_TAG}']


class TestSize:
    def test_unsupported_size_offers_same_orientation_and_pro(self):
        assert diags(OPENAI_HEAD + 'client.videos.create(model="sora-2", prompt="p", size="1792x1024")\n') == [
            "3:55 SOR003 size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and "
            "'720x1280'); "
            f'use "1280x720" (same orientation), or model="sora-2-pro" {OPENAI_TAG}'
        ]

    def test_pro_is_not_offered_when_the_duration_is_invalid_there(self):
        source = APIYI_HEAD + 'client.videos.create(model="sora-2", prompt="p", seconds=12, size="1024x1792")\n'
        assert diags(source) == [
            "3:67 SOR003 size=\"1024x1792\" is not supported by sora-2 (Supported values are: '1280x720' and "
            "'720x1280'); "
            f'use "720x1280" (same orientation) {APIYI_TAG}'
        ]

    @pytest.mark.parametrize(
        "size, canonical", [("1280*720", "1280x720"), ("1280 x 720", "1280x720"), ("720X1280", "720x1280")]
    )
    def test_malformed_size(self, size, canonical):
        assert diags(OPENAI_HEAD + f'client.videos.create(model="sora-2", prompt="p", size="{size}")\n') == [
            f'3:55 SOR004 size="{size}" is not a valid size: write it as "{canonical}" (WIDTHxHEIGHT) {OPENAI_TAG}'
        ]

    def test_size_without_dimensions(self):
        assert diags(OPENAI_HEAD + 'client.videos.create(model="sora-2", prompt="p", size="720p")\n') == [
            "3:55 SOR004 size=\"720p\" is not a valid size: write it as \"WIDTHxHEIGHT\" "
            f"(Supported values are: '1280x720' and '720x1280') {OPENAI_TAG}"
        ]


class TestModel:
    @pytest.mark.parametrize(
        "typo, meant", [("sora2", "sora-2"), ("Sora-2-Pro", "sora-2-pro"), ("sora-2pro", "sora-2-pro")]
    )
    def test_did_you_mean(self, typo, meant):
        assert diags(OPENAI_HEAD + f'client.videos.create(model="{typo}", prompt="p")\n') == [
            f'3:28 SOR005 model="{typo}" is not a known Sora model; did you mean "{meant}"? (known: sora-2, '
            f'sora-2-pro) {OPENAI_TAG}'
        ]

    @pytest.mark.parametrize("model", ["sora", "my-sora-deployment", "video-gen-prod", "sora-2-2025-12-08"])
    def test_deployment_names_and_snapshots_are_not_reported(self, model):
        assert diags(OPENAI_HEAD + f'client.videos.create(model="{model}", prompt="p", seconds="8")\n') == []


class TestAutoProfile:
    CALL = 'client.videos.create(model="sora-2", prompt="p", seconds=8)\n'

    def _reason(self, head: str) -> str:
        found = diags(head + self.CALL)
        return found[0].split(" [", 1)[1] if found else "clean"

    def test_apiyi_base_url_selects_apiyi(self):
        assert self._reason(APIYI_HEAD) == "clean"

    def test_official_base_url_selects_openai(self):
        head = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.openai.com/v1")\n'
        assert self._reason(head) == "profile openai: auto: base_url api.openai.com]"

    def test_no_base_url_selects_openai(self):
        assert self._reason(OPENAI_HEAD) == "profile openai: auto: client has no base_url]"

    def test_azure_selects_openai(self):
        head = 'from openai import AzureOpenAI\nclient = AzureOpenAI(azure_endpoint="https://r.openai.azure.com")\n'
        assert self._reason(head) == "profile openai: auto: Azure OpenAI client]"

    def test_variable_base_url_uses_the_fallback(self):
        head = 'import os\nfrom openai import OpenAI\nclient = OpenAI(base_url=os.environ["SORA_BASE"])\n'
        assert self._reason(head) == ("profile openai assumed (auto: base_url is not a literal, using "
                                      'fallback-profile): state the contract with profile = "NAME" in '
                                      "[tool.sora-lint]]")
        assert diags(head + self.CALL, fallback_profile="apiyi") == []

    def test_base_url_through_a_name(self):
        head = 'from openai import OpenAI\nBASE = "https://api.apiyi.com/v1"\nclient = OpenAI(base_url=BASE)\n'
        assert self._reason(head) == "clean"

    def test_unknown_gateway_uses_the_fallback(self):
        head = 'from openai import OpenAI\nclient = OpenAI(base_url="https://gw.example.com/v1")\n'
        assert (
            self._reason(head)
            == "profile openai assumed (auto: base_url host gw.example.com is unknown, using fallback-profile): "
            'state the contract with profile = "NAME" in [tool.sora-lint]]'
        )

    def test_no_client_in_the_file(self):
        assert self._reason("import openai\n") == "profile openai: auto: no client is built in this file]"

    def test_pinned_profile_wins(self):
        assert diags(APIYI_HEAD + self.CALL, "openai")[0].endswith("[profile openai: pinned]")
