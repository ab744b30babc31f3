"""The parts of ``check`` and ``fix`` beyond the plain run: stdin, --add-noqa, --show-fixes, the cache's place,
and the combinations of options that cannot make sense (usage errors rather than output nobody can parse)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..core.types import PARSE_ERROR, Diagnostic

TYPE_CHECKING = False  # typing waits for the runner (see contracts/settings.py)
if TYPE_CHECKING:
    from typing import TextIO

    from ..contracts.settings import Settings
    from ..engine.tally import Tally
    from ..run.cache import Cache
    from ..run.resolve import SettingsResolver
    from ..run.runner import FileResult, Steps
    from ..run.warm import Recorder
    from .output import SourceLines

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MACHINE_FORMATS = ("json", "json-lines", "github", "sarif")
# output.FORMATS' names, in its order (a test keeps them equal): the command line's choices, known without
# importing output, whose imports (the engine's tally) a check without a cache pays while its files are read.
FORMAT_NAMES = ("text", "concise", *MACHINE_FORMATS)


def open_report(path: str) -> TextIO:
    """The file ``--output-file`` names, for writing; the caller closes it (it may be stdout instead)."""
    return open(path, "w", encoding="utf-8")


def usage_problem(args: argparse.Namespace) -> str | None:
    """Why these options cannot run together, or None."""
    fmt = args.output_format
    if args.statistics and fmt in ("github", "sarif"):
        return (f"--statistics prints counts per code, which --output-format {fmt} has no place for: "
                "use text, concise, json or json-lines")
    if args.diff and fmt in MACHINE_FORMATS and not args.output_file:
        return (f"--diff prints a patch on stdout, which cannot share it with --output-format {fmt}: "
                "add --output-file to write the report elsewhere")
    if getattr(args, "add_noqa", False) and (getattr(args, "fix", False) or args.diff):
        return "--add-noqa cannot be combined with --fix or --diff"
    if "-" in args.paths and len(args.paths) > 1:
        return "- (stdin) cannot be combined with other paths"
    if "-" in args.paths and getattr(args, "add_noqa", False):
        return "--add-noqa needs files to write: it cannot read stdin"
    return None


def cache_folder(args: argparse.Namespace, resolver: SettingsResolver) -> str:
    """--cache-dir, then SORA_LINT_CACHE_DIR, then cache-dir in the configuration, then .sora_lint_cache at the
    project root."""
    from ..run.cache import CACHE_DIR_NAME

    if getattr(args, "cache_dir", None):
        return os.path.abspath(args.cache_dir)
    if os.environ.get("SORA_LINT_CACHE_DIR"):
        return os.path.abspath(os.environ["SORA_LINT_CACHE_DIR"])
    configured = resolver.for_folder(resolver.cwd).cache_dir
    return configured or os.path.join(resolver.project_root(), CACHE_DIR_NAME)


def cache_for(args: argparse.Namespace, resolver: SettingsResolver) -> Cache | None:
    if args.no_cache or os.environ.get("SORA_LINT_NO_CACHE"):
        return None
    from ..engine import lifecycle_today
    from ..run.cache import Cache

    # SOR006's findings depend on the date: a result cached yesterday may be wrong today.
    return Cache(cache_folder(args, resolver), context=f"today={lifecycle_today().isoformat()}")


def show_fixes(tally: Tally, dry_run: bool, stream: TextIO) -> None:
    """ruff's --show-fixes: the fixes applied, per file and code (the tally's, as every other count)."""
    from .docs import docs_by_code

    names = {code: doc.name for code, doc in docs_by_code().items()}
    fixed = {path: codes for path, codes in sorted(tally.fixed_by_file.items()) if sum(codes.values())}
    if not fixed:
        print("No errors would be fixed." if dry_run else "No errors fixed.", file=stream)
        return
    total = tally.total("fixed")
    print(f"{'Would fix' if dry_run else 'Fixed'} {total} error{'s' if total != 1 else ''}:", file=stream)
    for path, codes in fixed.items():
        print(f"- {path}:", file=stream)
        for code, n in sorted(codes.items()):
            print(f"    {n} \u00d7 {code} ({names.get(code, '')})", file=stream)


def add_noqa_to_files(diagnostics: Sequence[Diagnostic]) -> int:
    """Write a noqa comment on each reported line (SOR000 excepted: its file does not parse)."""
    from ..engine.noqa import add_noqa
    from ..run.notebooks import NotebookError, add_noqa_to_notebook, decode_notebook, is_notebook
    from ..run.runner import Undecodable, decode
    from ..run.writes import write_atomically

    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.code != PARSE_ERROR:
            by_file.setdefault(d.filename, []).append(d)
    total, failed = 0, False
    for path, found in sorted(by_file.items()):
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            # In a notebook, the comments go into the cells' source strings.
            text, encoding = (decode_notebook if is_notebook(path) else decode)(data)
            new_text, added, refused = (add_noqa_to_notebook if is_notebook(path) else add_noqa)(text, found)
            if added:
                write_atomically(path, new_text, encoding)
        except (OSError, Undecodable, ValueError, NotebookError) as exc:  # ValueError: a notebook not in UTF-8
            print(f"sora-lint: error: {path}: no noqa comment added ({exc})", file=sys.stderr)
            failed = True
            continue
        total += added
        for row in refused:
            print(f"sora-lint: error: {path}:{row}: a noqa comment here would change the code "
                  "(the line ends inside a string or after a backslash); add one by hand", file=sys.stderr)
            failed = True
    print(f"Added {total} noqa directive{'s' if total != 1 else ''}.", file=sys.stderr)
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def lint_stdin(args: argparse.Namespace, job_mode: str, resolver: SettingsResolver) -> int:
    """``check -`` and ``fix -``: the code comes on stdin; a fix writes the whole fixed source to stdout."""
    from ..run.files import excluded
    from ..run.runner import CHECK, DIFF, Undecodable, steps_for
    from .output import SourceLines

    name = args.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    settings = resolver.for_path(args.stdin_filename) if args.stdin_filename else resolver.for_folder(resolver.cwd)
    if args.stdin_filename and args.force_exclude and excluded(args.stdin_filename, settings):
        _give_back(job_mode, data)
        return EXIT_CLEAN
    steps = steps_for(name)  # --stdin-filename x.ipynb: a notebook's JSON, checked and fixed by its cells
    try:
        text, encoding = steps.decode(data)
    except (Undecodable, ValueError) as exc:  # ValueError: a notebook that is not UTF-8
        print(f"sora-lint: error: {name}: cannot be decoded: {exc}", file=sys.stderr)
        _give_back(job_mode, data)
        return EXIT_ERROR
    diagnostics, tally, reported, error, changed = _lint_text(args, job_mode, text, data, encoding, settings, steps)
    if error:
        print(f"sora-lint: error: {name}: {error}", file=sys.stderr)
    try:
        report = sys.stdout if job_mode == CHECK and not args.output_file else (
            open_report(args.output_file) if args.output_file else sys.stderr)
    except OSError as exc:
        print(f"sora-lint: error: {args.output_file}: cannot be written: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        _print_stdin_report(args, job_mode, report, diagnostics, tally, SourceLines({name: reported}))
    finally:
        if report not in (sys.stdout, sys.stderr):
            report.close()
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if (diagnostics or error or (job_mode == DIFF and changed)) else EXIT_CLEAN


def _give_back(job_mode: str, data: bytes) -> None:
    """A fix of stdin that does not run writes its input back unchanged: a formatter chain must get it back."""
    from ..run.runner import CHECK, DIFF

    if job_mode not in (CHECK, DIFF):
        sys.stdout.buffer.write(data)


def _lint_text(args: argparse.Namespace, job_mode: str, text: str, data: bytes, encoding: str,
               settings: Settings, steps: Steps) -> tuple[list[Diagnostic], Tally, str, str | None, bool]:
    """Check or fix stdin's text (writing the fixed source or its diff to stdout): the diagnostics, their
    tally, the text their positions are in, an error, and whether the fix changed the text."""
    from ..engine.tally import Tally
    from ..run.project_files import shared_project_files
    from ..run.runner import CHECK, DIFF, unified_diff

    name = args.stdin_filename or "-"
    body = text[1:] if text.startswith("\ufeff") else text
    bom = text[:len(text) - len(body)]
    tally = Tally()
    files = shared_project_files()  # stdin named as a file of a project may import its constants
    if job_mode == CHECK:
        diagnostics = steps.lint_source(body, name, settings, files=files)
        tally.add_file(name, diagnostics)
        return diagnostics, tally, body, None, False
    outcome = steps.apply_fixes(body, name, settings, unsafe_fixes=args.unsafe_fixes, files=files)
    changed = outcome.source != body
    tally.add_file(name, outcome.remaining, outcome.found, outcome.fixed)
    if job_mode == DIFF:
        sys.stdout.write(steps.name_diff(unified_diff(body, outcome.source, name), body) if changed else "")
    else:
        sys.stdout.buffer.write((bom + outcome.source).encode(encoding) if changed else data)
        sys.stdout.flush()
    # What is left is found in the fixed text: its snippets come from there.
    return outcome.remaining, tally, outcome.source, outcome.error, changed


def _print_stdin_report(args: argparse.Namespace, job_mode: str, report: TextIO, diagnostics: list[Diagnostic],
                        tally: Tally, sources: SourceLines) -> None:
    from ..run.runner import CHECK
    from .output import FORMATS, HUMAN_FORMATS, OutputOptions, statistics, summary, use_color

    options = OutputOptions(unsafe_fixes=args.unsafe_fixes, color=use_color(report, args.color),
                            sources=sources, tally=tally)
    out = statistics(tally, options, args.output_format) if args.statistics else \
        FORMATS[args.output_format](diagnostics, options)
    if out:
        print(out, file=report)
    if args.output_format in HUMAN_FORMATS and not args.quiet and job_mode == CHECK:
        print(summary(tally, args.unsafe_fixes), file=report)


def recordable(args: argparse.Namespace, mode: str) -> bool:
    """A check that writes nothing but its report to stdout: the warm path may replay it."""
    return (mode == "check" and not args.fix and not args.add_noqa and not args.diff and not args.output_file
            and not args.stdin_filename and "-" not in args.paths and not args.no_cache)


def note_run(recorder: Recorder, args: argparse.Namespace, folders: list[str], files: list[str], cache: Cache) -> None:
    """What the warm path's index depends on; a file without a cached result leaves the run unrecorded."""
    dependencies = cache.dependencies(files)
    if dependencies is not None:
        recorder.folders = folders
        recorder.note_run(args.paths, files, dependencies, args.config, cache.file)


