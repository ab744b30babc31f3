"""The warm path (run/warm.py): a repeat check on an unchanged tree replays its output; any change is a miss."""
import io
import marshal
import os
import subprocess
import sys
import time

import pytest

from sora_lint.frontends.cli import main
from sora_lint.run import cache, config_files, warm

BAD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n'
PAST = time.time() - 3600
ARGV = ["check", "--output-format", "concise", "--color", "never", "pkg"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project whose files and folders were last touched an hour ago, checked from its root."""
    monkeypatch.chdir(tmp_path)
    for var in warm.ENVIRONMENT + ("SORA_LINT_NO_CACHE",):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SORA_LINT_TODAY", "2026-06-01")  # before the shutdown: SOR006 stays quiet
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD)
    (tmp_path / "pkg" / "ok.py").write_text("x = 1\n")
    age(tmp_path)
    return tmp_path


def age(root):
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (PAST, PAST))
        os.utime(folder, (PAST, PAST))


def run(argv=ARGV):
    """What ``entry`` does, in process: (how it ran, stdout, stderr, exit status)."""
    out, err = io.StringIO(), io.StringIO()
    status = warm.replay(argv, out, err)
    how = "replayed"
    if status is None:
        how, status = "worked", main(argv, warm.Recorder(argv, out, err))
    return how, out.getvalue(), err.getvalue(), status


def index_files(root):
    return sorted(p for p in (root / ".sora_lint_cache").iterdir() if p.name.startswith(warm.INDEX_PREFIX))


def test_a_repeat_run_replays_the_same_output_and_status(project):
    first = run()
    assert first[0] == "worked" and first[3] == 1
    assert "pkg/bad.py:2:60: SOR001" in first[1]
    assert len(index_files(project)) == 1
    assert run() == ("replayed", *first[1:])


@pytest.mark.parametrize("change", ["edit", "new file", "new config", "config above", "gitignore", "remove"])
def test_any_change_it_depends_on_is_a_miss(project, change):
    run()
    if change == "edit":
        (project / "pkg" / "bad.py").write_text(BAD.replace('"10"', '"20"'))
    elif change == "new file":
        (project / "pkg" / "sub").mkdir()
        (project / "pkg" / "sub" / "more.py").write_text(BAD)
    elif change == "new config":
        (project / "pkg" / ".sora-lint.toml").write_text('ignore = ["SOR001"]\n')
    elif change == "config above":
        (project / "pyproject.toml").write_text('[tool.sora-lint]\nignore = ["SOR001"]\n')
    elif change == "gitignore":
        (project / ".gitignore").write_text("bad.py\n")
        (project / ".git").mkdir()
    else:
        (project / "pkg" / "bad.py").unlink()
    how, out, _err, _status = run()
    assert how == "worked"
    if change == "edit":
        assert 'seconds="20"' in out
    elif change == "new file":
        assert "pkg/sub/more.py:2:60: SOR001" in out
    else:
        assert "SOR001" not in out


def test_other_options_another_folder_or_another_day_are_other_keys(project, monkeypatch):
    run()
    assert run(ARGV[:-1] + ["--select", "SOR002", "pkg"])[0] == "worked"
    monkeypatch.setenv("SORA_LINT_TODAY", "2026-06-02")
    assert run()[0] == "worked"
    monkeypatch.setenv("NO_COLOR", "1")
    assert run()[0] == "worked"


@pytest.mark.parametrize("argv", [
    ["check", "--fix", "pkg"], ["check", "--diff", "pkg"], ["check", "--add-noqa", "pkg"],
    ["check", "--no-cache", "pkg"], ["check", "--output-file", "report.txt", "pkg"], ["fix", "pkg"],
])
def test_a_run_that_writes_is_never_recorded(project, argv):
    run(argv)
    assert not (project / ".sora_lint_cache").exists() or index_files(project) == []


def test_a_file_touched_a_moment_ago_is_not_recorded(project):
    (project / "pkg" / "ok.py").write_text("x = 2\n")
    assert run()[0] == "worked"
    assert index_files(project) == []


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps((1, 2, 3)),
                                    marshal.dumps("a string"), b"\xff" * 40])
def test_a_damaged_or_mis_shaped_index_is_a_miss_never_an_error(project, damage):
    first = run()
    [index] = index_files(project)
    index.write_bytes(damage)
    assert run() == ("worked", *first[1:])


def test_an_index_of_the_right_shape_but_wrong_values_is_a_miss(project):
    first = run()
    [index] = index_files(project)
    version, key, groups, chunks, status = marshal.loads(index.read_bytes())
    folder, names, mtimes, sizes = groups[0]
    moved = ((folder, names, tuple(m + 1 for m in mtimes), sizes),) + groups[1:]
    for bad in [(version, key, groups, chunks, "1"), (version, "other", groups, chunks, status),
                (version, key, ((folder, names, mtimes[:-1], sizes),) + groups[1:], chunks, status),
                (version, key, moved, chunks, status), (version, key, groups, ((3, "x"),), status),
                (version, key, groups[0], chunks, status)]:
        index.write_bytes(marshal.dumps(bad))
        assert run() == ("worked", *first[1:])


def test_the_names_it_watches_are_the_configuration_files_and_the_cache_folder():
    assert set(config_files.CONFIG_NAMES) <= set(warm.WATCHED_NAMES)
    assert warm.CACHE_DIR_NAME == cache.CACHE_DIR_NAME


@pytest.mark.slow
def test_a_warm_process_imports_neither_libcst_nor_the_configuration_nor_argparse(project):
    env = {k: v for k, v in os.environ.items() if k not in warm.ENVIRONMENT + ("SORA_LINT_NO_CACHE",)}
    env["SORA_LINT_TODAY"] = "2026-06-01"
    command = [sys.executable, "-X", "importtime", "-m", "sora_lint", *ARGV]
    runs = [subprocess.run(command, cwd=project, capture_output=True, text=True, env=env) for _ in range(2)]
    imported = [{line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
                for r in runs]
    assert "libcst" in imported[0]
    assert not imported[1] & {"libcst", "argparse", "tomllib", "sora_lint.run.config", "sora_lint.contracts",
                              "json", "typing"}
    assert (runs[1].stdout, runs[1].returncode) == (runs[0].stdout, runs[0].returncode) != ("", 0)
