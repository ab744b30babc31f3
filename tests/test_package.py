"""The project builds as a package a user could install from an index: ``python -m build`` makes a wheel
and an sdist, ``twine check`` accepts them, each holds the package's data, and each installs in a fresh
virtualenv (with its dependencies, from the index, as a user's pip would) and runs.

The fast test reads what the build would take (package-data, the version's one place); the slow ones build.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run

PACKAGE = ROOT / "sora_lint"
DATA = ["contracts/contracts.json", "py.typed"]


def _version() -> str:
    found = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert found is not None
    return found.group(1)


def _modules() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py")}


def test_the_version_lives_in_pyproject_only():
    # The code asks the installed metadata (importlib.metadata, or the dist-info the cache reads).
    hits = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
            if re.search(r"__version__\s*=|\b" + re.escape(_version()) + r"\b", p.read_text(encoding="utf-8"))]
    assert hits == []
    for name in DATA:
        assert (PACKAGE / name).is_file(), name


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # Build isolation, as a release builds: setuptools comes from the index, not from this environment.
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return out


def _artifacts(dist: Path) -> tuple[Path, Path]:
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    return wheel, sdist


@pytest.mark.slow
def test_build_makes_a_wheel_and_an_sdist_that_twine_accepts(dist):
    wheel, sdist = _artifacts(dist)
    assert wheel.name == f"sora_lint-{_version()}-py3-none-any.whl"
    assert sdist.name == f"sora_lint-{_version()}.tar.gz"
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


@pytest.mark.slow
def test_both_hold_every_module_and_the_package_data(dist):
    wheel, sdist = _artifacts(dist)
    wanted = _modules() | {f"sora_lint/{name}" for name in DATA}
    with zipfile.ZipFile(wheel) as zf:
        in_wheel = set(zf.namelist())
    assert wanted - in_wheel == set()
    assert f"sora_lint-{_version()}.dist-info/entry_points.txt" in in_wheel
    with tarfile.open(sdist) as tf:
        prefix = f"sora_lint-{_version()}/"
        in_sdist = {name[len(prefix):] for name in tf.getnames() if name.startswith(prefix)}
    assert wanted - in_sdist == set()
    assert {"pyproject.toml", "README.md", "PKG-INFO"} <= in_sdist


def _fresh_install(tmp_path: Path, artifact: Path) -> Path:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # With its dependencies (libcst, pathspec) from the index: a missing requirement fails here.
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check", str(artifact)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return venv / "bin" / "sora-lint"


def _same_as_this_checkout(command: Path, tmp_path: Path) -> None:
    """The installed command, run away from the checkout, says what this checkout's says."""
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    for path in FIXTURES.glob("*.py"):
        (fixtures / path.name).write_bytes(path.read_bytes())
    here = [sys.executable, "-m", "sora_lint"]
    for args in (["check", "--no-cache", "fixtures"], ["rule", "SOR001"], ["rule", "--all"], ["profiles"]):
        installed, ours = run([str(command), *args], tmp_path), run([*here, *args], tmp_path)
        assert (installed.returncode, installed.stdout, installed.stderr) == (
            ours.returncode, ours.stdout, ours.stderr), args
    assert run([str(command), "check", "--no-cache", "fixtures"], tmp_path).returncode == 1
    version = run([str(command), "--version"], tmp_path)
    assert version.stdout == f"sora-lint {_version()}\n"
    doctor = run([str(command), "doctor"], tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "lifecycle (the shipped servers" in doctor.stdout
    # The installed package is the one in the virtualenv, not this checkout.
    where = run([str(command.parent / "python"), "-c", "import sora_lint; print(sora_lint.__file__)"], tmp_path)
    assert os.path.dirname(where.stdout.strip()).startswith(str(command.parent.parent))


@pytest.mark.slow
def test_the_wheel_installs_and_runs_in_a_fresh_virtualenv(dist, tmp_path):
    wheel, _sdist = _artifacts(dist)
    _same_as_this_checkout(_fresh_install(tmp_path, wheel), tmp_path)


@pytest.mark.slow
def test_the_sdist_installs_and_runs_in_a_fresh_virtualenv(dist, tmp_path):
    _wheel, sdist = _artifacts(dist)
    _same_as_this_checkout(_fresh_install(tmp_path, sdist), tmp_path)
