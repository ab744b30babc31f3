"""The new-user pass of issue 19: realistic apps built around the new call shapes (tests/apps_v3/shapes_*.py).

Every bad call carries a ``# expect: CODE`` comment on the line its finding is reported at; the test asserts
that exactly those are reported (every bad call found, nothing on the valid calls beside them), and that the
safe fixes leave files that parse, change only marked lines, and are idempotent.
"""
import re
from pathlib import Path

import libcst
import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source

APPS = sorted((Path(__file__).parent / "apps_v3").glob("shapes_*.py"))
_EXPECT = re.compile(r"#.*\bexpect: (SOR\d{3})")


def expected(text: str) -> list[tuple[int, str]]:
    return [(row, m.group(1)) for row, line in enumerate(text.splitlines(), 1) if (m := _EXPECT.search(line))]


@pytest.mark.parametrize("app", APPS, ids=[a.name for a in APPS])
def test_every_bad_call_is_found_and_nothing_else(app):
    text = app.read_text(encoding="utf-8")
    found = [(d.location.row, d.code) for d in lint_source(text, str(app), Settings())]
    assert found == expected(text)


@pytest.mark.parametrize("app", APPS, ids=[a.name for a in APPS])
def test_safe_fixes_touch_only_the_marked_lines(app):
    text = app.read_text(encoding="utf-8")
    outcome = apply_fixes(text, str(app), Settings())
    assert outcome.error is None
    libcst.parse_module(outcome.source)
    marked = {row for row, _code in expected(text)}
    changed = {row for row, (old, new) in enumerate(zip(text.splitlines(), outcome.source.splitlines()), 1)
               if old != new}
    assert changed <= marked  # (a fix under an assumed server may be unsafe: none is required here)
    assert apply_fixes(outcome.source, str(app), Settings()).source == outcome.source


def test_there_are_apps():
    assert len(APPS) >= 3
