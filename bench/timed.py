"""Run one command and write its wall time and rusage as JSON: ``timed.py RESULT.json CMD ARGS...``

Why a separate small process rather than timing from run.py: on Linux, a child's
``ru_maxrss`` starts from the high-water mark of the process that spawned it (exec
records the old address space's peak, and subprocess uses vfork, which shares it), so
a command started straight from run.py (tens of MB after building the corpora) would
inherit run.py's peak. Started from this script, run with ``python -S`` (a few MB), the
inherited floor is negligible. Timing here also leaves this script's own start-up out
of the measured time.

``os.wait4`` returns the rusage of the child, which includes the descendants it waited
for (the worker processes of a pool): ``ru_maxrss`` is then the peak of the largest
single process, and the CPU times are the sum over all of them.
"""
import json
import os
import sys
import time


def main() -> int:
    result_path, argv = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    maxrss_kb = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    with open(result_path, "w") as fh:
        json.dump({"seconds": elapsed, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                   "max_rss_kb": maxrss_kb, "exit_code": code}, fh)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
