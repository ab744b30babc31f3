"""The CLI's input and output as ruff users drive it: stdin, check --fix, --add-noqa, the report's streams."""
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import lines, sora_lint

BAD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10", size="720p")\n'
FIXED = BAD.replace('seconds="10"', 'seconds="12"')
TAG = "[profile openai: auto: client has no base_url]"
SOR001 = (f"SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', "
          f"and '12'); use \"8\" or \"12\" {TAG}")
SOR004 = ('SOR004 size="720p" is not a valid size: write it as "WIDTHxHEIGHT" '
          f"(Supported values are: '1280x720' and '720x1280') {TAG}")
PATCH = ('--- a/bad.py\n+++ b/bad.py\n@@ -1,2 +1,2 @@\n from openai import OpenAI\n'
         '-OpenAI().videos.create(model="sora-2", prompt="p", seconds="10", size="720p")\n'
         '+OpenAI().videos.create(model="sora-2", prompt="p", seconds="12", size="720p")\n')


def run_stdin(args, stdin, cwd):
    return sora_lint(args, cwd, stdin=stdin.encode())


def test_check_reads_stdin_with_a_stdin_filename(tmp_path):
    (tmp_path / "gw").mkdir()
    (tmp_path / "gw" / "sora-lint.toml").write_text('select = ["SOR004"]\n')
    result = run_stdin(["check", "--output-format", "concise", "-"], BAD, tmp_path)
    assert (result.returncode, result.stdout.decode().splitlines()) == (
        1, [f"-:2:60: {SOR001}", f"-:2:71: {SOR004}", "Found 2 errors.", "[*] 1 fixable with `sora-lint fix`."])
    # --stdin-filename picks that file's settings (here: only SOR004) and the name in messages.
    result = run_stdin(["check", "--output-format", "concise", "--stdin-filename", "gw/app.py"], BAD, tmp_path)
    assert result.stdout.decode().splitlines() == [f"gw/app.py:2:71: {SOR004}", "Found 1 error."]
    result = run_stdin(["check", "--stdin-filename", "gw/app.py", "-"], BAD.replace('"720p"', '"1280x720"'), tmp_path)
    assert (result.returncode, result.stdout.decode()) == (0, "All checks passed!\n")


def test_fix_on_stdin_writes_the_fixed_source_to_stdout(tmp_path):
    result = run_stdin(["fix", "-"], BAD, tmp_path)
    assert result.stdout.decode() == FIXED
    assert result.returncode == 1  # SOR004 has no fix and remains, reported on stderr
    assert lines(result.stderr.decode())[0] == f"-:2:71: {SOR004}"
    result = run_stdin(["check", "--fix", "--stdin-filename", "x.py"], FIXED.replace('"720p"', '"1280x720"'), tmp_path)
    assert (result.returncode, result.stdout.decode()) == (0, FIXED.replace('"720p"', '"1280x720"'))
    # Bytes that need no change come back byte for byte (CRLF, no final newline).
    odd = "import os\r\nx = 1"
    assert run_stdin(["fix", "-"], odd, tmp_path).stdout == odd.encode()
    result = run_stdin(["check", "--diff", "--stdin-filename", "bad.py"], BAD, tmp_path)
    assert (result.returncode, result.stdout.decode()) == (1, PATCH)


def test_check_fix_rewrites_and_says_what_it_fixed(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    result = cli("check", "--fix", "--show-fixes", "--output-format", "concise", "bad.py")
    assert (tmp_path / "bad.py").read_text() == FIXED
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"bad.py:2:71: {SOR004}",
        "Fixed 1 error:",
        "- bad.py:",
        "    1 \u00d7 SOR001 (seconds-unsupported)",
        "Found 2 errors (1 fixed, 1 remaining).",
    ]
    (tmp_path / "bad.py").write_text(BAD)
    result = cli("check", "--diff", "bad.py")
    assert (result.returncode, result.stdout) == (1, PATCH)
    assert (tmp_path / "bad.py").read_text() == BAD
    assert lines(result.stderr) == ["Found 2 errors (1 fixable, 1 remaining)."]


