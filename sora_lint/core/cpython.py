"""CPython's own parser, one thread at a time.

In CPython 3.11, building the tree of ``ast.parse`` keeps a recursion counter per interpreter: two threads
building trees at once (the language server lints in one and fixes in another) can make it fail with
"SystemError: AST constructor recursion depth mismatch". Every ``ast.parse`` of sora-lint goes through here.
"""
from __future__ import annotations

import ast
import threading

_ONE_AT_A_TIME = threading.RLock()  # reentrant: a finalizer run inside a parse may parse too


def parse_python(source: str | bytes) -> ast.Module:
    """``ast.parse(source)``, never overlapping another thread's."""
    with _ONE_AT_A_TIME:
        return ast.parse(source)
