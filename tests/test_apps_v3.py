"""Issue 18's new-user pass: small realistic apps built around the shapes real code uses.

Each app marks the line of every finding it must get with ``# expect: CODE``; every other call in
it is valid and must stay quiet. The profile is ``auto`` as a new user has it; SOR006 (the official
API's shutdown, reported on every call to OpenAI's own server) is ignored as a user would ignore it
to see the parameter findings.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source

# Issue 19's apps (shapes_*.py) share the folder and have their own test (test_apps_v3_shapes.py).
APPS = sorted(p for p in (Path(__file__).parent / "apps_v3").glob("*.py") if not p.name.startswith("shapes_"))


def _expected(source: str) -> list[tuple[int, str]]:
    return sorted((row, line.split("# expect: ", 1)[1].strip())
                  for row, line in enumerate(source.splitlines(), 1) if "# expect: " in line)


def test_there_are_ten_apps_or_more() -> None:
    assert len(APPS) >= 10


@pytest.mark.parametrize("path", APPS, ids=[p.name for p in APPS])
def test_every_bad_call_is_found_and_nothing_else(path: Path) -> None:
    source = path.read_text()
    found = lint_source(source, path.name, Settings(ignore=("SOR006",)))
    assert sorted((d.location.row, d.code) for d in found) == _expected(source)


def test_the_apps_hold_bad_calls_of_every_shape() -> None:
    expected = [e for path in APPS for e in _expected(path.read_text())]
    assert {code for _row, code in expected} == {"SOR001", "SOR002", "SOR003", "SOR005"}
    assert len(expected) == 13


@pytest.mark.parametrize("path", APPS, ids=[p.name for p in APPS])
def test_safe_fixes_touch_only_the_lines_of_bad_values(path: Path) -> None:
    # (The unsafe fixes may switch a model literal elsewhere to sora-2-pro: that is their purpose.)
    source = path.read_text()
    after = apply_fixes(source, path.name, Settings(ignore=("SOR006",))).source
    changed = [row for row, (old, new) in enumerate(zip(source.splitlines(), after.splitlines()), 1) if old != new]
    assert len(after.splitlines()) == len(source.splitlines())
    assert set(changed) <= {row for row, _code in _expected(source)}
