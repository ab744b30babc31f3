"""The floor: the least any linter of these trees must do, in one Python process.

It walks the folders given (sorted, like sora-lint), reads every ``.py`` file as bytes
and tests for the text ``videos``: the I/O and interpreter start-up that no tool can
avoid. Prints the number of files read and how many contain ``videos``.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def scan(roots: Sequence[str]) -> tuple[int, int]:
    files = hits = 0
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(".py"):
                    with open(os.path.join(folder, name), "rb") as fh:
                        hits += b"videos" in fh.read()
                    files += 1
    return files, hits


if __name__ == "__main__":
    print("{} files read, {} contain 'videos'".format(*scan(sys.argv[1:])))
