"""`fix` is crash-safe (issue 5, item 2): SIGKILL at any moment leaves every file as it was or fully fixed.

A `sora-lint fix --jobs 2` run over a couple of hundred files that all need fixes is killed,
with its worker processes, at random moments (a seeded, bounded loop). After each kill every file
must be byte-for-byte the original or the expected fixed text (computed once with the engine's
``apply_fixes``), with its permission bits unchanged. A last run on what the kills left must then
fix everything.

Temporary files: ``write_atomically`` writes ``.sora-lint-XXXXXXXX.tmp`` next to the file and
renames it over the file. After SIGKILL nothing can delete a temporary file caught between its
creation and the rename, so such leftovers are expected; the test asserts they only ever have that
name, which never ends in ``.py``, so no later walk (sora-lint's, flake8's, pytest's) picks them up,
and that the next run ignores them.
"""
import contextlib
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups (POSIX)")]

SEED = 20251126
# (kills, files): full strength in CI and under `pytest -m slow`; fewer in a local run of everything (conftest).
BUDGET = {"full": (10, 160), "quick": (4, 60)}
TEMPORARY = re.compile(r"^\.sora-lint-[^/]+\.tmp$")

FILLER = "".join(f"def helper_{i}(x):\n    return [x * {i} for _ in range({i})]\n\n\n" for i in range(12))
CALLS = """\
client.videos.create(model="sora-2", prompt="a", seconds=10, size="1792x1024")
client.videos.create(model="sora-2", prompt="b", seconds="6")
client.videos.create_and_poll(model="Sora-2-Pro", prompt="c", seconds=12, size="1280*720")
DURATION = 30
client.videos.create(model="sora-2", prompt="d", seconds=DURATION)
params = {"model": "sora2", "prompt": "e", "seconds": 5}
client.videos.create(**params)
"""
TEMPLATES = [
    ("utf-8", "\n", "from openai import OpenAI\nclient = OpenAI()\n"),
    ("utf-8", "\r\n", 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.apiyi.com/v1")\n'),
    ("utf-8-sig", "\n", "import openai\nclient = openai.OpenAI()\n# \u00e9t\u00e9 \u2603\n"),
    ("utf-8", "\n", "from openai import AsyncOpenAI\nclient = AsyncOpenAI()\n"),
]
MODES = [0o644, 0o600, 0o755, 0o664]


def make_tree(root: Path, count: int):
    """(path, original bytes, fixed bytes, mode) for ``count`` files; the files are written."""
    expected = []
    for _k, (encoding, newline, head) in enumerate(TEMPLATES):
        text = (head + FILLER + CALLS).replace("\n", newline)
        outcome = apply_fixes(text, "t.py", Settings())
        assert outcome.error is None and outcome.applied > 0
        expected.append((text.encode(encoding), outcome.source.encode(encoding)))
    files = []
    for i in range(count):
        folder = root / f"pkg{i % 6}"
        folder.mkdir(exist_ok=True)
        original, fixed = expected[i % len(expected)]
        files.append((folder / f"mod_{i}.py", original, fixed, MODES[i % len(MODES)]))
    reset(files)
    return files


def reset(files) -> None:
    for path, original, _fixed, mode in files:
        if path.exists():
            path.chmod(0o644)
        path.write_bytes(original)
        path.chmod(mode)


def start_fix(root: Path) -> subprocess.Popen:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("CI", None)
    return subprocess.Popen([sys.executable, "-m", "sora_lint", "fix", "--jobs", "2", str(root)], cwd=str(root),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)


def live_members(pgid: int) -> list:
    """Processes of the group that still run (zombies cannot write, and nobody may reap them here)."""
    if not os.path.isdir("/proc"):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry))
    return members


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while live_members(proc.pid):
        assert time.monotonic() < deadline, f"processes of group {proc.pid} survived SIGKILL"
        time.sleep(0.01)


def states(files, root: Path):
    """How many files are original and fixed; fails on anything else."""
    original = fixed = 0
    for path, before, after, mode in files:
        data = path.read_bytes()
        assert data in (before, after), f"{path.name} is neither the original nor the fixed text:\n{data[:300]!r}"
        assert stat.S_IMODE(path.stat().st_mode) == mode, f"{path.name} lost its mode bits"
        original += data == before
        fixed += data == after
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if not name.startswith("mod_"):
                assert TEMPORARY.match(name), f"unexpected file {os.path.join(folder, name)}"
                assert not name.endswith((".py", ".pyi"))
    return original, fixed


def leftovers(root: Path) -> list:
    return sorted(p.name for p in root.rglob(".sora-lint-*"))


def test_sigkill_at_random_moments_leaves_every_file_original_or_fixed(tmp_path, strength):
    kills, count = BUDGET[strength]
    root = tmp_path / "tree"
    root.mkdir()
    files = make_tree(root, count)

    started = time.monotonic()
    proc = start_fix(root)
    out, err = proc.communicate(timeout=120)
    duration = time.monotonic() - started
    assert proc.returncode == 0, err.decode()
    assert states(files, root) == (0, count), "a full run must fix every file"

    rng = random.Random(SEED)
    outcomes = []
    for _kill in range(kills):
        reset(files)
        delay = rng.uniform(0, duration)
        proc = start_fix(root)
        time.sleep(delay)
        kill_group(proc)
        original, fixed = states(files, root)
        outcomes.append((round(delay, 2), fixed))
    # The kills must have landed while files were being written, or the test proved nothing.
    assert any(0 < fixed < count for _delay, fixed in outcomes), (duration, outcomes)

    # After the last kill, a new run finishes the job and removes the killed runs' leftovers
    # (their processes are gone), one stderr line each, and leaves none of its own.
    # One leftover is planted so the removal is checked even when no kill happened to leave one.
    dead = subprocess.Popen(["true"])
    dead.wait()
    (files[0][0].parent / f".sora-lint-{dead.pid}-planted.tmp").write_text("half-written")
    stale = leftovers(root)
    proc = start_fix(root)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "Traceback" not in err.decode(), err.decode()
    assert ".tmp" not in out.decode()
    removed = sorted(
        Path(line.split()[2].rstrip(",")).name
        for line in err.decode().splitlines()
        if "a temporary file a killed run left" in line
    )
    assert removed == stale
    assert states(files, root) == (0, count)
    assert leftovers(root) == []
    print(f"run {duration:.2f}s; kills (delay s, files fixed): {outcomes}; leftover temp files: {len(stale)}")


def test_fix_through_a_symlink_writes_the_file_it_points_to_and_keeps_the_link(tmp_path, cli):
    # Found while writing this file: `fix` replaced a symlinked module (app/compat.py ->
    # ../shared/compat.py) with a regular file holding the fixed text, so the link was gone
    # and the real module was left unfixed (os.replace renames over the link itself).
    (tmp_path / "shared").mkdir()
    (tmp_path / "app").mkdir()
    target = tmp_path / "shared" / "compat.py"
    target.write_text('import openai\nclient.videos.create(model="sora-2", prompt="p", seconds=10)\n')
    target.chmod(0o640)
    link = tmp_path / "app" / "compat.py"
    link.symlink_to(Path("..") / "shared" / "compat.py")
    result = cli("fix", "app")
    assert result.returncode == 0, result.stderr
    assert os.readlink(link) == os.path.join("..", "shared", "compat.py")
    assert target.read_text() == 'import openai\nclient.videos.create(model="sora-2", prompt="p", seconds="12")\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in (tmp_path / "app").iterdir()) == ["compat.py"]
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == ["compat.py"]
