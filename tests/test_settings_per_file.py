"""Settings per file, as ruff finds them: the CLI and the flake8 plugin as processes on a nested tree."""

from conftest import codemod, lines

from sora_lint.rules import rule_codes

CODE = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10", size="720p")\n'
SIZES = "(Supported values are: '1280x720' and '720x1280')"


def sor001(tag):
    advice = "8 or 12" if "apiyi" in tag else '"8" or "12"'  # as the fix writes it, in the contract's type
    # Under apiyi the string "10" is of the wrong type too: the same finding, not a second one (SOR002).
    return (f"SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', "
            f"and '12'); use {advice} [{tag}]")


def sor004(tag):
    return f'SOR004 size="720p" is not a valid size: write it as "WIDTHxHEIGHT" {SIZES} [{tag}]'


OPENAI = "profile openai: auto: client has no base_url"


def findings(result):
    return lines(result.stdout)[:-2] if result.stdout.rstrip().endswith("sora-lint "
                                                                        "fix`.") else lines(result.stdout)[:-1]


def tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_each_file_gets_the_nearest_configuration_above_it(cli, tmp_path):
    tree(tmp_path, {
        "pyproject.toml": '[tool.sora-lint]\nexclude = ["generated"]\n',
        "top.py": CODE,
        "generated/gen.py": CODE,
        # A pyproject.toml without [tool.sora-lint] is not a configuration: the search goes on above it.
        "plain/pyproject.toml": "[project]\nname = 'x'\n",
        "plain/p.py": CODE,
        "proj/pyproject.toml": '[tool.sora-lint]\nprofile = "apiyi"\nignore = ["SOR004"]\nexclude = ["legacy"]\n',
        "proj/b.py": CODE,
        "proj/legacy/old.py": CODE,
        # The parent's exclude does not apply below a folder with its own configuration.
        "proj/generated/g.py": CODE,
        "proj/sub/sora-lint.toml": 'select = ["SOR004"]\n',
        "proj/sub/c.py": CODE,
    })
    result = cli("check", "--output-format", "concise", "--no-cache", ".")
    apiyi = "profile apiyi: set in pyproject.toml"
    assert findings(result) == [
        f"plain/p.py:2:60: {sor001(OPENAI)}",
        f"plain/p.py:2:71: {sor004(OPENAI)}",
        f"proj/b.py:2:60: {sor001(apiyi)}",
        f"proj/generated/g.py:2:60: {sor001(apiyi)}",
        f"proj/sub/c.py:2:71: {sor004(OPENAI)}",
        f"top.py:2:60: {sor001(OPENAI)}",
        f"top.py:2:71: {sor004(OPENAI)}",
    ]
    # The same files from inside the project, and named one by one: the same settings each.
    inside = cli("check", "--output-format", "concise", "--no-cache", "b.py", "sub", cwd=tmp_path / "proj")
    assert findings(inside) == [f"b.py:2:60: {sor001(apiyi)}", f"sub/c.py:2:71: {sor004(OPENAI)}"]
    # --config replaces every file's own configuration.
    (tmp_path / "only.toml").write_text('select = ["SOR001"]\n')
    forced = cli("check", "--output-format", "concise", "--no-cache", "--config", "only.toml", "proj")
    assert findings(forced) == [f"proj/b.py:2:60: {sor001(OPENAI)}", f"proj/generated/g.py:2:60: {sor001(OPENAI)}",
                                f"proj/legacy/old.py:2:60: {sor001(OPENAI)}", f"proj/sub/c.py:2:60: {sor001(OPENAI)}"]


