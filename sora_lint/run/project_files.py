"""The other files of a project, read for the analysis: the constants a module imports, the words of
the files that may import it, and the list of a project's modules.

The analysis (``analysis/project.py``) says what it needs and what a file's bytes mean; this module
does the reading and keeps what it read: each file once per version (its mtime and size), and each
project's listing for ``listing_lifetime`` seconds, so that a long-lived process (the language server)
sees modules added since.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

from ..analysis.project import Constants, ImportIndex, Words, index_imports, read_constants, read_words

# A project larger than this is not scanned: every module-level binding counts as possibly imported.
MAX_SCANNED_FILES = 20_000
# Folders no project module is imported from.
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages", "venv", "build", "dist",
                             "__pypackages__", "buck-out", "_build"})

_T = TypeVar("_T")
Version = tuple[int, int]  # (mtime_ns, size)


class ProjectFiles:
    """A :class:`~sora_lint.analysis.project.ProjectReader` that reads from disk and keeps what it read."""

    def __init__(self, listing_lifetime: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.listing_lifetime = listing_lifetime
        self._clock = clock
        self._constants: dict[str, tuple[Version, Constants]] = {}
        self._words: dict[str, tuple[Version, Words]] = {}
        self._listings: dict[str, tuple[float, list[str]]] = {}
        # The words of each file, kept for the current listings without a stat: a run asks about every
        # module-level literal it would fix, and a stat of every project file each time made the check
        # of a 1,000-file tree cost about a tenth more than its parse. The window is the listing's own.
        self._listed_words: dict[str, Words] = {}
        # Each listing's ImportIndex, built once from those words: every module-level literal a fix would touch
        # asks who may import it, and a loop over every file of the project each time cost a tenth of a parse.
        self._indexes: dict[str, tuple[list[str], ImportIndex]] = {}

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path)

    def constants(self, path: str) -> Constants:
        return _per_version(self._constants, path, read_constants)

    def words(self, path: str) -> Words:
        words = self._listed_words.get(path)
        if words is None:
            words = self._listed_words[path] = _per_version(self._words, path, read_words)
        return words

    def import_index(self, root: str) -> tuple[list[str], ImportIndex] | None:
        files = self.python_files(root)
        if files is None:
            return None
        indexed = self._indexes.get(root)
        if indexed is None or indexed[0] is not files:  # a new listing: indexed again
            indexed = self._indexes[root] = (files, index_imports([self.words(path) for path in files]))
        return indexed

    def python_files(self, root: str) -> list[str] | None:
        """The .py files under ``root`` (skipping hidden folders, virtualenvs and build folders); None when
        there are more than :data:`MAX_SCANNED_FILES`."""
        listed = self._listings.get(root)
        now = self._clock()
        if listed is None or now - listed[0] >= self.listing_lifetime:
            listed = self._listings[root] = (now, _list_python_files(root))
            self._listed_words.clear()  # a new listing: each file's version is looked at again
        return listed[1] if len(listed[1]) <= MAX_SCANNED_FILES else None


def _list_python_files(root: str) -> list[str]:
    files: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS
                         and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg")))
        files.extend(os.path.join(folder, n) for n in sorted(names) if n.endswith(".py"))
        if len(files) > MAX_SCANNED_FILES:
            break
    return files


def _per_version(cache: dict[str, tuple[Version, _T]], path: str, read: Callable[[bytes | None], _T]) -> _T:
    """``read`` of the file's bytes (None when it cannot be read), kept while its mtime and size stay."""
    try:
        stat = os.stat(path)
    except OSError:
        return read(None)
    version = (stat.st_mtime_ns, stat.st_size)
    cached = cache.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        with open(path, "rb") as handle:
            data: bytes | None = handle.read()
    except OSError:
        data = None
    value = read(data)
    cache[path] = (version, value)
    return value


_SHARED: list[ProjectFiles] = []


def shared_project_files() -> ProjectFiles:
    """The process's reader, for the front ends that check file after file in one process (the runner's
    workers, flake8, the language server, the codemod, the Python API): each file is read once per version."""
    if not _SHARED:
        _SHARED.append(ProjectFiles())
    return _SHARED[0]
