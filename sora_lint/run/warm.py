"""The warm path: a repeat ``sora-lint check`` on an unchanged tree replays its last output and does no work.

A ``check`` run that writes nothing (no fix, diff, noqa, stdin or report file) records, in its cache
folder, one index: what it printed and its exit status, under a key of everything its output depends
on besides the files (the command line, the current folder, the environment variables sora-lint reads,
whether stdout and stderr are terminals, today's date, the Python, and the stat of every file of
sora-lint's own code), with the stat of every path it depends on:

- every folder the file discovery walked (a file added, removed or renamed there moves its mtime);
- every file checked, and every file their results depend on (``ModuleFacts.dependencies``);
- in those folders, the configuration and ``.gitignore`` files they hold; in every folder above the
  paths named and above the current folder, each of those names and ``.git``, present or not;
- the paths named on the command line and ``--config``;
- the results cache (run/cache.py) the run read and wrote.

The next run with the same key stats those paths, and when every stat is the one recorded, writes
the recorded output and exits: it reads no source, and imports neither LibCST, the configuration
parser, the catalog nor argparse (``python -X importtime``). Anything unexpected (no index, another
key, a stat that moved, a file that cannot be read or is not the shape written) is a miss: the run
then does the work, as it would without the index. An mtime within two seconds of the recording
(a coarse clock may not move on the next edit) leaves the run unrecorded.

This module imports only what Python loads at start-up anyway (``os``, ``sys``, ``marshal``, ``zlib``).
"""
from __future__ import annotations

import marshal
import os
import sys
import zlib

# typing and collections.abc are not imported at run time: each costs the warm path a few ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, TextIO

FORMAT = 1
CACHE_DIR_NAME = ".sora_lint_cache"  # the same folder as run/cache.py's (a test keeps them equal)
INDEX_PREFIX = "warm-"
# The configuration files (run/config_files.py's CONFIG_NAMES, a test keeps them equal), .gitignore and the .git
# that says where a repository's .gitignore files stop.
WATCHED_NAMES = (".sora-lint.toml", "sora-lint.toml", "pyproject.toml", ".gitignore", ".git")
# Environment variables sora-lint's output depends on; SORA_LINT_NO_CACHE turns the cache, and this, off.
ENVIRONMENT = ("SORA_LINT_TODAY", "SORA_LINT_CACHE_DIR", "NO_COLOR", "FORCE_COLOR", "CI")
RECENT_NS = 2_000_000_000
KEPT_INDEXES = 16  # one per command line in use: older ones are removed when a run records
MISSING = -1  # the mtime and size recorded for a path that did not exist


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def run_key(argv: Sequence[str], cwd: str, tty: tuple[bool, bool]) -> str:
    """Everything a check's output depends on besides the files it reads."""
    import time

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [str(FORMAT), sys.version, sys.prefix, cwd, "\0".join(argv), repr(tty),
             time.strftime("%Y-%m-%d"), *(f"{k}={os.environ.get(k)}" for k in ENVIRONMENT)]
    # sora-lint's own code and catalog: a reinstall or an edit moves their stats.
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".toml")):
                parts.append(f"{name}:{_stamp(os.path.join(folder, name))}")
    data = "\0".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _option(argv: Sequence[str], flag: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1:]
    return None


def _candidate_folders(argv: Sequence[str], cwd: str) -> list[str]:
    """Where an index may be: --cache-dir, SORA_LINT_CACHE_DIR, or .sora_lint_cache in the current folder
    or above it (a cache-dir set in a configuration file is not read here: such a run is never warm)."""
    named = _option(argv, "--cache-dir") or os.environ.get("SORA_LINT_CACHE_DIR")
    if named:
        return [os.path.join(cwd, named)]
    found, current = [], cwd
    while True:
        found.append(os.path.join(current, CACHE_DIR_NAME))
        parent = os.path.dirname(current)
        if parent == current:
            return found
        current = parent


