"""Per-file work for the CLI: read, decode, check or fix, write atomically; in parallel.

A run on an unchanged tree with a warm cache reads no source, so what only reading, checking,
fixing or diffing a file needs (the engine, the prefilter, difflib, hashlib, tempfile, tokenize,
the worker pool, the atomic writes) is imported where it is used: a warm run does not pay for those
imports, nor does a run that finds no file worth parsing.
"""
from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from ..contracts.settings import Settings
from ..core.collector import COLLECTOR_PAUSED
from ..core.types import PARSE_ERROR, Diagnostic, Location
from .files import read_regular
from .modes import CHECK, DIFF
from .modes import FIX as FIX  # re-exported: callers read every mode from the runner
from .screen import Ahead, screen_all, unreadable_line

if TYPE_CHECKING:
    from .cache import Cache
    from .project_files import ProjectFiles



@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    applied: int = 0  # fixes applied (or that --diff would apply)
    changed: bool = False
    diff: str = ""
    diff_data: bytes = b""  # ``diff`` as bytes that apply to the file: its lines in the file's encoding
    error: str | None = None  # a problem with the file itself (unreadable, read-only...)
    dependencies: tuple[str, ...] = ()  # other files the diagnostics depend on (check mode)
    fixed: dict[str, int] = field(default_factory=dict)  # findings fixed per code (or that --diff would fix)
    found: list[Diagnostic] | None = None  # before the fixes, when a fix run changed the file (else: diagnostics)
    unchecked: bool = False  # it could not be read, decoded or parsed


@dataclass(frozen=True)
class Job:
    mode: str
    settings: Settings
    unsafe_fixes: bool = False
    show_fixes: bool = False


class Undecodable(Exception):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """The text of a Python file and the encoding to write it back with (BOM kept as utf-8-sig)."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise Undecodable(str(exc)) from None
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc
        raise Undecodable(f"not valid {encoding}: {reason}") from None


def _file_error_diagnostic(path: str, message: str) -> Diagnostic:
    loc = Location(1, 1)
    return Diagnostic(PARSE_ERROR, f"could not read this file, so it was not checked: {message}", path, loc, loc)


def _patch_lines(text: str) -> list[str]:
    """Lines as `patch` and `git apply` count them: ended by \\n only (not by a form feed or a
    lone \\r, as ``str.splitlines`` would), each with its ending."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def unified_diff(before: str, after: str, path: str) -> str:
    """A patch from ``before`` to ``after`` that `patch` and `git apply` accept."""
    import difflib

    out = []
    for line in difflib.unified_diff(
        _patch_lines(before), _patch_lines(after), fromfile=f"a/{path}", tofile=f"b/{path}"
    ):
        out.append(line)
        if not line.endswith("\n"):  # the file's last line has no newline: say so, as diff does
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


class NoPatch(Exception):
    """The diff cannot be written in the file's encoding."""


def unified_diff_bytes(before: str, after: str, path: str, encoding: str) -> bytes:
    """:func:`unified_diff` as bytes that apply to the file: each line in the file's encoding
    (a UTF-8 BOM kept on the first line), the paths as the file system spells them."""
    if encoding.replace("_", "-").lower() in ("utf-8-sig", "utf8-sig"):
        before, after, encoding = "\ufeff" + before, "\ufeff" + after, "utf-8"
    try:
        if "\n-+@ \\".encode(encoding) != b"\n-+@ \\":
            raise NoPatch(f"its encoding {encoding} is not ASCII-compatible, so no patch tool can apply a diff of it")
        old, new = before.encode(encoding), after.encode(encoding)
    except (UnicodeError, LookupError) as exc:
        raise NoPatch(f"its text cannot be written in its encoding {encoding} ({exc})") from None
    import difflib

    name = os.fsencode(path)
    out = []
    for line in difflib.diff_bytes(difflib.unified_diff, _patch_byte_lines(old), _patch_byte_lines(new),
                                   fromfile=b"a/" + name, tofile=b"b/" + name):
        out.append(line)
        if not line.endswith(b"\n"):
            out.append(b"\n\\ No newline at end of file\n")
    return b"".join(out)


