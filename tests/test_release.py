"""The install snippets pin the version that pyproject.toml declares (docs/release.md says how a release is cut)."""
import re

from conftest import ROOT

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

# A pin in a snippet: pre-commit's `rev: v0.3.0`, the Action's `uses: sora-lint/sora-lint@v0.3.0`
# or pip's `git+https://.../sora-lint@v0.3.0`.
PIN = re.compile(r"(?:rev: |sora-lint@)v(\d+\.\d+\.\d+)\b")
COMMIT_PIN = re.compile(r"(?:rev: |sora-lint@)[0-9a-f]{40}\b")


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def _documents() -> dict[str, str]:
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    paths += [p for p in (ROOT / "action.yml", ROOT / "action.yaml") if p.exists()]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


def test_every_snippet_pins_the_version_of_pyproject():
    version = _version()
    pins = [(name, pin) for name, text in _documents().items() for pin in PIN.findall(text)]
    assert len(pins) >= 2, sorted(pins)  # pre-commit's and GitHub Actions' snippets at least
    assert {pin for _name, pin in pins} == {version}, sorted(pins)


def test_no_snippet_pins_a_commit():
    """A commit pin goes stale silently (the snippets once installed a version 116 commits behind main)."""
    found = {name: COMMIT_PIN.findall(text) for name, text in _documents().items()}
    assert not any(found.values()), found


def test_the_release_steps_are_written_down():
    steps = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    assert "pyproject.toml" in steps and "git tag -a v" in steps
