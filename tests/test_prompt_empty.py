"""SOR007 prompt-empty as a user meets it: the CLI, `fix`, noqa, --select and flake8."""
import textwrap

from conftest import lines

APP = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI()
    PARAMS = {"model": "sora-2", "prompt": "   "}


    def render(args, subject):
        client.videos.create(model="sora-2", prompt="", seconds="8")
        client.videos.create(**PARAMS)
        client.videos.extend(video="video_123", prompt="\\t", seconds="8")
        client.videos.create(model="sora-2", prompt="")  # noqa: SOR007
        client.videos.create(model="sora-2", prompt=args.prompt)
        client.videos.create(model="sora-2", prompt=f"{subject}")
        client.videos.create(model="sora-2", prompt="a cat")
''')
TAG = "[profile openai: auto: client has no base_url]"
EXPECTED = [
    # A value that comes through **PARAMS is reported where it is written, in the dict.
    f'app.py:4:40: SOR007 prompt="   " (in **PARAMS) is only whitespace: the API requires a non-empty prompt {TAG}',
    f'app.py:8:49: SOR007 prompt="" is empty: the API requires a non-empty prompt {TAG}',
    f'app.py:10:52: SOR007 prompt="\\t" is only whitespace: the API requires a non-empty prompt {TAG}',
]
# The CLI names the call that sends a value reported away from it (issue 18); flake8 has no place for it.
EXPECTED_CLI = [EXPECTED[0] + " (sent by the call at line 9)", *EXPECTED[1:]]


def test_check_reports_each_empty_literal_prompt_and_skips_what_it_cannot_know(cli, tmp_path):
    (tmp_path / "app.py").write_text(APP)
    result = cli("check", "--output-format", "concise", "app.py")
    assert result.returncode == 1
    assert lines(result.stdout) == EXPECTED_CLI + ["Found 3 errors."]


def test_select_and_ignore_know_the_code(cli, tmp_path):
    (tmp_path / "app.py").write_text(APP)
    selected = cli("check", "--output-format", "concise", "--select", "SOR007", "app.py")
    assert lines(selected.stdout) == EXPECTED_CLI + ["Found 3 errors."]
    ignored = cli("check", "--ignore", "SOR007", "app.py")
    assert (ignored.returncode, ignored.stdout) == (0, "All checks passed!\n")


def test_fix_leaves_the_file_byte_identical(cli, tmp_path):
    (tmp_path / "app.py").write_bytes(APP.encode())
    result = cli("fix", "app.py")
    assert result.returncode == 1  # the findings remain: only the author can write the prompt
    assert (tmp_path / "app.py").read_bytes() == APP.encode()


def test_a_videos_create_that_is_not_sora_is_not_reported(cli, tmp_path):
    (tmp_path / "models.py").write_text('project.videos.create(title="intro", prompt="")\n')
    assert cli("check", "models.py").returncode == 0


def test_through_flake8(flake8, tmp_path):
    (tmp_path / "app.py").write_text(APP)
    result = flake8("app.py")
    assert result.returncode == 1
    # flake8 counts columns from 1 too, and applies the same noqa comment.
    assert lines(result.stdout) == EXPECTED
