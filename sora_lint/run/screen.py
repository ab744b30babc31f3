"""Reading a long list of files and keeping those that may hold a Sora call, on every core.

A check of a large tree without Sora calls is all reading and prefiltering (~20 µs a file, most of
it the system calls and the byte search): one process per core, each with an interleaved share of
the list, halves its wall time on two cores. The children are plain forks that answer once, through
a pipe, with a marshalled list: no multiprocessing (its import alone is ~5 ms), and no pickling.

What a child answers is exactly what the parent would have computed for the same files, in the
same order; a child that dies or answers garbage costs its share being done again here.
"""
from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
from collections.abc import Sequence
from typing import Union

from .files import NotRegular, read_regular

# One file's outcome: None, no Sora call can be in it; bytes, its content (it may hold one);
# str, the error line saying why it could not be read.
Outcome = Union[None, bytes, str]

# Below this many files per process a fork (~2-4 ms with its exit and reaping) costs more than it saves.
MIN_FILES_PER_PROCESS = 400


def unreadable_line(path: str, exc: OSError) -> str:
    """The error line of a file that could not be read (gone, no permission, a FIFO or a device)."""
    if isinstance(exc, NotRegular):
        return f"{path}: skipped: {exc}"
    return f"{path}: cannot be read: {exc.strerror or exc}"


def screen(path: str) -> Outcome:
    """One file read and prefiltered."""
    from ..analysis.prefilter import might_contain_sora_call_bytes

    try:
        data = read_regular(path)
    except OSError as exc:
        return unreadable_line(path, exc)
    return data if might_contain_sora_call_bytes(data) else None


def screen_all(paths: Sequence[str], processes: int, min_files: int = MIN_FILES_PER_PROCESS) -> list[Outcome]:
    """:func:`screen` of every path, in order, spread over up to ``processes`` processes."""
    from ..analysis import prefilter  # noqa: F401 - imported before any fork, not once per child

    share = min(processes, len(paths) // max(min_files, 1))
    if share < 2 or not _can_fork():
        return [screen(p) for p in paths]
    outcomes: list[Outcome] = [None] * len(paths)
    children: dict[int, tuple[int, int]] = {}  # share index -> (pid, the read end of its pipe)
    try:
        for k in range(1, share):
            children[k] = _fork(paths[k::share])
        outcomes[0::share] = [screen(p) for p in paths[0::share]]
        for k in range(1, share):
            pid, fd = children[k]
            data = _read_to_end(fd)
            del children[k]
            os.close(fd)
            answer = _outcomes(data) if _reap(pid, kill=False) == 0 else None
            mine = paths[k::share]
            if answer is None or len(answer) != len(mine):
                answer = [screen(p) for p in mine]
            outcomes[k::share] = answer
    finally:
        for pid, fd in children.values():  # only when this process was interrupted: the children stop too
            os.close(fd)
            _reap(pid, kill=True)
    return outcomes


def _can_fork() -> bool:
    """A fork is safe here: the platform has it and this process runs no other thread (a thread holding a lock
    at the fork, the import lock or an allocator's, would leave the child waiting for ever)."""
    if not hasattr(os, "fork") or sys.platform == "darwin":  # macOS: fork without exec is not safe
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _fork(paths: Sequence[str]) -> tuple[int, int]:
    """A child that screens ``paths`` and writes the marshalled outcomes to a pipe: (its pid, the pipe's read end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills us
            data = memoryview(marshal.dumps([screen(p) for p in paths]))
            while data:
                data = data[os.write(write_end, data):]
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flush of the parent's buffered output
    os.close(write_end)
    return pid, read_end


def _read_to_end(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _outcomes(data: bytes) -> list[Outcome] | None:
    """A child's answer, or None when it is not a list of outcomes (a child cut short)."""
    try:
        answer = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(answer, list) or not all(a is None or isinstance(a, (bytes, str)) for a in answer):
        return None
    return answer


def _reap(pid: int, kill: bool) -> int:
    """Wait for a child (after a SIGKILL when ``kill``); its exit code, negative for a signal."""
    if kill:
        with contextlib.suppress(OSError):  # it may be gone already
            os.kill(pid, signal.SIGKILL)
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:  # reaped by someone else (a SIGCHLD handler of the embedding program)
        return -1