def write_diffs(results: Sequence[FileResult]) -> None:
    sys.stdout.flush()
    for r in sorted(results, key=lambda r: r.path):
        if r.diff_data:  # bytes in the file's own encoding, so that `git apply` and `patch` accept it
            sys.stdout.buffer.write(r.diff_data)
    sys.stdout.buffer.flush()


def report_results(args: argparse.Namespace, mode: str, job_mode: str, diagnostics: Sequence[Diagnostic], tally: Tally,
            results: Sequence[FileResult], any_files: bool, any_missing: bool) -> None:
    """The findings in the chosen format, then (for a person) --show-fixes and the summary, all counted
    from ``tally``."""
    from ..run.runner import CHECK, DIFF
    from .output import FORMATS, HUMAN_FORMATS, OutputOptions, statistics, use_color

    report = open_report(args.output_file) if args.output_file else sys.stdout
    try:
        options = OutputOptions(unsafe_fixes=args.unsafe_fixes, color=use_color(report, args.color), tally=tally)
        human = args.output_format in HUMAN_FORMATS
        if args.statistics:
            out = statistics(tally, options, args.output_format)
        else:
            out = FORMATS[args.output_format](diagnostics, options)
        if out and (job_mode != DIFF or not human or args.output_file):
            print(out, file=report)
        stream = sys.stderr if job_mode == DIFF or not human else report
        if args.show_fixes and job_mode != CHECK:
            show_fixes(tally, job_mode == DIFF, stream)
        if human and not args.quiet and any_files:
            line = _summary_line(mode, job_mode, tally, results, args.unsafe_fixes, any_missing)
            if line is not None:
                print(line, file=stream)
    finally:
        if report is not sys.stdout:
            report.close()


