"""Where `sora-lint check` spends its CPU time on a tree, stage by stage, in one process.

``python bench/stages.py TREE``: LibCST's parse, CPython's parse (run first by the engine as a
guard), the analysis (``sora_lint.analysis.find``), and the rest of ``lint_source`` (rules,
positions, prefilter, noqa), each as the best of five runs and as a share of LibCST's parse.
It complements ``run.py``'s whole-process ratio: start-up and worker processes are left out, so
what the linter's own stages add to the parse is seen on its own.
"""
from __future__ import annotations

import ast
import os
import sys
import time
from pathlib import Path
from typing import Callable

import libcst

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from sora_lint.analysis.find import find  # noqa: E402 - after the path is set
from sora_lint.contracts.settings import Settings  # noqa: E402
from sora_lint.engine import lint_source  # noqa: E402


def _best(work: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main(roots: list[str]) -> None:
    paths = sorted(os.path.join(folder, name) for root in roots for folder, _dirs, names in os.walk(root)
                   for name in names if name.endswith(".py"))
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    settings = Settings()
    pairs = list(zip(texts, paths))

    # Each stage keeps nothing alive between files, as a run does: a list of parsed modules would
    # make every garbage collection walk millions of nodes and inflate whatever is measured next.
    def parse() -> None:
        for text in texts:
            libcst.parse_module(text)

    def parse_and_analyse() -> None:
        for text, path in pairs:
            find(libcst.parse_module(text), path)

    def cpython_parse() -> None:
        for text in texts:
            ast.parse(text)

    def check() -> None:
        for text, path in pairs:
            lint_source(text, path, settings)

    parsed = _best(parse)
    analysed = _best(parse_and_analyse)
    cpython = _best(cpython_parse)
    checked = _best(check)
    analysis = max(analysed - parsed, 0.0)
    rest = max(checked - analysed - cpython, 0.0)
    print(f"{len(paths)} files, CPU seconds (share of LibCST's parse):")
    for name, seconds in (("LibCST parse", parsed), ("CPython parse (guard)", cpython), ("analysis", analysis),
                          ("rules, positions and the rest", rest), ("lint_source in all", checked)):
        print(f"  {name:32s} {seconds:7.3f}  ({seconds / parsed:.2f})")


if __name__ == "__main__":
    main(sys.argv[1:])