def _patch_byte_lines(data: bytes) -> list[bytes]:
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


class Steps(NamedTuple):  # how a file is decoded, checked, fixed and diffed: a notebook's by run/notebooks.py
    decode: Callable[[bytes], tuple[str, str]]
    check: Callable[..., Any]
    lint_source: Callable[..., list[Diagnostic]]
    apply_fixes: Callable[..., Any]
    name_diff: Callable[[str, str], str]  # (a diff of the text, the text) -> the diff shown (hunks name cells)
    name_diff_bytes: Callable[[bytes, str], bytes]


def steps_for(path: str) -> Steps:
    from ..engine import apply_fixes, check, lint_source
    from . import notebooks

    if not notebooks.is_notebook(path):
        return Steps(decode, check, lint_source, apply_fixes, lambda diff, _text: diff, lambda data, _text: data)
    return Steps(notebooks.decode_notebook, notebooks.check_notebook, notebooks.check_notebook_source,
                 notebooks.fix_notebook, notebooks.name_cells,
                 lambda data, text: notebooks.name_cells(data.decode(), text).encode())


def process(path: str, data: bytes | None, job: Job) -> FileResult:
    """Check or fix one file. ``data`` is its content when the caller read it already."""
    from ..analysis.prefilter import might_contain_sora_call_bytes
    from ..engine import misplaced_note
    from .project_files import shared_project_files

    steps = steps_for(path)
    files = shared_project_files()  # the other modules of its project, read once per worker process
    result = FileResult(path)
    try:
        if data is None:
            data = read_regular(path)
    except OSError as exc:
        return unreadable(path, exc)
    if not might_contain_sora_call_bytes(data):
        return result
    if len(data) > job.settings.max_file_size:
        return too_large(path, len(data), job.settings.max_file_size)
    try:
        text, encoding = steps.decode(data)
    except (Undecodable, ValueError) as exc:  # ValueError: a notebook that is not UTF-8
        result.diagnostics = [_file_error_diagnostic(path, str(exc))]
        result.unchecked = True
        return result
    if job.mode == CHECK:
        checked = steps.check(text, path, job.settings, files=files)
        result.diagnostics, result.dependencies = checked.diagnostics, checked.dependencies
        note = misplaced_note(checked.misplaced)
        result.error = f"{path}: {note}" if note else None
        result.unchecked = any(d.code == PARSE_ERROR for d in result.diagnostics)
        return result
    outcome = steps.apply_fixes(text, path, job.settings, unsafe_fixes=job.unsafe_fixes, files=files)
    result.diagnostics = outcome.remaining
    result.unchecked = any(d.code == PARSE_ERROR for d in outcome.remaining)
    if outcome.error:
        result.error = f"{path}: {outcome.error}"
    if outcome.source == text:
        return result
    result.applied = outcome.applied
    result.changed = True
    result.found, result.fixed = outcome.found, dict(outcome.fixed)
    if job.mode == DIFF:
        result.diff = steps.name_diff(unified_diff(text, outcome.source, path), text)
        try:
            result.diff_data = steps.name_diff_bytes(unified_diff_bytes(text, outcome.source, path, encoding), text)
        except NoPatch as exc:
            result.error = f"{path}: no diff is shown: {exc}"
            _unfixed(result, outcome.found)
        return result
    return _write_fix(result, text, data, encoding, outcome.source, job, steps, files)


