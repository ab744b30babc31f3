"""The GitHub Action (action.yml): its steps' shell lines run here with bash, as the runner would run them.

The runner substitutes ``${{ inputs.* }}`` and ``${{ github.action_path }}`` into each step, sets the
step's ``env`` and runs ``run`` with ``bash -e``; :func:`_run_step` does the same. The fast test runs the
check step with this virtualenv's sora-lint in the place the install step puts it; the slow one runs both
steps, the install from this repository included, in a fresh virtualenv.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
BAD = ('from openai import OpenAI\n'
       'OpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n')
GOOD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="8")\n'
ANNOTATION = ("::error file=app/bad.py,line=2,col=60,endLine=2,endColumn=64,title=SOR001::seconds=\"10\" is not "
              "supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 or 12 [profile openai: auto: "
              "client has no base_url]")


def _expression(match: re.Match[str], inputs: dict[str, str], action_path: Path) -> str:
    name = match.group(1)
    if name == "github.action_path":
        return str(action_path)
    if name.startswith("inputs."):
        key = name[len("inputs."):]
        return inputs.get(key, ACTION["inputs"][key]["default"])
    raise AssertionError(f"action.yml uses an expression this test does not know: {name}")


def _run_step(step: dict, inputs: dict[str, str], runner_temp: Path, cwd: Path,
              action_path: Path = ROOT) -> subprocess.CompletedProcess:
    def substitute(text: str) -> str:
        return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: _expression(m, inputs, action_path), text)

    assert step["shell"] == "bash"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "VIRTUAL_ENV")}
    env.update({k: substitute(str(v)) for k, v in step.get("env", {}).items()})
    env.update(RUNNER_TEMP=str(runner_temp), NO_COLOR="1")
    # GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}`.
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", substitute(step["run"])],
                          cwd=str(cwd), env=env, capture_output=True, text=True, timeout=900)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "repo"
    (project / "app").mkdir(parents=True)
    (project / "app" / "bad.py").write_text(BAD)
    (project / "ok.py").write_text(GOOD)
    return project


def test_the_action_has_the_promised_inputs_and_steps():
    assert ACTION["runs"]["using"] == "composite"
    assert {k: v["default"] for k, v in ACTION["inputs"].items()} == {"paths": ".", "args": "", "version": ""}
    install, check = ACTION["runs"]["steps"]
    assert '"$SORA_LINT_ACTION_PATH"' in install["run"] and install["env"]["SORA_LINT_ACTION_PATH"] == \
        "${{ github.action_path }}"
    # No input is pasted into a script, where a value could run as code: they arrive as environment variables.
    assert "${{" not in install["run"] + check["run"]


def test_the_check_step_prints_annotations_and_fails_on_findings(tmp_path):
    project = _project(tmp_path)
    # The place the install step puts sora-lint, holding this environment's.
    (tmp_path / "sora-lint-venv" / "bin").mkdir(parents=True)
    (tmp_path / "sora-lint-venv" / "bin" / "sora-lint").symlink_to(Path(sys.executable).parent / "sora-lint")
    check = ACTION["runs"]["steps"][1]
    result = _run_step(check, {}, tmp_path, project)
    assert (result.returncode, result.stdout.splitlines(), result.stderr) == (1, [ANNOTATION], "")
    result = _run_step(check, {"paths": "ok.py"}, tmp_path, project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    result = _run_step(check, {"paths": "app ok.py", "args": "--ignore SOR001 --exit-zero"}, tmp_path, project)
    assert (result.returncode, result.stdout) == (0, "")
    result = _run_step(check, {"args": "--output-format sarif --output-file out.sarif --exit-zero"}, tmp_path,
                       project)
    assert (result.returncode, result.stdout) == (0, "")
    assert '"ruleId": "SOR001"' in (project / "out.sarif").read_text()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_whole_action_installs_from_its_own_ref_and_annotates(tmp_path):
    project = _project(tmp_path)
    # The action's ref as the runner checks it out: the repository's files, none of this checkout's build
    # leftovers (pip builds a local folder in place: a stale build/lib would ship modules that moved since).
    action_path = tmp_path / "action"
    shutil.copytree(ROOT, action_path, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".sora_lint_cache", ".pytest_cache"))
    install, check = ACTION["runs"]["steps"]
    result = _run_step(install, {}, tmp_path, project, action_path)
    assert result.returncode == 0, result.stderr
    version = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert version is not None and result.stdout.strip() == f"sora-lint {version.group(1)}"
    result = _run_step(check, {}, tmp_path, project)
    assert (result.returncode, result.stdout.splitlines()) == (1, [ANNOTATION]), result.stderr
