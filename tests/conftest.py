import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# SOR006 depends on the date. The suite runs on a fixed day before OpenAI announced the
# shutdown (2026-03-24), so the tests of the parameter rules assert their own findings
# whatever day they run on; tests of SOR006 and of what a user sees today set the date
# themselves (AFTER_SHUTDOWN). Set here, it reaches every CLI, flake8 and server subprocess.
BEFORE_LIFECYCLE = "2026-01-01"
AFTER_SHUTDOWN = "2026-12-01"
os.environ["SORA_LINT_TODAY"] = BEFORE_LIFECYCLE


def run(args: Sequence[str], cwd: Path, stdin: str = "", today: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    if today:
        env["SORA_LINT_TODAY"] = today
    env.pop("CI", None)
    return subprocess.run(list(args), cwd=str(cwd), capture_output=True, text=True, input=stdin, env=env, timeout=300)


@pytest.fixture
def cli(tmp_path):
    """Run ``sora-lint`` as a process (in ``tmp_path`` unless told otherwise)."""

    def _run(*args: str, cwd: Path = tmp_path, today: str = "") -> subprocess.CompletedProcess:
        return run([sys.executable, "-m", "sora_lint", *args], cwd, today=today)

    return _run


@pytest.fixture
def flake8(tmp_path):
    def _run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess:
        return run([sys.executable, "-m", "flake8", "--select", "SOR", *args], cwd)

    return _run


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# Hypothesis: a fixed, derandomised budget by default (CI stays bounded and repeatable);
# `HYPOTHESIS_PROFILE=deep pytest` runs many more examples by hand.
try:
    from hypothesis import HealthCheck
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile(
        "ci", max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    hypothesis_settings.register_profile(
        "deep", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass
