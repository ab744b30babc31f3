"""`check` and `fix` survive bad files, dead workers, killed parents and damaged caches (issue 24, items 4-8)."""
from __future__ import annotations

import faulthandler
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.frontends.cli import main
from sora_lint.run import runner
from sora_lint.run.cache import Cache
from sora_lint.run.files import discover
from sora_lint.run.runner import CHECK, FIX, Job, run

BAD = ('from openai import OpenAI\nclient = OpenAI(base_url="https://api.apiyi.com/v1")\n'
       'client.videos.create(model="sora-2", prompt="x", seconds=10)\n')
GOOD = BAD.replace("seconds=10", "seconds=12")
FINDING = "3:58: SOR001 [*] seconds=10 is not supported by sora-2"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


def _tree(root: Path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = root / f"mod_{i}.py"
        path.write_text(BAD, encoding="utf-8")
        paths.append(str(path))
    return paths


def _codes(results) -> dict[str, list[str]]:
    return {Path(r.path).name: [d.code for d in r.diagnostics] for r in results}


def test_a_worker_killed_mid_file_is_sor000_for_that_file_and_the_run_goes_on(tmp_path, monkeypatch):
    paths = _tree(tmp_path, 9)
    boom = tmp_path / "boom.py"
    boom.write_text(BAD, encoding="utf-8")
    real = runner.process

    def process(path, data, job):  # inherited by the forked workers
        if path.endswith("boom.py"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, data, job)

    monkeypatch.setattr(runner, "process", process)
    results = run([*paths[:4], str(boom), *paths[4:]], Job(CHECK, Settings()), jobs=2)
    by_name = {Path(r.path).name: r for r in results}
    assert len(results) == 10
    assert [(d.code, d.message) for d in by_name["boom.py"].diagnostics] == [
        ("SOR000", "this file was not checked: the checker process was killed (SIGKILL), most likely because the "
                   "parser ran out of memory")]
    assert by_name["boom.py"].unchecked
    for i in range(9):
        assert [d.code for d in by_name[f"mod_{i}.py"].diagnostics] == ["SOR001"]


def test_with_one_job_a_large_file_goes_to_a_child_whose_abort_is_a_finding(tmp_path, monkeypatch):
    paths = _tree(tmp_path, 2)
    large = tmp_path / "large.py"
    large.write_text(BAD + "#" * 400 + "\n", encoding="utf-8")
    real = runner.process

    def process(path, data, job):
        if path.endswith("large.py"):
            faulthandler.disable()  # the child's abort is the test: no stack dump in the test's output
            os.abort()  # what LibCST's native parser does when an allocation fails
        return real(path, data, job)

    monkeypatch.setattr(runner, "process", process)
    monkeypatch.setattr(runner, "CHILD_THRESHOLD", 300)
    results = run([paths[0], str(large), paths[1]], Job(CHECK, Settings()), jobs=1)
    assert _codes(results) == {"mod_0.py": ["SOR001"], "large.py": ["SOR000"], "mod_1.py": ["SOR001"]}
    assert results[1].diagnostics[0].message == (
        "this file was not checked: the parser ran out of memory (the checker process aborted)")


def test_a_file_over_the_size_limit_is_too_large_to_check(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.sora-lint]\nmax-file-size = 200\n", encoding="utf-8")
    (tmp_path / "small.py").write_text(BAD, encoding="utf-8")
    big = BAD + "# " + "x" * 300 + "\n"
    (tmp_path / "big.py").write_text(big, encoding="utf-8")
    (tmp_path / "plain.py").write_text("x = 1\n" * 100, encoding="utf-8")  # no Sora call: the prefilter skips it
    assert main(["check", "--no-cache", "--output-format", "concise", "."]) == 1
    out = capsys.readouterr().out
    size = len(big.encode())
    assert (f"big.py:1:1: SOR000 this file was not checked: it is too large to check ({size:,} bytes; the limit "
            "is 200, set by max-file-size)") in out
    assert f"small.py:{FINDING}" in out
    assert "plain.py" not in out


@needs_fifo
def test_a_fifo_named_py_is_never_opened_walked_or_named(tmp_path):
    (tmp_path / "ok.py").write_text(BAD, encoding="utf-8")
    os.mkfifo(tmp_path / "x.py")
    command = [sys.executable, "-m", "sora_lint", "check", "--no-cache", "--output-format", "concise"]
    walked = subprocess.run([*command, "."], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert walked.stderr.splitlines() == [
        "sora-lint: error: x.py: skipped: a FIFO, not a regular file, so it was not read"]
    assert walked.stdout.splitlines()[0].startswith(f"ok.py:{FINDING}")
    assert walked.returncode == 1
    named = subprocess.run([*command, "x.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert named.stderr.splitlines() == ["sora-lint: error: x.py: a FIFO, not a regular file, so it was not read"]
    assert named.returncode == 2


@needs_fifo
def test_a_fifo_in_place_of_the_cache_file_is_ignored(tmp_path):
    (tmp_path / "ok.py").write_text(BAD, encoding="utf-8")
    cache = Cache(str(tmp_path / ".sora_lint_cache"), key="k")
    os.makedirs(cache.folder)
    os.mkfifo(cache.file)
    cache = Cache(str(tmp_path / ".sora_lint_cache"), key="k")  # reading it does not block
    assert cache.entries == {}
    results = run([str(tmp_path / "ok.py")], Job(CHECK, Settings()), jobs=1, cache=cache)
    assert _codes(results) == {"ok.py": ["SOR001"]}
    cache.save()  # and is not replaced
    assert not Path(cache.file).is_file() and Path(cache.file).is_fifo()


def _entry_fields(entry) -> list[tuple[str, object, object]]:
    """(name, container, key) of every field of a cache entry, nested ones included."""
    row = entry["d"][0]
    fix = row[6][0]
    edit = fix[2][0]
    dep = entry["deps"][0]
    fields: list[tuple[str, object, object]] = [(f"entry[{k!r}]", entry, k) for k in entry]
    for name, container in (("d[0]", row), ("fix", fix), ("edit", edit), ("deps[0]", dep)):
        fields.extend((f"{name}[{i}]", container, i) for i in range(len(container)))
    return fields


WRONG = [None, True, -1, 1.5, 2**70, "x", "", [], {}, [None], [[1, 2]], {"a": 1}]


def _pairs(value) -> bool:
    return type(value) is list and all(type(p) is list and len(p) == 2 and all(type(n) is int for n in p)
                                       for p in value)


def _well_shaped(value, original) -> bool:
    """Another text for a text, no items for a list, or other rows and columns for the related locations (a list
    of pairs): the entry keeps the shape sora-lint writes."""
    return ((type(value) is str and type(original) is str) or (value == [] and type(original) is list)
            or (_pairs(original) and _pairs(value) and value != []))


def test_any_mis_shaped_cache_entry_is_a_miss(tmp_path):
    """Field by field, every wrong value: the cache answers the true findings or nothing, never an exception."""
    other = tmp_path / "other.py"
    other.write_text("SECONDS = 12\n", encoding="utf-8")
    path = tmp_path / "render.py"
    path.write_text(BAD, encoding="utf-8")
    truth = run([str(path)], Job(CHECK, Settings()), jobs=1)[0].diagnostics
    assert [d.code for d in truth] == ["SOR001"] and truth[0].fixes
    fresh = Cache(str(tmp_path / "cache"), key="k")
    fingerprint = fresh.fingerprint(Settings())
    fresh.store(str(path), BAD.encode(), fingerprint, truth, [str(other)])
    genuine = json.dumps(fresh.changed)
    key = next(iter(fresh.changed))
    tried = 0
    for index in range(len(_entry_fields(fresh.changed[key]))):
        for value in WRONG:
            damaged = json.loads(genuine)
            name, container, field = _entry_fields(damaged[key])[index]
            if _well_shaped(value, container[field]):  # type: ignore[index]
                continue
            container[field] = value  # type: ignore[index]
            cache = Cache(str(tmp_path / "cache"), key="k")
            cache.entries = damaged
            data = BAD.encode()
            for found in (cache.by_stat(str(path), fingerprint), cache.by_content(str(path), data, fingerprint)):
                assert found is None or found == truth, (name, value, found)
            tried += 1
    assert tried > 200


def test_a_damaged_cache_file_does_not_break_the_cli(tmp_path, capsys, monkeypatch):
    """The entries the torture run found (deps a number, deps holding a pair): a miss, the same findings."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "render.py").write_text(BAD, encoding="utf-8")
    assert main(["check", "--output-format", "concise", "render.py"]) == 1
    first = capsys.readouterr().out
    [results] = list((tmp_path / ".sora_lint_cache").glob("results-*.json"))
    for deps in (7, [["a", "b"]], [[1, 2, 3, 4]], "deps"):
        data = json.loads(results.read_text(encoding="utf-8"))
        for entry in data.values():
            entry["deps"] = deps
        results.write_text(json.dumps(data), encoding="utf-8")
        assert main(["check", "--output-format", "concise", "render.py"]) == 1
        assert capsys.readouterr().out == first


def test_an_unreadable_folder_is_an_error_not_no_files_found(tmp_path, monkeypatch, capsys):
    """Root reads mode-000 folders, so the refusal is simulated where the walk meets it: os.scandir."""
    sub = tmp_path / "d" / "sub"
    sub.mkdir(parents=True)
    (sub / "bad.py").write_text(BAD, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = discover([str(tmp_path / "d")], Settings())
    assert files == []
    assert errors == [f"{sub}: cannot be read (Permission denied), so the files in it were not checked"]
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "d"]) == 2
    err = capsys.readouterr().err
    assert "sora-lint: error: d/sub: cannot be read (Permission denied), so the files in it were not checked" in err
    assert "no Python files found" not in err


def test_a_file_deleted_while_fix_runs_is_one_error_line(tmp_path, monkeypatch):
    from sora_lint import engine

    paths = _tree(tmp_path, 3)
    real = engine.apply_fixes

    def apply_fixes(text, path, settings, **kwargs):
        if path.endswith("mod_1.py"):
            os.unlink(path)  # between the read and the write
        return real(text, path, settings, **kwargs)

    monkeypatch.setattr(engine, "apply_fixes", apply_fixes)
    results = run(paths, Job(FIX, Settings()), jobs=1)
    assert [r.error for r in results] == [None, f"{paths[1]}: was deleted while it was being fixed, so nothing was "
                                                "written", None]
    assert [r.changed for r in results] == [True, False, True]
    assert (tmp_path / "mod_0.py").read_text(encoding="utf-8") == GOOD
    assert not (tmp_path / "mod_1.py").exists()


def test_fix_removes_the_temporary_files_killed_runs_left(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "render.py").write_text(BAD, encoding="utf-8")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f".sora-lint-{dead.pid}-abc123.tmp"  # its process is gone
    old = tmp_path / ".sora-lint-k2j3h4.tmp"  # a name without a pid, two hours old
    live = tmp_path / f".sora-lint-{os.getppid()}-xyz789.tmp"  # a live process's: left alone
    for temporary in (orphan, old, live):
        temporary.write_text("partial", encoding="utf-8")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert main(["fix", "--no-cache", "render.py"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert f"sora-lint: removed {orphan}, a temporary file a killed run left (its process {dead.pid} is gone)" in err
    assert f"sora-lint: removed {old}, a temporary file a killed run left (2.0 h old)" in err
    assert not orphan.exists() and not old.exists() and live.exists()
    assert (tmp_path / "render.py").read_text(encoding="utf-8") == GOOD


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie runs and writes nothing
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_within_a_second_of_their_parent(tmp_path):
    """The in-process equivalent: ``die_with_parent`` is what every worker runs first (test_workers_die_...)."""
    filler = "".join(f"def f{i}(x):\n    return [x * {i} for _ in range({i})]\n\n\n" for i in range(300))
    for i in range(40):
        (tmp_path / f"m{i}.py").write_text(BAD + filler, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-m", "sora_lint", "fix", "--no-cache", "--jobs", "2", "."],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(workers) >= 2, "the run never started its workers"
    parent.kill()
    parent.wait()
    time.sleep(1)
    assert [pid for pid in workers if _alive(pid)] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_worker_dies_with_its_parent(tmp_path):
    """In the fast loop: a process that ran die_with_parent is gone when the process that started it is."""
    script = (
        "import os, sys, time\n"
        "from sora_lint.run.workers import die_with_parent\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    die_with_parent(parent)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 1
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _alive(child)


def _slow_square(n: int) -> int:
    time.sleep(0.05 if n == 0 else 30)
    return n * n


def test_ctrl_c_stops_every_worker_before_it_returns():
    """KeyboardInterrupt in the parent (what Ctrl-C raises there; the workers ignore SIGINT): every worker is
    SIGKILLed and reaped before the exception goes on, so none writes another file."""
    from sora_lint.run.workers import WorkerPool

    pool = WorkerPool(list(range(4)), _slow_square, lambda item, reason: -1, workers=3)
    workers = []
    with pytest.raises(KeyboardInterrupt), pool:
        for index, result in pool.results():
            workers = [w.process for w in pool.workers]
            assert (index, result) == (0, 0)
            raise KeyboardInterrupt
    assert len(workers) == 3 and all(p.exitcode == -signal.SIGKILL for p in workers)