def test_selection_like_ruff(cli, tmp_path):
    tree(tmp_path, {
        "pyproject.toml": ('[tool.sora-lint]\nignore = ["SOR004"]\nselect = ["SOR001"]\nextend-select = ["SOR004"]\n'
                           '[tool.sora-lint.per-file-ignores]\n"tests/*" = ["SOR001"]\n'),
        "a.py": CODE,
        "tests/t.py": CODE,
    })
    # select SOR001 + extend-select SOR004, with SOR004 ignored: ignore wins a tie in the same layer.
    result = cli("check", "--output-format", "concise", "--no-cache", ".")
    assert findings(result) == [f"a.py:2:60: {sor001(OPENAI)}"]
    # An explicit --select on the command line wins over the configuration's ignore.
    result = cli("check", "--output-format", "concise", "--no-cache", "--select", "SOR004", ".")
    assert findings(result) == [f"a.py:2:71: {sor004(OPENAI)}", f"tests/t.py:2:71: {sor004(OPENAI)}"]
    result = cli(
        "check", "--output-format", "concise", "--no-cache", "--extend-select", "SOR004", "--ignore", "SOR001", "."
    )
    assert findings(result) == [f"a.py:2:71: {sor004(OPENAI)}", f"tests/t.py:2:71: {sor004(OPENAI)}"]
    shown = cli("show-settings", "tests/t.py").stdout
    config = str(tmp_path / "pyproject.toml")
    assert f"ignore: SOR004  [{config}]" in shown
    assert f"per-file-ignores: tests/* = SOR001  [{config}]" in shown
    assert "then per-file-ignores of tests/t.py: ignore SOR001" in shown
    assert shown.splitlines()[-1] == "enabled: (none)"
    shown = cli("show-settings", "--select", "SOR004", "a.py").stdout
    assert "then command line: select SOR004" in shown
    assert shown.splitlines()[-1] == "enabled: SOR004"
    assert "fallback-profile: openai  [default]" in shown


def test_show_settings_names_where_each_value_came_from(cli, tmp_path):
    tree(tmp_path, {"pkg/sora-lint.toml": 'profile = "apiyi"\nexclude = ["gen"]\n', "pkg/m.py": CODE})
    result = cli("show-settings", "pkg/m.py")
    config = str(tmp_path / "pkg" / "sora-lint.toml")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"config file: {config}",
        "profile: apiyi  [set in sora-lint.toml]",
        "fallback-profile: openai  [default]",
        "select: (all)  [default]",
        "extend-select: (none)  [default]",
        "ignore: (none)  [default]",
        "per-file-ignores: (none)  [default]",
        f"exclude: gen  [{config}]",
        "cache-dir: (default)  [default]",
        "profiles: apiyi, openai",
        "enabled: " + ", ".join(rule_codes()),
    ]
    assert cli("show-settings", "nowhere.py").returncode == 2


def test_parent_gitignore_files_apply_up_to_the_repository_root(cli, tmp_path):
    outside = tmp_path / "outside"
    repo = outside / "repo"
    tree(outside, {
        ".gitignore": "*.py\n",  # above the repository: not git's business
        "repo/.gitignore": "build_out/\n",
        "repo/sub/.gitignore": "skip.py\n",
        "repo/sub/build_out/x.py": CODE,
        "repo/sub/pkg/skip.py": CODE,
        "repo/sub/pkg/kept.py": CODE,
    })
    (repo / ".git").mkdir()
    result = cli("check", "--output-format", "concise", "--no-cache", "--select", "SOR001", "pkg", cwd=repo / "sub")
    assert findings(result) == [f"pkg/kept.py:2:60: {sor001(OPENAI)}"]


def test_a_bad_profile_is_a_message_in_every_front_end(cli, flake8, tmp_path):
    tree(tmp_path, {"a.py": CODE})
    result = cli("check", "--profile", "azure", "a.py")
    assert (result.returncode, lines(result.stderr)) == (
        2, ["sora-lint: error: command line: unknown profile 'azure' (known: apiyi, auto, openai)"])
    result = flake8("--sora-profile", "azure", "a.py")
    assert "Traceback" not in result.stderr
    assert lines(result.stdout) == [
        "a.py:1:1: SOR000 sora-lint is not configured correctly, so this file was not checked: "
        "--sora-profile: unknown profile 'azure' (known: apiyi, auto, openai)"]


