"""The README's and docs/'s promises that code can keep: CI runs the test command, the table lists every code,
every link lands, every configuration snippet loads and every option named exists."""
import re
import unicodedata

import pytest
from conftest import ROOT

from sora_lint.rules import ALL_RULES, rule_codes

README = (ROOT / "README.md").read_text()
# Every hand-written and generated page a reader follows from the README (docs/rules/ included).
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
PAGES = [page for page in PAGES if page.is_file()]


def _text(page):
    return page.read_text(encoding="utf-8")


def _blocks(language):
    """(page, code) of every fenced block in ``language`` on every page."""
    return [(page.relative_to(ROOT).as_posix(), code)
            for page in PAGES for code in re.findall(rf"^```{language}\n(.*?)^```", _text(page), re.S | re.M)]


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


# --- links ------------------------------------------------------------------------------------------------

def _anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    kept = "".join(ch for ch in text if ch in " -" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def _anchors(page):
    text = re.sub(r"^```.*?^```", "", _text(page), flags=re.S | re.M)
    return {_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def _links(page):
    text = re.sub(r"^```.*?^```", "", _text(page), flags=re.S | re.M)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_anchor_is_githubs():
    assert _anchor("Profiles: which contract applies") == "profiles-which-contract-applies"
    assert _anchor("Your own gateway's contract") == "your-own-gateways-contract"
    assert _anchor("The `rule` command") == "the-rule-command"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_lands_on_a_file_and_heading(page):
    for link in _links(page):
        if re.match(r"[a-z]+:", link):
            continue  # an absolute URL: not this repository's to keep
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} points at a missing file"
        if anchor:
            assert target.suffix == ".md" and anchor in _anchors(target), f"{page.name}: {link}: no such heading"


def test_the_link_checker_sees_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[ok](#title) [bad](#nope) [gone](missing.md) `[code](nowhere.md)`\n")
    assert _links(page) == ["#title", "#nope", "missing.md"]
    assert _anchors(page) == {"title"}


def test_the_readme_links_every_docs_page():
    linked = {link.split("#")[0] for link in _links(ROOT / "README.md")}
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")}
    assert pages - linked == set()


# --- snippets ---------------------------------------------------------------------------------------------

def test_every_configuration_snippet_loads(tmp_path):
    """A ``[tool.sora-lint]`` snippet is a whole pyproject.toml: it loads without a ConfigError."""
    from sora_lint.contracts.settings import ConfigError
    from sora_lint.run.config import load_file

    snippets = [(page, code) for page, code in _blocks("toml") if "[tool.sora-lint" in code]
    assert len(snippets) >= 4
    for page, code in snippets:
        path = tmp_path / "pyproject.toml"
        path.write_text(code, encoding="utf-8")
        try:
            load_file(path)
        except ConfigError as exc:
            pytest.fail(f"{page}: a snippet does not load: {exc}")


def test_every_json_snippet_parses():
    import json

    snippets = _blocks("json")
    assert snippets
    for _, code in snippets:
        json.loads(code)


def test_every_yaml_snippet_parses():
    yaml = pytest.importorskip("yaml")
    snippets = _blocks("yaml")
    assert len(snippets) >= 3
    for _, code in snippets:
        assert isinstance(yaml.safe_load(code), dict)


def test_every_option_the_docs_name_exists():
    """Each ``--option`` in a ``sora-lint check`` / ``fix`` line or in docs/cli.md is one the parser takes."""
    from sora_lint.frontends.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and "check" in a.choices)  # noqa: SLF001
    known = {opt for name in ("check", "fix") for action in sub.choices[name]._actions  # noqa: SLF001
             for opt in action.option_strings}
    named = set(re.findall(r"`(--[a-z-]+)", _text(ROOT / "docs" / "cli.md")))
    for line in re.findall(r"^.*sora-lint (?:check|fix)\b.*$", "\n".join(code for _, code in _blocks("(?:sh|yaml)")),
                           re.M):
        named |= set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", line.split("#")[0]))
    assert len(named) >= 20
    assert sorted(named - known) == []


def _git(*args):
    import subprocess

    return subprocess.run(["git", *args], cwd=str(ROOT), capture_output=True, text=True)


def test_install_lines_work_against_this_repository():
    """The package is not on PyPI and has no release tag: no line may install it by name or tag."""
    import shutil

    assert "not on PyPI" in README
    everything = "\n".join(_text(page) for page in PAGES)
    assert not re.search(r"pip install ['\"]?sora-lint\[", everything)
    # The GitHub Action is used by tag (`uses: sora-lint/sora-lint@vX.Y.Z`: it installs its own ref);
    # pre-commit names a commit, and no line installs sora-lint from a git URL.
    assert not re.search(r"rev: v\d", everything)
    assert not re.search(r"pip install ['\"]?sora-lint @ git\+", everything)
    commits = set(re.findall(r"(?:rev: |sora-lint@)([0-9a-f]{40})\b", everything))
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
