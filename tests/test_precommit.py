"""Both hooks through the real pre-commit, on a small temporary git repository."""
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

BAD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n'
FIXED = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="12")\n'
GOOD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="8")\n'
# The same bad call in a notebook's second cell: the hooks take `types_or: [python, pyi, jupyter]`.
NOTEBOOK = json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                                  "source": [line + "\n" for line in BAD.splitlines()[:1]]},
                                 {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                                  "source": BAD.splitlines()[1:]}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo, home, hook):
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _repo(tmp_path, files):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name, text in files.items():
        (repo / name).write_text(text)
    _git(repo, "add", ".")
    return repo


def test_check_hook_fails_the_commit_on_a_finding(tmp_path, pre_commit_home):
    repo = _repo(tmp_path, {"bad.py": BAD, "good.py": GOOD, "nb.ipynb": NOTEBOOK})
    result = _try_repo(repo, pre_commit_home, "sora-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.py:2:60: SOR001 [*] seconds=\"10\" is not supported by sora-2" in result.stdout
    assert "nb.ipynb:cell 2:1:60: SOR001 [*] seconds=\"10\" is not supported by sora-2" in result.stdout
    assert "good.py:" not in result.stdout


def test_check_hook_passes_clean_files(tmp_path, pre_commit_home):
    repo = _repo(tmp_path, {"good.py": GOOD})
    result = _try_repo(repo, pre_commit_home, "sora-lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_fix_hook_rewrites_the_file_and_fails_like_a_formatter(tmp_path, pre_commit_home):
    repo = _repo(tmp_path, {"bad.py": BAD, "nb.ipynb": NOTEBOOK})
    result = _try_repo(repo, pre_commit_home, "sora-lint-fix")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert (repo / "bad.py").read_text() == FIXED
    assert (repo / "nb.ipynb").read_text() == NOTEBOOK.replace('seconds=\\"10\\"', 'seconds=\\"12\\"')


def test_the_docs_local_hook_runs(tmp_path, pre_commit_home):
    import re

    page = (ROOT / "docs" / "integrations.md").read_text()
    [config] = [block for block in re.findall(r"```yaml\n(.*?)```", page, re.DOTALL) if "repo: local" in block]
    repo = _repo(tmp_path, {"bad.py": BAD, "good.py": GOOD, ".pre-commit-config.yaml": config})
    _git(repo, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=str(pre_commit_home), NO_COLOR="1",
               PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    env.pop("CI", None)
    result = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                            cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.py:2:60: SOR001 [*] seconds=\"10\" is not supported by sora-2" in result.stdout
    assert "good.py:" not in result.stdout
