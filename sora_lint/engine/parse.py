"""Parsing a file for the rules: CPython's parser first (its limits and messages), then LibCST's."""
from __future__ import annotations

import re
import threading
from typing import Any, NamedTuple

from ..core.held import Held
from ..core.types import Location

_STACK_LOCK = threading.Lock()

# LibCST's native parser recurses on the C stack: a long `a and b and ...` chain,
# which CPython accepts, overflows the default 8 MiB stack and kills the process.
# Large sources are parsed on a thread with room for it (only touched pages cost memory).
_BIG_SOURCE = 16_000
_PARSER_STACK = 512 * 1024 * 1024


class _Unvalidated(Held):
    """While held, LibCST builds the nodes of a parse without re-validating each one.

    Every node LibCST's native parser builds runs ``CSTNode.__post_init__``, which validates it
    again: about a sixth of a parse (bench/stages.py), for nodes the grammar has just accepted
    (LibCST's own comment there suggests moving that work out of parsing). It is skipped only for a
    source CPython's parser accepted: the checks guard trees built by hand, and this one is the parse of
    valid Python. Nodes built by anything else meanwhile (another thread) are only not validated, never
    built differently. Held by a count, so overlapping parses in several threads put it back once.
    If LibCST no longer has the hook, nothing is changed (tests/test_parse.py says so loudly).
    """

    def __init__(self) -> None:
        super().__init__(_skip_validation, _validate_again)


def _skip_validation() -> Any:
    from libcst._nodes.base import CSTNode

    saved = CSTNode.__dict__.get("__post_init__")
    if saved is not None:
        CSTNode.__post_init__ = _not_validated  # type: ignore[method-assign]
    return saved


def _validate_again(saved: Any) -> None:
    from libcst._nodes.base import CSTNode

    if saved is not None:
        CSTNode.__post_init__ = saved  # type: ignore[method-assign]


def _not_validated(self: Any) -> None:
    return None


UNVALIDATED = _Unvalidated()


def parse_on_big_stack(source: str, *, validate: bool = True) -> Any:  # -> libcst.Module
    """LibCST's module for ``source``; a large source is parsed on a thread with a big stack.
    ``validate=False``: the nodes are not re-validated (only for a source CPython accepts: see _Unvalidated)."""
    import libcst as cst

    def parse_module() -> Any:
        if validate:
            return cst.parse_module(source)
        with UNVALIDATED:
            return cst.parse_module(source)

    if len(source) < _BIG_SOURCE:
        return parse_module()
    outcome: list = []

    def parse() -> None:
        try:
            outcome.append((True, parse_module()))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome.append((False, exc))

    with _STACK_LOCK:
        previous = threading.stack_size(_PARSER_STACK)
        try:
            worker = threading.Thread(target=parse, name="sora-lint-parse")
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


class Unparsable(Exception):
    """A file that cannot be checked; ``args[0]`` is the user-facing reason."""

    def __init__(self, reason: str, location: Location) -> None:
        super().__init__(reason)
        self.location = location


class Parsed(NamedTuple):
    module: Any  # libcst.Module
    cpython_accepts: bool  # False where only LibCST parses it (newer syntax than this Python)
    # The line of each top-level statement in CPython's parse of the same source, when it accepts it: positions
    # start from them (engine.positions.statement_lines; the tree itself is not kept through LibCST's parse).
    lines: tuple[int, ...] | None = None


def parse_checked(source: str, *, cpython_required: bool = False) -> Parsed:
    """The LibCST module for ``source``, or :class:`Unparsable` saying why not.

    CPython's parser always runs first, even though it costs about an eighth of a
    LibCST parse: on nesting CPython refuses, LibCST's native parser overflows its
    stack and kills the process, and on deep but shorter nesting it needs memory
    and time that grow with the square of the depth (measured: 2,000 nested
    parentheses 460 MB, 4,000 1.7 GB; 12,000 ``not``s 7.9 GB; a 24,000-long
    attribute chain 6 minutes). CPython's limits keep every input far from that,
    and its messages are the ones users know. Where CPython rejects newer syntax
    LibCST supports, LibCST still gets a try, unless ``cpython_required``.
    """
    from ..core.cpython import parse_python

    if "\x00" in source:
        # CPython refuses such a file outright (at 1:1), whatever LibCST makes of it: it is never fixed.
        raise Unparsable("SyntaxError: source code string cannot contain null bytes", Location(1, 1))
    cpython_error = None
    lines = None
    try:
        lines = tuple(statement.lineno for statement in parse_python(source).body)
    except SyntaxError as exc:
        cpython_error = Unparsable(f"SyntaxError: {exc.msg}", Location(exc.lineno or 1, exc.offset or 1))
        if cpython_required or "too many" in (exc.msg or ""):
            raise cpython_error from None
    except (RecursionError, MemoryError):
        raise Unparsable("it is nested too deeply for Python's own parser", Location(1, 1)) from None
    except ValueError as exc:  # null bytes
        raise Unparsable(f"ValueError: {exc}", Location(1, 1)) from None
    try:
        return Parsed(parse_on_big_stack(source, validate=cpython_error is not None), cpython_error is None, lines)
    except Exception as exc:  # libcst.ParserSyntaxError
        if cpython_error is not None:
            raise cpython_error from None
        detail = str(getattr(exc, "message", exc)).splitlines()[0][:120]
        # The "error at LINE:COL" inside LibCST's message is where the parser stopped;
        # its raw_line attribute can point past it.
        where = re.search(r"error at (\d+):(\d+)", detail)
        location = (Location(int(where.group(1)), int(where.group(2)) + 1) if where else
                    Location(getattr(exc, "raw_line", 1) or 1, (getattr(exc, "raw_column", 0) or 0) + 1))
        raise Unparsable(f"LibCST does not support this syntax ({detail})", location) from None
