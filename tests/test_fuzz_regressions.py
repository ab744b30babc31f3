"""Inputs the fuzzing (tests/test_fuzz.py) found breaking sora-lint, kept as plain regression tests."""
import pytest

from sora_lint.engine import check_source

CALL = 'import openai\nclient.videos.create(model="sora-2", prompt="p", seconds="10")\n'


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_file_level_noqa_works_with_every_line_ending(newline):
    # Found as: 'import openai\r\nclient.videos.create(seconds="" "4")\r\n# sora-lint: noqa\r\n' was
    # still reported (the regex's `$` only matched before \n, so CRLF and CR files ignored the comment).
    source = ("# sora-lint: noqa\n" + CALL).replace("\n", newline)
    assert check_source(source) == []
    assert check_source(CALL.replace("\n", newline) + "  # Sora-Lint: NOQA") == []
    assert len(check_source(CALL.replace("\n", newline))) == 1


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_line_noqa_is_read_from_the_reported_line_after_a_form_feed(separator):
    # Found as: a form feed in a comment above a call made `# noqa` be read from the wrong line
    # (str.splitlines splits at \x0c, U+2028 and more; Python and the diagnostics do not).
    source = f"import openai  # page{separator}break\n" + CALL.splitlines()[1] + "  # noqa\n"
    assert check_source(source) == []
    shifted = f"import openai  # page{separator}break\n# noqa\n" + CALL.splitlines()[1] + "\n"
    assert [d.location.row for d in check_source(shifted)] == [3]
