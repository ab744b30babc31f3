"""Every contract fact is data: a new model is a change to a profile, and validate() is the linter's rules."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import lines

from sora_lint import suggest_model, validate
from sora_lint.contracts.catalog import (
    APIYI,
    CONTRACTS_FILE,
    OPENAI,
    SHIPPED_PROFILES,
    model_candidates,
    model_families,
    model_ladder,
)
from sora_lint.contracts.settings import Settings
from sora_lint.engine import lint_source
from sora_lint.engine.validate import request_problems as validate_with
from sora_lint.run.config import load_settings

# A model that does not exist yet, added the way a user would: no code change.
SORA_3_TOML = '''\
[tool.sora-lint]
profile = "future"
[tool.sora-lint.profiles.future]
extends = "openai"
[tool.sora-lint.profiles.future.models.sora-2]
upgrades = ["sora-2-pro", "sora-3"]
[tool.sora-lint.profiles.future.models.sora-3]
seconds = [4, 8, 12, 16, 20]
sizes = ["1280x720", "720x1280", "1920x1080", "1080x1920"]
'''
SORA_3_APP = '''\
from openai import OpenAI

client = OpenAI(base_url="https://gateway.example.com/v1")
client.videos.create(model="sora3", prompt="p")
client.videos.create(model="Sora-3", prompt="p")
client.videos.create(model="sora-3", prompt="p", seconds="30")
client.videos.create(model="sora-2", prompt="p", seconds="16")
client.videos.create(model="sora-2", prompt="p", size="1920x1080")
client.videos.create(model="sora-2", prompt="p", seconds="10")
'''
TAG = " [profile future: set in pyproject.toml]"


def test_adding_a_model_through_a_user_profile_needs_no_code_change(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text(SORA_3_TOML, encoding="utf-8")
    (tmp_path / "app.py").write_text(SORA_3_APP, encoding="utf-8")
    proc = cli("check", "--output-format", "concise", "app.py")
    assert proc.stderr == ""
    assert lines(proc.stdout)[:-2] == [
        # Typo detection knows the new model (its family is read from the model names).
        f'app.py:4:28: SOR005 [*] model="sora3" is not a known Sora model; did you mean "sora-3"? (known: sora-2, '
        f'sora-2-pro, sora-3){TAG}',
        f'app.py:5:28: SOR005 [*] model="Sora-3" is not a known Sora model; did you mean "sora-3"? (known: sora-2, '
        f'sora-2-pro, sora-3){TAG}',
        # Its own durations and nearest values; no "upgrade" to an older model.
        "app.py:6:58: SOR001 [*] seconds=\"30\" is not supported by sora-3 (Supported values are: '4', '8', '12', "
        "'16', and '20'); "
        f"use 20{TAG}",
        # The upgrade path goes to the first model that accepts what the call asks for.
        "app.py:7:58: SOR001 [*] seconds=\"16\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        f'use 12, or model="sora-3"{TAG}',
        "app.py:8:55: SOR003 [*] size=\"1920x1080\" is not supported by sora-2 (Supported values are: '1280x720' and "
        "'720x1280'); "
        f'use "1280x720" (same orientation), or model="sora-3"{TAG}',
        "app.py:9:58: SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
        f"use 8 or 12{TAG}",
    ]
    fixed = cli("fix", "--unsafe-fixes", "app.py")
    assert fixed.stderr == ""
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == SORA_3_APP.replace(
        'model="sora3"', 'model="sora-3"').replace('model="Sora-3"', 'model="sora-3"').replace(
        '"sora-3", prompt="p", seconds="30"', '"sora-3", prompt="p", seconds="20"').replace(
        '"sora-2", prompt="p", seconds="16"', '"sora-3", prompt="p", seconds="16"').replace(
        '"sora-2", prompt="p", size="1920x1080"', '"sora-3", prompt="p", size="1920x1080"').replace(
        'seconds="10"', 'seconds="12"')


def test_a_new_model_reaches_the_runtime_api(tmp_path):
    (tmp_path / "pyproject.toml").write_text(SORA_3_TOML, encoding="utf-8")
    settings = load_settings(str(tmp_path / "pyproject.toml"))
    future = settings.profiles["future"]
    assert model_candidates("SORA_3", future) == ["sora-3"]
    assert [s.name for s in model_ladder(future)] == ["sora-2", "sora-2-pro", "sora-3"]
    assert suggest_model(16, future) == "sora-3"
    assert suggest_model(30, future) == "sora-3"
    problems = validate_with(model="sora-2", seconds="16", profile="future", extra_profiles=settings.user_profiles)
    assert [(p.code, p.suggestion) for p in problems] == [("SOR001", "12")]
    assert problems[0].message.endswith('use 12, or model="sora-3" [profile future: pinned]')


def test_the_typo_check_reads_families_from_the_model_names():
    assert model_families(OPENAI) == {"sora": ("sora-2", "sora-2-pro")}
    # Another version number is another model, not a typo; neither is a bare family name.
    assert model_candidates("sora-3", OPENAI) == []
    assert model_candidates("sora", OPENAI) == []
    assert model_candidates("SORA_2_PRO", OPENAI) == ["sora-2-pro"]


def test_shipped_facts_come_from_the_data_file():
    data = json.loads(CONTRACTS_FILE.read_text(encoding="utf-8"))
    assert sorted(SHIPPED_PROFILES) == sorted(data["profiles"])
    for name, profile in SHIPPED_PROFILES.items():
        raw = data["profiles"][name]
        assert profile.default_model_name == raw["default-model"]
        for model, spec in profile.models.items():
            assert list(spec.seconds) == raw["models"][model]["seconds"]
            assert list(spec.sizes) == raw["models"][model]["sizes"]
            assert list(spec.upgrades) == raw["models"][model].get("upgrades", [])
    assert APIYI.models["sora-2"].upgrades == ("sora-2-pro",)
    assert "contracts.json" in Path(CONTRACTS_FILE).name


# --- validate() and the linter agree -------------------------------------------------------------------------

def _literal(value: object) -> str:
    return json.dumps(value) if isinstance(value, str) else repr(value)


def linter_problems(profile: str, **params: object):
    """What `sora-lint check --profile PROFILE` reports on a call with these parameters written as literals."""
    written = ", ".join(f"{k}={_literal(v)}" for k, v in params.items() if v is not None)
    source = f'from openai import OpenAI\n\nclient = OpenAI()\nclient.videos.create({written}, prompt="p")\n'
    found = lint_source(source, "app.py", Settings(profile=profile, ignore=("SOR006",)))
    return [(d.code, d.message) for d in found]


TABLE = [
    ("openai", dict(model="sora-2", seconds="8", size="720x1280")),
    ("openai", dict(model="sora-2", seconds="10")),
    ("openai", dict(model="sora-2", seconds=8)),
    ("openai", dict(model="sora-2", seconds=10)),
    ("openai", dict(model="sora-2", seconds="ten")),  # validate used to be silent here
    ("openai", dict(model="sora-2", seconds=True)),  # and to report a type error here
    ("openai", dict(model="sora-2", seconds=8.0)),
    ("openai", dict(model="sora-2", seconds=-4)),
    ("openai", dict(seconds="12")),
    ("openai", dict(seconds="16")),
    ("openai", dict(model="sora-2", size="1792x1024")),
    ("openai", dict(model="sora-2-pro", size="1792x1024")),
    ("openai", dict(model="sora-2", size="1280*720")),
    ("openai", dict(model="sora-2", size="720p")),
    ("openai", dict(model="sora-2", size=1280)),
    ("openai", dict(model="sora2")),
    ("openai", dict(model="Sora-2-Pro", seconds="8")),
    ("openai", dict(model="my-deployment", seconds="10")),
    ("openai", dict(model="sora-2-2025-10-06", seconds="10")),
    ("apiyi", dict(model="sora-2", seconds=10, size="1792x1024")),
    ("apiyi", dict(model="sora-2", seconds=8.5)),  # validate used to report two problems
    ("apiyi", dict(model="sora-2", seconds="8")),
    ("apiyi", dict(model="sora-2-pro", seconds=20)),
    ("apiyi", dict(model="sora-2-pro", seconds=12, size="1024x1792")),
    ("apiyi", dict(seconds=15)),
    ("apiyi", dict(model="sora-2-pro", seconds="15")),
]


@pytest.mark.parametrize("profile, params", TABLE, ids=[f"{p}-{i}" for i, (p, _) in enumerate(TABLE)])
def test_validate_and_the_linter_agree(profile, params):
    problems = validate(profile=profile, **params)
    assert [(p.code, p.message) for p in problems] == linter_problems(profile, **params)


def test_the_table_covers_every_parameter_rule():
    codes = {p.code for profile, params in TABLE for p in validate(profile=profile, **params)}
    assert codes == {"SOR001", "SOR002", "SOR003", "SOR004", "SOR005"}
    assert len(TABLE) >= 20


# --- the README and docs/ say what the catalog says ------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"


def test_generated_tables_are_the_catalog_and_the_rules():
    from sora_lint.frontends.docs import GENERATED_PAGES, readme_blocks, with_generated_blocks

    texts = {page: (REPO / page).read_text(encoding="utf-8") for page in GENERATED_PAGES}
    for page, text in texts.items():
        assert with_generated_blocks(text, page) == text, f"{page}: run python scripts/gen_rule_docs.py"
    blocks = readme_blocks()
    assert sorted(name for names in GENERATED_PAGES.values() for name in names) == sorted(blocks)
    for page, names in GENERATED_PAGES.items():
        assert all(blocks[name] in texts[page] for name in names)
    assert "| `sora-2-pro` seconds | 10, 15, 25 | 4, 8, 12 |" in texts["docs/profiles.md"]


def test_readme_sample_findings_are_what_check_prints_today(cli):
    import re

    from conftest import AFTER_SHUTDOWN, ROOT

    samples = re.findall(r"```text\n(fixtures/[^\n]+)\n```", README.read_text(encoding="utf-8"))
    proc = cli("check", "--output-format", "concise", "fixtures/", cwd=ROOT, today=AFTER_SHUTDOWN)
    assert [code for code in ("SOR001", "SOR006") if any(f" {code} " in s for s in samples)] == ["SOR001", "SOR006"]
    for sample in samples:
        assert sample in proc.stdout.splitlines()


def test_readme_runtime_example_runs():
    import re

    page = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    code = re.search(r"## The catalog at run time.*?```python\n(.*?)```", page, re.S).group(1)
    sent = {}

    class FakeOpenAI:
        def __init__(self, **kwargs):
            self.videos = self

        def create(self, **kwargs):
            sent.update(kwargs)
            return "video"

    scope = dict(OpenAI=FakeOpenAI)
    exec(code.replace("from openai import OpenAI\n", ""), scope)  # noqa: S102
    assert scope["render"]("a cat", 10) == "video"
    assert sent == {"model": "sora-2", "prompt": "a cat", "seconds": "12", "size": "720x1280"}
    with pytest.raises(ValueError, match="is not supported by sora-2"):
        scope["render"]("a cat", 8, size="1792x1024")


def test_the_runtime_api_imports_without_libcst_until_validate_runs():
    import subprocess
    import sys

    probe = ("import sys, sora_lint, sora_lint.contracts.catalog, sora_lint.contracts.selection,"
             " sora_lint.frontends.doctor\n"
             "before = 'libcst' in sys.modules\n"
             "sora_lint.validate(model='sora-2', seconds='8')\n"
             "print(before, 'libcst' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out == "False True\n"


@pytest.mark.parametrize("extra, message", [
    ('default-model = "sora-9"\n',
     "[tool.sora-lint.profiles.future] default-model: 'sora-9' is not a model of the profile (known: sora-2, "
     "sora-2-pro, sora-3)"),
    ('[tool.sora-lint.profiles.future.models.sora-2-pro]\nupgrades = ["sora-2-pro"]\n',
     "[tool.sora-lint.profiles.future.models.sora-2-pro] upgrades: 'sora-2-pro' is not another model of the profile "
     "(known: sora-2, sora-2-pro, sora-3)"),
    ('[tool.sora-lint.profiles.future.models.sora-2-pro]\nupgrades = "sora-3"\n',
     "[tool.sora-lint.profiles.future.models.sora-2-pro] upgrades must be a list of strings"),
])
def test_bad_model_choices_name_the_file_and_key(cli, tmp_path, extra, message):
    toml = SORA_3_TOML.replace('extends = "openai"\n', 'extends = "openai"\n' + extra) if extra.startswith("default") \
        else SORA_3_TOML + extra
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    proc = cli("check", ".")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"sora-lint: error: {tmp_path / 'pyproject.toml'}: {message}\n"
