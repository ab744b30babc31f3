"""The README's promises that code can keep: CI runs its test command, its table lists every code."""
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


def _git(*args):
    import subprocess

    return subprocess.run(["git", *args], cwd=str(ROOT), capture_output=True, text=True)


def test_install_lines_work_against_this_repository():
    """The package is not on PyPI and has no release tag: no line may install it by name or tag."""
    import shutil

    import pytest

    assert "not on PyPI" in README
    assert not re.search(r"pip install ['\"]?sora-lint\[", README)
    # The GitHub Action is used by tag (`uses: sora-lint/sora-lint@vX.Y.Z`, the action installs its own ref);
    # pre-commit names a commit.
    assert not re.search(r"rev: v\d", README)
    assert not re.search(r"pip install ['\"]?sora-lint @ git\+", README)
    commits = set(re.findall(r"(?:rev: |sora-lint@)([0-9a-f]{40})\b", README))
    assert len(commits) == 1, commits
    if shutil.which("git") is None or _git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("no git history to look the commit up in")
    [commit] = commits
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true" and \
            _git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        pytest.skip("a shallow clone: the commit may be older than its history")
    assert _git("cat-file", "-e", f"{commit}^{{commit}}").returncode == 0, (
        f"{commit} is not a commit of this repository"
    )
    hooks = _git("show", f"{commit}:.pre-commit-hooks.yaml").stdout
    assert "- id: sora-lint\n" in hooks and "- id: sora-lint-fix\n" in hooks