def test_flake8_plugin_uses_each_files_settings_and_says_where_the_profile_came_from(flake8, tmp_path):
    tree(tmp_path, {
        "pyproject.toml": '[tool.sora-lint]\nexclude = ["generated"]\n',
        "generated/g.py": CODE,
        "a.py": CODE,
        "proj/sora-lint.toml": 'ignore = ["SOR004"]\n',
        "proj/b.py": CODE,
    })
    result = flake8("--select", "SOR001,SOR004", ".")
    assert sorted(lines(result.stdout)) == [
        f"./a.py:2:60: {sor001(OPENAI).replace(' [*]', '')}",
        f"./a.py:2:71: {sor004(OPENAI)}",
        f"./proj/b.py:2:60: {sor001(OPENAI).replace(' [*]', '')}",
    ]
    (tmp_path / ".flake8").write_text("[flake8]\nsora-profile = apiyi\n")
    found = lines(flake8("--select", "SOR001", "a.py").stdout)
    assert found == [f"a.py:2:60: "
                     f"{sor001('profile apiyi: set by sora-profile in the flake8 configuration').replace(' [*]', '')}"]
    found = lines(flake8("--select", "SOR001", "--sora-profile", "apiyi", "a.py").stdout)
    assert found == [f"a.py:2:60: {sor001('profile apiyi: set by --sora-profile').replace(' [*]', '')}"]


def test_codemod_uses_the_same_resolution(tmp_path):

    tree(tmp_path, {"proj/sora-lint.toml": 'ignore = ["SOR001"]\n', "proj/a.py": CODE, "b.py": CODE})
    result = codemod(".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "proj" / "a.py").read_text() == CODE
    assert (tmp_path / "b.py").read_text() == CODE.replace('seconds="10"', 'seconds="12"')
    result = codemod("--profile", "azure", "proj", cwd=tmp_path)
    assert "unknown profile 'azure'" in result.stderr
    assert "KeyError" not in result.stderr


def test_show_settings_says_auto_is_the_default_when_nothing_set_it(cli, tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    assert "profile: auto  [default]\n" in cli("show-settings", "a.py").stdout
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "auto"\n')
    assert "profile: auto  [set in pyproject.toml]\n" in cli("show-settings", "a.py").stdout
    assert "profile: openai  [set by --profile]\n" in cli("show-settings", "--profile", "openai", "a.py").stdout


def test_a_walks_listing_spares_lookups_but_finds_the_same_configuration(tmp_path, monkeypatch):
    from sora_lint.run import resolve

    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "sora-lint.toml").write_text('ignore = ["SOR004"]\n')
    (tmp_path / "a" / "b" / "pyproject.toml").write_text("[tool.other]\n")  # not sora-lint's
    looked = []
    real_lookup = resolve.config_in_folder
    monkeypatch.setattr(resolve, "config_in_folder", lambda folder: looked.append(folder) or real_lookup(folder))
    listed = resolve.SettingsResolver(cwd=str(tmp_path))
    for folder, names in (("a", ["sora-lint.toml"]), ("a/b", ["pyproject.toml", "x.py"]), ("a/b/c", ["y.py"])):
        assert listed.config_file(str(tmp_path / folder), names) == str(tmp_path / "a" / "sora-lint.toml")
    assert str(tmp_path / "a" / "b" / "c") not in looked  # nothing to look up there
    assert str(tmp_path / "a" / "b") in looked  # a pyproject.toml is read to see whether it has the table
    unlisted = resolve.SettingsResolver(cwd=str(tmp_path))
    for folder in ("a", "a/b", "a/b/c"):
        assert unlisted.config_file(str(tmp_path / folder)) == str(tmp_path / "a" / "sora-lint.toml")
