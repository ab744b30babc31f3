"""The README's promises that code can keep: CI runs its test command, its table lists every code.
(tests/test_release.py keeps the install snippets' version.)"""
import re

from conftest import ROOT

from sora_lint.rules import ALL_RULES, rule_codes

README = (ROOT / "README.md").read_text()


def _commands():
    return re.findall(r"```sh\n(python3 -m venv .*?)\n```", README)


def test_ci_runs_the_readme_test_command():
    install_and_check, install_and_test = _commands()[:2]
    assert "sora-lint check fixtures/" in install_and_check
    assert install_and_test.endswith("pytest")
    assert install_and_test in (ROOT / ".ci" / "run").read_text().splitlines()


def test_rules_table_lists_every_code_with_its_name():
    rows = dict(re.findall(r"^\| (SOR\d{3}) \| ([a-z-]+) \|", README, re.MULTILINE))
    assert sorted(rows) == sorted(rule_codes())
    for rule in ALL_RULES:
        assert rows[rule.code] == rule.name
