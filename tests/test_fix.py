"""Fixes: exact rewritten source, idempotent, parseable, and files that need nothing left alone."""
import os
import stat
import sys
import textwrap

import pytest
from conftest import codemod, fixed, lines, run, run_on_a_terminal

from sora_lint.engine import lint_source

APIYI = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.apiyi.com/v1")\n'
OPENAI = "from openai import OpenAI\nclient = OpenAI()\n"


@pytest.mark.parametrize("head, before, after", [
    (APIYI, 'seconds=10', 'seconds=12'),
    (APIYI, 'seconds=6', 'seconds=8'),
    (APIYI, 'seconds=5', 'seconds=4'),
    (APIYI, 'seconds=30', 'seconds=12'),
    (APIYI, 'seconds="8"', 'seconds=8'),
    (APIYI, 'seconds=8.0', 'seconds=8'),
    (APIYI, 'seconds="10"', 'seconds=12'),
    (OPENAI, 'seconds=8', 'seconds="8"'),
    (OPENAI, 'seconds="10"', 'seconds="12"'),
    (OPENAI, 'seconds=10', 'seconds="12"'),
    (OPENAI, 'seconds=8.0', 'seconds="8"'),
    (OPENAI, 'size="1792x1024"', 'size="1280x720"'),
    (OPENAI, "size='1024x1792'", "size='720x1280'"),
    (OPENAI, 'size="1280*720"', 'size="1280x720"'),
    (OPENAI, 'size="1792 x 1024"', 'size="1280x720"'),  # two rounds: canonical form, then a size sora-2 renders
])
def test_safe_fixes_on_sora2(head, before, after):
    call = 'client.videos.create(model="sora-2", prompt="p", {})\n'
    assert fixed(head + call.format(before)) == head + call.format(after)


def test_pro_durations_under_apiyi():
    call = 'client.videos.create(model="sora-2-pro", prompt="p", seconds={})\n'
    assert fixed(APIYI + call.format(20)) == APIYI + call.format(25)
    assert fixed(APIYI + call.format(12)) == APIYI + call.format(10)


def test_model_typo_then_its_duration():
    before = APIYI + 'client.videos.create(model="Sora-2-Pro", prompt="p", seconds=12)\n'
    assert fixed(before) == APIYI + 'client.videos.create(model="sora-2-pro", prompt="p", seconds=10)\n'


def test_unsafe_fix_switches_the_model_only_when_asked():
    before = APIYI + 'client.videos.create(model="sora-2", prompt="p", seconds=10)\n'
    assert fixed(before) == APIYI + 'client.videos.create(model="sora-2", prompt="p", seconds=12)\n'
    assert fixed(before, unsafe=True) == APIYI + 'client.videos.create(model="sora-2-pro", prompt="p", seconds=10)\n'


def test_unsafe_fix_adds_the_model_in_the_calls_own_layout():
    before = OPENAI + textwrap.dedent('''\
        video = client.videos.create(  # render
            prompt="a lighthouse",  # the subject
            size="1792x1024",  # wide
        )
    ''')
    after = OPENAI + textwrap.dedent('''\
        video = client.videos.create(  # render
            prompt="a lighthouse",  # the subject
            size="1792x1024",  # wide
            model="sora-2-pro",
        )
    ''')
    assert fixed(before, unsafe=True) == after
    single = OPENAI + 'client.videos.create(prompt="p", size="1024x1792")\n'
    assert (
        fixed(single, unsafe=True)
        == OPENAI + 'client.videos.create(prompt="p", size="1024x1792", model="sora-2-pro")\n'
    )


def test_multiline_call_keeps_every_comment():
    before = APIYI + textwrap.dedent('''\
        def render(prompt):
            return client.videos.create(
                # the cheap model
                model="sora-2",
                prompt=prompt,
                seconds=10,  # marketing wants ten
                size = "1792x1024" ,  # odd spacing stays
            )
    ''')
    assert fixed(before) == before.replace("seconds=10", "seconds=12").replace('"1792x1024"', '"1280x720"')


