"""Python's cyclic garbage collector paused while a file is checked.

A check allocates tens of thousands of objects per file (LibCST's tree, CPython's guard tree, the
analysis) that all die by reference counting when the file is done: LibCST's nodes hold no cycles.
With the collector on, they survive its young generations while the file is worked on, and push it
into full collections that walk every object the process holds: the modules and the findings of every
file checked so far. On the benchmark's 1,000-file dense tree that cost about a sixth of a parse, and
grew with the number of files. Paused per file, the collector runs between files instead, over what
is still alive then.

The pause is counted, so overlapping checks in several threads (the language server) resume it once,
and it never enables a collector that was off when the first of them began.
"""
from __future__ import annotations

import gc

from .held import Held


def _pause() -> bool:
    running = gc.isenabled()
    gc.disable()
    return running


def _resume(running: bool) -> None:
    if running:
        gc.enable()


class CollectorPause(Held):
    def __init__(self) -> None:
        super().__init__(_pause, _resume)


COLLECTOR_PAUSED = CollectorPause()
