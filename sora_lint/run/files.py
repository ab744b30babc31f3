"""Finding the Python files to look at: directory walks, excludes and .gitignore."""
from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Callable, Collection, Iterable, Iterator

from ..contracts.settings import DEFAULT_EXCLUDES, Settings

TYPE_CHECKING = False  # typing waits for the runner (see contracts/settings.py)
if TYPE_CHECKING:
    from typing import Protocol

    class SettingsFor(Protocol):
        """A folder's settings. ``names``, the folder's non-folder entries when a walk listed them, spares
        the lookups of configuration files that are not there (SettingsResolver.for_folder)."""

        def __call__(self, folder: str, names: Collection[str] | None = None, /) -> Settings: ...

# Notebooks are looked at by default, as ruff does since 0.6: much Sora code is first written in one.
# `extend-exclude = ["*.ipynb"]` leaves them out.
PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")
NOT_PYTHON = "not a Python file (.py, .pyi) or notebook (.ipynb), so it was not checked"


class NotRegular(OSError):
    """A path that names a FIFO, a socket, a device or a folder where a file's source was expected."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in a user's words."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def read_regular(path: str) -> bytes:
    """The bytes of a regular file; :class:`NotRegular` for anything else, which is never read.

    Opened without blocking and checked on the open descriptor: a FIFO would block a plain open
    until a writer came, and a check of the path before the open could be raced by a swap.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(f"{kind_of(st.st_mode)}, not a regular file, so it was not read")
        # os.read on the descriptor, not a file object: a BufferedReader per file cost a run of 5,000
        # files ~25 ms. One byte more than fstat's size, then on to the end: a file that grew since
        # (or reports no size, as /proc's do) is read whole, as BufferedReader.read() would.
        data = os.read(fd, st.st_size + 1)
        if not data:
            return data
        more = os.read(fd, _CHUNK)
        if not more:
            return data
        parts = [data, more]
        while more:
            more = os.read(fd, _CHUNK)
            parts.append(more)
        return b"".join(parts)
    finally:
        os.close(fd)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1024 * 1024


def not_regular(path: str) -> str | None:
    """Why ``path`` is not a regular file (following symlinks), or None when it is one or is gone."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else kind_of(mode)


class _GitIgnore:
    """The .gitignore files met on the way down, each applied below its own folder."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, object]] = []

    def add_folder(self, folder: str, names: Iterable[str] | None = None) -> None:
        """Read ``folder``'s .gitignore; ``names``, the folder's non-folder entries when the caller
        listed them, saves a stat per folder of a walk."""
        path = os.path.join(folder, ".gitignore")
        if names is not None and ".gitignore" not in names:
            return
        if not os.path.isfile(path):
            return
        import pathspec  # only paid where there is a .gitignore

        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                spec = pathspec.GitIgnoreSpec.from_lines(fh)
        except OSError:
            return
        self.specs.append((folder, spec))

    def ignored(self, path: str, is_dir: bool) -> bool:
        for folder, spec in self.specs:
            rel = os.path.relpath(path, folder)
            if rel.startswith(".."):
                continue
            rel = rel.replace(os.sep, "/") + ("/" if is_dir else "")
            if spec.match_file(rel):  # type: ignore[attr-defined]
                return True
        return False


@functools.lru_cache(maxsize=16)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for the user's excludes: each matches a name, a path, or any folder on the path."""
    forms = [fnmatch.translate(form) for p in patterns for form in (p, f"*/{p}", f"*/{p}/*", f"{p}/*")]
    return re.compile("|".join(forms)) if forms else None


def excluded(path: str, settings: Settings) -> bool:
    """Whether ``path`` is under a default-excluded folder or matches a configured exclude."""
    posix = path.replace(os.sep, "/")
    parts = posix.rstrip("/").split("/")
    if not _DEFAULT_NAMES.isdisjoint(parts):
        return True
    pattern = _pattern(settings.exclude)
    return pattern is not None and (pattern.match(parts[-1]) is not None or pattern.match(posix) is not None)


_DEFAULT_NAMES = frozenset(DEFAULT_EXCLUDES)


