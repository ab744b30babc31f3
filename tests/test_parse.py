"""engine.parse: a source CPython accepts is parsed without LibCST re-validating every node (about a
sixth of a parse); the tree is the one a validating parse builds, and every node built afterwards, or
by a source CPython refuses, is validated as before."""
from __future__ import annotations

import ast
import threading
from collections.abc import Callable
from pathlib import Path

import libcst as cst
import pytest
from libcst._nodes.base import CSTNode

from sora_lint.engine import parse as parse_module
from sora_lint.engine.parse import Unparsable, parse_checked, parse_on_big_stack

# The UTF-8 fixtures (a Latin-1 one is about decoding, not parsing).
FIXTURES = [p for p in sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*.py"))
            if p.name != "latin1_declared.py"]
HOOK = CSTNode.__dict__["__post_init__"]  # a KeyError here: LibCST moved the hook, and nothing is skipped


def validates_again() -> bool:
    try:
        cst.Name("")
    except cst.CSTValidationError:
        return CSTNode.__dict__["__post_init__"] is HOOK
    return False


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_the_unvalidated_tree_is_the_validated_one(path):
    source = path.read_text(encoding="utf-8")
    fast, slow = parse_checked(source).module, cst.parse_module(source)
    assert fast.deep_equals(slow)
    assert fast.code == slow.code  # the source itself, but for LibCST's round-trip gaps (roundtrip_*.py)
    assert validates_again()


@pytest.mark.parametrize("source", ["x = 1\n", "type Alias = int\n", "def f[T](x: T) -> T:\n    return x\n"])
def test_only_a_source_cpython_accepts_skips_validation(monkeypatch, source):
    try:
        ast.parse(source)
        accepted = True
    except SyntaxError:  # newer syntax than this Python: LibCST alone parses it, validating
        accepted = False
    seen = []

    def spy(text, *, validate=True):
        seen.append(validate)
        return cst.parse_module(text)

    monkeypatch.setattr(parse_module, "parse_on_big_stack", spy)
    parse_checked(source)
    assert seen == [not accepted]


def test_validation_is_back_after_a_parse_that_fails():
    strings = " ".join(['"ab"'] * 50_000)  # valid Python, too many joined strings for LibCST: raises mid-parse
    with pytest.raises(cst.ParserSyntaxError):
        parse_on_big_stack(f"x = ({strings})\n", validate=False)
    assert validates_again()
    with pytest.raises(Unparsable):
        parse_checked(f"x = ({strings})\n")
    assert validates_again()


def in_four_threads(check: Callable[[str], bool], sources: list[str]) -> list[bool]:
    """``check`` of every source, spread over four threads that start together; a thread that raises
    leaves its results out."""
    results: list[bool] = []
    start = threading.Barrier(4)

    def work(part: list[str]) -> None:
        start.wait()
        results.extend(check(s) for s in part)

    threads = [threading.Thread(target=work, args=(sources[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_overlapping_parses_in_threads_put_validation_back_once():
    sources = [p.read_text(encoding="utf-8") for p in FIXTURES] * 3
    # LibCST's parse alone: the engine's guard parse in threads is the next test's subject.
    results = in_four_threads(lambda s: parse_on_big_stack(s, validate=False).deep_equals(cst.parse_module(s)),
                              sources)
    assert results == [True] * len(sources)
    assert validates_again()


def test_the_guard_parses_in_several_threads_at_once():
    """CPython 3.11's ast.parse can fail in threads that overlap ("AST constructor recursion depth mismatch"): the
    engine's guard takes one at a time (core/cpython.py), as the language server's lint and fix threads need.
    The race is rare: this shape of test hit it once in CI before the lock, and never in a few local runs."""
    sources = [p.read_text(encoding="utf-8") for p in FIXTURES] * 5
    # LibCST's parse beside it allocates enough to run the collector, whose finalizers let threads switch.
    results = in_four_threads(lambda s: parse_checked(s).lines is not None and cst.parse_module(s) is not None,
                              sources)
    assert results == [True] * len(sources)