def replay(argv: Sequence[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int | None:
    """Write the recorded output of this command line and return its exit status; None: do the work."""
    if not argv or argv[0] != "check" or os.environ.get("SORA_LINT_NO_CACHE"):
        return None
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        cwd = os.getcwd()
        key = run_key(argv, cwd, (_tty(stdout), _tty(stderr)))
        for folder in _candidate_folders(argv, cwd):
            recorded = _read(os.path.join(folder, f"{INDEX_PREFIX}{key}"), key)
            if recorded is not None:
                chunks, status = recorded
                for number, text in chunks:
                    (stdout if number == 1 else stderr).write(text)
                return status
    except (OSError, ValueError, UnicodeError):
        return None
    return None


def _read(path: str, key: str) -> tuple[list[tuple[int, str]], int] | None:
    """The recorded output and status, if the index is whole, has this key and every stat still holds."""
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    try:
        version, stored_key, groups, chunks, status = data
        if version != FORMAT or stored_key != key or type(status) is not int:
            return None
        stat, sep = os.stat, os.sep
        # This loop is most of a warm run: one stat per path, compared inline (no call, no tuple per file).
        for folder, names, mtimes, sizes in groups:
            if not len(names) == len(mtimes) == len(sizes):
                return None
            prefix = folder + sep
            for name, mtime, size in zip(names, mtimes, sizes):
                try:
                    st = stat(prefix + name if name else folder)
                except OSError:
                    if mtime == MISSING:
                        continue
                    return None
                if st.st_mtime_ns != mtime or st.st_size != size:
                    return None
        if not all(type(c) is tuple and len(c) == 2 and c[0] in (1, 2) and type(c[1]) is str for c in chunks):
            return None
    except (TypeError, ValueError, OSError):  # anything not the shape written: a miss
        return None
    return list(chunks), status


def _grouped(paths: list[str], stamps: list[tuple[int, int] | None]) -> tuple:
    """The paths by folder, as (folder, names, mtimes, sizes): a name is short, and the index is read in full
    by every warm run. A folder's own stat is under the name ""."""
    groups: dict[str, tuple[list[str], list[int], list[int]]] = {}
    for path, stamp in zip(paths, stamps):
        folder, name = os.path.split(path)
        names, mtimes, sizes = groups.setdefault(folder, ([], [], []))
        names.append(name)
        mtimes.append(MISSING if stamp is None else stamp[0])
        sizes.append(MISSING if stamp is None else stamp[1])
    return tuple((folder, tuple(n), tuple(m), tuple(z)) for folder, (n, m, z) in groups.items())


class Tee:
    """A text stream that writes through to ``stream`` and keeps what was written (progress bars aside)."""

    def __init__(self, stream: TextIO, number: int, chunks: list[tuple[int, str]]) -> None:
        self._stream = stream
        self._number = number
        self._chunks = chunks

    def write(self, text: str) -> int:
        if not text.startswith("\r"):  # a progress bar redraws itself: it is not part of the output
            self._chunks.append((self._number, text))
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Recorder:
    """What a check run prints and what it depends on, written as an index when the run ends."""

    def __init__(self, argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> None:
        self.argv = list(argv)
        self.cwd = os.getcwd()
        self.key = run_key(self.argv, self.cwd, (_tty(stdout), _tty(stderr)))
        self.chunks: list[tuple[int, str]] = []
        self.stdout = Tee(stdout, 1, self.chunks)
        self.stderr = Tee(stderr, 2, self.chunks)
        self.folders: list[str] = []  # the folders the discovery walked
        self.paths: list[str] = []  # the paths named, the files checked, their dependencies, --config
        self.roots: list[str] = []  # the paths named on the command line
        self.cache_folder: str | None = None
        self.cache_file: str | None = None

    def note_run(self, roots: Iterable[str], files: Iterable[str], dependencies: Iterable[str],
                 config: str | None, cache_file: str) -> None:
        """``cache_file``: the results cache the run read and wrote; the index holds while it is unchanged (a
        repaired or rewritten cache is seen by the next full run)."""
        self.roots = list(roots)
        self.paths = [*self.roots, *files, *dependencies, *([config] if config else [])]
        self.cache_file = os.path.abspath(cache_file)
        self.cache_folder = os.path.dirname(self.cache_file)

    def save(self, status: int) -> None:
        """Write the index into the cache folder (never fails the run; a recent mtime writes none)."""
        if self.cache_folder is None:
            return
        import time

        paths, stamps = self._stamps()
        now = time.time_ns()
        if any(s is not None and now - s[0] < RECENT_NS for s in stamps):
            return
        # Written by sora-lint itself a moment ago, always whole (renamed over): not subject to the rule above.
        paths.append(self.cache_file or "")
        stamps.append(_stamp(self.cache_file or ""))
        data = marshal.dumps((FORMAT, self.key, _grouped(paths, stamps), tuple(self.chunks), status))
        target = os.path.join(self.cache_folder, f"{INDEX_PREFIX}{self.key}")
        try:
            if not os.path.isdir(self.cache_folder):
                return  # the run's cache wrote nothing there: the folder is its to create
            temporary = f"{target}.{os.getpid()}.tmp"
            with open(temporary, "wb") as fh:
                fh.write(data)
            os.replace(temporary, target)
            self._prune()
        except OSError:
            return

    def _stamps(self) -> tuple[list[str], list[tuple[int, int] | None]]:
        cache = self.cache_folder or ""
        wanted: dict[str, None] = {}
        for folder in self.folders:
            absolute = os.path.abspath(folder)
            if absolute == cache or absolute.startswith(cache + os.sep):
                continue  # the index is written there: its mtime moves with every run
            wanted[absolute] = None
            for name in WATCHED_NAMES:
                if os.path.lexists(os.path.join(absolute, name)):  # an absent one shows in the folder's mtime
                    wanted[os.path.join(absolute, name)] = None
        for path in self.paths:
            wanted[os.path.abspath(path)] = None
        # Above the paths named and the current folder: a configuration, .gitignore or .git appearing there.
        for start in [self.cwd, *(os.path.dirname(os.path.abspath(r)) for r in self.roots),
                      *(os.path.abspath(r) for r in self.roots if os.path.isdir(r))]:
            current = start
            while True:
                for name in WATCHED_NAMES:
                    wanted[os.path.join(current, name)] = None
                parent = os.path.dirname(current)
                if parent == current:
                    break
                current = parent
        paths = list(wanted)
        return paths, [_stamp(p) for p in paths]

    def _prune(self) -> None:
        import contextlib

        assert self.cache_folder is not None
        indexes = []
        for name in os.listdir(self.cache_folder):
            if name.startswith(INDEX_PREFIX):
                path = os.path.join(self.cache_folder, name)
                stamp = _stamp(path)
                if stamp is not None:
                    indexes.append((stamp[0], path))
        for _mtime, path in sorted(indexes, reverse=True)[KEPT_INDEXES:]:
            with contextlib.suppress(OSError):
                os.unlink(path)
