"""The language server's linting, off its request loop (no pygls here).

One thread lints, one document version at a time, so the loop that reads requests always answers
at once. Per document only the newest version waits: a change replaces the waiting version, and
cancels the one being linted (its findings are never published). Changes are debounced
(:data:`DEBOUNCE`), so typing does not queue a lint per keystroke.

Memory: LibCST needs about 250 bytes per byte of a many-line file. A document up to
:data:`IN_PROCESS_LIMIT` is linted in the server's own thread (at most ~130 MB); a larger one in a
child process with an address-space limit (``RLIMIT_AS``), which is killed when a newer version
arrives or the server stops, so the server itself stays small (a 5 MB document once took it to
3.5 GB). A document above ``max-file-size`` is SOR000 "too large to check", as in ``check``.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..contracts.settings import Settings
from ..core.types import PARSE_ERROR, Diagnostic, Location
from .lsp_text import LineMap, Linted, lint_text, lintable_text

DEBOUNCE = 0.05  # seconds a change waits for the next one before it is linted
IN_PROCESS_LIMIT = 512 * 1024  # bytes (UTF-8) of a document linted in the server's own process
# The child's address-space limit: the interpreter and LibCST's libraries, and 1,000 bytes per byte of text
# (measured: a 718 KB document of short statements peaked at 440 MB resident, about 530 bytes per byte;
# address space runs above resident memory).
CHILD_BASE_MEMORY = 1024 * 1024 * 1024
CHILD_MEMORY_PER_BYTE = 1000


@dataclass(frozen=True)
class LintJob:
    uri: str
    version: int | None
    text: str
    filename: str
    settings: Settings
    encoding: str
    saved: bool = False  # linted on didSave (then a syntax error shows, instead of the last good findings)


def not_checked(filename: str, reason: str) -> Diagnostic:
    loc = Location(1, 1)
    return Diagnostic(PARSE_ERROR, f"this file was not checked: {reason}", filename, loc, loc)


def lint_job(job: LintJob, cancelled: threading.Event) -> Linted | None:
    """The document's findings; None when a newer version cancelled it first."""
    size = len(job.text.encode("utf-8", "surrogatepass"))
    limit = job.settings.max_file_size
    if size > limit:
        found = [not_checked(job.filename, f"it is too large to check ({size:,} bytes; the limit is {limit:,}, "
                                           "set by max-file-size)")]
    elif size <= IN_PROCESS_LIMIT:
        return lint_text(job.text, job.filename, job.settings, job.encoding)
    else:
        child = lint_in_child(job, size, cancelled)
        if child is None:
            return None
        found = child
    lines = LineMap(job.text, job.encoding)
    return Linted(job.text, job.encoding, lines, [(d, lines.range(d.location, d.end_location)) for d in found])


def lint_in_child(job: LintJob, size: int, cancelled: threading.Event) -> list[Diagnostic] | None:
    """The findings of a big document, linted in a child process with a memory limit; None if cancelled.

    A new interpreter (not a fork: the server has threads, and a fork would copy its memory and its locks;
    not multiprocessing's spawn, which would import the server's ``__main__`` again) reads the job from a
    temporary file and writes its findings to another: no pipe to fill up, none to deadlock on."""
    import pickle
    import subprocess
    import sys
    import tempfile

    from ..run.workers import death_reason

    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p))
    memory = CHILD_BASE_MEMORY + CHILD_MEMORY_PER_BYTE * size
    with tempfile.TemporaryDirectory(prefix="sora-lint-server-") as folder:
        job_file, found_file = os.path.join(folder, "job"), os.path.join(folder, "found")
        with open(job_file, "wb") as fh:
            pickle.dump((job, memory, os.getpid()), fh)
        # The child dies with the thread that starts it (PR_SET_PDEATHSIG): this linter thread, which
        # lives as long as the server.
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from sora_lint.frontends.lsp_worker import child; child(*sys.argv[1:])",
             job_file, found_file], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env)
        try:
            while process.poll() is None:
                if cancelled.wait(0.05):
                    return None
            if process.returncode == 0:
                with open(found_file, "rb") as fh:
                    found: list[Diagnostic] = pickle.load(fh)
                return found
            return [not_checked(job.filename, death_reason(process.returncode))]
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def child(job_file: str, found_file: str) -> None:
    """The child's side: the job from ``job_file``, its findings to ``found_file``."""
    import pickle

    from ..engine import lint_source
    from ..run.project_files import shared_project_files
    from ..run.workers import die_with_parent

    with open(job_file, "rb") as fh:
        job, memory, parent = pickle.load(fh)
    die_with_parent(parent)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):  # pragma: no cover - no rlimits here: the size limit still holds
        pass
    try:
        found = lint_source(lintable_text(job.text), job.filename, job.settings, files=shared_project_files())
    except MemoryError:
        found = [not_checked(job.filename, "the parser ran out of memory")]
    with open(found_file, "wb") as fh:
        pickle.dump(found, fh)


class LintScheduler:
    """Lints documents in one background thread; the newest version of each document wins.

    ``lint(job, cancelled)`` runs in the thread; ``deliver(job, linted)`` is called there with each
    result that was not cancelled (the caller moves it to its own loop).
    """

    def __init__(self, deliver: Callable[[LintJob, Linted | None], None],
                 lint: Callable[[LintJob, threading.Event], Linted | None] = lint_job,
                 debounce: float = DEBOUNCE) -> None:
        self._lint, self._deliver, self._debounce = lint, deliver, debounce
        self._lock = threading.Condition()
        self._waiting: dict[str, tuple[float, LintJob]] = {}  # uri -> (when it is due, the job)
        self._running: tuple[LintJob, threading.Event] | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="sora-lint-linter", daemon=True)
        self._thread.start()

    def submit(self, job: LintJob) -> None:
        """Lint ``job`` after the debounce, instead of any waiting or running version of its document."""
        with self._lock:
            self._waiting[job.uri] = (time.monotonic() + self._debounce, job)
            self._cancel_running(job.uri)
            self._lock.notify()

    def forget(self, uri: str) -> None:
        """The document was closed: drop its waiting version, cancel its running one."""
        with self._lock:
            self._waiting.pop(uri, None)
            self._cancel_running(uri)

    def busy(self, uri: str) -> bool:
        """Whether a version of ``uri`` is waiting or being linted."""
        with self._lock:
            return uri in self._waiting or (self._running is not None and self._running[0].uri == uri)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._waiting.clear()
            if self._running is not None:
                self._running[1].set()
            self._lock.notify()
        self._thread.join(timeout=5)

    def _cancel_running(self, uri: str) -> None:
        if self._running is not None and self._running[0].uri == uri:
            self._running[1].set()

    def _next(self) -> tuple[LintJob, threading.Event] | None:
        with self._lock:
            while not self._stopped:
                if not self._waiting:
                    self._lock.wait()
                    continue
                uri, (due, job) = min(self._waiting.items(), key=lambda item: item[1][0])
                delay = due - time.monotonic()
                if delay > 0:
                    self._lock.wait(delay)
                    continue
                del self._waiting[uri]
                self._running = (job, threading.Event())
                return self._running
            return None

    def _loop(self) -> None:
        while (taken := self._next()) is not None:
            job, cancelled = taken
            try:
                linted = self._lint(job, cancelled)
            except Exception:  # noqa: BLE001 - ``lint`` reports its own failures; the thread must go on
                linted = None
            finally:
                with self._lock:
                    self._running = None
            if not cancelled.is_set():
                self._deliver(job, linted)
