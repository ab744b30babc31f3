"""sora-lint's benchmark (issue 4): how much a run costs against a floor and against peers.

    python bench/run.py                      # the full benchmark: 2-3 minutes a round on 2 cores
    python bench/run.py --real-files 50 --dense-files 20 --repeat 1    # a smoke run

It builds two corpora (see corpus.py), then runs every command ``--repeat`` times,
alternating: each round runs each command once, in an order rotated from round to round,
so that a slow spell of the machine hits every command rather than one. Only ratios
taken within this run are meaningful; absolute times are printed next to them for
context, never alone. Results go to stdout as Markdown tables and to ``--json``.

The commands:

* floor: one Python process that walks a tree, reads every .py file and looks for ``videos``;
* ``sora-lint check`` on both trees, with ``--jobs 1`` and with all cores (``--jobs 0``);
* ``sora-lint fix --diff`` on the dense tree;
* flake8 with and without the sora-lint plugin on (an evenly spread subset of) the real
  tree: see flake8_runner.py for why "without" unregisters the plugin instead of leaving
  its code out of ``--select``;
* Fixit 2 with the one rule of fixit_rule.py on the dense tree: the peer.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the helpers next to this script, however it is started

import corpus  # noqa: E402
from measure import Measurement, run_measured  # noqa: E402

MEMORY_LIMIT_MB = 300.0


# --- what is run ---------------------------------------------------------------

def _count(pattern: str) -> Callable[[Measurement], int]:
    regex = re.compile(pattern, re.MULTILINE)
    return lambda m: len(regex.findall(m.stdout))


@dataclass
class Command:
    key: str
    label: str
    tree: str  # "real" or "dense": the memory target is judged per tree
    argv: list[str]
    ok_exit: tuple[int, ...]  # 1 is "findings" for every linter here; anything else is a failure
    findings: Callable[[Measurement], int]
    env: dict[str, str] | None = None
    is_sora_lint: bool = False
    warm_up: list[str] | None = None  # run once, unmeasured, before the rounds
    runs: list[Measurement] = field(default_factory=list)


def _script(name: str, module: str) -> list[str]:
    """The console script installed next to this interpreter, else ``python -m module``."""
    path = Path(sys.executable).parent / name
    return [str(path)] if path.exists() else [sys.executable, "-m", module]


def _flake8_targets(real: Path, out: Path, limit: int) -> tuple[list[str], int]:
    """Paths (relative to ``out``) flake8 is run on, and how many files: every k-th file of the real tree.

    flake8's own checks cost ~20x a sora-lint run on the real tree; a spread subset keeps
    the benchmark to minutes and changes nothing in the ratio, which is per file.
    """
    files = sorted(str(p.relative_to(out)) for p in real.rglob("*.py"))
    if limit <= 0 or len(files) <= limit:
        return [str(real.relative_to(out))], len(files)
    return [files[i * len(files) // limit] for i in range(limit)], limit


def command_env() -> dict[str, str]:
    """The environment every command runs in: this one, but free to write bytecode.

    Packages installed from wheels come with their .pyc files; an editable checkout of
    sora-lint gets them on its first import. With PYTHONDONTWRITEBYTECODE set (as on some
    CI machines), sora-lint alone would compile its modules from source on every run:
    ~11 ms measured here, 7% of the real tree's floor, a cost no installed user pays.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def build_commands(out: Path, flake8_targets: list[str], skipped: dict[str, str]) -> list[Command]:
    py = sys.executable
    env = command_env()
    sora = _script("sora-lint", "sora_lint")
    lint_lines = r"^\S+:\d+:\d+: SOR\d{3}"
    floor = [py, str(HERE / "floor.py")]
    # The floor's "findings" are the files it read: checked against the corpus at the end.
    # Running it once before the rounds also puts the tree in the page cache.
    cmds = [Command(f"floor-{tree}", "floor: read every file", tree, floor + [tree], (0,),
                    lambda m: int(m.stdout.split()[0]), env, warm_up=floor + [tree]) for tree in ("real", "dense")]
    # The LibCST floor: every dense file parsed by a bare libcst.parse_module in one process.
    cmds.append(Command("parse-dense", "LibCST parse_module, one process", "dense",
                        [py, str(HERE / "parse_floor.py"), "dense"], (0,), lambda m: int(m.stdout.split()[0]), env,
                        warm_up=[py, str(HERE / "parse_floor.py"), "dense/pkg000"]))
    # --no-cache: these measure the work itself, every run (a cold cache).
    for tree in ("real", "dense"):
        for jobs, what in (("1", "--jobs 1"), ("0", "all cores")):
            cmds.append(Command(f"check-{tree}-j{jobs}", f"sora-lint check ({what})", tree,
                                sora + ["check", "--no-cache", "--jobs", jobs, tree], (0, 1), _count(lint_lines), env,
                                is_sora_lint=True))
    # The cache warm: the warm-up run fills it, every measured run finds the tree unchanged.
    warm = sora + ["check", "--cache-dir", str(out / "cache"), "real"]
    cmds.append(Command("check-real-warm", "sora-lint check (warm cache)", "real", warm, (0, 1), _count(lint_lines),
                        env, is_sora_lint=True, warm_up=warm))
    # One small run loads (and compiles) every module a check or a fix needs.
    cmds.append(Command("fix-diff-dense", "sora-lint fix --diff (all cores)", "dense",
                        sora + ["fix", "--no-cache", "--diff", "--jobs", "0", "dense"], (0, 1), _count(r"^\+\+\+ b/"),
                        env, is_sora_lint=True, warm_up=sora + ["fix", "--diff", "--jobs", "1", "dense/pkg000"]))
    if "flake8" not in skipped:
        runner = [py, str(HERE / "flake8_runner.py")]
        for variant, select in (("without", "E,F,W"), ("with", "E,F,W,SOR")):
            cmds.append(Command(f"flake8-{variant}", f"flake8 {variant} plugin (--select {select})", "real",
                                runner + [variant, "--isolated", f"--select={select}"] + flake8_targets, (0, 1),
                                _count(r"^\S+:\d+:\d+: [A-Z]+\d+"), env, warm_up=runner + [variant, "--version"]))
    if "fixit" not in skipped:
        # Fixit imports the rule by name; its spawned workers inherit PYTHONPATH.
        fixit_env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])))
        fixit = _script("fixit", "fixit") + ["--rules", "fixit_rule:SoraSecondsRule", "lint"]
        cmds.append(Command("fixit-dense", "Fixit, one rule", "dense", fixit + ["dense"], (0, 1),
                            _count(r"^\S+@\d+:\d+ SoraSeconds:"), fixit_env, warm_up=fixit + ["dense/pkg000"]))
    return cmds


