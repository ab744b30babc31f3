#!/usr/bin/env python3
"""Find the sources LibCST does not reproduce byte for byte, and reduce each gap to a pattern.

    python scripts/scan_roundtrip.py                      # the standard library and site-packages
    python scripts/scan_roundtrip.py PATH...              # files or folders of your own
    python scripts/scan_roundtrip.py --limit 500 --show 3 # fewer files, three examples per pattern
    python scripts/scan_roundtrip.py --probe              # odd whitespace in one snippet per grammar form

For every ``.py`` file that LibCST parses, ``parse_module(src).code != src`` is a round-trip gap.
Each differing stretch is reduced to a pattern: the token before it and the token after it
(names shown as NAME, numbers as NUMBER, strings as STRING), the text the source has there and
the text LibCST generates instead. docs/libcst-roundtrip.md lists the patterns this finds, each
with a minimal reproduction; sora_lint.engine.positions relies on every gap being whitespace
only (spaces, tabs, form feeds, line ends and backslash continuations), which this script
checks (``whitespace-only: no`` on a pattern would break that).
"""
from __future__ import annotations

import argparse
import io
import keyword
import os
import sys
import sysconfig
import tokenize
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import libcst as cst

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sora_lint.engine.gaps import align  # noqa: E402

Pattern = tuple[str, str, str, str]
# What sora_lint.engine.positions lets a gap hold: whitespace, line ends, backslash continuations.
GAP_CHARACTERS = " \t\x0c\r\n\\"  # token before, source text, generated text, token after


def _libcst_version() -> str:
    from importlib.metadata import version

    return version("libcst")


def default_roots() -> list[str]:
    paths = sysconfig.get_paths()
    roots = [paths["stdlib"], paths["purelib"], paths["platlib"]]
    return sorted({os.path.realpath(r) for r in roots if os.path.isdir(r)})


def python_files(roots: Sequence[str]) -> Iterator[Path]:
    seen = set()
    for root in roots:
        base = Path(root)
        candidates = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in candidates:
            real = os.path.realpath(path)
            if real not in seen and path.is_file():
                seen.add(real)
                yield path


