"""What the engine's guard parse catches, and what LibCST alone would cost on it.

    python bench/guard.py

engine/parse.py runs CPython's parser before LibCST's: on deep nesting, LibCST's native parser
needs memory and time that grow with the square of the depth, or overflows its stack. For each
input below (each refused by CPython), this prints CPython's verdict and its time, and the wall
time and peak memory of a bare ``libcst.parse_module`` of it in a child process (stopped after
``--timeout`` seconds). The guard's cost on ordinary code is the "guard" row of bench/stages.py.
Its statement lines also place the findings (engine/positions.py): without them, positions would
generate the code of the whole module, so the guard is kept whole rather than replaced by a scan.
"""
from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import time

SAMPLES = {
    "210 nested parentheses": "x = " + "(" * 210 + "1" + ")" * 210 + "\n",
    "1,000 nested parentheses": "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n",
    "3,000 `not`s": "x = " + "not " * 3000 + "1\n",
    "5,000 unary minuses": "x = " + "-" * 5000 + "1\n",
    "10,000-long attribute chain": "x = a" + ".b" * 10000 + "\n",
}

CHILD = """
import resource, sys, time
import libcst
source = sys.stdin.read()
start = time.perf_counter()
try:
    libcst.parse_module(source)
    verdict = "parsed"
except Exception as exc:
    verdict = type(exc).__name__
print(verdict, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def cpython(source: str) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        ast.parse(source)
        verdict = "accepted"
    except (SyntaxError, RecursionError, MemoryError) as exc:
        verdict = f"{type(exc).__name__}: {str(exc).split('(')[0].strip()}"
    return verdict, time.perf_counter() - start


def libcst_alone(source: str, timeout: float) -> str:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD], input=source, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:.0f} s"
    if done.returncode != 0:
        return f"the process died (exit {done.returncode})"
    verdict, seconds, peak = done.stdout.split()
    return f"{verdict} in {float(seconds):.2f} s, peak {float(peak):.0f} MB"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| input | CPython (the guard) | ms | LibCST alone |")
    print("|---|---|---:|---|")
    for name, source in SAMPLES.items():
        verdict, seconds = cpython(source)
        print(f"| {name} | {verdict} | {seconds * 1000:.1f} | {libcst_alone(source, args.timeout)} |", flush=True)


if __name__ == "__main__":
    main()