def _write_fix(result: FileResult, text: str, data: bytes, encoding: str, fixed: str, job: Job,
               steps: Steps, files: ProjectFiles) -> FileResult:
    """Write a fixed file over the one that was read, or say why not and report its findings as they stand."""
    from .writes import ChangedOnDisk, snapshot, write_atomically  # only a fix writes (~1 ms of imports)

    path = result.path
    try:
        if not os.stat(path).st_mode & stat.S_IWUSR:
            result.error = f"{path}: is read-only, so its {result.applied} fix(es) were not written"
        else:
            write_atomically(path, fixed, encoding, snapshot(path, data))
            return result
    except ChangedOnDisk:
        if os.path.lexists(path):
            result.error = (f"{path}: changed on disk while it was being fixed, so it was left as it is now; "
                            "run fix again")
        else:
            result.error = f"{path}: was deleted while it was being fixed, so nothing was written"
    except FileNotFoundError:
        result.error = f"{path}: was deleted while it was being fixed, so nothing was written"
    except OSError as exc:
        result.error = f"{path}: could not be written ({exc.strerror or exc}); it was left unchanged"
    _unfixed(result, steps.lint_source(text, path, job.settings, files=files))
    return result


def _unfixed(result: FileResult, found: list[Diagnostic] | None) -> None:
    """The file is left as it was: what was found is what remains, nothing was fixed."""
    result.diff, result.diff_data, result.applied, result.changed = "", b"", 0, False
    result.diagnostics = found if found is not None else result.diagnostics
    result.found, result.fixed = None, {}


def unreadable(path: str, exc: OSError) -> FileResult:
    """A file that could not be read (gone, no permission, a FIFO or a device): one error line."""
    return FileResult(path, error=unreadable_line(path, exc), unchecked=True)


def not_checked(path: str, reason: str) -> FileResult:
    """A file the checker could not finish: SOR000 with the reason, and the run goes on."""
    loc = Location(1, 1)
    return FileResult(path, [Diagnostic(PARSE_ERROR, f"this file was not checked: {reason}", path, loc, loc)],
                      unchecked=True)


def too_large(path: str, size: int, limit: int) -> FileResult:
    return not_checked(path, f"it is too large to check ({size:,} bytes; the limit is {limit:,}, "
                             "set by max-file-size)")


def _might_hold_sora_call(data: bytes) -> bool:
    from ..analysis.prefilter import might_contain_sora_call_bytes

    return might_contain_sora_call_bytes(data)


def _worker(item: tuple[str, bytes, Job]) -> FileResult:
    # Paused around the whole file, so that its trees are gone when the collector resumes (core/collector.py).
    with COLLECTOR_PAUSED:
        return process(*item)


# Below this many candidate files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


def _from_cache(cache: Cache, path: str, data: bytes | None, job: Job) -> FileResult | None:
    """A cached result a run can use as is: in check mode any, in fix mode one with nothing to fix."""
    fingerprint = cache.fingerprint(job.settings)
    found = cache.by_stat(path, fingerprint) if data is None else cache.by_content(path, data, fingerprint)
    if found is None or (job.mode != CHECK and any(d.fix_for(job.unsafe_fixes) for d in found)):
        return None
    return FileResult(path, diagnostics=found, unchecked=any(d.code == PARSE_ERROR for d in found))


