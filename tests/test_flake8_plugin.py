"""The plugin through the real flake8, as an editor runs it."""
import textwrap

from conftest import lines

BAD = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI()
    client.videos.create(
        model="sora-2",
        prompt="p",
        seconds=8,  # an int
        size="1792x1024",
    )
''')
SOR002 = ('SOR002 seconds=8 is an int, but profile openai expects a string, as the openai SDK types it: use "8" '
          '(the APIYI gateway expects an int; if this code calls it, set profile = "apiyi") '
          "[profile openai: auto: client has no base_url]")
SOR003 = ("SOR003 size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and '720x1280'); "
          'use "1280x720" (same orientation), or model="sora-2-pro" [profile openai: auto: client has no base_url]')


def test_diagnostics_through_flake8(flake8, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    result = flake8("bad.py")
    assert result.returncode == 1
    assert lines(result.stdout) == [f"bad.py:7:13: {SOR002}", f"bad.py:8:10: {SOR003}"]


def test_profile_option_and_noqa(flake8, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    result = flake8("--sora-profile", "apiyi", "bad.py")
    assert [line.split(": ", 1)[1].split(" ")[0] for line in lines(result.stdout)] == ["SOR003"]
    (tmp_path / "bad.py").write_text(BAD.replace("# an int", "# noqa: SOR002"))
    assert [line.split(": ", 1)[1].split(" ")[0] for line in lines(flake8("bad.py").stdout)] == ["SOR003"]


def test_pyproject_configuration_is_honoured(flake8, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "apiyi"\nignore = ["SOR003"]\n')
    result = flake8("bad.py")
    assert (result.returncode, result.stdout) == (0, "")


def test_syntax_errors_are_left_to_flake8(flake8, tmp_path):
    (tmp_path / "broken.py").write_text("import openai\nclient.videos.create(seconds=10\n")
    result = flake8("--select", "SOR,E9", "broken.py")
    assert "Traceback" not in result.stderr
    assert "E999" in result.stdout


def test_bad_configuration_is_one_clear_line_not_a_bug_report(flake8, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "azure"\n')
    result = flake8("bad.py")
    assert lines(result.stdout) == [
        f"bad.py:1:1: SOR000 sora-lint is not configured correctly, so this file was not checked: "
        f"{tmp_path / 'pyproject.toml'}: [tool.sora-lint] profile: unknown profile 'azure' (known: apiyi, auto, "
        f"openai)"]
    assert "Traceback" not in result.stderr
