"""The parts of ``check`` and ``fix`` beyond the plain run: stdin, --add-noqa, --show-fixes, the cache's place,
and the combinations of options that cannot make sense (usage errors rather than output nobody can parse)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..core.types import PARSE_ERROR, Diagnostic

if TYPE_CHECKING:
    from ..run.cache import Cache
    from ..run.resolve import SettingsResolver
    from ..run.runner import FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MACHINE_FORMATS = ("json", "json-lines", "github", "sarif")


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


def show_fixes(results: Sequence[FileResult], dry_run: bool, stream: TextIO) -> None:
    """ruff's --show-fixes: the fixes applied, per file and code."""
    from .docs import docs_by_code

    names = {code: doc.name for code, doc in docs_by_code().items()}
    fixed = [r for r in sorted(results, key=lambda r: r.path) if r.changed and r.fixed]
    if not fixed:
        print("No errors would be fixed." if dry_run else "No errors fixed.", file=stream)
        return
    total = sum(sum(r.fixed.values()) for r in fixed)
    print(f"{'Would fix' if dry_run else 'Fixed'} {total} error{'s' if total != 1 else ''}:", file=stream)
    for r in fixed:
        print(f"- {r.path}:", file=stream)
        for code, n in sorted(r.fixed.items()):
            print(f"    {n} \u00d7 {code} ({names.get(code, '')})", file=stream)


def add_noqa_to_files(diagnostics: Sequence[Diagnostic]) -> int:
    """Write a noqa comment on each reported line (SOR000 excepted: its file does not parse)."""
    from ..engine.noqa import add_noqa
    from ..run.notebooks import NotebookError, add_noqa_to_notebook, decode_notebook, is_notebook
    from ..run.runner import Undecodable, decode, write_atomically

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
    from ..run.runner import CHECK, DIFF, Undecodable, steps_for, unified_diff
    from .output import FORMATS, HUMAN_FORMATS, OutputOptions, SourceLines, statistics, summary, use_color

    name = args.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    settings = resolver.for_path(args.stdin_filename) if args.stdin_filename else resolver.for_folder(resolver.cwd)
    if args.stdin_filename and args.force_exclude and excluded(args.stdin_filename, settings):
        if job_mode not in (CHECK, DIFF):
            sys.stdout.buffer.write(data)
        return EXIT_CLEAN
    steps = steps_for(name)  # --stdin-filename x.ipynb: a notebook's JSON, checked and fixed by its cells
    lint_source, apply_fixes = steps.lint_source, steps.apply_fixes
    try:
        text, encoding = steps.decode(data)
    except (Undecodable, ValueError) as exc:  # ValueError: a notebook that is not UTF-8
        print(f"sora-lint: error: {name}: cannot be decoded: {exc}", file=sys.stderr)
        if job_mode not in (CHECK, DIFF):
            sys.stdout.buffer.write(data)  # a formatter chain must get its input back
        return EXIT_ERROR
    body = text[1:] if text.startswith("\ufeff") else text
    bom = text[:len(text) - len(body)]
    error = None
    changed = False
    reported = body  # the text the diagnostics' positions are in
    if job_mode == CHECK:
        diagnostics = lint_source(body, name, settings)
    else:
        outcome = apply_fixes(body, name, settings, unsafe_fixes=args.unsafe_fixes)
        diagnostics, error, changed = outcome.remaining, outcome.error, outcome.source != body
        reported = outcome.source  # what is left is found in the fixed text: its snippets come from there
        if job_mode == DIFF:
            sys.stdout.write(steps.name_diff(unified_diff(body, outcome.source, name), body) if changed else "")
        else:
            sys.stdout.buffer.write((bom + outcome.source).encode(encoding) if changed else data)
            sys.stdout.flush()
    if error:
        print(f"sora-lint: error: {name}: {error}", file=sys.stderr)
    try:
        report = sys.stdout if job_mode == CHECK and not args.output_file else (
            open_report(args.output_file) if args.output_file else sys.stderr)
    except OSError as exc:
        print(f"sora-lint: error: {args.output_file}: cannot be written: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        options = OutputOptions(unsafe_fixes=args.unsafe_fixes, color=use_color(report, args.color),
                                sources=SourceLines({name: reported}))
        out = statistics(diagnostics, options, args.output_format) if args.statistics else \
            FORMATS[args.output_format](diagnostics, options)
        if out:
            print(out, file=report)
        if args.output_format in HUMAN_FORMATS and not args.quiet and job_mode == CHECK:
            print(summary(diagnostics, args.unsafe_fixes), file=report)
    finally:
        if report not in (sys.stdout, sys.stderr):
            report.close()
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if (diagnostics or error or (job_mode == DIFF and changed)) else EXIT_CLEAN
