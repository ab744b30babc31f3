"""Constants imported from another module of the same project (issue 10, item 5).

The module is found next to the file or under the project root (the folder holding
pyproject.toml); only its module-level literal bindings are read, never its calls. A finding is
reported at the call, names where the value is defined, and is never fixed into the other file.
Every front end gives the same answer: the CLI and flake8 run as processes, the language
server's linting function in-process.
"""
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from conftest import lines

from sora_lint.analysis.find import find
from sora_lint.contracts.settings import Settings
from sora_lint.frontends.lsp import lint_text
from sora_lint.run.project_files import ProjectFiles

JOBS = textwrap.dedent('''\
    from openai import OpenAI

    import config
    from sora_settings import DEFAULT_SECONDS

    from .settings import DURATION, MODEL

    client = OpenAI()
    client.videos.create(model=MODEL, prompt="p", seconds=DURATION)
    client.videos.create(prompt="p", seconds=DEFAULT_SECONDS, size=config.HERO_SIZE)
''')
TAG = " [profile openai: auto: client has no base_url]"
EXPECTED = [
    "9:55: SOR001 seconds=DURATION (= \"10\") is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
    "use \"8\" or \"12\" (not fixed automatically: DURATION is defined in another file (settings.py:2))" + TAG,
    "10:42: SOR001 seconds=DEFAULT_SECONDS (= \"5\") is not supported by sora-2 (the default model) (Supported values "
    "are: '4', '8', and '12'); use \"4\" or \"8\" (not fixed automatically: DEFAULT_SECONDS is defined in another file "
    "(../sora_settings.py:1))" + TAG,
    "10:64: SOR003 size=config.HERO_SIZE (= \"1024x1792\") is not supported by sora-2 (the default model) (Supported "
    "values are: '1280x720' and '720x1280'); use \"720x1280\" (same orientation) (not fixed automatically: "
    "config.HERO_SIZE is defined in another file (config.py:1))" + TAG,
]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "sora_settings.py").write_text('DEFAULT_SECONDS = "5"\n')
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "settings.py").write_text('"""Video settings."""\nDURATION = "10"\nMODEL = "sora-2"\nprint("never run")\n')
    (app / "config.py").write_text('HERO_SIZE = "1024x1792"\n')
    (app / "jobs.py").write_text(JOBS)
    return tmp_path


def test_the_cli_reports_at_the_call_and_names_the_definition(cli, project):
    result = cli("check", "--output-format", "concise", "app/jobs.py", cwd=project)
    assert lines(result.stdout)[:3] == [f"app/jobs.py:{e}" for e in EXPECTED]


def test_fix_never_writes_into_the_other_file(cli, project):
    before = {p: p.read_text() for p in project.rglob("*.py")}
    result = cli("fix", "app/jobs.py", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr  # the findings remain
    assert {p: p.read_text() for p in project.rglob("*.py")} == before


def test_flake8_gives_the_same_answer(flake8, project):
    result = flake8("app/jobs.py", cwd=project)
    assert lines(result.stdout) == [f"app/jobs.py:{e}" for e in EXPECTED]


def test_the_language_server_gives_the_same_answer(project):
    path = project / "app" / "jobs.py"
    linted = lint_text(JOBS, str(path), Settings(), "utf-16")
    assert [f"{d.location.row}:{d.location.column}: {d.code} {d.message}" for d, _range in linted.findings] == EXPECTED


def test_the_files_a_result_depends_on_are_listed(project):
    path = project / "app" / "jobs.py"
    facts = find(cst.parse_module(JOBS), str(path), ProjectFiles())
    assert facts.dependencies == tuple(sorted(str(p) for p in (
        project / "app" / "config.py", project / "app" / "settings.py", project / "sora_settings.py")))


def test_a_constant_bound_twice_or_computed_is_not_read(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "settings.py").write_text('DURATION = "10"\nif FAST:\n    DURATION = "4"\nSIZE = f"{W}x{H}"\n')
    source = ('from openai import OpenAI\nfrom settings import DURATION, SIZE\n'
              'OpenAI().videos.create(prompt="p", seconds=DURATION, size=SIZE)\n')
    facts = find(cst.parse_module(source), str(tmp_path / "jobs.py"), ProjectFiles())
    [call] = facts.calls
    assert repr(call.args["seconds"].value) == repr(call.args["size"].value) == "UNKNOWN"
    # The file was consulted: when it changes, the answer may change too.
    assert facts.dependencies == (str(tmp_path / "settings.py"),)


def test_a_module_that_is_not_in_the_project_is_not_read(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    source = ('from openai import OpenAI\nfrom elsewhere import DURATION\n'
              'OpenAI().videos.create(prompt="p", seconds=DURATION)\n')
    facts = find(cst.parse_module(source), str(tmp_path / "jobs.py"), ProjectFiles())
    assert repr(facts.calls[0].args["seconds"].value) == "UNKNOWN"


def test_the_run_layer_reader_reads_each_version_once_and_lists_again_after_its_lifetime(tmp_path):
    """ProjectFiles owns the caches the analysis used to keep process-wide: a file is read again when its
    size or mtime changes, a project's listing after ``listing_lifetime`` seconds (a language server)."""
    now = [0.0]
    files = ProjectFiles(listing_lifetime=10.0, clock=lambda: now[0])
    (tmp_path / "settings.py").write_text("DURATION = 10\n")
    assert files.constants(str(tmp_path / "settings.py")) == {"DURATION": (10, 1)}
    assert files.python_files(str(tmp_path)) == [str(tmp_path / "settings.py")]
    (tmp_path / "settings.py").write_text("DURATION = 12  # longer\n")
    (tmp_path / "later.py").write_text("import settings\n")
    assert files.constants(str(tmp_path / "settings.py")) == {"DURATION": (12, 1)}
    now[0] = 9.9
    assert files.python_files(str(tmp_path)) == [str(tmp_path / "settings.py")]
    now[0] = 10.0
    assert files.python_files(str(tmp_path)) == [str(tmp_path / "later.py"), str(tmp_path / "settings.py")]
    assert files.words(str(tmp_path / "later.py")).imported == {b"settings"}


def test_without_a_reader_the_analysis_reads_no_other_file(tmp_path):
    (tmp_path / "settings.py").write_text('DURATION = "10"\n')
    source = ('from openai import OpenAI\nfrom settings import DURATION\n'
              'OpenAI().videos.create(model="sora-2", prompt="p", seconds=DURATION)\n')
    path = str(tmp_path / "jobs.py")
    assert find(cst.parse_module(source), path).dependencies == ()
    assert find(cst.parse_module(source), path, ProjectFiles()).dependencies == (str(tmp_path / "settings.py"),)


def test_import_statements_finds_what_the_regex_finds_everywhere():
    """The scan tries the import regex only where the word occurs: the same matches as trying it everywhere."""
    import random
    import sysconfig

    from sora_lint.analysis.project import _IMPORT, import_statements

    def everywhere(data: bytes) -> list[tuple[bytes, bytes]]:
        return [(m.group(1) or b"", m.group(2)) for m in _IMPORT.finditer(data)]

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(stdlib.glob("*.py"))[:200] + sorted(stdlib.glob("importlib/**/*.py"))
    checked = [f for f in files if import_statements(f.read_bytes()) == everywhere(f.read_bytes())]
    assert checked == files and len(files) > 100
    rng = random.Random(0)
    pieces = [b"import", b" ", b"\n", b";", b"from", b"x", b".", b"(", b")", b"*", b"\t", b"importer", b"#", b"a,b"]
    for _ in range(20_000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert import_statements(data) == everywhere(data), data
