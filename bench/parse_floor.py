"""The LibCST floor: a bare ``libcst.parse_module`` of every ``.py`` file, in one process.

A LibCST-based linter parses every file it checks, so this is the least such a linter can
cost; sora-lint's CPU time over it is what its own analysis, rules and positions add
(issue 10's target: at most 1.3). Files are walked as in ``floor.py`` and decoded as sora-lint
decodes them; a file that does not parse is counted and skipped. Prints the number parsed.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import libcst


def parse_all(roots: Sequence[str]) -> tuple[int, int]:
    parsed = failed = 0
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                if not name.endswith(".py"):
                    continue
                with open(os.path.join(folder, name), "rb") as fh:
                    text = fh.read().decode("utf-8", errors="replace")
                try:
                    libcst.parse_module(text)
                    parsed += 1
                except Exception:  # a file LibCST cannot parse is not part of the floor
                    failed += 1
    return parsed, failed


if __name__ == "__main__":
    print("{} files parsed, {} failed".format(*parse_all(sys.argv[1:])))
