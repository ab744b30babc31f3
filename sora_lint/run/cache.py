"""Results per file from earlier runs, so that a run on an unchanged tree reads no source.

Like ruff's cache: in ``.sora_lint_cache/`` at the project root (with its own ``.gitignore``),
one file of entries per version of sora-lint's code. An entry holds a file's diagnostics and is
valid while the file's content hash, its resolved settings and the files its results depend on
(``ModuleFacts.dependencies``) are unchanged. The file's size and mtime are the fast path: when
they match, the file is not read at all; when they differ, its content hash decides.

The cache file is replaced atomically (a temporary file renamed over it), after merging what
another run wrote in the meantime, so a crash or two concurrent runs leave either the old
file or a new whole one; an entry that cannot be read is a miss, never an error.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import time
import zlib
from collections.abc import Sequence
from typing import Any

from ..core.types import Diagnostic, Edit, Fix, Group, Location
from .files import not_regular, read_regular

CACHE_DIR_NAME = ".sora_lint_cache"
# An mtime this close to the moment of caching may not move again on the next edit (coarse
# clocks): such an entry is checked by content hash instead of trusted by its stat.
_RECENT_NS = 2_000_000_000

Entry = dict[str, Any]


def installed_version() -> str:
    """sora-lint's version from its installed metadata, read directly: importlib.metadata would cost
    about 30 ms of imports, a third of what a warm run may take."""
    import glob
    import sys

    for entry in sys.path:
        for folder in glob.glob(os.path.join(entry or os.curdir, "sora_lint-*.dist-info")):
            try:
                with open(os.path.join(folder, "METADATA"), encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break
            except OSError:
                continue
    return "unknown"


def code_key() -> str:
    """What makes every cached result stale: sora-lint's version and its code, the catalog included."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [installed_version().encode()]
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".toml")):
                with open(os.path.join(folder, name), "rb") as fh:
                    parts.append(name.encode() + b"\0" + fh.read())
    return content_hash(b"\0".join(parts))


def content_hash(data: bytes) -> str:
    """A checksum of ``data``: CRC-32 and Adler-32 with the length, 80 bits that change with any edit.

    Not a cryptographic hash, which nothing here needs: SHA-256 costs a cold run on 4,000 files
    about 75 ms, these 16 ms, and hashlib's import another 9 ms on every run.
    """
    return f"{len(data):x}-{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _encode(d: Diagnostic) -> list:
    # A notebook's diagnostic and edits end with their cell; a Python file's have none. The related
    # locations (the calls that send a value reported away from them) come after the fixes.
    return [d.code, d.message, d.location.row, d.location.column, d.end_location.row, d.end_location.column,
            [[f.applicability, f.message, [[e.content, e.start, e.end, e.location.row, e.location.column,
                                             e.end_location.row, e.end_location.column, *_cell(e.cell)]
                                            for e in f.edits]]
             for f in d.fixes],
            [d.group.summary, d.group.calls] if d.group is not None else None,
            [[loc.row, loc.column] for loc in d.related], *_cell(d.cell)]


def _cell(cell: int | None) -> list[int]:
    return [] if cell is None else [cell]


_CODE = re.compile(r"SOR[0-9]{3}")
_LIMIT = 2**63  # no position, offset or size in a Python file sora-lint parses comes near it


class Malformed(ValueError):
    """A cached entry that does not have the shape sora-lint writes: a miss, never an error."""


def _int(value: Any, low: int = 0) -> int:
    if type(value) is not int or not low <= value < _LIMIT:
        raise Malformed(value)
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Malformed(value)
    return value


def _list(value: Any, length: int | None = None, cell: bool = False) -> list:
    """A list, of ``length`` items (one more with ``cell``: a notebook's cell number at the end)."""
    if type(value) is not list or (length is not None and len(value) not in ((length, length + 1) if cell
                                                                           else (length,))):
        raise Malformed(value)
    return value


def _cell_of(rest: list) -> int | None:
    """A notebook's cell, the optional last field of a diagnostic or an edit."""
    return _int(rest[0]) if rest else None


def _decode_edit(row: Any) -> Edit:
    text, start, end, lr, lc, ler, lec, *cell = _list(row, 7, cell=True)
    return Edit(_str(text), _int(start), _int(end), Location(_int(lr, 1), _int(lc, 1)),
                Location(_int(ler, 1), _int(lec, 1)), cell=_cell_of(cell))


