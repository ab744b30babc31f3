"""Inputs the fuzzing (tests/test_fuzz.py) found breaking sora-lint, kept as plain regression tests."""
import ast
import shutil
import subprocess

import pytest
from conftest import sora_lint

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source

CALL = 'import openai\nclient.videos.create(model="sora-2", prompt="p", seconds="10")\n'


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_file_level_noqa_works_with_every_line_ending(newline):
    # Found as: 'import openai\r\nclient.videos.create(seconds="" "4")\r\n# sora-lint: noqa\r\n' was
    # still reported (the regex's `$` only matched before \n, so CRLF and CR files ignored the comment).
    source = ("# sora-lint: noqa\n" + CALL).replace("\n", newline)
    assert lint_source(source) == []
    assert lint_source(CALL.replace("\n", newline) + "  # Sora-Lint: NOQA") == []
    assert len(lint_source(CALL.replace("\n", newline))) == 1


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_line_noqa_is_read_from_the_reported_line_after_a_form_feed(separator):
    # Found as: a form feed in a comment above a call made a noqa comment be read from the wrong line
    # (str.splitlines splits at \x0c, U+2028 and more; Python and the diagnostics do not).
    source = f"import openai  # page{separator}break\n" + CALL.splitlines()[1] + "  # noqa\n"
    assert lint_source(source) == []
    shifted = f"import openai  # page{separator}break\n# noqa\n" + CALL.splitlines()[1] + "\n"
    assert [d.location.row for d in lint_source(shifted)] == [3]


@pytest.mark.parametrize("profile, unsafe, before, after", [
    ("openai", False, "f\"{client.videos.create(model='sora-2', seconds=10)}\"",
     "f\"{client.videos.create(model='sora-2', seconds='12')}\""),
    ("openai", False, "f'{client.videos.create(model=\"sora-2\", seconds=8)}'",
     "f'{client.videos.create(model=\"sora-2\", seconds=\"8\")}'"),
    ("openai", True, "f\"{client.videos.create(prompt='p', size='1792x1024')}\"",
     "f\"{client.videos.create(prompt='p', size='1792x1024', model='sora-2-pro')}\""),
    ("openai", False, "f\"\"\"{client.videos.create(model='sora-2', seconds=10)}\"\"\"",
     "f\"\"\"{client.videos.create(model='sora-2', seconds=\"12\")}\"\"\""),
    ("apiyi", False, "f\"{client.videos.create(model='sora-2', seconds='10')}\"",
     "f\"{client.videos.create(model='sora-2', seconds=12)}\""),
])
def test_fixes_inside_an_f_string_use_the_quote_that_fits(profile, unsafe, before, after):
    # Found as: f"{client.videos.create(model='sora-2', seconds=10)}" was fixed to
    # f"{client.videos.create(model='sora-2', seconds="12")}", which Python before 3.12 cannot
    # parse (the inner " ends the f-string); LibCST accepts it, so the check let it through.
    head = "from openai import OpenAI\nclient = OpenAI()\n"  # a receiver traced to a client: a Sora call
    outcome = apply_fixes(head + before + "\n", "t.py", Settings(profile=profile), unsafe_fixes=unsafe)
    assert (outcome.error, outcome.source) == (None, head + after + "\n")
    ast.parse(outcome.source)


def test_no_fix_when_no_quote_fits_inside_nested_f_strings():
    source = "import openai\nclient = openai.OpenAI()\nf\"{f'{client.videos.create(model=m, seconds=10)}'}\"\n"
    [diagnostic] = [d for d in lint_source(source, "t.py", Settings(profile="openai")) if d.code == "SOR002"]
    assert diagnostic.fixes == ()
    outcome = apply_fixes(source, "t.py", Settings(profile="openai"))
    assert (outcome.error, outcome.source) == (None, source)


def test_a_fix_the_running_python_cannot_parse_is_refused(monkeypatch):
    # The safety net behind the quote fitting: LibCST accepting the fixed text is not enough
    # when CPython accepted the original.
    import sora_lint.engine.edits as edits

    monkeypatch.setattr(edits, "forbidden_quotes", lambda *args: frozenset())
    source = "import openai\nf\"{client.videos.create(model='sora-2', seconds=10)}\"\n"
    outcome = apply_fixes(source, "t.py", Settings(profile="openai"))
    assert outcome.source == source
    assert outcome.error == ("a fix would have produced code that does not parse (Unparsable); "
                             "the file was left unchanged - please report this as a bug")


@pytest.mark.parametrize("name, content", [
    # Found as: 'client.videos.create(size=0, model=args.model,\x0c prompt="" "a cat")\n...': the patch
    # split the line at the form feed (str.splitlines), so its context no longer matched the file.
    ("formfeed.py", "import openai  # page\x0cbreak\nclient.videos.create(model='sora-2', prompt='p', seconds=10)\n"),
    # Found as: 'client.videos.create(model="" "sora2")\r': a last line without \n was glued to the
    # next line of the patch ('-old+new'), and the patch did not even end with a newline.
    ("no_newline.py", "import openai\nclient.videos.create(model='sora-2', prompt='p', seconds=10)"),
    ("cr_only.py", "import openai\rclient.videos.create(model='sora-2', prompt='p', seconds=10)\r"),
])
def test_fix_diff_prints_a_patch_git_applies(tmp_path, name, content):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    path = tmp_path / name
    path.write_bytes(content.encode())
    result = sora_lint(["fix", "--diff", name], tmp_path, stdin=b"")  # bytes: text would turn a lone \r into \n
    assert result.returncode == 1
    fixed = apply_fixes(content, name, Settings()).source
    assert fixed != content
    (tmp_path / "change.patch").write_bytes(result.stdout)
    applied = subprocess.run([git, "apply", "change.patch"], cwd=str(tmp_path), capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr + repr(result.stdout)
    assert path.read_bytes() == fixed.encode()
