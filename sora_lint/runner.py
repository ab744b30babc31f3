"""Per-file work for the CLI: read, decode, check or fix, write atomically; in parallel."""
from __future__ import annotations

import difflib
import io
import os
import stat
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

from .engine import check_source, fix_source
from .prefilter import might_contain_sora_call_bytes
from .settings import Settings
from .types import PARSE_ERROR, Diagnostic, Location

CHECK, FIX, DIFF = "check", "fix", "diff"


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    applied: int = 0  # fixes applied (or that --diff would apply)
    changed: bool = False
    diff: str = ""
    error: Optional[str] = None  # a problem with the file itself (unreadable, read-only...)


@dataclass(frozen=True)
class Job:
    mode: str
    settings: Settings
    unsafe_fixes: bool = False


class Undecodable(Exception):
    pass


def decode(data: bytes) -> Tuple[str, str]:
    """The text of a Python file and the encoding to write it back with (BOM kept as utf-8-sig)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise Undecodable(str(exc)) from None
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise Undecodable(f"not valid {encoding}: {exc.reason if isinstance(exc, UnicodeDecodeError) else exc}") from None


def _file_error_diagnostic(path: str, message: str) -> Diagnostic:
    loc = Location(1, 1)
    return Diagnostic(PARSE_ERROR, f"could not read this file, so it was not checked: {message}", path, loc, loc)


def write_atomically(path: str, text: str, encoding: str) -> None:
    """Write through a temporary file in the same folder and rename it over ``path``.

    A process killed at any moment leaves either the old file or the new one, and
    the file keeps its permission bits. A symlink is written through: the file it
    points to gets the new text and the link stays a link.
    """
    data = text.encode(encoding)
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = tempfile.mkstemp(prefix=".sora-lint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _patch_lines(text: str) -> List[str]:
    """Lines as `patch` and `git apply` count them: ended by \\n only (not by a form feed or a
    lone \\r, as ``str.splitlines`` would), each with its ending."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def unified_diff(before: str, after: str, path: str) -> str:
    """A patch from ``before`` to ``after`` that `patch` and `git apply` accept."""
    out = []
    for line in difflib.unified_diff(_patch_lines(before), _patch_lines(after), fromfile=f"a/{path}", tofile=f"b/{path}"):
        out.append(line)
        if not line.endswith("\n"):  # the file's last line has no newline: say so, as diff does
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def process(path: str, data: Optional[bytes], job: Job) -> FileResult:
    """Check or fix one file. ``data`` is its content when the caller read it already."""
    result = FileResult(path)
    try:
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        result.error = f"{path}: cannot be read: {exc.strerror or exc}"
        return result
    if not might_contain_sora_call_bytes(data):
        return result
    try:
        text, encoding = decode(data)
    except Undecodable as exc:
        result.diagnostics = [_file_error_diagnostic(path, str(exc))]
        return result
    if job.mode == CHECK:
        result.diagnostics = check_source(text, path, job.settings)
        return result
    outcome = fix_source(text, path, job.settings, unsafe_fixes=job.unsafe_fixes)
    result.diagnostics = outcome.remaining
    if outcome.error:
        result.error = f"{path}: {outcome.error}"
    if outcome.source == text:
        return result
    result.applied = outcome.applied
    result.changed = True
    if job.mode == DIFF:
        result.diff = unified_diff(text, outcome.source, path)
        return result
    if not os.stat(path).st_mode & stat.S_IWUSR:
        result.error = f"{path}: is read-only, so its {outcome.applied} fix(es) were not written"
        result.applied, result.changed = 0, False
        result.diagnostics = check_source(text, path, job.settings)
        return result
    try:
        write_atomically(path, outcome.source, encoding)
    except OSError as exc:
        result.error = f"{path}: could not be written ({exc.strerror or exc}); it was left unchanged"
        result.applied, result.changed = 0, False
        result.diagnostics = check_source(text, path, job.settings)
    return result


def _worker(item: Tuple[str, bytes, Job]) -> FileResult:
    return process(*item)


# Below this many candidate files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


def run(paths: Sequence[str], job: Job, jobs: int = 0,
        progress: Optional[Callable[[int, int], None]] = None) -> List[FileResult]:
    """Process every file; the LibCST work is spread over ``jobs`` processes (0: all cores)."""
    results: List[FileResult] = []
    candidates: List[Tuple[str, bytes, Job]] = []
    for path in paths:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            results.append(FileResult(path, error=f"{path}: cannot be read: {exc.strerror or exc}"))
            continue
        if might_contain_sora_call_bytes(data):
            candidates.append((path, data, job))
    workers = jobs or os.cpu_count() or 1
    total = len(candidates)
    if workers > 1 and total >= PARALLEL_THRESHOLD:
        import concurrent.futures
        import multiprocessing

        import libcst  # noqa: F401 - imported once here, inherited by forked workers

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, total), mp_context=context) as pool:
            for done, result in enumerate(pool.map(_worker, candidates, chunksize=max(1, total // (workers * 8))), 1):
                results.append(result)
                if progress:
                    progress(done, total)
    else:
        for done, item in enumerate(candidates, 1):
            results.append(_worker(item))
            if progress:
                progress(done, total)
    return results
