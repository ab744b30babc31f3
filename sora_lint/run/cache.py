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
import time
import zlib
from collections.abc import Sequence
from typing import Any

from ..core.types import Diagnostic, Edit, Fix, Location

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
             for f in d.fixes], [[loc.row, loc.column] for loc in d.related], *_cell(d.cell)]


def _cell(cell: int | None) -> list[int]:
    return [] if cell is None else [cell]


def _decode(row: list, filename: str) -> Diagnostic:
    code, message, r, c, er, ec, fixes, related, *cell = row
    return Diagnostic(str(code), str(message), filename, Location(int(r), int(c)), Location(int(er), int(ec)), tuple(
        Fix(str(a), str(m), tuple(_decode_edit(e) for e in edits)) for a, m, edits in fixes),
        tuple(Location(int(lr), int(lc)) for lr, lc in related), cell=int(cell[0]) if cell else None)


def _decode_edit(row: list) -> Edit:
    t, s, e, lr, lc, ler, lec, *cell = row
    return Edit(str(t), int(s), int(e), Location(int(lr), int(lc)), Location(int(ler), int(lec)),
                cell=int(cell[0]) if cell else None)


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
        try:
            with open(self.file, "rb") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
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
        for dep in entry.get("deps", ()):
            path, mtime, size, digest = dep
            try:
                st = os.stat(path)
                if mtime is not None and (st.st_mtime_ns, st.st_size) == (mtime, size):
                    continue
                with open(path, "rb") as fh:
                    if content_hash(fh.read()) != digest:
                        return False
            except (OSError, ValueError, TypeError):
                return False
        return True

    def _diagnostics(self, entry: Entry, path: str) -> list[Diagnostic] | None:
        try:
            return [_decode(row, path) for row in entry["d"]]
        except (KeyError, TypeError, ValueError):
            return None

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
                with open(dep, "rb") as fh:
                    digest = content_hash(fh.read())
            except OSError:
                return  # a dependency that cannot be read: nothing to key the entry on
            deps.append([dep, *self._stat_fields(dep).values(), digest])
        entry = {"h": content_hash(data), "f": fingerprint, "d": [_encode(d) for d in diagnostics], "deps": deps,
                 **self._stat_fields(path)}
        self.changed[self.entry_key(path)] = entry

    def save(self) -> None:
        """Merge this run's entries into the file on disk and replace it atomically; never fails the run."""
        if not self.changed:
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
        n.startswith(("results-", ".results-")) for n in names
    ):
        raise OSError(f"{folder} does not look like sora-lint's cache; remove it yourself")
    shutil.rmtree(folder)
    return True