def read_source(path: Path) -> str | None:
    try:
        data = path.read_bytes()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def token_shape(source: str, offset: int, before: bool) -> str:
    """The token that ends just before (or starts at) ``offset``, generalised."""
    line_start = source.rfind("\n", 0, offset) + 1
    line_end = source.find("\n", offset)
    line = source[line_start:line_end if line_end >= 0 else len(source)]
    column = offset - line_start
    shapes: list[tuple[int, int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
                continue
            if tok.type == tokenize.NAME:
                shape = tok.string if keyword.iskeyword(tok.string) or keyword.issoftkeyword(tok.string) else "NAME"
            elif tok.type == tokenize.NUMBER:
                shape = "NUMBER"
            elif tok.type == tokenize.STRING:
                shape = "STRING"
            elif tok.type == tokenize.COMMENT:
                shape = "COMMENT"
            else:
                shape = tok.string
            shapes.append((tok.start[1], tok.end[1], shape))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    if before:
        ending = [s for s in shapes if s[1] <= column]
        return ending[-1][2] if ending else "<line start>"
    starting = [s for s in shapes if s[0] >= column]
    return starting[0][2] if starting else "<line end>"


def gaps(source: str, generated: str) -> Iterator[tuple[int, str, str]]:
    """(source offset, source text, generated text) of each differing stretch.

    The alignment is sora-lint's own (:func:`sora_lint.engine.gaps.align`), which pairs
    equal text across whitespace gaps; a difference in anything else ends it and is reported as
    the next 20 characters of both texts (never whitespace only, so the summary says so).
    """
    runs = align(generated, source)
    g_end = s_end = 0
    for g_start, s_start, length in runs:
        if g_start > g_end or s_start > s_end:
            yield s_end, source[s_end:s_start], generated[g_end:g_start]
        g_end, s_end = g_start + length, s_start + length
    if g_end < len(generated) or s_end < len(source):
        yield s_end, source[s_end:s_end + 20], generated[g_end:g_end + 20]


def first_statement_word(source: str, offset: int) -> str:
    line_start = source.rfind("\n", 0, offset) + 1
    words = source[line_start:offset].split()
    return words[0] if words else ""


def scan(paths: Sequence[Path], show: int) -> tuple[int, int, dict[Pattern, list[str]], Counter]:
    checked = differing = 0
    examples: dict[Pattern, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    for number, path in enumerate(paths, 1):
        if number % 500 == 0:
            print(f"... {number} files", file=sys.stderr, flush=True)
        source = read_source(path)
        if source is None:
            continue
        try:
            generated = cst.parse_module(source).code
        except Exception:  # noqa: BLE001 - syntax LibCST does not support: not a round-trip gap
            continue
        checked += 1
        if generated == source:
            continue
        differing += 1
        for offset, was, now in gaps(source, generated):
            pattern = (token_shape(source, offset, True), was, now, token_shape(source, offset + len(was), False))
            counts[pattern] += 1
            if len(examples[pattern]) < show:
                row = source.count("\n", 0, offset) + 1
                examples[pattern].append(f"{path}:{row} ({first_statement_word(source, offset)} ...)")
    return checked, differing, examples, counts


# One of each statement and expression form: --probe puts odd whitespace at every token boundary
# of each (where CPython accepts it) and reports what LibCST does not give back.
PROBES = [
    "try:\n    pass\nexcept ValueError:\n    pass\n",
    "try:\n    pass\nexcept (A, B):\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
    "try:\n    pass\nexcept* ValueError:\n    pass\n",
    "try:\n    pass\nexcept ValueError as e:\n    pass\n",
    "try:\n    pass\nexcept:\n    pass\n",
    "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n",
    "for a, b in c:\n    pass\nelse:\n    pass\n",
    "async def f():\n    async for a in b:\n        pass\n    async with a as b:\n        pass\n    await x\n",
    "while a:\n    break\n",
    "with a as b, c:\n    pass\n",
    "with (a as b, c):\n    pass\n",
    "@dec(1)\ndef f(a, /, b: int = 1, *c, d, **e) -> int:\n    return a\n",
    "class A(B, metaclass=M):\n    x: int = 1\n",
    "match x:\n    case [1, *rest] | {'k': v, **kw} if v:\n        pass\n    case P(a=1) as p:\n        pass\n",
    "lambda a, *b, c=1, **d: a\n",
    "x = a if b else c\n",
    "x = [i for i in y if i async for j in k]\n",
    "x = {k: v for k, v in d}\n",
    "x = {*a, *b}\n",
    "x = a[1:2, ::3]\n",
    "x = f'{a!r:>{w}} {b=}'\n",
    "x = (yield from g)\n",
    "x = not a or b and c\n",
    "x: int = 1\n",
    "x += 1\n",
    "(x := 1)\n",
    "del a, b\n",
    "global a, b\n",
    "assert a, b\n",
    "raise A from B\n",
    "import a.b as c, d\n",
    "from .a import (b as c, d)\n",
    "print(*a, **b)\n",
    "x = a @ b ** -c\n",
    "type X = int\n",
    "def f[T](a: T) -> T:\n    return a\n",
    "x = a.b(c)[d]\n",
    "return_ = 1; pass\n",
]
BLANKS = [" ", "  ", "\t", "\x0c", " \\\n", "\\\n  "]


def probe() -> tuple[dict[Pattern, list[str]], Counter]:
    """Odd whitespace at every token boundary of every :data:`PROBES` entry."""
    import ast
    import warnings

    examples: dict[Pattern, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    for snippet in PROBES:
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(snippet).readline))
        except (tokenize.TokenError, SyntaxError):
            continue
        starts = [0]
        for line in snippet.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        boundaries = sorted({starts[t.end[0] - 1] + t.end[1] for t in tokens
                             if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER,
                                               tokenize.INDENT, tokenize.DEDENT)})
        for at in boundaries:
            for blank in BLANKS:
                source = snippet[:at] + blank + snippet[at:]
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        ast.parse(source)
                    generated = cst.parse_module(source).code
                except Exception:  # noqa: BLE001 - not Python, or syntax LibCST does not support
                    continue
                if generated == source:
                    continue
                for offset, was, now in gaps(source, generated):
                    pattern = (
                        token_shape(source, offset, True),
                        was,
                        now,
                        token_shape(source, offset + len(was), False),
                    )
                    counts[pattern] += 1
                    if len(examples[pattern]) < 1:
                        examples[pattern].append(repr(source))
    return examples, counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="files or folders (default: the standard library and site-packages)")
    parser.add_argument("--limit", type=int, default=0, help="check at most this many files")
    parser.add_argument("--show", type=int, default=2, help="examples to print per pattern")
    parser.add_argument("--probe", action="store_true",
                        help="instead of files: odd whitespace at every token boundary of one snippet per grammar form")
    args = parser.parse_args(argv)
    if args.probe:
        examples, counts = probe()
        print(f"{len(PROBES)} snippets probed with {len(BLANKS)} kinds of whitespace at every token boundary")
    else:
        files = list(python_files(args.paths or default_roots()))
        if args.limit:
            files = files[:args.limit]
        checked, differing, examples, counts = scan(files, args.show)
        print(f"{checked} files parsed by LibCST {_libcst_version()}, {differing} not reproduced byte for byte")
    all_whitespace = True
    for pattern, n in counts.most_common():
        before, was, now, after = pattern
        whitespace_only = not was.strip(GAP_CHARACTERS) and not now.strip(GAP_CHARACTERS)
        all_whitespace &= whitespace_only
        print(f"\n{n:5}  {before} [{was!r} -> {now!r}] {after}   whitespace-only: {'yes' if whitespace_only else 'no'}")
        for example in examples[pattern]:
            print(f"       {example}")
    print(f"\nevery gap is whitespace only: {'yes' if all_whitespace else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
