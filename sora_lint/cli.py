"""The ``sora-lint`` command. Exit status: 0 clean, 1 findings, 2 usage or configuration error."""
from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn, Optional, Sequence

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"sora-lint: error: {message}\n")


def _common(p: argparse.ArgumentParser) -> None:
    from .output import FORMATS

    p.add_argument("paths", nargs="*", default=["."], help="files or folders (default: the current folder)")
    p.add_argument("--profile", help="contract to check against: auto (default), apiyi, openai, or a profile from the configuration")
    p.add_argument("--fallback-profile", help="profile for files whose client has a base_url that is not a literal or not a known host")
    p.add_argument("--select", action="append", default=[], metavar="CODES", help="only these codes or prefixes (comma-separated)")
    p.add_argument("--ignore", action="append", default=[], metavar="CODES", help="skip these codes or prefixes (comma-separated)")
    p.add_argument("--config", metavar="PYPROJECT", help="read [tool.sora-lint] from this file instead of the nearest pyproject.toml")
    p.add_argument("--force-exclude", action="store_true", help="apply the excludes to paths named on the command line too (for pre-commit)")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--output-format", choices=list(FORMATS), default="text",
                   help="text (default), concise, json, json-lines, github (Actions annotations) or sarif")
    p.add_argument("--statistics", action="store_true", help="print the number of findings per code instead of the findings")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--unsafe-fixes", action="store_true", help="also apply (fix) or show (check) fixes that change the model")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sora-lint", description="Find and fix invalid OpenAI Sora video parameters.")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    _common(sub.add_parser("check", help="report invalid Sora parameters"))
    fix = sub.add_parser("fix", help="rewrite invalid Sora parameters in place")
    _common(fix)
    fix.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")
    show = sub.add_parser("show-settings", help="print the resolved configuration and where it came from")
    show.add_argument("--config", metavar="PYPROJECT")
    show.add_argument("--profile")
    profiles = sub.add_parser("profiles", help="print every profile's models, durations, sizes and hosts, shipped and configured")
    profiles.add_argument("--config", metavar="PYPROJECT")
    rule = sub.add_parser("rule", help="explain a rule")
    rule.add_argument("code", nargs="?")
    rule.add_argument("--all", action="store_true", help="list every rule")
    server = sub.add_parser("server", help="run the language server on stdin/stdout (needs sora-lint[lsp])")
    server.add_argument("--stdio", action="store_true", help="accepted for editors that pass it: stdio is the only transport")
    return parser


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for: importlib.metadata costs start-up time."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        parser.exit(message=f"sora-lint {_version()}\n")


def _version() -> str:
    from .docs import tool_version

    return tool_version()


def _settings(args: argparse.Namespace):
    from .config import ConfigError, check_code, load_settings
    from .settings import parse_codes

    settings = load_settings(args.config)
    select = parse_codes(getattr(args, "select", []))
    ignore = parse_codes(getattr(args, "ignore", []))
    for code in select + ignore:
        check_code(code, "command line")
    for name in (args.profile, getattr(args, "fallback_profile", None)):
        if name is not None and name != "auto" and name not in settings.profiles:
            raise ConfigError(f"command line: unknown profile {name!r} (known: {', '.join(sorted(['auto', *settings.profiles]))})")
    if getattr(args, "fallback_profile", None) == "auto":
        raise ConfigError("command line: --fallback-profile cannot be auto")
    return settings.with_overrides(
        profile=args.profile,
        profile_origin="set by --profile" if args.profile else None,
        fallback_profile=getattr(args, "fallback_profile", None),
        select=select or None,
        ignore=ignore or None,
    )


def _progress(stream):
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


def _lint(args: argparse.Namespace, mode: str) -> int:
    from .files import discover
    from .output import FORMATS, HUMAN_FORMATS, OutputOptions, statistics, summary, use_color
    from .runner import CHECK, DIFF, FIX, Job, run

    settings = _settings(args)
    files, missing = discover(args.paths, settings, force_exclude=args.force_exclude)
    for line in missing:
        print(f"sora-lint: error: {line}", file=sys.stderr)
    job_mode = {"check": CHECK, "fix": DIFF if getattr(args, "diff", False) else FIX}[mode]
    results = run(files, Job(job_mode, settings, args.unsafe_fixes), jobs=args.jobs, progress=_progress(sys.stderr))
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
    errors = [r.error for r in results if r.error]
    for line in errors:
        print(f"sora-lint: error: {line}", file=sys.stderr)
    if job_mode == DIFF:
        sys.stdout.flush()
        for r in sorted(results, key=lambda r: r.path):
            if r.diff_data:  # bytes in the file's own encoding, so that `git apply` and `patch` accept it
                sys.stdout.buffer.write(r.diff_data)
        sys.stdout.buffer.flush()
    options = OutputOptions(unsafe_fixes=args.unsafe_fixes, color=use_color(sys.stdout))
    human = args.output_format in HUMAN_FORMATS
    if args.statistics:
        out = statistics(diagnostics, options, args.output_format)
    else:
        out = FORMATS[args.output_format](diagnostics, options)
    if out and (job_mode != DIFF or not human):
        print(out)
    if human:
        stream = sys.stderr if job_mode == DIFF else sys.stdout
        if job_mode == CHECK:
            print(summary(diagnostics, args.unsafe_fixes), file=stream)
        else:
            changed = [r for r in results if r.changed]
            fixes = sum(r.applied for r in changed)
            verb = "would be applied" if job_mode == DIFF else "applied"
            unchecked = sum(1 for r in results if r.unchecked)
            left = sum(1 for d in diagnostics if d.code != "SOR000")
            print(f"{fixes} fix{'es' if fixes != 1 else ''} {verb} in {len(changed)} file{'s' if len(changed) != 1 else ''}, "
                  f"{left} left that need a choice"
                  + (f", {unchecked} file{'s' if unchecked != 1 else ''} could not be checked" if unchecked else "")
                  + ".", file=stream)
    if missing:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    would_change = job_mode == DIFF and any(r.changed for r in results)
    return EXIT_FINDINGS if (diagnostics or errors or would_change) else EXIT_CLEAN


def _show_settings(args: argparse.Namespace) -> int:
    from .config import settings_lines

    args.select, args.ignore = [], []
    for line in settings_lines(_settings(args)):
        print(line)
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
    from .config import load_settings
    from .docs import profile_tables

    settings = load_settings(args.config)
    print(profile_tables(settings.profiles, settings.user_profiles, settings.source))
    return EXIT_CLEAN


def main(argv: Optional[Sequence[str]] = None) -> int:
    from .config import ConfigError

    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        if args.command in ("check", "fix"):
            return _lint(args, args.command)
        if args.command == "show-settings":
            return _show_settings(args)
        if args.command == "profiles":
            return _profiles(args)
        if args.command == "rule":
            return _rule(args)
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


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