def run(paths: Sequence[str], job: Job, jobs: int = 0,
        progress: Callable[[int, int], None] | None = None,
        settings_for: Callable[[str], Settings] | None = None,
        cache: Cache | None = None, ahead: Ahead | None = None) -> list[FileResult]:
    """Process every file; the LibCST work is spread over ``jobs`` processes (0: all cores).

    ``settings_for`` gives each file its own settings (default: the job's); ``cache`` answers
    for unchanged files without reading them, and learns the results of the others. ``ahead``
    (used without a cache only) has read the files while discovery found them.
    """
    results: list[FileResult] = []
    candidates: list[tuple[str, bytes, Job]] = []
    jobs_by_settings: dict[int, Job] = {}

    def job_for(path: str) -> Job:
        """The file's job: its own settings (one Job per Settings object, not one per file)."""
        if settings_for is None:
            return job
        settings = settings_for(path)
        file_job = jobs_by_settings.get(id(settings))
        if file_job is None or file_job.settings is not settings:  # new, or an id reused by a new Settings object
            file_job = jobs_by_settings[id(settings)] = replace(job, settings=settings)
        return file_job

    if cache is None:
        # Without a cache every file is read: on every core for a long list (see run/screen.py).
        screened = ahead.outcomes(paths) if ahead is not None else screen_all(paths, jobs or os.cpu_count() or 1)
        for path, outcome in zip(paths, screened):
            if isinstance(outcome, bytes):
                candidates.append((path, outcome, job_for(path)))
            elif outcome is not None:
                results.append(FileResult(path, error=outcome, unchecked=True))
    else:
        for path in paths:
            file_job = job_for(path)
            hit = _from_cache(cache, path, None, file_job)
            if hit is not None:
                results.append(hit)
                continue
            try:
                data = read_regular(path)
            except OSError as exc:
                results.append(unreadable(path, exc))
                continue
            hit = _from_cache(cache, path, data, file_job)
            if hit is not None:
                results.append(hit)
                continue
            if _might_hold_sora_call(data):
                candidates.append((path, data, file_job))
            else:
                cache.store(path, data, cache.fingerprint(file_job.settings), [])
    for done, (index, result) in enumerate(_dispatch(candidates, jobs or os.cpu_count() or 1), 1):
        results.append(result)
        _remember(cache, candidates[index], result)
        if progress:
            progress(done, len(candidates))
    return results


# A file this large goes to a child process even with --jobs 1: at LibCST's ~250 bytes of memory per
# byte it may need 250 MB and more, and a parser that runs out of memory aborts the whole process.
CHILD_THRESHOLD = 1024 * 1024


def _dispatch(candidates: list[tuple[str, bytes, Job]], workers: int) -> Iterator[tuple[int, FileResult]]:
    """(index, result) of every candidate: in worker processes, or here for a few small files."""
    if not candidates:  # most runs of a tree without Sora calls: multiprocessing's import is ~5 ms
        return
    import multiprocessing

    from .workers import WorkerPool

    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        yield from ((i, _worker(item)) for i, item in enumerate(candidates))
        return
    if workers > 1 and len(candidates) >= PARALLEL_THRESHOLD:
        _preload()
        # What the workers inherit goes to the collector's permanent generation: a worker's collection
        # would otherwise walk every inherited object, writing its header and so copying its page.
        gc.freeze()
        try:
            with WorkerPool(candidates, _worker, _died, workers) as pool:
                yield from pool.results()
        finally:
            gc.unfreeze()  # a process that goes on (the Python API) collects them again
        return
    for index, item in enumerate(candidates):
        if len(item[1]) <= CHILD_THRESHOLD or len(item[1]) > item[2].settings.max_file_size:
            yield index, _worker(item)
            continue
        with WorkerPool([item], _worker, _died, 1) as pool:
            yield from ((index, result) for _i, result in pool.results())


def _died(item: tuple[str, bytes, Job], reason: str) -> FileResult:
    return not_checked(item[0], reason)


def _preload() -> None:
    """Imported once here and inherited by forked workers, each of which would import them again
    (about 60 ms of CPU a worker): LibCST, and the modules a check or a fix loads when it needs them."""
    import libcst  # noqa: F401

    from .. import engine, rules  # noqa: F401
    from ..analysis import find, prefilter  # noqa: F401
    from ..contracts import selection  # noqa: F401
    from ..engine import edits, positions  # noqa: F401
    from ..rules import base  # noqa: F401


def _remember(cache: Cache | None, item: tuple[str, bytes, Job], result: FileResult) -> None:
    """Cache what a check found (a fix run's results describe a file that may have changed since)."""
    path, data, job = item
    if cache is None or job.mode != CHECK or result.error:
        return
    cache.store(path, data, cache.fingerprint(job.settings), result.diagnostics, result.dependencies)