def _summary_line(mode: str, job_mode: str, tally: Tally, results: Sequence[FileResult], unsafe_fixes: bool,
                  any_missing: bool) -> str | None:
    from ..run.runner import CHECK, DIFF
    from .output import fix_summary, summary

    if job_mode == CHECK:
        return summary(tally, unsafe_fixes) if tally.total("remaining") or not any_missing else None
    if mode == "check":
        return fix_summary(tally, job_mode == DIFF)
    fixed = tally.total("fixed")
    changed = sum(1 for r in results if r.changed)
    verb = "would be applied" if job_mode == DIFF else "applied"
    unchecked = sum(1 for r in results if r.unchecked)
    left = tally.left_to_choose
    # Of those left, the ones an unsafe fix would take are said: the others have no automatic fix at all.
    unsafe = 0 if unsafe_fixes else tally.total("unsafe")
    return "\n".join([
        f"{fixed} fix{'es' if fixed != 1 else ''} {verb} in {changed} file{'s' if changed != 1 else ''}, "
        f"{left} finding{'s' if left != 1 else ''} left"
        + (f" ({unsafe} fixable with `--unsafe-fixes`)" if unsafe else "")
        + (f", {unchecked} file{'s' if unchecked != 1 else ''} could not be checked" if unchecked else "") + ".",
        *tally.group_lines()])