def matches_glob(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether a relative path, its name, or a folder on it matches one of ``patterns`` (ruff's reading)."""
    posix = path.replace(os.sep, "/").rstrip("/")
    pattern = _pattern(tuple(p.replace("**/", "").rstrip("/") for p in patterns))
    if pattern is None:
        return False
    return pattern.match(posix.split("/")[-1]) is not None or pattern.match(posix) is not None


def settings_root(settings: Settings) -> str | None:
    """The folder a configuration's relative globs start from: its own file's folder."""
    return os.path.dirname(os.path.abspath(settings.source)) if settings.source else None


def excluded_by_config(path: str, settings: Settings) -> bool:
    """The configured excludes, matched relative to the configuration file's folder."""
    if not settings.exclude or settings.source is None:
        return False
    root = settings_root(settings)
    assert root is not None
    rel = os.path.relpath(os.path.abspath(path), root)
    return not rel.startswith("..") and rel != os.curdir and matches_glob(rel, settings.exclude)


def repository_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` holding a ``.git``, if any."""
    current = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


VIRTUALENV_MARKER = "pyvenv.cfg"


def _parent_gitignores(root: str, ignore: _GitIgnore) -> None:
    """The .gitignore files above ``root`` up to its repository's root, as git applies them."""
    top = repository_root(root)
    if top is None:
        return
    here = os.path.abspath(root)
    chain = []
    while here != top:
        here = os.path.dirname(here)
        chain.append(here)
    for folder in reversed(chain):
        ignore.add_folder(folder)


def _walk(root: str, settings_for: SettingsFor, problems: list[str],
          folders: list[str] | None = None) -> Iterator[str]:
    """The Python files under ``root``; a folder that cannot be read is a line in ``problems``, and
    ``folders`` (when given) gets every folder walked.

    A ``.py`` name that is no regular file (a FIFO, a socket, a device) is yielded all the same:
    the runner never opens it for reading and says what it is (a stat here would cost every run
    a system call per file)."""
    ignore = _GitIgnore()
    _parent_gitignores(root, ignore)
    seen = set()
    # Excludes apply below the folder the user named, never to the folder itself.
    named_excluded = excluded_by_config(root, settings_for(root))

    def unreadable(exc: OSError) -> None:
        problems.append(f"{exc.filename or root}: cannot be read ({exc.strerror or exc}), so the files in it "
                        "were not checked")

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # the same folder again (a bind mount, a junction)
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        if folders is not None:
            folders.append(folder)
        if folder != root and VIRTUALENV_MARKER in files:
            # A virtualenv below the folder named: skipped whole (the same as pruning it from its parent's
            # folders, without a stat of every folder's pyvenv.cfg on the way).
            dirs[:] = []
            continue
        ignore.add_folder(folder, files)
        settings = settings_for(folder, files)
        below = "" if folder == root else folder[len(root):].lstrip(os.sep) + os.sep
        # os.path.join(folder, name) without its cost (a few µs, for every file of a walk): the folder's
        # own spelling and one separator, as join would write them.
        prefix = folder if folder.endswith(os.sep) else folder + os.sep

        # This folder's values, bound now: a closure would read the loop's later ones.
        def skip(name: str, below: str = below, settings: Settings = settings, prefix: str = prefix) -> bool:
            if excluded(below + name, settings):
                return True
            return not named_excluded and excluded_by_config(prefix + name, settings)

        dirs[:] = sorted(
            d for d in dirs
            if not skip(d)
            and not (ignore.specs and ignore.ignored(prefix + d, True))
        )
        # Files: their folders passed the checks above, so only the configured patterns are left to match
        # (a default-excluded name is a folder's, never a .py file's).
        pattern = _pattern(settings.exclude)
        for name in sorted(files):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            if pattern is not None and skip(name):
                continue
            path = prefix + name
            if not ignore.specs or not ignore.ignored(path, False):
                yield path


def discover(paths: Iterable[str], settings: Settings | SettingsFor,
             force_exclude: bool = False, folders: list[str] | None = None,
             found_one: Callable[[str], None] | None = None) -> tuple[list[str], list[str]]:
    """The files to check, and one error line for each path that does not exist, names a file
    that is not Python or not a regular file, or a folder that cannot be read.

    ``settings`` is one :class:`Settings` for every file, or a function giving a folder's own.
    A file named without a suffix is a script, checked as Python (as ruff and pre-commit see it);
    one with another suffix (``data.json``, whose JSON may even parse as Python) is an error,
    never a silent "All checks passed!". ``folders``, when given, gets every folder walked (the warm path's
    index watches them). ``found_one``, when given, gets each file as soon as it is found (run/screen.py's
    Ahead reads them while the walk goes on).
    """
    if isinstance(settings, Settings):
        fixed = settings
        settings_for: SettingsFor = lambda folder, names=None: fixed  # noqa: E731
    else:
        settings_for = settings
    found: list[str] = []
    errors: list[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            walked = map(_normal, _walk(raw, settings_for, errors, folders))
            if found_one is None:
                found.extend(walked)
            else:
                for path in walked:
                    found.append(path)
                    found_one(path)
        elif os.path.exists(raw) or os.path.islink(raw):
            own = settings_for(os.path.dirname(os.path.abspath(raw)))
            if force_exclude and (excluded(raw, own) or excluded_by_config(raw, own)):
                continue
            suffix = os.path.splitext(raw)[1]
            if suffix and suffix not in PYTHON_SUFFIXES:
                errors.append(f"{raw}: {NOT_PYTHON}")
                continue
            kind = not_regular(raw)
            if kind is not None:
                errors.append(f"{raw}: {kind}, not a regular file, so it was not read")
                continue
            found.append(_normal(raw))
            if found_one is not None:
                found_one(found[-1])
        else:
            errors.append(f"{raw}: no such file or directory")
    unique = list(dict.fromkeys(found))
    return unique, errors


def _normal(path: str) -> str:
    """os.path.normpath, skipped where it cannot change anything (it costs a few µs a file)."""
    if path.startswith("./"):
        path = path[2:]
    if "/." in path or "//" in path or path.startswith(".") or os.sep != "/":
        return os.path.normpath(path)
    return path


def display_path(path: str, cwd: str | None = None) -> str:
    try:
        rel = os.path.relpath(path, cwd or os.getcwd())
    except ValueError:
        return path
    return path if rel.startswith("..") else rel