def test_value_behind_a_name_is_fixed_at_its_binding():
    before = APIYI + "DURATION = 10  # seconds\nclient.videos.create(model='sora-2', prompt='p', seconds=DURATION)\n"
    assert fixed(before) == before.replace("DURATION = 10", "DURATION = 12")


def test_name_used_elsewhere_is_not_fixed_and_says_why():
    before = (
        APIYI + "DURATION = 10\nclient.videos.create(model='sora-2', prompt='p', seconds=DURATION)\nprint(DURATION)\n"
    )
    assert fixed(before) == before
    [d] = lint_source(before, "t.py")
    assert "(not fixed automatically: DURATION is used elsewhere too)" in d.message
    assert [f.applicability for f in d.fixes] == ["unsafe"]  # switching the model is still offered


def test_params_dict_is_fixed_in_place():
    before = APIYI + textwrap.dedent('''\
        params = {
            "model": "sora-2",
            "seconds": "8",  # from the SDK docs
            "size": "1280*720",
        }
        client.videos.create(prompt="p", **params)
    ''')
    assert fixed(before) == before.replace('"seconds": "8"', '"seconds": 8').replace('"1280*720"', '"1280x720"')
    via_dict_call = APIYI + 'params = dict(model="sora-2", seconds=10)\nclient.videos.create(prompt="p", **params)\n'
    assert fixed(via_dict_call) == via_dict_call.replace("seconds=10", "seconds=12")


def test_shared_params_dict_is_not_fixed():
    before = (
        APIYI
        + 'params = {"model": "sora-2", "seconds": 10}\nclient.videos.create(**params)\n'
          'client.videos.create_and_poll(**params)\n'
    )
    assert fixed(before) == before
    assert all("params is used elsewhere too" in d.message for d in lint_source(before, "t.py"))


def test_noqa_findings_are_not_fixed():
    before = APIYI + 'client.videos.create(model="sora-2", prompt="p", seconds=10)  # noqa: SOR001\n'
    assert fixed(before) == before


# --- the CLI ------------------------------------------------------------------------

BAD = OPENAI + 'client.videos.create(model="sora-2", prompt="p", seconds="10")\n'
GOOD = OPENAI + 'client.videos.create(model="sora-2", prompt="p", seconds="8")\n'


def test_fix_writes_and_summarises(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "good.py").write_text(GOOD)
    good_stat = os.stat(tmp_path / "good.py")
    result = cli("fix", ".")
    assert (result.returncode, lines(result.stdout)) == (0, ["1 fix applied in 1 file, 0 findings left."])
    assert (tmp_path / "bad.py").read_text() == BAD.replace('"10"', '"12"')
    assert os.stat(tmp_path / "good.py").st_mtime_ns == good_stat.st_mtime_ns
    assert cli("fix", ".").stdout == "0 fixes applied in 0 files, 0 findings left.\n"


def test_fix_leaves_choices_and_exits_1(cli, tmp_path):
    source = APIYI + "S = 10\nclient.videos.create(model='sora-2', prompt='p', seconds=S)\nprint(S)\n"
    (tmp_path / "a.py").write_text(source)
    result = cli("fix", "a.py")
    assert result.returncode == 1
    assert lines(result.stdout)[-1] == "0 fixes applied in 0 files, 1 finding left (1 fixable with `--unsafe-fixes`)."
    assert (tmp_path / "a.py").read_text() == source


