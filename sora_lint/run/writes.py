"""Writing fixed files: atomically, only over the file that was read, and clearing up after killed runs.

A fix is written to a temporary file beside its target and renamed over it. A run killed between
the two (SIGKILL, a CI timeout) leaves the temporary file behind. Its name says which process made
it, ``.sora-lint-<pid>-<random>.tmp``, so that the next ``fix`` can tell a leftover (its process is
gone, or it is older than any run takes: :data:`STALE_AGE`) from the file of a run in progress.
"""
from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass

from .files import read_regular

TEMPORARY_PREFIX = ".sora-lint-"
TEMPORARY_SUFFIX = ".tmp"
# ``.sora-lint-<pid>-<random>.tmp``; the names without a pid are from versions before 0.x and
# only their age can release them.
_TEMPORARY = re.compile(r"^\.sora-lint-(?:(\d+)-)?[A-Za-z0-9_]+\.tmp$")
# A temporary file lives for the time of one write (milliseconds); one an hour old belongs to no run,
# even if its pid has been reused by another process since.
STALE_AGE = 3600.0


class ChangedOnDisk(Exception):
    """The file is not the one that was read: someone else wrote it in the meantime."""


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read: a write goes ahead only if it still is."""

    size: int
    mtime_ns: int
    digest: bytes

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Snapshot:
        import hashlib

        return cls(st.st_size, st.st_mtime_ns, hashlib.blake2b(data, digest_size=16).digest())


def snapshot(path: str, data: bytes) -> Snapshot:
    """The file's snapshot now; :class:`ChangedOnDisk` if its content is no longer ``data`` (or it is gone)."""
    try:
        st = os.stat(path)
        now = read_regular(path)
    except OSError:
        raise ChangedOnDisk(path) from None
    if now != data:
        raise ChangedOnDisk(path)
    return Snapshot.of(data, st)


def write_atomically(path: str, text: str, encoding: str, expected: Snapshot | None = None) -> None:
    """Write through a temporary file in the same folder and rename it over ``path``.

    A process killed at any moment leaves either the old file or the new one, and
    the file keeps its permission bits. A symlink is written through: the file it
    points to gets the new text and the link stays a link. With ``expected``, the
    file is looked at again just before the rename (size, mtime, content hash): if
    someone else wrote it since it was read, :class:`ChangedOnDisk` is raised and
    it is left as they wrote it. An edit landing between that last look and the
    rename is lost: the window is a stat, a read and a rename long, and documented.
    """
    import tempfile

    data = text.encode(encoding)
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=TEMPORARY_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if expected is not None and not _unchanged(path, expected):
            raise ChangedOnDisk(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _unchanged(path: str, expected: Snapshot) -> bool:
    import hashlib

    try:
        st = os.stat(path)
        if (st.st_size, st.st_mtime_ns) != (expected.size, expected.mtime_ns):
            return False
        return hashlib.blake2b(read_regular(path), digest_size=16).digest() == expected.digest
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and belongs to someone else
        return True
    return True


def remove_stale_temporaries(paths: Iterable[str], now: float | None = None) -> list[str]:
    """Remove the leftover temporary files in the folders of ``paths``; one line for each removed.

    A leftover is one whose process is no longer alive, or that is older than :data:`STALE_AGE`.
    """
    now = time.time() if now is None else now
    removed = []
    for folder in sorted({os.path.dirname(os.path.realpath(p)) for p in paths}):
        try:
            entries = [e for e in os.scandir(folder) if e.name.startswith(TEMPORARY_PREFIX)]
        except OSError:
            continue
        for entry in entries:
            found = _TEMPORARY.match(entry.name)
            if found is None:
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                age = now - entry.stat(follow_symlinks=False).st_mtime
                pid = int(found.group(1)) if found.group(1) else None
                if pid == os.getpid() or (age < STALE_AGE and (pid is None or _alive(pid))):
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            why = f"its process {pid} is gone" if pid is not None and age < STALE_AGE else f"{age / 3600:.1f} h old"
            removed.append(f"removed {entry.path}, a temporary file a killed run left ({why})")
    return removed