def _decode_fix(row: Any) -> Fix:
    applicability, message, edits = _list(row, 3)
    return Fix(_str(applicability), _str(message), tuple(_decode_edit(e) for e in _list(edits)))


def _decode_group(row: Any) -> Group | None:
    if row is None:
        return None
    summary, calls = _list(row, 2)
    return Group(_str(summary), _int(calls))


def _decode(row: Any, filename: str) -> Diagnostic:
    """A diagnostic from its cached row; :class:`Malformed` for anything :func:`_encode` does not write."""
    code, message, r, c, er, ec, fixes, group, related, *cell = _list(row, 9, cell=True)
    if not _CODE.fullmatch(_str(code)):
        raise Malformed(code)
    return Diagnostic(code, _str(message), filename, Location(_int(r, 1), _int(c, 1)),
                      Location(_int(er, 1), _int(ec, 1)), tuple(_decode_fix(f) for f in _list(fixes)),
                      _decode_group(group), tuple(_decode_location(loc) for loc in _list(related)),
                      cell=_cell_of(cell))


def _decode_location(row: Any) -> Location:
    r, c = _list(row, 2)
    return Location(_int(r, 1), _int(c, 1))


def _dependency(dep: Any) -> tuple[str, int | None, int | None, str]:
    """(path, mtime, size, content hash) of a file an entry depends on; mtime and size are None for a
    file whose mtime was too recent to trust."""
    path, mtime, size, digest = _list(dep, 4)
    return (_str(path), None if mtime is None else _int(mtime, -_LIMIT), None if size is None else _int(size),
            _str(digest))