def test_add_noqa_merges_with_existing_comments(cli, tmp_path):
    source = (
        "from openai import OpenAI\n"
        "c = OpenAI()\n"
        'c.videos.create(model="sora-2", prompt="p", seconds="10")  # noqa: E501\n'
        'c.videos.create(model="sora-2", prompt="p", size="720p")  # keep this comment\n'
        'c.videos.create(model="sora-2", prompt="p", seconds="10", size="720p")\n'
        'c.videos.create(model="sora-2", prompt="""\n'
        'long""", seconds="10")\n'
        'c.videos.create(model="sora-2", prompt="""x\n'
        'y""", seconds="10", size="""720p\n'
        '""")\n'
    )
    (tmp_path / "a.py").write_text(source)
    result = cli("check", "--add-noqa", "a.py")
    assert result.stdout == ""
    assert lines(result.stderr) == [
        "sora-lint: error: a.py:9: a noqa comment here would change the code (the line ends inside a string "
        "or after a backslash); add one by hand",
        "Added 4 noqa directives.",
    ]
    assert result.returncode == 1
    assert (tmp_path / "a.py").read_text() == (
        "from openai import OpenAI\n"
        "c = OpenAI()\n"
        'c.videos.create(model="sora-2", prompt="p", seconds="10")  # noqa: E501, SOR001\n'
        'c.videos.create(model="sora-2", prompt="p", size="720p")  # keep this comment  # noqa: SOR004\n'
        'c.videos.create(model="sora-2", prompt="p", seconds="10", size="720p")  # noqa: SOR001, SOR004\n'
        'c.videos.create(model="sora-2", prompt="""\n'
        'long""", seconds="10")  # noqa: SOR001\n'
        'c.videos.create(model="sora-2", prompt="""x\n'
        'y""", seconds="10", size="""720p\n'
        '""")\n'
    )
    # Only the call whose line could not take a comment is still reported.
    result = cli("check", "--output-format", "json", "a.py")
    assert [(r["code"], r["location"]["row"], r["location"]["column"]) for r in json.loads(result.stdout)] == [
        ("SOR001", 9, 15), ("SOR004", 9, 26)]


FORMATS = ["text", "concise", "json", "json-lines", "github", "sarif"]


def parse(fmt, text):
    """Parse a report with its format's own reader; fail on anything it does not accept."""
    if fmt in ("json", "sarif"):
        return json.loads(text)
    if fmt == "json-lines":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "github":
        assert all(re.match(r"^::error file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=SOR\d{3}::", line)
                   for line in text.splitlines()), text
        return text.splitlines()
    return text


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_output_combination_parses_or_is_a_usage_error(cli, tmp_path, fmt):
    (tmp_path / "bad.py").write_text(BAD)
    machine = fmt not in ("text", "concise")
    for extra in ([], ["--statistics"]):
        result = cli("check", "--output-format", fmt, *extra, "bad.py")
        if extra and fmt in ("github", "sarif"):
            assert (result.returncode, result.stdout) == (2, "")
            assert lines(result.stderr) == [
                f"sora-lint: error: --statistics prints counts per code, which --output-format {fmt} has no place "
                "for: use text, concise, json or json-lines"]
            continue
        assert result.returncode == 1
        parsed = parse(fmt, result.stdout)
        if extra and fmt == "json":
            assert parsed == [{"code": "SOR001", "name": "seconds-unsupported", "count": 1, "fixable": True},
                              {"code": "SOR004", "name": "size-malformed", "count": 1, "fixable": False}]
        elif fmt == "json":
            assert [row["code"] for row in parsed] == ["SOR001", "SOR004"]
        elif fmt == "sarif":
            assert [r["ruleId"] for r in parsed["runs"][0]["results"]] == ["SOR001", "SOR004"]
    # A diff and a machine report never share stdout: a usage error, or the report goes to --output-file.
    result = cli("fix", "--diff", "--output-format", fmt, "bad.py")
    if machine:
        assert (result.returncode, result.stdout) == (2, "")
        assert "--diff prints a patch on stdout" in result.stderr
        result = cli("fix", "--diff", "--output-format", fmt, "--output-file", "report.out", "bad.py")
        parsed = parse(fmt, (tmp_path / "report.out").read_text())
        if fmt == "json":
            assert [row["code"] for row in parsed] == ["SOR004"]
    assert (result.returncode, result.stdout) == (1, PATCH)
    assert (tmp_path / "bad.py").read_text() == BAD


