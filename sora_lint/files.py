"""Finding the Python files to look at: directory walks, excludes and .gitignore."""
from __future__ import annotations

import fnmatch
import functools
import os
import re
from typing import Iterable, Iterator, List, Optional, Tuple

from .settings import DEFAULT_EXCLUDES, Settings

PYTHON_SUFFIXES = (".py", ".pyi")


class _GitIgnore:
    """The .gitignore files met on the way down, each applied below its own folder."""

    def __init__(self) -> None:
        self.specs: List[Tuple[str, object]] = []

    def add_folder(self, folder: str) -> None:
        path = os.path.join(folder, ".gitignore")
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
def _pattern(patterns: Tuple[str, ...]) -> Optional["re.Pattern[str]"]:
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


def _is_virtualenv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def _walk(root: str, settings: Settings) -> Iterator[str]:
    ignore = _GitIgnore()
    seen = set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        ignore.add_folder(folder)
        # Excludes apply below the folder the user named, never to the folder itself.
        below = os.path.relpath(folder, root)
        below = "" if below == os.curdir else below + os.sep
        dirs[:] = sorted(
            d for d in dirs
            if not excluded(below + d, settings)
            and not _is_virtualenv(os.path.join(folder, d))
            and not ignore.ignored(os.path.join(folder, d), True)
        )
        for name in sorted(files):
            if name.endswith(PYTHON_SUFFIXES) and not excluded(below + name, settings):
                path = os.path.join(folder, name)
                if not ignore.ignored(path, False):
                    yield path


def discover(paths: Iterable[str], settings: Settings, force_exclude: bool = False) -> Tuple[List[str], List[str]]:
    """The files to check, and one error line for each path that does not exist."""
    found: List[str] = []
    errors: List[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            found.extend(_walk(raw, settings))
        elif os.path.exists(raw) or os.path.islink(raw):
            if force_exclude and excluded(raw, settings):
                continue
            found.append(raw)
        else:
            errors.append(f"{raw}: no such file or directory")
    unique = list(dict.fromkeys(os.path.normpath(p) for p in found))
    return unique, errors


def display_path(path: str, cwd: Optional[str] = None) -> str:
    try:
        rel = os.path.relpath(path, cwd or os.getcwd())
    except ValueError:
        return path
    return path if rel.startswith("..") else rel