class Cache:
    """The cached results under one folder, loaded once and saved once per run."""

    def __init__(self, folder: str, key: str | None = None, context: str = "") -> None:
        """``context``: what else every result depends on (the date SOR006 compares lifecycle dates with)."""
        self.context = context
        self.folder = os.path.abspath(folder)
        self.cwd = os.getcwd()
        self.key = key or code_key()
        self.file = os.path.join(self.folder, f"results-{self.key}.json")
        self.entries = self._read()
        self.changed: dict[str, Entry] = {}
        self._fingerprints: dict[int, tuple[object, str]] = {}
        self.hits = 0

    def _read(self) -> dict[str, Entry]:
        try:  # a FIFO or a device in the cache file's place is never opened for reading
            data = json.loads(read_regular(self.file))
        except (OSError, ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    def fingerprint(self, settings: Any) -> str:
        """The settings' fingerprint, hashed once per Settings object."""
        memo = self._fingerprints.get(id(settings))
        if memo is None or memo[0] is not settings:
            memo = (settings, content_hash(f"{self.context}\0{settings.fingerprint()}".encode()))
            self._fingerprints[id(settings)] = memo
        return memo[1]

    def _fresh(self, entry: Entry, fingerprint: str) -> bool:
        if entry.get("f") != fingerprint:
            return False
        try:
            deps = [_dependency(dep) for dep in _list(entry.get("deps", []))]
        except (Malformed, ValueError):
            return False
        for path, mtime, size, digest in deps:
            try:
                st = os.stat(path)
                if mtime is not None and (st.st_mtime_ns, st.st_size) == (mtime, size):
                    continue
                if content_hash(read_regular(path)) != digest:
                    return False
            except OSError:
                return False
        return True

    def _diagnostics(self, entry: Entry, path: str) -> list[Diagnostic] | None:
        try:
            return [_decode(row, path) for row in _list(entry.get("d"))]
        except Malformed:
            return None

    def dependencies(self, paths: Sequence[str]) -> list[str] | None:
        """The files the cached results of ``paths`` depend on; None when one of them has no whole entry."""
        found: dict[str, None] = {}
        for path in paths:
            key = self.entry_key(path)
            entry = self.changed.get(key) or self.entries.get(key)
            try:
                found.update((str(dep[0]), None) for dep in entry["deps"])  # type: ignore[index]
            except (KeyError, TypeError, IndexError):
                return None
        return list(found)

    def entry_key(self, path: str) -> str:
        """The entry's key: the absolute path (os.path.abspath asks for the cwd on every call)."""
        if ".." in path or "./" in path or path.startswith(os.sep):
            return os.path.normpath(os.path.join(self.cwd, path))
        return self.cwd + os.sep + path

    def by_stat(self, path: str, fingerprint: str) -> list[Diagnostic] | None:
        """The cached diagnostics if the file's size and mtime say it is unchanged (nothing is read)."""
        entry = self.entries.get(self.entry_key(path))
        if not isinstance(entry, dict) or entry.get("m") is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if (st.st_mtime_ns, st.st_size) != (entry["m"], entry.get("s")) or not self._fresh(entry, fingerprint):
            return None
        found = self._diagnostics(entry, path)
        if found is not None:
            self.hits += 1
        return found

    def by_content(self, path: str, data: bytes, fingerprint: str) -> list[Diagnostic] | None:
        """The cached diagnostics if the file's content is the one they were computed from."""
        key = self.entry_key(path)
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("h") != content_hash(data) or not self._fresh(entry, fingerprint):
            return None
        found = self._diagnostics(entry, path)
        if found is not None:
            self.hits += 1
            self.changed[key] = dict(entry, **self._stat_fields(path))  # a touched file: its stat moves on
        return found

    @staticmethod
    def _stat_fields(path: str) -> dict[str, Any]:
        try:
            st = os.stat(path)
        except OSError:
            return {"m": None, "s": None}
        recent = time.time_ns() - st.st_mtime_ns < _RECENT_NS
        return {"m": None if recent else st.st_mtime_ns, "s": st.st_size}

    def store(self, path: str, data: bytes, fingerprint: str, diagnostics: Sequence[Diagnostic],
              dependencies: Sequence[str] = ()) -> None:
        deps = []
        for dep in dependencies:
            try:
                digest = content_hash(read_regular(dep))
            except OSError:
                return  # a dependency that cannot be read: nothing to key the entry on
            deps.append([dep, *self._stat_fields(dep).values(), digest])
        entry = {"h": content_hash(data), "f": fingerprint, "d": [_encode(d) for d in diagnostics], "deps": deps,
                 **self._stat_fields(path)}
        self.changed[self.entry_key(path)] = entry

    def save(self) -> None:
        """Merge this run's entries into the file on disk and replace it atomically; never fails the run."""
        if not self.changed or not_regular(self.file) is not None:  # never replace what someone else put there
            return
        import tempfile  # only a run that learnt something writes: a warm run does not import it

        try:
            self._prepare_folder()
            with _Lock(os.path.join(self.folder, ".lock")):
                merged = self._read()
                merged.update(self.changed)
                fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.folder)
                try:
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        # json.dumps, not json.dump: only the former uses the C encoder (10x faster here).
                        fh.write(json.dumps(merged, separators=(",", ":")))
                    os.replace(tmp, self.file)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                    raise
        except OSError:
            return
        self.entries = merged
        self.changed = {}
        self._drop_other_versions()

    def _drop_other_versions(self) -> None:
        """Results of another version of sora-lint's code can never be used again."""
        try:
            for name in os.listdir(self.folder):
                if (
                    name.startswith("results-")
                    and name.endswith(".json")
                    and os.path.join(self.folder, name) != self.file
                ):
                    os.unlink(os.path.join(self.folder, name))
        except OSError:
            pass

    def _prepare_folder(self) -> None:
        os.makedirs(self.folder, exist_ok=True)
        ignore = os.path.join(self.folder, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as fh:
                fh.write("# Automatically created by sora-lint.\n*\n")
        tag = os.path.join(self.folder, "CACHEDIR.TAG")
        if not os.path.exists(tag):
            with open(tag, "w", encoding="utf-8") as fh:
                fh.write("Signature: 8a477f597d28d172789f06886806bc55\n# This is sora-lint's cache "
                         "(.sora_lint_cache).\n")


class _Lock:
    """An exclusive lock on a file while concurrent runs merge their entries (none where fcntl is missing:
    the rename alone still keeps the file whole, a concurrent run's entries may then be lost)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> _Lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock


def clean(folder: str) -> bool:
    """Remove a cache folder; False when there was none. Refuses a folder that is not sora-lint's cache."""
    import shutil

    if not os.path.isdir(folder):
        return False
    names = set(os.listdir(folder))
    if names - {".gitignore", "CACHEDIR.TAG", ".lock"} and not any(
        n.startswith(("results-", ".results-", "warm-")) for n in names
    ):
        raise OSError(f"{folder} does not look like sora-lint's cache; remove it yourself")
    shutil.rmtree(folder)
    return True
