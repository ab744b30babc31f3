"""Where `sora-lint check` spends its CPU time on a tree, stage by stage, in one process.

    python bench/stages.py TREE [--files N] [--rounds R]

It runs the engine's own ``lint`` on every file (as a ``--jobs 1`` run does, without start-up,
discovery and the cache) with a CPU timer around each stage's entry point, and prints a table:

- parse: LibCST's ``parse_module`` (``engine.parse.parse_on_big_stack``);
- guard: the rest of ``engine.parse.parse_checked`` (the nesting guard: see engine/parse.py);
- analysis: ``analysis.find.find`` (the walk, scopes, values, clients);
- rules: every rule's ``check``;
- positions: ``engine.positions.locate`` (spans of the reported nodes);
- messages: the rest of ``engine.lint.lint``: the profile's choice, the edits of the fixes, the
  diagnostics, noqa, sorting and the prefilter;
- output: the text report of every diagnostic (``frontends.output.as_text``) and the summary line.

Beside it, in the same process: a bare ``libcst.parse_module`` of every file (the floor a
LibCST-based linter cannot go under) and CPython's ``ast.parse`` (what a full guard parse costs).
Every share is of that bare parse, so a change names the stage it moved. CPU time
(``time.process_time``) barely moves when other work shares the machine, where wall time does;
the load average is printed with the table.
"""
from __future__ import annotations

import argparse
import ast
import importlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import libcst

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

STAGES = ("parse", "guard", "analysis", "rules", "positions", "messages", "output")


class Timers:
    """CPU seconds per stage; a stage's timer runs inside its parent's, which is charged the rest."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        seconds, calls = self.seconds, self.calls
        clock = time.process_time

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += clock() - start
                calls[name] += 1

        return timed


def _consumed(function: Callable[..., Any]) -> Callable[..., list[Any]]:
    return lambda *args, **kwargs: list(function(*args, **kwargs))


@contextmanager
def instrumented(timers: Timers) -> Iterator[None]:
    """Timers around each stage's entry point, put back afterwards (module attributes, looked up at call time)."""
    from sora_lint.rules import ALL_RULES

    # The modules themselves (a package may export a function under the module's name).
    find_module, positions, lint_module, parse = (importlib.import_module(f"sora_lint.{name}") for name in (
        "analysis.find", "engine.positions", "engine.lint", "engine.parse"))

    patches: list[tuple[Any, str, Any]] = [
        (parse, "parse_on_big_stack", timers.wrap("parse", parse.parse_on_big_stack)),
        (lint_module, "parse_checked", timers.wrap("parse_checked", lint_module.parse_checked)),
        (find_module, "find", timers.wrap("analysis", find_module.find)),
        (positions, "locate", timers.wrap("positions", positions.locate)),
    ]
    # A rule's check may be a generator: its work is done while it is consumed, so it is consumed here.
    patches += [(rule, "check", timers.wrap("rules", _consumed(rule.check))) for rule in ALL_RULES]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


def profile(pairs: list[tuple[str, str]]) -> tuple[dict[str, float], int]:
    """CPU seconds per stage of one check of every (text, path), and the number of diagnostics."""
    from sora_lint.contracts.settings import Settings
    from sora_lint.core.collector import COLLECTOR_PAUSED
    from sora_lint.engine.lint import lint
    from sora_lint.engine.tally import Tally
    from sora_lint.frontends.output import OutputOptions, as_text, summary
    from sora_lint.run.project_files import ProjectFiles

    settings = Settings()
    files = ProjectFiles()  # the other modules of each file's project, read as a run's process reads them
    timers = Timers()
    diagnostics = []
    with instrumented(timers):
        start = time.process_time()
        for text, path in pairs:
            with COLLECTOR_PAUSED:  # as the runner does around each file (sora_lint/core/collector.py)
                diagnostics.extend(lint(text, path, settings, files=files).diagnostics)
        total = time.process_time() - start
    start = time.process_time()
    tally = Tally()
    tally.add_file("", diagnostics)  # the summary counts from the run's one tally, as the CLI's does
    as_text(sorted(diagnostics, key=lambda d: d.sort_key), OutputOptions(tally=tally))
    summary(tally, False)
    output = time.process_time() - start
    s = timers.seconds
    stages = {
        "parse": s["parse"],
        "guard": s["parse_checked"] - s["parse"],
        "analysis": s["analysis"],
        "rules": s["rules"],
        "positions": s["positions"],
        "messages": total - s["parse_checked"] - s["analysis"] - s["rules"] - s["positions"],
        "output": output,
    }
    return stages, len(diagnostics)


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("roots", nargs="+")
    p.add_argument("--files", type=int, default=0, help="only the first N files (sorted); 0: all")
    p.add_argument("--rounds", type=int, default=1, help="rounds; each stage's least CPU time is shown")
    args = p.parse_args(argv)
    from sora_lint.core.collector import COLLECTOR_PAUSED
    paths = sorted(os.path.join(folder, name) for root in args.roots for folder, _dirs, names in os.walk(root)
                   for name in names if name.endswith(".py"))
    if args.files:
        paths = paths[:args.files]
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    pairs = list(zip(texts, paths))

    # Each pass keeps nothing alive between files, as a run does: a list of parsed modules would
    # make every garbage collection walk millions of nodes and inflate whatever is measured next.
    # The bare parse runs with the collector paused per file, as the check does: in this process, which holds
    # sora-lint's modules and every text, the collector's full collections during a parse cost it 5-10%
    # more than bench/parse_floor.py's bare process pays, and would flatter every share below.
    def bare_parse() -> None:
        for text in texts:
            with COLLECTOR_PAUSED:
                libcst.parse_module(text)

    def cpython_parse() -> None:
        for text in texts:
            ast.parse(text)

    best: dict[str, float] = {}
    floors: dict[str, float] = {}
    found = 0
    for _ in range(args.rounds):
        floors["bare"] = min(floors.get("bare", float("inf")), _cpu(bare_parse))
        floors["cpython"] = min(floors.get("cpython", float("inf")), _cpu(cpython_parse))
        stages, found = profile(pairs)
        for name, seconds in stages.items():
            best[name] = min(best.get(name, float("inf")), seconds)
    bare = floors["bare"]
    total = sum(best.values())
    print(f"{len(paths)} files, {found} diagnostics; CPU seconds, least of {args.rounds} round(s); "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("| stage | CPU s | / bare parse |")
    print("|---|---:|---:|")
    for name in STAGES:
        print(f"| {name} | {best[name]:.3f} | {best[name] / bare:.3f} |")
    print(f"| **check in all** | {total:.3f} | {total / bare:.3f} |")
    print(f"| bare `libcst.parse_module` | {bare:.3f} | 1.000 |")
    print(f"| CPython `ast.parse` (a full guard parse) | {floors['cpython']:.3f} | {floors['cpython'] / bare:.3f} |")


if __name__ == "__main__":
    main()