def test_diff_writes_nothing_and_fails(cli, tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    result = cli("fix", "--diff", "bad.py")
    assert result.returncode == 1
    assert result.stdout == (
        "--- a/bad.py\n+++ b/bad.py\n@@ -1,3 +1,3 @@\n from openai import OpenAI\n client = OpenAI()\n"
        '-client.videos.create(model="sora-2", prompt="p", seconds="10")\n'
        '+client.videos.create(model="sora-2", prompt="p", seconds="12")\n'
    )
    assert result.stderr == "1 fix would be applied in 1 file, 0 findings left.\n"
    assert (tmp_path / "bad.py").read_text() == BAD
    (tmp_path / "bad.py").write_text(GOOD)
    assert cli("fix", "--diff", "bad.py").returncode == 0


def test_line_endings_bom_and_encoding_are_kept(cli, tmp_path):
    crlf = BAD.replace("\n", "\r\n").encode()
    (tmp_path / "crlf.py").write_bytes(crlf)
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + BAD.encode())
    latin = ("# -*- coding: latin-1 -*-\n# caf\u00e9\n" + BAD).encode("latin-1")
    (tmp_path / "latin.py").write_bytes(latin)
    mixed = (OPENAI + "x = 1\r\n" + 'client.videos.create(model="sora-2", prompt="p", seconds="10")\r\n').encode()
    (tmp_path / "mixed.py").write_bytes(mixed)
    assert cli("fix", ".").returncode == 0
    assert (tmp_path / "crlf.py").read_bytes() == crlf.replace(b'"10"', b'"12"')
    assert (tmp_path / "bom.py").read_bytes() == b"\xef\xbb\xbf" + BAD.replace('"10"', '"12"').encode()
    assert (tmp_path / "latin.py").read_bytes() == latin.replace(b'"10"', b'"12"')
    assert (tmp_path / "mixed.py").read_bytes() == mixed.replace(b'"10"', b'"12"')


def test_mode_bits_are_kept(cli, tmp_path):
    path = tmp_path / "script.py"
    path.write_text(BAD)
    os.chmod(path, 0o750)
    assert cli("fix", "script.py").returncode == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["script.py"]  # no temporary file left behind


def test_read_only_file_is_reported_not_written(cli, tmp_path):
    path = tmp_path / "ro.py"
    path.write_text(BAD)
    os.chmod(path, 0o444)
    result = cli("fix", "ro.py")
    assert result.returncode == 1
    assert lines(result.stderr) == ["sora-lint: error: ro.py: is read-only, so its 1 fix(es) were not written"]
    assert path.read_text() == BAD


def test_libcst_codemod_gives_the_same_bytes(cli, tmp_path):
    source = APIYI + textwrap.dedent('''\
        DURATION = 10  # seconds
        def render(prompt):
            return client.videos.create(
                model="sora2",  # typo
                prompt=prompt,
                seconds=DURATION,
                size="1280 x 720",
            )
    ''')
    for folder in ("by_cli", "by_codemod"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.py").write_text(source)
    assert cli("fix", "by_cli").returncode == 0
    result = codemod("by_codemod", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Transformed 1 files successfully." in result.stderr
    fixed_bytes = (tmp_path / "by_cli" / "a.py").read_bytes()
    assert fixed_bytes != source.encode()
    assert (tmp_path / "by_codemod" / "a.py").read_bytes() == fixed_bytes


def test_many_files_in_parallel(cli, tmp_path):
    for i in range(20):
        (tmp_path / f"m{i:02}.py").write_text(BAD)
    result = cli("fix", "--jobs", "2", ".")
    assert lines(result.stdout) == ["20 fixes applied in 20 files, 0 findings left."]
    assert all(p.read_text() == BAD.replace('"10"', '"12"') for p in tmp_path.glob("m*.py"))


def test_progress_bar_on_a_terminal_only(tmp_path):
    for i in range(60):
        (tmp_path / f"m{i:02}.py").write_text(BAD)
    env = dict(os.environ)
    env.pop("CI", None)
    returncode, shown = run_on_a_terminal([sys.executable, "-m", "sora_lint", "fix", "--diff", "--jobs", "1", "."],
                                          tmp_path, env, stream="stderr")
    assert returncode == 1
    assert b"\r[" + b"#" * 30 + b"] 60/60 files" in shown
    piped = run([sys.executable, "-m", "sora_lint", "fix", "--diff", "--jobs", "1", "."], tmp_path)
    assert piped.stderr == "60 fixes would be applied in 60 files, 0 findings left.\n"  # no bar in a pipe
