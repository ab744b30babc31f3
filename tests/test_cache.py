"""The results cache, through the CLI as a process: hits, invalidation, --no-cache, clean, concurrent runs."""
import json
import os
import subprocess
import sys
import time

from conftest import lines

from sora_lint.contracts.settings import Settings
from sora_lint.core.types import Diagnostic, Location
from sora_lint.run.cache import Cache

BAD = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n'
# Same length as BAD, and a finding of its own: if a run shows BAD's finding for this text, it used the cache.
OTHER = BAD.replace('seconds="10"', 'seconds="20"')
TAG = "[profile openai: auto: client has no base_url]"
SOR001_10 = (f"bad.py:2:60: SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', "
             f"and '12'); use \"8\" or \"12\" {TAG}")
SOR001_20 = (f"bad.py:2:60: SOR001 [*] seconds=\"20\" is not supported by sora-2 (Supported values are: '4', '8', "
             f"and '12'); use \"12\" {TAG}")
PAST = time.time() - 3600


def write_old(path, text):
    """Write a file with an mtime an hour ago, as a file untouched since the last run has."""
    path.write_text(text)
    os.utime(path, (PAST, PAST))


def findings(result):
    return [line for line in lines(result.stdout) if line.startswith("bad.py")]


def cache_files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_warm_run_reads_the_cache_not_the_sources(cli, tmp_path):
    write_old(tmp_path / "bad.py", BAD)
    assert findings(cli("check", "--output-format", "concise", ".")) == [SOR001_10]
    cache = tmp_path / ".sora_lint_cache"
    assert (cache / ".gitignore").read_text() == "# Automatically created by sora-lint.\n*\n"
    assert [n for n in cache_files(cache) if n.startswith("results-")]
    # Swap the content for another of the same size and put the old mtime back: the stat is unchanged,
    # so a warm run answers from the cache without reading the file (as ruff does).
    write_old(tmp_path / "bad.py", OTHER)
    assert findings(cli("check", "--output-format", "concise", ".")) == [SOR001_10]
    # --no-cache reads it.
    assert findings(cli("check", "--output-format", "concise", "--no-cache", ".")) == [SOR001_20]


def test_an_edit_invalidates_the_entry(cli, tmp_path):
    write_old(tmp_path / "bad.py", BAD)
    cli("check", ".")
    (tmp_path / "bad.py").write_text(OTHER)  # a real edit: the mtime moves
    assert findings(cli("check", "--output-format", "concise", ".")) == [SOR001_20]
    # A touch without a change: the content hash still matches, the entry is used.
    os.utime(tmp_path / "bad.py", (PAST + 10, PAST + 10))
    assert findings(cli("check", "--output-format", "concise", ".")) == [SOR001_20]


def test_a_settings_change_invalidates_the_entry(cli, tmp_path):
    write_old(tmp_path / "bad.py", BAD)
    (tmp_path / "pyproject.toml").write_text("[tool.sora-lint]\n")
    assert findings(cli("check", "--output-format", "concise", ".")) == [SOR001_10]
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nignore = ["SOR001"]\n')
    result = cli("check", ".")
    assert (result.returncode, findings(result)) == (0, [])
    # So does a command-line override.
    assert findings(cli("check", "--output-format", "concise", "--select", "SOR001", ".")) == [SOR001_10]


def test_cache_dir_no_cache_and_clean(cli, tmp_path):
    write_old(tmp_path / "bad.py", BAD)
    cli("check", "--no-cache", ".")
    assert not (tmp_path / ".sora_lint_cache").exists()
    cli("check", "--cache-dir", "elsewhere", ".")
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file()
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\ncache-dir = "configured"\n')
    cli("check", ".")
    assert (tmp_path / "configured" / ".gitignore").is_file()
    result = cli("clean")
    assert (result.returncode, result.stdout) == (0, f"Removed {tmp_path / 'configured'}\n")
    assert not (tmp_path / "configured").exists()
    assert cli("clean").stdout == f"No cache at {tmp_path / 'configured'}\n"
    result = cli("clean", "--cache-dir", "elsewhere")
    assert (result.returncode, result.stdout) == (0, f"Removed {tmp_path / 'elsewhere'}\n")


