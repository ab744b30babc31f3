"""The ``sora-lint`` command. Exit status: 0 clean, 1 findings, 2 usage or configuration error."""
from __future__ import annotations

import os
import sys

# argparse, typing and collections.abc are imported only past the warm path (run/warm.py), which a
# repeat run on an unchanged tree ends in: each costs it a few ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Callable, NoReturn, TextIO

    from ..run.resolve import SettingsResolver
    from ..run.warm import Recorder

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(EXIT_ERROR, f"sora-lint: error: {message}\n")

    return Parser


def _common(p: argparse.ArgumentParser) -> None:
    from .lint_report import FORMAT_NAMES

    p.add_argument("paths", nargs="*", default=[], help="files or folders (default: the current folder); - reads stdin")
    p.add_argument("--profile", help="contract to check against: auto (default), apiyi, openai, "
                                     "or a profile from the configuration")
    p.add_argument("--fallback-profile", help="profile for files whose client has a base_url that is not a literal or "
                                              "not a known host")
    p.add_argument("--select", action="append", default=[], metavar="CODES",
                   help="only these codes or prefixes (comma-separated); wins over the configuration's ignore")
    p.add_argument("--extend-select", action="append", default=[], metavar="CODES", help="these codes too "
                                                                                         "(comma-separated)")
    p.add_argument("--ignore", action="append", default=[], metavar="CODES", help="skip these codes or prefixes "
                                                                                  "(comma-separated)")
    p.add_argument("--config", metavar="FILE",
                   help="read this configuration file for every file, instead of each file's nearest one")
    p.add_argument("--force-exclude", action="store_true", help="apply the excludes to paths named on the command line "
                                                                "too (for pre-commit)")
    p.add_argument("--stdin-filename", metavar="PATH", help="the path of the code read from stdin: its settings and "
                                                            "the name in messages")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--output-format", choices=list(FORMAT_NAMES), default="text",
                   help="text (default), concise, json, json-lines, github (Actions annotations) or sarif")
    p.add_argument("--output-file", "-o", metavar="PATH", help="write the report to this file instead of stdout")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text output: auto (default: on a terminal, unless NO_COLOR; FORCE_COLOR forces it)")
    p.add_argument("--quiet", "-q", action="store_true", help="print the findings only, without the summary")
    p.add_argument("--statistics", action="store_true", help="print the number of findings per code instead of the "
                                                             "findings")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--unsafe-fixes", action="store_true", help="also apply (fix) or show (check) fixes that change the "
                                                               "model")
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and write nothing")
    p.add_argument("--show-fixes", action="store_true", help="list the fixes applied, per file and code")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--cache-dir", metavar="PATH", help="the cache folder (default: .sora_lint_cache at the project "
                                                       "root)")


def build_parser() -> argparse.ArgumentParser:
    parser_class = _parser_class()
    parser = parser_class(prog="sora-lint", description="Find and fix invalid OpenAI Sora video parameters.")
    parser.add_argument("--version", action=_version_action(), nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=parser_class)
    check = sub.add_parser("check", help="report invalid Sora parameters")
    _common(check)
    check.add_argument("--fix", action="store_true", help="apply the safe fixes (as `sora-lint fix`)")
    check.add_argument("--add-noqa", action="store_true", help="add a `# noqa: CODE` comment to each reported line")
    _common(sub.add_parser("fix", help="rewrite invalid Sora parameters in place"))
    show = sub.add_parser("show-settings", help="print the settings of a file or folder and where each value came from")
    show.add_argument("path", nargs="?", default=".", help="a file or folder (default: the current folder)")
    show.add_argument("--config", metavar="FILE")
    show.add_argument("--profile")
    show.add_argument("--fallback-profile")
    for flag in ("--select", "--extend-select", "--ignore"):
        show.add_argument(flag, action="append", default=[], metavar="CODES")
    clean = sub.add_parser("clean", help="remove the cache (.sora_lint_cache) of the current project")
    clean.add_argument("--cache-dir", metavar="PATH")
    clean.add_argument("--config", metavar="FILE")
    profiles = sub.add_parser("profiles", help="print every profile's models, durations, sizes and hosts, "
                                               "shipped and configured")
    profiles.add_argument("--config", metavar="PYPROJECT")
    rule = sub.add_parser("rule", help="explain a rule")
    rule.add_argument("code", nargs="?")
    rule.add_argument("--all", action="store_true", help="list every rule")
    doctor = sub.add_parser("doctor", help="compare the shipped catalog with the installed openai SDK; print the "
                                           "lifecycle dates")
    doctor.add_argument("--config", metavar="PYPROJECT")
    server = sub.add_parser("server", help="run the language server on stdin/stdout (needs pygls: pip install '.[lsp]' "
                                           "in a clone)")
    server.add_argument("--stdio", action="store_true", help="accepted for editors that pass it: stdio is the only "
                                                             "transport")
    return parser


