"""`sora-lint rule`, and docs/rules/ kept in sync with the docs the rules carry."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from sora_lint.frontends.docs import rule_doc, rule_doc_files, rule_docs, rule_url
from sora_lint.rules import ALL_RULES

DOCS = ROOT / "docs" / "rules"
SCRIPT = ROOT / "scripts" / "gen_rule_docs.py"

# The first lines of `sora-lint rule --all`, as a user sees them; every code's line is checked below.
INDEX_HEAD = """\
SOR000  parse-error          file could not be read or parsed
SOR001  seconds-unsupported  `seconds` is a duration the model does not support
SOR002  seconds-type         `seconds` has the wrong type for the contract (string vs int, or a float)
"""

SOR001 = """\
# SOR001 (seconds-unsupported)

## What it does
Reports a Sora video call where `seconds` is a duration the model does not support.

## Why is this bad?
The API rejects the request with `invalid_value` on `seconds` (`Invalid value: '10'. Supported values are: '4', '8', \
and '12'.`), but only when the code runs.

## Example
```python
client.videos.create(model="sora-2", prompt="a cat", seconds="10")
```

## Use instead
```python
client.videos.create(model="sora-2", prompt="a cat", seconds="12")
```

## Fix safety
Safe: the value moves to the nearest supported duration, rounding up on a tie; the original request can never \
succeed, so there is no working behaviour to preserve. Unsafe (with --unsafe-fixes): switch to `sora-2-pro` where the \
duration is valid there, which changes price and output.

## Turning it off
`ignore = ["SOR001"]` in `[tool.sora-lint]`, `--ignore SOR001` on the command line, or `# noqa: SOR001` at the end of \
the reported line.
"""


def test_rule_prints_the_doc(cli):
    proc = cli("rule", "SOR001")
    assert proc.returncode == 0
    assert proc.stdout == SOR001
    assert cli("rule", "sor001").stdout == proc.stdout


def test_rule_doc_is_the_committed_page(cli):
    # `sora-lint rule CODE` writes rule_doc(CODE) as it is: one process shows it, the rest are compared in process.
    assert cli("rule", "sor002").stdout == (DOCS / "SOR002.md").read_text(encoding="utf-8")
    for doc in rule_docs():
        assert rule_doc(doc.code) == (DOCS / f"{doc.code}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["rule", "--all"], ["rule"]])
def test_rule_all_lists_every_code(cli, args):
    proc = cli(*args)
    assert proc.returncode == 0
    assert proc.stdout.startswith(INDEX_HEAD)
    rows = [re.fullmatch(r"(SOR\d{3})  (\S+) *  (\S.*)", line) for line in proc.stdout.splitlines()]
    assert [m.groups() for m in rows] == [(d.code, d.name, d.summary) for d in rule_docs()]
    assert len({m.start(3) for m in rows}) == 1  # the summaries line up in one column


def test_unknown_rule_is_a_usage_error(cli):
    proc = cli("rule", "SOR999")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "sora-lint: error: unknown rule code 'SOR999'\n"


def test_every_rule_carries_every_section():
    assert [d.code for d in rule_docs()] == ["SOR000"] + [r.code for r in ALL_RULES]
    for rule in ALL_RULES:
        for attr in ("name", "summary", "why", "example", "use_instead", "fix_safety", "reports", "fix_summary"):
            assert getattr(rule, attr).strip(), f"{rule.code} has no {attr}"


def test_committed_docs_are_in_sync_with_the_generator():
    expected = rule_doc_files()
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    assert sorted(committed) == sorted(expected), "run: python scripts/gen_rule_docs.py"
    for name, text in expected.items():
        assert committed[name] == text, f"docs/rules/{name} is out of date: run python scripts/gen_rule_docs.py"


def test_generator_check_mode_and_output(tmp_path):
    ok = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert (ok.returncode, ok.stdout) == (0, "")
    out = tmp_path / "rules"
    out.mkdir()
    (out / "SOR999.md").write_text("stale\n", encoding="utf-8")
    (out / "SOR001.md").write_text("edited by hand\n", encoding="utf-8")
    stale = subprocess.run([sys.executable, str(SCRIPT), "--check", "--out", str(out)], capture_output=True, text=True)
    assert stale.returncode == 1
    assert f"{out / 'SOR001.md'}: out of date" in stale.stdout and f"{out / 'SOR999.md'}: out of date" in stale.stdout
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True)
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == rule_doc_files()


def test_every_link_points_at_a_committed_page():
    for doc in rule_docs():
        assert rule_url(doc.code) == f"https://github.com/sora-lint/sora-lint/blob/main/docs/rules/{doc.code}.md"
        assert (DOCS / f"{doc.code}.md").is_file()
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for doc in rule_docs():
        assert f"[{doc.code}]({doc.code}.md)" in index