def test_output_file_color_and_quiet(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    result = cli("check", "--output-format", "concise", "-o", "out.txt", "bad.py")
    assert (result.returncode, result.stdout) == (1, "")
    assert (tmp_path / "out.txt").read_text().splitlines() == [
        f"bad.py:2:60: {SOR001}", f"bad.py:2:71: {SOR004}", "Found 2 errors.", "[*] 1 fixable with `sora-lint fix`."]
    result = cli("check", "--fix", "-o", "no/such/folder/out.txt", "bad.py")
    assert (result.returncode, result.stdout) == (2, "")
    assert lines(result.stderr) == ["sora-lint: error: no/such/folder/out.txt: cannot be written: No such file or "
                                    "directory"]
    assert (tmp_path / "bad.py").read_text() == BAD  # stopped before fixing anything
    result = cli("check", "--output-format", "concise", "-q", "bad.py")
    assert result.stdout.splitlines() == [f"bad.py:2:60: {SOR001}", f"bad.py:2:71: {SOR004}"]
    coloured = cli("check", "--output-format", "concise", "--color", "always", "bad.py").stdout
    assert coloured.startswith("\x1b[1mbad.py:2:60:\x1b[0m \x1b[1;31mSOR001\x1b[0m")
    env = dict(os.environ, FORCE_COLOR="1")
    env.pop("NO_COLOR", None)
    forced = subprocess.run([sys.executable, "-m", "sora_lint", "check", "--output-format", "concise", "bad.py"],
                            cwd=str(tmp_path), capture_output=True, text=True, env=env, timeout=300)
    assert forced.stdout == coloured
    env["NO_COLOR"] = "1"
    never = subprocess.run(
        [sys.executable, "-m", "sora_lint", "check", "--output-format", "concise", "--color", "never", "bad.py"],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert "\x1b[" not in never.stdout


def test_version_missing_paths_and_empty_runs(cli, tmp_path):
    result = cli("--version")
    assert (result.returncode, result.stderr) == (0, "")
    assert re.fullmatch(r"sora-lint \S+\n", result.stdout)
    (tmp_path / "good.py").write_text("x = 1\n")
    result = cli("check", "good.py", "missing.py")
    assert (result.returncode, result.stdout) == (2, "")
    assert lines(result.stderr) == ["sora-lint: error: missing.py: no such file or directory"]
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no python here\n")
    result = cli("check", "empty")
    assert (result.returncode, result.stdout) == (0, "")
    assert lines(result.stderr) == ["sora-lint: warning: no Python files found under the given paths"]
    assert cli("check", "--output-format", "json", "empty").stdout == "[]\n"


def test_a_closed_pipe_ends_quietly(tmp_path):
    for i in range(40):
        (tmp_path / f"bad{i:02}.py").write_text(BAD)
    env = dict(os.environ, NO_COLOR="1")
    shell = f"{sys.executable} -m sora_lint check --no-cache --output-format concise . | head -n 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=str(tmp_path), capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.stdout == f"bad00.py:2:60: {SOR001}\n"
    assert result.stderr == ""


def test_fix_on_stdin_shows_what_is_left_on_the_lines_of_the_fixed_source(tmp_path):
    # The fix joins a concatenation written over two lines, so every later line moves up by one:
    # the snippet under a remaining finding must be that finding's line in the fixed text.
    source = ('from openai import OpenAI\nclient = OpenAI()\n'
              'client.videos.create(model="sora-2", prompt="p", size=("1792"\n'
              '                                                      "x1024"))\n'
              'client.videos.create(model="sora-2", prompt="p", size="720p")\n')
    fixed = source.replace('("1792"\n                                                      "x1024")', '("1280x720")')
    result = run_stdin(["fix", "-"], source, tmp_path)
    assert (result.returncode, result.stdout.decode()) == (1, fixed)
    assert result.stderr.decode().splitlines() == [
        f"-:4:55: {SOR004}",
        '4 | client.videos.create(model="sora-2", prompt="p", size="720p")',
        "  |                                                       ^^^^^^",
        "",
    ]


def test_a_named_file_that_is_not_python_is_an_error_not_a_pass(cli, tmp_path):
    # JSON parses as a Python dict: checked as Python it would "pass" whatever it calls.
    (tmp_path / "data.json").write_text('{"cells": [{"source": ["client.videos.create(seconds=10)"]}]}\n')
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "render").write_text(BAD)  # a script without a suffix is Python, as ruff and pre-commit see it
    error = "sora-lint: error: data.json: not a Python file (.py, .pyi) or notebook (.ipynb), so it was not checked"
    result = cli("check", "data.json")
    assert (result.returncode, result.stdout, lines(result.stderr)) == (2, "", [error])
    result = cli("check", "--output-format", "concise", "bad.py", "data.json", "render")
    assert (result.returncode, lines(result.stderr)) == (2, [error])
    assert lines(result.stdout) == [f"bad.py:2:60: {SOR001}", f"bad.py:2:71: {SOR004}",
                                    f"render:2:60: {SOR001}", f"render:2:71: {SOR004}",
                                    "Found 4 errors.", "[*] 2 fixable with `sora-lint fix`."]
    # In a folder, only Python files and notebooks are looked at: other files are no error there.
    (tmp_path / "nb").mkdir()
    (tmp_path / "data.json").rename(tmp_path / "nb" / "data.json")
    result = cli("check", "nb")
    warning = "sora-lint: warning: no Python files found under the given paths"
    assert (result.returncode, lines(result.stderr)) == (0, [warning])