def _version_action() -> type[argparse.Action]:
    import argparse

    class VersionAction(argparse.Action):
        """--version, looked up only when asked for: importlib.metadata costs start-up time."""

        def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
            sys.stdout.write(f"sora-lint {_version()}\n")
            parser.exit()

    return VersionAction


def _version() -> str:
    from .docs import tool_version

    return tool_version()


def _resolver(args: argparse.Namespace) -> SettingsResolver:
    """Each file's settings: its nearest configuration (or --config), then the command line's overrides."""
    from ..contracts.settings import parse_codes
    from ..run.resolve import Overrides, SettingsResolver

    overrides = Overrides(
        profile=getattr(args, "profile", None),
        fallback_profile=getattr(args, "fallback_profile", None),
        select=parse_codes(getattr(args, "select", [])),
        extend_select=parse_codes(getattr(args, "extend_select", [])),
        ignore=parse_codes(getattr(args, "ignore", [])),
        cache_dir=os.path.abspath(args.cache_dir) if getattr(args, "cache_dir", None) else None,
    )
    return SettingsResolver(getattr(args, "config", None), overrides)


def _progress(stream: TextIO) -> Callable[[int, int], None] | None:
    if not stream.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        if total < 50:
            return
        width = 30
        filled = width * done // total
        stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} files")
        if done == total:
            stream.write("\r" + " " * (width + 30) + "\r")
        stream.flush()

    return show


