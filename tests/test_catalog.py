"""The catalog's public API: the facts of shared/sora-params.md, usable at run time."""
import pytest

from sora_lint import ConfigError, nearest_seconds, suggest_model, validate
from sora_lint.contracts.catalog import APIYI, OPENAI, canonical_size, model_candidates, profile_for_base_url


@pytest.mark.parametrize("value, supported, expected", [
    (10, (4, 8, 12), 12),  # tie between 8 and 12 rounds up
    (6, (4, 8, 12), 8),  # tie between 4 and 8 rounds up
    (5, (4, 8, 12), 4),
    (15, (4, 8, 12), 12),
    (30, (4, 8, 12), 12),
    (20, (10, 15, 25), 25),  # tie between 15 and 25 rounds up
    (30, (10, 15, 25), 25),
    (5, (10, 15, 25), 10),
    (8.4, (4, 8, 12), 8),
])
def test_nearest_seconds(value, supported, expected):
    assert nearest_seconds(value, supported) == expected


@pytest.mark.parametrize("seconds, model", [(4, "sora-2"), (8, "sora-2"), (12, "sora-2"), (10, "sora-2-pro"),
                                            (15, "sora-2-pro"), (25, "sora-2-pro"), (6, "sora-2"), (20, "sora-2-pro")])
def test_suggest_model_follows_the_apiyi_rule(seconds, model):
    assert suggest_model(seconds, "apiyi") == model


def test_snapshots_behave_like_their_family():
    assert OPENAI.model("sora-2-2025-10-06").name == "sora-2"
    assert OPENAI.model("sora-2-pro-2025-10-06").name == "sora-2-pro"
    assert OPENAI.model("sora-2-2025-12-08").seconds == (4, 8, 12)
    assert OPENAI.model("sora-3") is None


@pytest.mark.parametrize("name, expected", [
    ("sora2", ["sora-2"]), ("Sora-2-Pro", ["sora-2-pro"]), ("sora-2pro", ["sora-2-pro"]), ("sora_2", ["sora-2"]),
    ("sora-2-pr", ["sora-2-pro"]),
    # Deployment names, aliases and future models are not typos.
    ("sora", []), ("my-video-deployment", []), ("sora-3", []), ("sora-2", []), ("gpt-4o", []),
])
def test_model_candidates(name, expected):
    assert model_candidates(name, OPENAI) == expected


@pytest.mark.parametrize("url, profile", [
    ("https://api.apiyi.com/v1", "apiyi"), ("https://api.openai.com/v1", "openai"),
    ("https://myres.openai.azure.com/", "openai"), ("api.apiyi.com", "apiyi"), ("https://gateway.example.com/v1", None),
])
def test_profile_for_base_url(url, profile):
    found = profile_for_base_url(url, [APIYI, OPENAI])
    assert (found.name if found else None) == profile


def test_canonical_size():
    assert canonical_size("1280*720") == "1280x720"
    assert canonical_size(" 1280 x 720 ") == "1280x720"
    assert canonical_size("720P") is None


def test_validate_reports_what_the_api_would_reject():
    problems = validate(model="sora-2", seconds=10, size="1792x1024", profile="apiyi")
    assert [(p.code, p.param, p.suggestion) for p in problems] == [
        ("SOR001", "seconds", 12),
        ("SOR003", "size", "1280x720"),
    ]
    assert problems[0].message == ("seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
                                   'use 8 or 12, or model="sora-2-pro" [profile apiyi: pinned]')
    assert [p.code for p in validate(model="sora-2", seconds="8", profile="apiyi")] == ["SOR002"]
    assert validate(model="sora-2", seconds="8", size="720x1280", profile="openai") == []
    assert [p.code for p in validate(model="sora2", profile="openai")] == ["SOR005"]


def test_validate_rejects_an_unknown_profile():
    # The documented ConfigError of the public API (it was the catalog's ValueError).
    with pytest.raises(ConfigError, match=r"^validate: unknown profile 'nope' \(known: apiyi, openai\)$"):
        validate(model="sora-2", profile="nope")
