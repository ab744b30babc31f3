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
import sys
from collections.abc import Sequence

from .files import NotRegular, read_regular

TYPE_CHECKING = False  # typing waits for the runner (see contracts/settings.py)
if TYPE_CHECKING:
    from typing import Union

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
            import signal  # here, not at the module's top: a run that never forks does not need it

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
        import signal

        with contextlib.suppress(OSError):  # it may be gone already
            os.kill(pid, signal.SIGKILL)
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:  # reaped by someone else (a SIGCHLD handler of the embedding program)
        return -1


class Ahead:
    """Files screened while the walk that finds them goes on: a forked child pulls batches of paths from a pipe
    as :meth:`add` fills it, and this process takes the batches the child has not reached once the walk ends.

    Both processes read the same pipe: every message is one batch padded to the pipe's atomic size
    (PIPE_BUF), written whole or not at all and read whole, so the two never split a batch. A batch the pipe
    has no room for is screened here at once. A batch lost to a dying child is screened here at the end:
    :meth:`outcomes` answers for every path, whatever the child did.
    """

    BATCH = 32  # paths per message: ~2 KB of a 4 KB message for the paths of a usual tree

    def __init__(self, processes: int, enabled: bool = True, min_files: int = MIN_FILES_PER_PROCESS) -> None:
        self.processes, self.enabled, self.min_files = processes, enabled and processes > 1, min_files
        self.pending: list[str] = []
        self.seen: set[str] = set()
        self.batches: list[list[str]] = []
        self.done: dict[int, list[Outcome]] = {}
        self.child: tuple[int, int, int] | None = None  # (pid, the tasks' read end, the results' read end)
        self.tasks = -1  # the tasks' write end while the walk goes on
        self.size = 0

    def add(self, path: str) -> None:
        if not self.enabled or path in self.seen:
            return
        self.seen.add(path)
        self.pending.append(path)
        if self.child is None:
            if len(self.pending) < self.min_files:
                return
            if not _can_fork():
                self.enabled, self.pending = False, []
                return
            self._start()
        if len(self.pending) >= self.BATCH:
            self._send(self.pending)
            self.pending = []

    def outcomes(self, paths: Sequence[str]) -> list[Outcome]:
        """:func:`screen` of every path of ``paths`` (those given to :meth:`add`, as discovery returned them)."""
        if self.child is None:
            return screen_all(paths, self.processes, self.min_files)
        pid, tasks, results = self.child
        self.child = None
        status: int | None = None
        try:
            if self.pending:
                self._send(self.pending)
            os.close(self.tasks)  # the child reads to the end of the batches, then answers
            while True:  # the batches the child has not taken, here
                message = os.read(tasks, self.size)
                if not message:
                    break
                self._screen_message(message)
            answer = _read_to_end(results)
            status = _reap(pid, kill=False)
        finally:
            os.close(tasks)
            os.close(results)
            if status is None:  # interrupted: the child stops too (it is not reaped yet, so the pid is still its)
                _reap(pid, kill=True)
        for index, outcomes in _batch_outcomes(answer) if status == 0 else ():
            if 0 <= index < len(self.batches) and len(outcomes) == len(self.batches[index]):
                self.done.setdefault(index, outcomes)
        by_path: dict[str, Outcome] = {}
        for index, batch in enumerate(self.batches):
            found = self.done.get(index)
            by_path.update(zip(batch, found if found is not None else [screen(p) for p in batch]))
        return [by_path[p] if p in by_path else screen(p) for p in paths]

    def close(self) -> None:
        """Stop the child if :meth:`outcomes` was never asked (discovery failed or was interrupted)."""
        if self.child is not None:
            pid, tasks, results = self.child
            self.child = None
            for fd in (self.tasks, tasks, results):
                os.close(fd)
            _reap(pid, kill=True)

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        from ..analysis import prefilter  # noqa: F401 - imported before the fork, not in the child

        tasks_r, tasks_w = os.pipe()
        results_r, results_w = os.pipe()
        self.size = min(4096, os.fpathconf(tasks_w, "PC_PIPE_BUF"))
        _widen(tasks_w)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(tasks_w)
                os.close(results_r)
                import signal

                signal.signal(signal.SIGINT, signal.SIG_IGN)
                status = _serve_batches(tasks_r, results_w, self.size)
            finally:
                os._exit(status)
        os.close(results_w)
        os.set_blocking(tasks_w, False)
        self.tasks, self.child = tasks_w, (pid, tasks_r, results_r)

    def _send(self, paths: list[str]) -> None:
        index = len(self.batches)
        self.batches.append(paths)
        message = marshal.dumps((index, paths))
        if len(message) > self.size:  # long paths: in two halves, or here for one path too long for any message
            self.batches[index] = []
            if len(paths) > 1:
                self._send(paths[: len(paths) // 2])
                self._send(paths[len(paths) // 2:])
            else:
                self.batches[index] = paths
                self.done[index] = [screen(paths[0])]
            return
        try:
            os.write(self.tasks, message.ljust(self.size, b"\0"))
        except BlockingIOError:  # the child is behind: this process screens the batch now
            self.done[index] = [screen(p) for p in paths]

    def _screen_message(self, message: bytes) -> None:
        try:
            index, paths = marshal.loads(message)
        except (EOFError, ValueError, TypeError):
            return  # cannot happen with whole messages; its batch would be screened at the end
        if 0 <= index < len(self.batches) and paths == self.batches[index]:
            self.done[index] = [screen(p) for p in paths]


# Room for the batches of ~8,000 files (as far as /proc/sys/fs/pipe-max-size allows, 1 MiB by default).
PIPE_SIZE = 1 << 20
F_SETPIPE_SZ = 1031  # from <linux/fcntl.h>; the fcntl module names it from Python 3.10 only


def _widen(fd: int) -> None:
    """A pipe that holds a whole walk's batches, where the system allows it (Linux): with the 64 KiB default the
    child runs out of batches, and waits, while this process does anything but walk (its imports after the walk)."""
    if not sys.platform.startswith("linux"):
        return
    import fcntl

    with contextlib.suppress(OSError):  # above pipe-max-size, or the user's pipe memory used up: the default
        fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE)


def _serve_batches(tasks: int, results: int, size: int) -> int:
    """In the child: screen the batches read from ``tasks`` until the pipe ends, then write them all to ``results``."""
    done = []
    while True:
        message = os.read(tasks, size)
        if not message:
            break
        try:
            index, paths = marshal.loads(message)
        except (EOFError, ValueError, TypeError):
            continue
        done.append((index, [screen(p) for p in paths]))
    data = memoryview(marshal.dumps(done))
    while data:
        data = data[os.write(results, data):]
    return 0


def _batch_outcomes(data: bytes) -> list[tuple[int, list[Outcome]]]:
    """The child's answer, each batch checked; nothing when it is not what a child writes."""
    try:
        answer = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return []
    if not isinstance(answer, list):
        return []
    return [(index, outcomes) for index, outcomes in (item for item in answer if isinstance(item, tuple)
                                                      and len(item) == 2)
            if isinstance(index, int) and isinstance(outcomes, list)
            and all(o is None or isinstance(o, (bytes, str)) for o in outcomes)]
