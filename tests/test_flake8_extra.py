"""flake8 is an extra (``sora-lint[flake8]``): the plugin's entry point is registered either way,
and is harmless where flake8 is not installed (flake8 alone reads that entry point group).
tests/test_flake8_plugin.py checks that flake8 finds and runs the plugin when both are installed."""
import subprocess
import sys
import textwrap

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11
    import tomli as tomllib

from conftest import ROOT

APP = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="9")\n'
MESSAGE = ("SOR001 seconds=\"9\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 or 12 "
           "[profile openai: auto: client has no base_url]")

# None in sys.modules makes `import flake8` (and any flake8.* module) fail, as if it were not installed.
WITHOUT_FLAKE8 = textwrap.dedent('''\
    import sys
    sys.modules["flake8"] = None
    try:
        import flake8
    except ImportError:
        print("flake8 hidden")
    from importlib import metadata
    (plugin,) = [ep for ep in metadata.entry_points(group="flake8.extension") if ep.name == "SOR"]
    checker = plugin.load()
    print(plugin.value)
    for row, column, text, _ in checker(None, open("app.py").readlines(), "app.py").run():
        print(row, column, text)
    from sora_lint.frontends.cli import main
    sys.exit(main(["check", "--output-format", "concise", "app.py"]))
''')


def test_flake8_is_an_extra_and_stays_in_the_test_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(dep.startswith("flake8") for dep in project["dependencies"])
    assert "flake8>=6" in project["optional-dependencies"]["flake8"]
    assert "flake8>=6" in project["optional-dependencies"]["test"]
    assert project["entry-points"]["flake8.extension"] == {"SOR": "sora_lint.frontends.flake8_plugin:SoraChecker"}


def test_the_plugin_and_the_cli_work_without_flake8(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    result = subprocess.run([sys.executable, "-c", WITHOUT_FLAKE8], cwd=tmp_path, capture_output=True, text=True)
    assert result.stderr == ""
    assert result.returncode == 1  # the CLI found the finding
    assert result.stdout.splitlines() == [
        "flake8 hidden",
        "sora_lint.frontends.flake8_plugin:SoraChecker",
        f"2 59 {MESSAGE}",  # flake8's convention: a 0-based column
        f"app.py:2:60: {MESSAGE.replace('SOR001', 'SOR001 [*]')}",
        "Found 1 error.",
        "[*] 1 fixable with `sora-lint fix`.",
    ]