def test_a_bad_cache_is_ignored_never_an_error(cli, tmp_path):
    write_old(tmp_path / "bad.py", BAD)
    cli("check", ".")
    [results] = [p for p in (tmp_path / ".sora_lint_cache").iterdir() if p.name.startswith("results-")]
    entries = json.loads(results.read_text())
    entries[str(tmp_path / "bad.py")]["d"] = [["SOR001", "truncated"]]
    results.write_text(json.dumps(entries))
    result = cli("check", "--output-format", "concise", ".")
    assert (result.stderr, findings(result)) == ("", [SOR001_10])
    results.write_text('{"half a file')
    result = cli("check", "--output-format", "concise", ".")
    assert (result.stderr, findings(result)) == ("", [SOR001_10])
    assert isinstance(json.loads(results.read_text()), dict)  # rewritten whole


def test_two_concurrent_runs_leave_a_whole_cache(tmp_path):
    for i in range(60):
        write_old(tmp_path / f"m{i:02}.py", BAD if i % 2 else "x = 1\n")
    env = dict(os.environ, NO_COLOR="1")
    env.pop("CI", None)
    command = [sys.executable, "-m", "sora_lint", "check", "--jobs", "1", "--output-format", "json", "."]
    runs = [subprocess.Popen(command, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert [len(json.loads(out)) for out, _err in outputs] == [30, 30]
    [results] = [p for p in (tmp_path / ".sora_lint_cache").iterdir() if p.name.startswith("results-")]
    assert len(json.loads(results.read_text())) == 60
    # Every entry is usable: swapping contents without changing stats still shows the cached findings.
    for i in range(1, 60, 2):
        write_old(tmp_path / f"m{i:02}.py", OTHER)
    warm = subprocess.run(command, cwd=str(tmp_path), capture_output=True, text=True, env=env, timeout=300)
    assert {row["message"].split(" is ")[0] for row in json.loads(warm.stdout)} == {'seconds="10"'}


def test_results_depending_on_other_files_go_stale_when_those_change(tmp_path):
    """ModuleFacts.dependencies, carried by the engine's check(), keys the entry on those files too."""
    module, constants = tmp_path / "app.py", tmp_path / "durations.py"
    write_old(module, "from durations import SECONDS\n")
    write_old(constants, "SECONDS = 10\n")
    cache = Cache(str(tmp_path / "cache"))
    fingerprint = cache.fingerprint(Settings())
    found = [Diagnostic("SOR001", "m", str(module), Location(1, 1), Location(1, 2))]
    cache.store(str(module), module.read_bytes(), fingerprint, found, [str(constants)])
    cache.save()
    warm = Cache(str(tmp_path / "cache"))
    assert warm.by_stat(str(module), fingerprint) == found
    constants.write_text("SECONDS = 12\n")  # an edit: its mtime moves
    assert Cache(str(tmp_path / "cache")).by_stat(str(module), fingerprint) is None
    assert Cache(str(tmp_path / "cache")).by_stat(str(module), "another settings fingerprint") is None


def test_results_of_another_version_are_dropped(cli, tmp_path):
    write_old(tmp_path / "bad.py", BAD)
    (tmp_path / ".sora_lint_cache").mkdir()
    stale = tmp_path / ".sora_lint_cache" / "results-0000000000000000000.json"
    stale.write_text("{}")
    assert findings(cli("check", "--output-format", "concise", ".")) == [SOR001_10]
    assert not stale.exists()
    assert len([n for n in cache_files(tmp_path / ".sora_lint_cache") if n.startswith("results-")]) == 1


def test_results_that_depend_on_the_date_are_not_reused_on_another_day(cli, tmp_path):
    """SOR006 compares lifecycle dates with today (SORA_LINT_TODAY in tests): the date keys the cache."""
    write_old(tmp_path / "bad.py", BAD)

    def codes(today):
        result = cli("check", "--output-format", "json", ".", today=today)
        return sorted({row["code"] for row in json.loads(result.stdout)})

    assert codes("2026-01-01") == ["SOR001"]  # before the official API's shutdown
    assert codes("2026-12-01") == ["SOR001", "SOR006"]
    assert codes("2026-01-01") == ["SOR001"]