def available_peers(args: argparse.Namespace) -> dict[str, str]:
    """Peers to leave out, with the reason (asked for, or not installed)."""
    skipped: dict[str, str] = {}
    for name, flag in (("flake8", args.no_flake8), ("fixit", args.no_fixit)):
        if flag:
            skipped[name] = "skipped on request"
        elif importlib.util.find_spec(name) is None:
            skipped[name] = "not installed"
    return skipped


# --- running -------------------------------------------------------------------

def _loadavg() -> list[float] | None:
    try:
        return [float(x) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def warm_up(commands: Sequence[Command], out: Path) -> None:
    """Put both trees in the page cache and load each tool once, unmeasured.

    The rounds then compare steady states; which command happens to run first no
    longer decides who pays for cold caches.
    """
    for cmd in commands:
        if cmd.warm_up:
            run_measured(cmd.warm_up, str(out), cmd.env)


def run_rounds(commands: list[Command], out: Path, repeat: int, interval: float) -> list[list[float] | None]:
    loads = []
    for r in range(repeat):
        loads.append(_loadavg())
        order = commands[r % len(commands):] + commands[:r % len(commands)]
        for cmd in order:
            m = run_measured(cmd.argv, str(out), cmd.env, interval)
            if m.exit_code in cmd.ok_exit:
                m.findings = cmd.findings(m)
            # Outputs run to tens of MB (flake8 on the stdlib): keep the counts, not the text.
            m.stdout, m.stderr = "", m.stderr[-2000:]
            cmd.runs.append(m)
            print(f"  round {r + 1}/{repeat}  {cmd.key:<16} {m.seconds:8.2f} s  {m.peak_mb:5.0f} MB  "
                  f"exit {m.exit_code}", file=sys.stderr, flush=True)
    loads.append(_loadavg())
    return loads


# --- results -------------------------------------------------------------------

@dataclass
class Ratio:
    name: str
    numerator: str
    denominator: str
    target: tuple[str, float] | None = None  # ("<=", 1.5): the targets
    on: str = "wall"  # which time the target is judged on: "wall" or "cpu"


RATIOS = (
    Ratio("real: sora-lint check / floor", "check-real-j0", "floor-real", ("<=", 1.5)),
    Ratio("real: sora-lint check --jobs 1 / floor", "check-real-j1", "floor-real"),
    Ratio("real: sora-lint check, warm cache / floor", "check-real-warm", "floor-real", ("<=", 0.5)),
    Ratio("real: flake8 with plugin / without", "flake8-with", "flake8-without", ("<=", 1.05)),
    Ratio("dense: Fixit / sora-lint check", "fixit-dense", "check-dense-j0", (">=", 5.0)),
    Ratio("dense: Fixit / sora-lint check --jobs 1", "fixit-dense", "check-dense-j1"),
    Ratio("dense: sora-lint check / floor", "check-dense-j0", "floor-dense"),
    Ratio("dense: sora-lint check --jobs 1 / all cores", "check-dense-j1", "check-dense-j0"),
    Ratio("dense: sora-lint fix --diff / check", "fix-diff-dense", "check-dense-j0"),
    # Issue 10: what the analysis, the rules and the positions add to LibCST's own parse, in CPU time.
    Ratio("dense: sora-lint check / LibCST parse (CPU)", "check-dense-j0", "parse-dense", ("<=", 1.3), on="cpu"),
    Ratio("dense: sora-lint check --jobs 1 / LibCST parse (CPU)", "check-dense-j1", "parse-dense", on="cpu"),
)


def _passes(value: float, target: tuple[str, float]) -> bool:
    op, limit = target
    return value <= limit if op == "<=" else value >= limit


def summarize(commands: list[Command]) -> tuple[dict[str, dict], dict[str, dict]]:
    by_key = {c.key: c for c in commands}
    cmd_json: dict[str, dict] = {}
    for c in commands:
        times = [m.seconds for m in c.runs]
        cmd_json[c.key] = {
            "label": c.label, "tree": c.tree, "argv": c.argv,
            "median_seconds": statistics.median(times), "min_seconds": min(times), "max_seconds": max(times),
            "median_cpu_seconds": statistics.median([m.cpu_seconds for m in c.runs]),
            "median_other_cores": _median_known([m.other_cores for m in c.runs]),
            "peak_mb": max(m.peak_mb for m in c.runs),
            "findings": c.runs[0].findings,
            "exit_codes": sorted({m.exit_code for m in c.runs}),
            "runs": [m.as_json() for m in c.runs],
        }
    ratios: dict[str, dict] = {}
    for r in RATIOS:
        if r.numerator not in by_key or r.denominator not in by_key:
            ratios[r.name] = {"value": None, "skipped": True, "target": _target_text(r.target), "pass": None}
            continue
        num, den = by_key[r.numerator], by_key[r.denominator]
        value = cmd_json[r.numerator]["median_seconds"] / cmd_json[r.denominator]["median_seconds"]
        # Ratios within each round: their spread shows how much the machine moved under us.
        if r.on == "cpu":
            per_round = [a.cpu_seconds / b.cpu_seconds for a, b in zip(num.runs, den.runs)]
        else:
            per_round = [a.seconds / b.seconds for a, b in zip(num.runs, den.runs)]
        # CPU time (all processes of a command) barely moves when other work shares the
        # machine, where wall time does: a steadier second view, though blind to parallelism.
        cpu = cmd_json[r.numerator]["median_cpu_seconds"] / cmd_json[r.denominator]["median_cpu_seconds"]
        ratios[r.name] = {"value": value, "cpu_value": cpu, "per_round": per_round, "numerator": r.numerator,
                          "denominator": r.denominator, "target": _target_text(r.target),
                          "judged_on": r.on,
                          "pass": _passes(cpu if r.on == "cpu" else value, r.target) if r.target else None,
                          "rounds_passing": sum(_passes(x, r.target) for x in per_round) if r.target else None}
    for tree in ("real", "dense"):
        peak = max((cmd_json[c.key]["peak_mb"] for c in commands if c.is_sora_lint and c.tree == tree), default=None)
        ratios[f"{tree}: sora-lint peak memory (MB)"] = {
            "value": peak, "target": f"< {MEMORY_LIMIT_MB:.0f}",
            "pass": None if peak is None else peak < MEMORY_LIMIT_MB}
    return cmd_json, ratios


def _median_known(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _target_text(target: tuple[str, float] | None) -> str | None:
    return f"{target[0]} {target[1]:g}" if target else None


def sanity_checks(commands: list[Command], cmd_json: dict[str, dict],
                  corpora: dict[str, corpus.CorpusInfo]) -> list[str]:
    """Problems that would make a comparison dishonest (a tool that skipped the files, a crash)."""
    problems = []
    for c in commands:
        bad = [m for m in c.runs if m.exit_code not in c.ok_exit]
        if bad:
            problems.append(f"{c.key} exited {bad[0].exit_code}: {bad[0].stderr.strip()[-500:]}")
    for tree in ("real", "dense"):
        found = cmd_json.get(f"floor-{tree}", {}).get("findings")
        if found is not None and found != corpora[tree].files:
            problems.append(f"the floor read {found} files of the {tree} tree, which has {corpora[tree].files}")
    parsed = cmd_json.get("parse-dense", {}).get("findings")
    if parsed is not None and parsed != corpora["dense"].files:
        problems.append(f"LibCST parsed {parsed} files of the dense tree, which has {corpora['dense'].files}")
    expected = corpora["dense"].details["fixit_expected_findings"]
    if "fixit-dense" in cmd_json and cmd_json["fixit-dense"]["findings"] != expected:
        problems.append(f"Fixit reported {cmd_json['fixit-dense']['findings']} findings on the dense tree, "
                        f"the generator planted {expected}: the peer did not do the work it is compared on")
    if "flake8-with" in cmd_json and "flake8-without" in cmd_json:
        with_, without = (cmd_json[k]["findings"] for k in ("flake8-with", "flake8-without"))
        if with_ is not None and without is not None and with_ < without:
            problems.append(f"flake8 with the plugin reported fewer problems ({with_}) than without ({without})")
    return problems


def hidden_files(out: Path, corpora: dict[str, corpus.CorpusInfo]) -> list[str]:
    """Trees of which sora-lint would not look at every file (a .gitignore or an exclude above ``out``):
    its times would then be those of less work than the floor's, and every ratio would flatter it."""
    try:
        from sora_lint.run.files import discover
        from sora_lint.run.resolve import SettingsResolver
    except ImportError:  # run without the package importable: the counts are not checked
        return []
    problems = []
    for tree, info in corpora.items():
        found, _missing = discover([str(out / tree)], SettingsResolver(cwd=str(out)).for_folder)
        if len(found) != info.files:
            problems.append(f"sora-lint sees {len(found)} of the {info.files} files of the {tree} tree under {out} "
                            "(a .gitignore or an exclude above it?); choose another --out")
    return problems


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(cmd_json: dict[str, dict], ratios: dict[str, dict], meta: dict,
             corpora: dict[str, corpus.CorpusInfo]) -> str:
    """The tables printed at the end and written by --markdown."""
    real, dense = corpora["real"], corpora["dense"]
    lines = [
        f"Measured {meta['date']} on {meta['platform']} ({meta['cpus']} cores), Python {meta['python']}; "
        f"{meta['repeat']} rounds, medians.",
        "",
        f"- real tree: {real.files} files, {real.bytes / 1e6:.1f} MB from the standard library and site-packages "
        f"({real.details['files_with_videos']} contain `videos`)"
        + (f"; flake8 ran on {meta['flake8_files']} of them, evenly spread" if meta.get("flake8_files") else "")
        + (f"; sora-lint's cache of it: {meta['cache_bytes'] / 1e3:.0f} kB on disk" if meta.get("cache_bytes") else ""),
        f"- dense tree: {dense.files} generated files, {dense.details['lines']} lines, "
        f"{dense.details['sora_calls']} Sora calls (seed {dense.details['seed']})",
        "",
        "| command | tree | median s | min-max s | CPU s | peak MB | findings | others |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, c in cmd_json.items():
        lines.append(f"| `{key}` {c['label']} | {c['tree']} | {_fmt(c['median_seconds'])} | "
                     f"{_fmt(c['min_seconds'])}-{_fmt(c['max_seconds'])} | {_fmt(c['median_cpu_seconds'])} | "
                     f"{_fmt(c['peak_mb'], 0)} | {c['findings'] if c['findings'] is not None else 'failed'} | "
                     f"{_fmt(c['median_other_cores'])} |")
    lines += ["", "CPU s: user + system time of the command and all its workers. Peak MB: the larger of the "
                  "biggest single process's peak RSS and the sampled peak of the summed PSS of all its processes. "
                  "Findings: problems reported (floor: files read; fix --diff: files the diff changes). "
                  "Others: cores kept busy by other work on the machine during the run."]
    lines += ["", "| ratio (medians of this run) | wall | CPU | per round | target | result |",
              "|---|---:|---:|---|---|---|"]
    for name, r in ratios.items():
        per_round = r.get("per_round", [])
        result = {True: "PASS", False: "FAIL", None: "skipped" if r.get("skipped") else ""}[r["pass"]]
        if r["pass"] is not None and r.get("judged_on"):
            result += f" (on {'CPU' if r['judged_on'] == 'cpu' else 'wall'})"
        if r.get("rounds_passing") is not None and 0 < r["rounds_passing"] < len(per_round):
            result += f" (passes in {r['rounds_passing']} of {len(per_round)} rounds)"
        lines.append(f"| {name} | {_fmt(r['value'])} | {_fmt(r.get('cpu_value'))} | "
                     f"{', '.join(_fmt(x) for x in per_round) or '-'} | {r['target'] or ''} | {result} |")
    others = [m["other_cores"] for c in cmd_json.values() for m in c["runs"] if m["other_cores"] is not None]
    if others and max(others) > 0.25:
        lines += ["", f"Other work shared this machine: during the runs it kept {statistics.median(others):.2f} "
                      f"cores busy in the median run, up to {max(others):.2f} (column 'others' above). Wall times "
                      "and their ratios are noisy then; compare the per-round ratios and the CPU column, which "
                      "moves much less."]
    return "\n".join(lines) + "\n"


def results_page(table: str, meta: dict) -> str:
    """bench/RESULTS.md: the tables with when, where and how they were measured."""
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v)
    return (f"# sora-lint benchmark results\n\n"
            f"Written by `python bench/run.py {' '.join(meta['argv'])}` ({versions}).\n\n{table}")


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for dist in ("sora-lint", "libcst", "flake8", "pyflakes", "pycodestyle", "fixit"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = None
    return found


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    # Not inside this repository: its .gitignore lists bench/out/, and sora-lint honours the .gitignore
    # files above a folder up to its repository's root, so it would see none of the corpus's files.
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "sora-lint-bench",
                   help="folder for the corpora and results, outside any repository whose .gitignore would hide "
                        "them (default: sora-lint-bench in the temporary folder)")
    p.add_argument("--json", type=Path, help="where to write the results (default: OUT/results.json)")
    p.add_argument("--markdown", type=Path, help="also write the tables, with date and machine, to this file")
    p.add_argument("--real-files", type=int, default=5000, help="at most this many library files in the real tree")
    p.add_argument("--dense-files", type=int, default=1000, help="generated files in the dense tree")
    p.add_argument("--flake8-files", type=int, default=500,
                   help="flake8 runs on this many real-tree files, evenly spread (0: the whole tree)")
    p.add_argument("--seed", type=int, default=0, help="seed of the dense tree's generator")
    p.add_argument("--repeat", type=int, default=3, help="rounds; each runs every command once")
    p.add_argument("--sample-interval", type=float, default=0.05, help="seconds between memory samples")
    p.add_argument("--no-flake8", action="store_true", help="leave flake8 out")
    p.add_argument("--no-fixit", action="store_true", help="leave Fixit out")
    args = p.parse_args(argv)
    if args.repeat < 1 or args.real_files < 1 or args.dense_files < 1:
        p.error("--repeat, --real-files and --dense-files must be at least 1")
    args.json = args.json or args.out / "results.json"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"building corpora in {out} ...", file=sys.stderr, flush=True)
    corpora = corpus.build(out, args.real_files, args.dense_files, args.seed)
    hidden = hidden_files(out, corpora)
    if hidden:
        for problem in hidden:
            print(f"PROBLEM: {problem}")
        return 1
    skipped = available_peers(args)
    flake8_targets, flake8_files = _flake8_targets(out / "real", out, args.flake8_files)
    commands = build_commands(out, flake8_targets, skipped)
    warm_up(commands, out)
    loads = run_rounds(commands, out, args.repeat, args.sample_interval)
    cmd_json, ratios = summarize(commands)
    meta = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(), "machine": platform.machine(), "python": platform.python_version(),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "argv": sys.argv[1:] if argv is None else list(argv), "repeat": args.repeat,
        "versions": _versions(), "skipped": skipped, "load_average": loads,
        "flake8_files": None if "flake8" in skipped else flake8_files,
        "cache_bytes": sum(p.stat().st_size for p in (out / "cache").rglob("*") if p.is_file()),
    }
    problems = sanity_checks(commands, cmd_json, corpora)
    table = markdown(cmd_json, ratios, meta, corpora)
    print(table)
    for name, why in skipped.items():
        print(f"note: {name} {why}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    results = {"meta": meta, "corpus": {k: v.as_json() for k, v in corpora.items()},
               "commands": cmd_json, "ratios": ratios, "problems": problems}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(results_page(table, meta))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