def _lint(args: argparse.Namespace, mode: str, recorder: Recorder | None = None) -> int:
    from ..run.modes import CHECK, DIFF, FIX

    args.paths = args.paths or (["-"] if args.stdin_filename else ["."])
    problem = _unusable_options(args)
    if problem:
        print(f"sora-lint: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    resolver = _resolver(args)
    fixing = mode == "fix" or getattr(args, "fix", False)
    job_mode = DIFF if args.diff else FIX if fixing else CHECK
    if args.paths == ["-"]:
        from .lint_report import lint_stdin

        return lint_stdin(args, job_mode, resolver)
    return _lint_files(args, mode, job_mode, resolver, recorder)


def _unusable_options(args: argparse.Namespace) -> str | None:
    """Why the run cannot start: options that do not go together, or a report file that cannot be written
    (checked before any fix is written, so a report that cannot be written stops the run first)."""
    from .lint_report import usage_problem

    problem = usage_problem(args)
    if problem or not args.output_file:
        return problem
    try:
        open(args.output_file, "a", encoding="utf-8").close()
    except OSError as exc:
        return f"{args.output_file}: cannot be written: {exc.strerror or exc}"
    return None


def _lint_files(args: argparse.Namespace, mode: str, job_mode: str, resolver: SettingsResolver,
                recorder: Recorder | None) -> int:
    from ..contracts.settings import Settings
    from ..run.modes import CHECK, DIFF
    from ..run.screen import Ahead
    from .lint_report import add_noqa_to_files, cache_for, note_run, report_results, write_diffs

    folders: list[str] | None = [] if recorder is not None else None
    # A check without a cache reads every file: a second process starts reading them while the walk goes on.
    with Ahead(args.jobs or os.cpu_count() or 1, enabled=args.no_cache and job_mode == CHECK) as ahead:
        files, missing = _files_to_lint(args, job_mode, resolver, folders, ahead.add)
        # The runner and the report's modules (~25 ms: output, the engine's tally and what the engine's
        # package imports), imported while that process still reads: it then takes more of the files, and the wall time
        # pays about half of these imports.
        from ..engine.tally import Tally
        from ..run.runner import Job, run
        from . import output  # noqa: F401

        cache = cache_for(args, resolver)
        job = Job(job_mode, Settings(), args.unsafe_fixes, show_fixes=args.show_fixes)
        results = run(files, job, jobs=args.jobs, progress=_progress(sys.stderr), settings_for=resolver.for_path,
                      cache=cache, ahead=ahead)
    if cache is not None:
        cache.save()
        if recorder is not None and folders is not None:
            note_run(recorder, args, folders, files, cache)
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
    errors = [r.error for r in results if r.error]
    for line in errors:
        print(f"sora-lint: error: {line}", file=sys.stderr)
    if getattr(args, "add_noqa", False):
        return add_noqa_to_files(diagnostics)
    if job_mode == DIFF:
        write_diffs(results)
    tally = Tally()
    for r in results:
        tally.add_file(r.path, r.diagnostics, r.found, r.fixed)
    report_results(args, mode, job_mode, diagnostics, tally, results, bool(files), bool(missing))
    if missing:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    would_change = job_mode == DIFF and any(r.changed for r in results)
    return EXIT_FINDINGS if (diagnostics or errors or would_change) else EXIT_CLEAN


def _files_to_lint(args: argparse.Namespace, job_mode: str, resolver: SettingsResolver, folders: list[str] | None,
                   found_one: Callable[[str], None]) -> tuple[list[str], list[str]]:
    """The files the paths name (an error line for each path that is missing), and, before a fix, the
    temporary files killed runs left beside them removed (a line for each)."""
    from ..run.files import discover
    from ..run.modes import FIX

    files, missing = discover(args.paths, resolver.for_folder, force_exclude=args.force_exclude, folders=folders,
                              found_one=found_one)
    for line in missing:
        print(f"sora-lint: error: {line}", file=sys.stderr)
    if not files and not missing:
        print("sora-lint: warning: no Python files found under the given paths", file=sys.stderr)
    if job_mode == FIX:
        from ..run.writes import remove_stale_temporaries

        for line in remove_stale_temporaries(files):
            print(f"sora-lint: {line}", file=sys.stderr)
    return files, missing


def _show_settings(args: argparse.Namespace) -> int:
    from ..run.config import settings_lines

    resolver = _resolver(args)
    path = args.path
    if not os.path.exists(path):
        print(f"sora-lint: error: {path}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    settings = resolver.for_folder(path) if os.path.isdir(path) else resolver.for_path(path)
    for line in settings_lines(settings):
        print(line)
    return EXIT_CLEAN


def _clean(args: argparse.Namespace) -> int:
    from ..run.cache import clean
    from .lint_report import cache_folder

    folder = cache_folder(args, _resolver(args))
    try:
        removed = clean(folder)
    except OSError as exc:
        print(f"sora-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Removed {folder}" if removed else f"No cache at {folder}")
    return EXIT_CLEAN


def _rule(args: argparse.Namespace) -> int:
    from .docs import rule_doc, rule_index

    if args.all or not args.code:
        print(rule_index())
        return EXIT_CLEAN
    text = rule_doc(args.code.upper())
    if text is None:
        print(f"sora-lint: error: unknown rule code {args.code!r}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(text)
    return EXIT_CLEAN


def _profiles(args: argparse.Namespace) -> int:
    from ..run.config import load_settings
    from .docs import profile_tables

    settings = load_settings(args.config)
    print(profile_tables(settings.profiles, settings.user_profiles, settings.source))
    return EXIT_CLEAN


def _doctor(args: argparse.Namespace) -> int:
    from ..run.config import load_settings
    from .doctor import read_sdk, report

    settings = load_settings(args.config)
    servers = [p.server for p in settings.user_profiles.values() if p.server is not None]
    status, text = report(read_sdk(), servers)
    print(text)
    return status


def main(argv: Sequence[str] | None = None, recorder: Recorder | None = None) -> int:
    """Run the command; ``recorder`` (the warm path's) keeps what a check that writes nothing prints."""
    from ..contracts.settings import ConfigError  # not run.config's copy: that module imports the catalog
    from .lint_report import recordable

    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        if args.command in ("check", "fix"):
            if recorder is None or not recordable(args, mode=args.command):
                return _lint(args, args.command)
            return _recorded(args, recorder)
        if args.command == "show-settings":
            return _show_settings(args)
        if args.command == "clean":
            return _clean(args)
        if args.command == "profiles":
            return _profiles(args)
        if args.command == "rule":
            return _rule(args)
        if args.command == "doctor":
            return _doctor(args)
        if args.command == "server":
            from .lsp import main as serve

            return serve()
    except ConfigError as exc:
        print(f"sora-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    parser.print_help()
    return EXIT_ERROR


def _recorded(args: argparse.Namespace, recorder: Recorder) -> int:
    """:func:`_lint` with its output kept, and the warm path's index written after it."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = recorder.stdout, recorder.stderr  # type: ignore[assignment]
    try:
        status = _lint(args, "check", recorder)
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    recorder.save(status)
    return status


def entry() -> None:
    from ..run.warm import Recorder, replay

    try:
        argv = sys.argv[1:]
        warm = replay(argv)
        status = warm if warm is not None else main(argv, Recorder(argv, sys.stdout, sys.stderr))
        if not sys.stdout.closed:  # the language server closes it on exit
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): end quietly, as a shell tool killed by SIGPIPE would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 141
    sys.exit(status)


if __name__ == "__main__":
    entry()
