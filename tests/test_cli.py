"""The CLI as a user runs it: a process, its output and its exit status."""
import json
import shutil
import textwrap

from conftest import AFTER_SHUTDOWN, FIXTURES, lines

from sora_lint.rules import rule_codes

BAD = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI()
    client.videos.create(model="sora-2", prompt="p", seconds="10")
''')
GOOD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="8")\n'
KNOWN_CODES = ", ".join(rule_codes())  # SOR000, SOR001, ...: derived from the rules
MESSAGE = ("SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
           "use \"8\" or \"12\" [profile openai: auto: client has no base_url]")


def test_exit_codes(cli, tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    result = cli("check", "good.py")
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")
    (tmp_path / "bad.py").write_text(BAD)
    result = cli("check", "--output-format", "concise", ".")
    assert result.returncode == 1
    assert lines(result.stdout) == [f"bad.py:4:58: {MESSAGE}", "Found 1 error.", "[*] 1 fixable with `sora-lint fix`."]
    assert cli("check", "--exit-zero", ".").returncode == 0


def test_usage_errors_exit_2(cli, tmp_path):
    result = cli("check", "--output-format", "yaml", ".")
    assert result.returncode == 2
    assert "invalid choice: 'yaml'" in result.stderr
    result = cli("check", "missing.py")
    assert (result.returncode, lines(result.stderr)) == (2, ["sora-lint: error: missing.py: no such file or directory"])
    result = cli("check", "--select", "SOR999", ".")
    assert (result.returncode, lines(result.stderr)) == (
        2, [f"sora-lint: error: command line: unknown rule code 'SOR999' (known: {KNOWN_CODES})"])
    result = cli("check", "--profile", "azure", ".")
    assert (result.returncode, lines(result.stderr)) == (
        2, ["sora-lint: error: command line: unknown profile 'azure' (known: apiyi, auto, openai)"])


def test_json_output_has_ruffs_keys(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    result = cli("check", "--output-format", "json", "bad.py")
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "cell": None,
            "code": "SOR001",
            "end_location": {"row": 4, "column": 62},
            "filename": str(tmp_path / "bad.py"),
            "fix": {
                "applicability": "safe",
                "message": 'Replace with "12", the nearest supported duration',
                "edits": [
                    {"content": '"12"', "location": {"row": 4, "column": 58}, "end_location": {"row": 4, "column": 62}}
                ],
            },
            "location": {"row": 4, "column": 58},
            "message": MESSAGE.replace("SOR001 [*] ", ""),
            "noqa_row": 4,
            "url": "https://github.com/sora-lint/sora-lint/blob/main/docs/rules/SOR001.md",
        }
    ]


def test_noqa(cli, tmp_path):
    # One run over five files, one case each (a process per case cost five start-ups for the same checks).
    cases = {
        "a_code.py": (BAD.replace('seconds="10")', 'seconds="10")  # noqa: SOR001'), False),
        "b_other_code.py": (BAD.replace('seconds="10")', 'seconds="10")  # noqa: SOR002'), True),
        "c_bare.py": (BAD.replace('seconds="10")', 'seconds="10")  # noqa'), False),
        "d_file.py": ("# sora-lint: noqa\n" + BAD, False),
        # A mention in a comment after code is not a file-level exemption.
        "e_mention.py": ("x = 1  # sora-lint: noqa\n" + BAD, True),
    }
    for name, (source, _reported) in cases.items():
        (tmp_path / name).write_text(source)
    result = cli("check", "--output-format", "concise", ".")
    assert result.returncode == 1
    reported = sorted({line.split(":")[0] for line in lines(result.stdout) if ": SOR" in line})
    assert reported == [name for name, (_source, shown) in cases.items() if shown]


def test_select_and_ignore(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD.replace('seconds="10"', "seconds=8"))  # SOR002
    (tmp_path / "more.py").write_text(BAD)  # SOR001
    assert [line.split()[1] for line in lines(cli("check", "--output-format", "concise", ".").stdout)[:-2]] == [
        "SOR002",
        "SOR001",
    ]
    assert [
        line.split()[1]
        for line in lines(cli("check", "--output-format", "concise", "--select", "SOR002", ".").stdout)[:-2]
    ] == ["SOR002"]
    assert [
        line.split()[1]
        for line in lines(cli("check", "--output-format", "concise", "--ignore", "SOR001", ".").stdout)[:-2]
    ] == ["SOR002"]
    assert cli("check", "--ignore", "SOR", "bad.py").returncode == 0


def test_syntax_error_is_reported_and_the_run_goes_on(cli, tmp_path):
    (tmp_path / "a_broken.py").write_text("import openai\nclient.videos.create(seconds=10\n")
    (tmp_path / "b.py").write_text(BAD)
    result = cli("check", "--output-format", "concise", ".")
    assert result.returncode == 1
    out = lines(result.stdout)
    assert (
        out[0]
        == "a_broken.py:2:21: SOR000 could not parse this file, so it was not checked: SyntaxError: '(' was never "
           "closed"
    )
    assert out[1] == f"b.py:4:58: {MESSAGE}"


def test_configuration_from_pyproject(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD.replace('seconds="10"', "seconds=8"))
    assert cli("check", "bad.py").returncode == 1  # int under openai
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "apiyi"\n')
    assert cli("check", "bad.py").returncode == 0
    settings = cli("show-settings").stdout
    assert f"config file: {tmp_path / 'pyproject.toml'}" in settings
    assert "profile: apiyi  [set in pyproject.toml]" in settings
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nignore = ["SOR002"]\nexclude = ["gen_*.py"]\n')
    assert cli("check", "bad.py").returncode == 0
    shutil.copy(tmp_path / "bad.py", tmp_path / "gen_bad.py")
    (tmp_path / "bad.py").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nexclude = ["gen_*.py"]\n')
    assert cli("check", ".").returncode == 0  # excluded in a directory walk
    assert cli("check", "gen_bad.py").returncode == 1  # named explicitly
    assert cli("check", "--force-exclude", "gen_bad.py").returncode == 0


def test_bad_configuration_exits_2_naming_file_and_key(cli, tmp_path):
    (tmp_path / "a.py").write_text(GOOD)
    cases = {
        '[tool.sora-lint]\nprofile = "azure"\n':
            "[tool.sora-lint] profile: unknown profile 'azure' (known: apiyi, auto, openai)",
        '[tool.sora-lint]\nselect = ["SOR9"]\n':
            f"[tool.sora-lint] select: unknown rule code 'SOR9' (known: {KNOWN_CODES})",
        '[tool.sora-lint]\nprofle = "apiyi"\n':
            "[tool.sora-lint] profle: unknown key (known: cache-dir, exclude, extend-exclude, extend-select, "
            "fallback-profile, ignore, max-file-size, per-file-ignores, profile, profiles, select)",
    }
    for toml, message in cases.items():
        (tmp_path / "pyproject.toml").write_text(toml)
        result = cli("check", "a.py")
        assert (result.returncode, lines(result.stderr)) == (2, [f"sora-lint: error: {tmp_path / 'pyproject.toml'}: "
                                                                 f"{message}"])
    (tmp_path / "pyproject.toml").write_text("[tool.sora-lint\n")
    result = cli("check", "a.py")
    assert result.returncode == 2
    assert result.stderr.startswith(f"sora-lint: error: {tmp_path / 'pyproject.toml'}: not valid TOML: ")
    assert "Traceback" not in result.stderr


def test_gitignore_and_virtualenvs_are_skipped(cli, tmp_path):
    for folder in ("src", "build_out", ".venv", "env"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bad.py").write_text(BAD)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("build_out/\n")
    result = cli("check", "--output-format", "concise", ".")
    assert [line.split(":")[0] for line in lines(result.stdout)[:-2]] == ["src/bad.py"]


def test_fixtures_report_real_findings(cli):
    result = cli("check", "fixtures", cwd=FIXTURES.parent)
    assert result.returncode == 1
    found = lines(result.stdout)
    assert not any(line.startswith(("fixtures/official_sdk_ok.py", "fixtures/not_sora.py")) for line in found)
    assert found[-2:] == ["Found 28 errors.", "[*] 28 fixable with `sora-lint fix`."]


def test_the_ok_fixture_after_the_shutdown_has_only_the_shutdown_to_report(cli):
    # What the Quick start shows today: its parameters are valid, its server is gone (the file says why).
    result = cli("check", "--no-cache", "--output-format", "json", "fixtures/official_sdk_ok.py",
                 cwd=FIXTURES.parent, today=AFTER_SHUTDOWN)
    assert result.returncode == 1
    # Once, at the client every call goes through (row 11), not at each of its 4 calls.
    assert [(d["code"], d["location"]["row"]) for d in json.loads(result.stdout)] == [("SOR006", 11)]
    assert "SOR006 reports" in (FIXTURES / "official_sdk_ok.py").read_text().split('"""')[0]


def test_rule_command(cli):
    result = cli("rule", "SOR001")
    assert result.returncode == 0
    assert result.stdout.startswith("# SOR001 (seconds-unsupported)\n\n## What it does\n")
    assert cli("rule", "SOR123").returncode == 2


def test_files_that_cannot_hold_a_sora_call_are_not_parsed(cli, tmp_path):
    # Python 2 syntax, but no Sora call possible: the prefilter skips it, so no SOR000.
    (tmp_path / "legacy.py").write_text("print 'hello'\n")
    assert cli("check", "legacy.py").returncode == 0
    (tmp_path / "legacy.py").write_text("import openai\nprint 'hello'\nclient.videos.create(seconds=4)\n")
    result = cli("check", "legacy.py")
    assert lines(result.stdout)[0] == (
        "legacy.py:2:1: SOR000 could not parse this file, so it was not checked: "
        "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?")


def test_a_folder_named_on_the_command_line_is_walked_even_if_its_name_is_excluded(cli, tmp_path):
    (tmp_path / "dist" / "pkg").mkdir(parents=True)
    (tmp_path / "dist" / "pkg" / "bad.py").write_text(BAD)
    assert cli("check", ".").returncode == 0  # dist/ is skipped in a walk from above
    result = cli("check", "--output-format", "concise", "dist")
    assert lines(result.stdout)[0].startswith("dist/pkg/bad.py:4:58: SOR001")
