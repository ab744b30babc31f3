"""Running one command and measuring its wall time, CPU time and peak memory.

The command is started through timed.py (see there why), which reports its wall time,
CPU time and ``ru_maxrss``. Peak memory has two sides, and both are kept:

* ``max_rss_mb``: the kernel's exact peak resident set of the *largest single process*
  of the command (what ``/usr/bin/time -v`` prints); it misses that forked workers are
  alive at the same time.
* ``tree_pss_mb``: the largest *sum* over the command's process tree (the command and all
  its workers) of the proportional set size, sampled every ``interval`` seconds from
  ``/proc/PID/smaps_rollup`` (Linux only). PSS splits pages shared by forked workers
  between them instead of counting them once per process as an RSS sum would. Being
  sampled, it can miss a short peak, hence the two figures.

``peak_mb`` is the larger of the two: the number the 300 MB target is judged on.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass


@dataclass
class Measurement:
    seconds: float
    cpu_seconds: float  # user + system of the command and of the workers it waited for
    max_rss_mb: float
    tree_pss_mb: float | None  # None where /proc is not available
    exit_code: int
    stdout: str
    stderr: str
    # Cores kept busy by *other* work during the run (all CPU time the machine spent, minus the
    # command's own, over the wall time); None without /proc/stat. Shows when a number is suspect.
    other_cores: float | None = None
    findings: int | None = None  # what the caller counted in stdout before dropping it

    @property
    def peak_mb(self) -> float:
        return max(self.max_rss_mb, self.tree_pss_mb or 0.0)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        del data["stdout"], data["stderr"]
        data["peak_mb"] = self.peak_mb
        return data


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (all its threads), from /proc; [] when not available."""
    found: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                found.extend(int(p) for p in fh.read().split())
        except OSError:
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # the process ended between listing and reading: it no longer uses memory
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of the descendants of a process (timed.py) until stopped."""

    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.available = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")
        self._done = threading.Event()

    def sample(self) -> None:
        total, todo, seen = 0, _children(self.pid), set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            total += _pss_kb(pid)
            todo.extend(_children(pid))
        self.peak_kb = max(self.peak_kb, total)

    def run(self) -> None:
        if not self.available:
            return
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def stop(self) -> float | None:
        self._done.set()
        self.join()
        return self.peak_kb / 1024 if self.available and self.peak_kb else None


def _busy_cpu_seconds() -> float | None:
    """CPU time the whole machine has spent busy since boot (Linux), in seconds."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal; guest is in user
    return busy / os.sysconf("SC_CLK_TCK")


TIMED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "timed.py")


def run_measured(argv: Sequence[str], cwd: str, env: Mapping[str, str] | None = None,
                 interval: float = 0.05) -> Measurement:
    """Run ``argv`` to completion; its output goes to temporary files (no pipe to drain)."""
    with tempfile.TemporaryDirectory(prefix="sora-bench-") as tmp:
        result = os.path.join(tmp, "rusage.json")
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            # -S: no site import, so timed.py starts in a few MB (see timed.py).
            wrapper = subprocess.Popen([sys.executable, "-S", TIMED, result, *argv], cwd=cwd,
                                       env=dict(env) if env is not None else None,
                                       stdout=out, stderr=err, stdin=subprocess.DEVNULL)
            sampler = TreeSampler(wrapper.pid, interval)
            sampler.start()
            busy_before = _busy_cpu_seconds()
            wrapper.wait()
            busy_after = _busy_cpu_seconds()
            pss = sampler.stop()
        with open(result) as fh:
            usage = json.load(fh)
        with open(out_path, "rb") as fh:
            stdout = fh.read().decode("utf-8", "replace")
        with open(err_path, "rb") as fh:
            stderr = fh.read().decode("utf-8", "replace")
    other = None
    if busy_before is not None and busy_after is not None and usage["seconds"] > 0:
        other = max(0.0, (busy_after - busy_before - usage["cpu_seconds"]) / usage["seconds"])
    return Measurement(usage["seconds"], usage["cpu_seconds"], usage["max_rss_kb"] / 1024, pss,
                       usage["exit_code"], stdout, stderr, other)
