"""The public API (sora_lint.frontends.api, re-exported by sora_lint) as a library user calls it."""
import os
import re
import subprocess
import sys
import textwrap
from importlib import resources

import pytest
from conftest import ROOT

import sora_lint
from sora_lint import ConfigError, Diagnostic, Location, Settings, check_paths, check_source, fix_source, validate
from sora_lint.frontends import api

BAD = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI(base_url="https://gateway.example.com/v1")
    client.videos.create(model="sora-2", prompt="a cat", seconds="9")
''')
SOR001 = ("seconds=\"9\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 or 12 "
          "[profile openai: pinned]")


def test_check_source_gives_the_diagnostics_the_cli_prints():
    found = check_source(BAD, "app.py", Settings(profile="openai"))
    assert [(d.code, d.message, d.filename, d.location, d.end_location) for d in found] == [
        ("SOR001", SOR001, "app.py", Location(4, 62), Location(4, 65))]
    (fix,) = found[0].fixes
    assert (fix.applicability, fix.message) == ("safe", "Replace with 8, the nearest supported duration")
    assert [(e.content, BAD[e.start:e.end]) for e in fix.edits] == [('"8"', '"9"')]


def test_fix_source_writes_the_cli_bytes():
    outcome = fix_source(BAD, "app.py", Settings(profile="openai"))
    assert outcome.source == BAD.replace('seconds="9"', 'seconds="8"')
    assert (outcome.applied, outcome.remaining, outcome.error) == (1, [], None)


@pytest.mark.parametrize("settings, message", [
    (Settings(profile="nope"), "Settings.profile: unknown profile 'nope' (known: apiyi, auto, openai)"),
    (Settings(fallback_profile="auto"), "Settings.fallback_profile: unknown profile 'auto' (known: apiyi, openai)"),
    (Settings(select=("SOR999",)),
     f"Settings.select: unknown rule code 'SOR999' (known: {', '.join(sora_lint.rules.rule_codes())})"),
    (Settings(ignore="SOR001"), "Settings.ignore: must be a tuple of codes, such as ('SOR001',), not a string"),
])
def test_bad_settings_raise_config_error_never_key_error(settings, message):
    for call in (lambda: check_source(BAD, settings=settings), lambda: fix_source(BAD, settings=settings),
                 lambda: check_paths([], settings)):
        with pytest.raises(ConfigError) as raised:
            call()
        assert str(raised.value) == message


def test_validate_is_the_runtime_check_and_names_a_bad_profile():
    assert [(p.code, p.param, p.suggestion) for p in validate(model="sora-2", seconds="9")] == [
        ("SOR001", "seconds", "8")
    ]
    with pytest.raises(ConfigError) as raised:
        validate(model="sora-2", profile="nope")
    assert str(raised.value) == "validate: unknown profile 'nope' (known: apiyi, openai)"


def test_check_paths_walks_folders_with_the_projects_configuration(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "openai"\nexclude = ["generated"]\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(BAD)
    (tmp_path / "src" / "ok.py").write_text(BAD.replace('"9"', '"8"'))
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "app.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    found = check_paths(["."])
    assert [(d.filename, d.code, d.message, d.location) for d in found] == [
        (os.path.join("src", "app.py"), "SOR001", SOR001.replace("pinned", "set in pyproject.toml"), Location(4, 62))]
    assert check_paths([tmp_path / "src" / "ok.py"]) == []
    assert [d.code for d in check_paths(["src"], Settings(profile="openai", ignore=("SOR001",)))] == []
    with pytest.raises(FileNotFoundError, match="missing.py: no such file or directory"):
        check_paths(["missing.py"])
    (tmp_path / "data.json").write_text('{"cells": []}\n')
    not_python = r"data.json: not a Python file \(.py, .pyi\) or notebook \(.ipynb\), so it was not checked"
    with pytest.raises(FileNotFoundError, match=not_python):
        check_paths(["data.json"])


def test_the_package_exports_exactly_the_api():
    assert sora_lint.__all__[:len(api.__all__)] == api.__all__
    assert set(sora_lint.__all__) - set(api.__all__) == {"nearest_seconds", "suggest_model"}
    for name in api.__all__:
        assert getattr(sora_lint, name) is getattr(api, name), name
    assert Diagnostic.__module__ == "sora_lint.core.types"
    with pytest.raises(AttributeError):
        sora_lint.no_such_name  # noqa: B018


def test_importing_the_package_loads_neither_the_api_nor_libcst():
    watched = "('libcst', 'sora_lint.frontends.api', 'sora_lint.engine')"
    program = ("import sys, sora_lint\n"
               f"print(sorted(m for m in sys.modules if m in {watched}))\n"
               "sora_lint.check_source('x = 1\\n')\n"
               f"print(sorted(m for m in sys.modules if m in {watched}))\n")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    # A text without a Sora call is not parsed, so even check_source leaves LibCST alone.
    assert out.splitlines() == ["[]", "['sora_lint.engine', 'sora_lint.frontends.api']"]


def test_the_package_is_typed_and_ships_the_marker():
    assert resources.files("sora_lint").joinpath("py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'\[tool\.setuptools\.package-data\]\nsora_lint = \[[^\]]*"py\.typed"', pyproject)


def test_the_docs_example_prints_what_the_docs_say(tmp_path):
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = page.split("# Use it from Python\n")[1].split("\n## ")[0]
    code = section.split("```python\n")[1].split("```")[0]
    shown = section.split("```text\n")[1].split("```")[0]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == shown
