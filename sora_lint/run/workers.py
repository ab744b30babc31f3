"""Worker processes that cost one file when they die, and die with the process that started them.

``concurrent.futures.ProcessPoolExecutor`` cannot say which file a dead worker held: one worker
killed by the OS (out of memory) or aborted by LibCST's native parser (a Rust allocation failure
is ``abort()``, not a Python exception) breaks the whole pool and every file still queued. Here
each worker holds one file at a time, so its death is one finding for that file, a fresh worker
takes its place, and the run goes on.

Workers die with their parent: on Linux each one asks the kernel, right after the fork, for
SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``). That is the only way that also
covers a parent killed by SIGKILL (a CI timeout, a hook runner), which can run no clean-up of
its own; the kernel delivers it even to a worker busy inside a file, and no thread has to watch.
A process group would need the parent alive to signal it, a pipe watch would need a thread
polling in every worker. Elsewhere a watchdog thread compares ``os.getppid()`` with the parent's
pid a few times a second. Workers ignore SIGINT: on Ctrl-C the parent kills them all (SIGKILL)
before it stops, so no worker writes another file, and a write caught mid-way leaves the old
file (writes go through a temporary file and a rename).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when ``parent`` dies (see the module's docstring for why this way)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def death_reason(exitcode: int | None) -> str:
    """Why a worker ended without an answer, as a SOR000 message says it."""
    if exitcode == -signal.SIGABRT:
        return "the parser ran out of memory (the checker process aborted)"
    if exitcode == -signal.SIGKILL:
        return "the checker process was killed (SIGKILL), most likely because the parser ran out of memory"
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the checker process died ({name})"
    return f"the checker process died (exit status {exitcode})"


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process (fork context)
    conn: Any  # the parent's end of the worker's pipe
    index: int | None = None  # the item it holds


class _Failed:
    """An exception a worker's function raised (a bug): the parent raises it again."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _serve(conn: Any, items: Sequence[Any], work: Callable[[Any], Any], parent: int) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: Any = work(items[index])
        except MemoryError:
            answer = MemoryError()
        except Exception as exc:  # noqa: BLE001 - carried to the parent, which raises it
            answer = _Failed(exc)
        try:
            conn.send(answer)
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled is a bug too
            conn.send(_Failed(RuntimeError(f"cannot send a worker's answer: {exc!r}")))


class WorkerPool(Generic[Item, Result]):
    """``work`` over ``items`` in forked workers, one item at a time each; results as they come.

    ``died(item, reason)`` stands in for the result of an item whose worker died. The items are
    inherited by the fork (only their index crosses the pipe), so a worker forked to replace a dead
    one sees them too. Use as a context manager: leaving it, however, kills every worker.
    """

    def __init__(self, items: Sequence[Item], work: Callable[[Item], Result],
                 died: Callable[[Item, str], Result], workers: int) -> None:
        import multiprocessing

        self.items, self.work, self.died = items, work, died
        self.size = max(1, min(workers, len(items)))
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool[Item, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """SIGKILL every worker and reap it: nothing of theirs runs or writes after this returns."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()
        self.workers = []

    def _spawn(self) -> _Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(theirs, self.items, self.work, os.getpid()), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        return worker

    def results(self) -> Iterator[tuple[int, Result]]:
        """(index, result) for every item, in the order they finish."""
        from multiprocessing.connection import wait

        queue = deque(range(len(self.items)))
        for _ in range(self.size):
            self._give(self._spawn(), queue)
        while any(w.index is not None for w in self.workers):
            busy = [w for w in self.workers if w.index is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                index = worker.index
                assert index is not None
                answer = self._answer(worker)
                if answer is None:  # the worker is dead: its item is a finding, a new worker goes on
                    yield index, self.died(self.items[index], death_reason(self._reap(worker)))
                    if queue:
                        self._give(self._spawn(), queue)
                    continue
                yield index, answer[0]
                self._give(worker, queue)

    def _answer(self, worker: _Worker) -> tuple[Result] | None:
        try:
            if not worker.conn.poll():
                return None
            answer = worker.conn.recv()
        except (EOFError, OSError):
            return None
        if isinstance(answer, _Failed):
            raise answer.error
        if isinstance(answer, MemoryError):
            return (self.died(self.items[worker.index], "the parser ran out of memory"),)  # type: ignore[index]
        return (answer,)

    def _reap(self, worker: _Worker) -> int | None:
        worker.process.join()
        worker.conn.close()
        worker.index = None
        self.workers.remove(worker)
        return worker.process.exitcode  # type: ignore[no-any-return]

    @staticmethod
    def _give(worker: _Worker, queue: deque[int]) -> None:
        worker.index = queue.popleft() if queue else None
        if worker.index is not None:
            worker.conn.send(worker.index)
