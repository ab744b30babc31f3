#!/usr/bin/env python3
"""The planted-call run: a bad Sora call planted into real files, `sora-lint fix --unsafe-fixes`, counted.

    python bench/planted.py                   # 600 files from the standard library and site-packages
    python bench/planted.py --files 60 --keep /tmp/planted   # fewer, and keep the tree to look at

Each file is copied from the running interpreter's standard library or site-packages (files LibCST
does not reproduce byte for byte are picked first: the `except X :` shapes), given one of the
encodings and line endings real code has (LF, CRLF, a UTF-8 BOM, a latin-1 declaration; files indented
with tabs and files with f-strings are in the sample as they are), and gets a bad call planted after
one of its statements, at that statement's indentation: plain, over several lines, inside an
f-string, or without a model (the unsafe fix inserts one). In a third of the files that have an
`except X:` clause, it becomes `except X   :` (or a tab before the colon), the gap LibCST does not
round-trip, and the call goes at the end, after it. Then `sora-lint fix --unsafe-fixes` runs once over
the tree (as a user runs it) and once more, and every file is checked:

* **unparsable**: CPython parsed the planted file but not the fixed one;
* **not idempotent**: the second run changed the file again;
* **outside**: a byte changed outside the planted call (the bytes before and after it must be the
  planted file's, in its encoding);
* **not fixed**: the planted call is still there unchanged (reported, not a failure: a call inside an
  f-string whose quotes leave no room for the fix is skipped on purpose).

The bar is 0, 0, 0. This is not a timed benchmark; tests/test_roundtrip.py runs it on a small sample.
"""
from __future__ import annotations

import argparse
import ast
import io
import json
import os
import random
import re
import subprocess
import sys
import sysconfig
import tempfile
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

SEED = 15
VARIANTS = ("lf", "crlf", "bom", "latin-1")
CALLS = {
    "plain": 'planted_sdk.OpenAI().videos.create(model="sora-2", prompt="planted", seconds=10, size="1792x1024")',
    "multiline": ('planted_sdk.OpenAI().videos.create(\n    model="sora-2",  # planted\n    prompt="planted",\n'
                  '    seconds=10,\n)'),
    "fstring": "print(f\"{planted_sdk.OpenAI().videos.create(model='sora-2', prompt='planted', seconds=10)}\")",
    "no-model": 'planted_sdk.OpenAI().videos.create(prompt="planted", '
                'size="1792x1024")',  # the unsafe fix inserts model=
}
# `except X :` and `except (A, B) :`: LibCST drops the spaces before the colon (docs/libcst-roundtrip.md).
GAP_HINT = re.compile(rb"^[ \t]*except\b[^\n]*[^\s:][ \t]+:[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
# `except X:` (no `as`) on a line of its own: a third of the files get `except X   :` instead.
EXCEPT_CLAUSE = re.compile(r"^([ \t]*except\b(?:(?! as )[^\n:#'\"])+?)(:[ \t]*)$", re.MULTILINE)
TAB_INDENT = re.compile(rb"^\t+[^\s#]", re.MULTILINE)
CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


@dataclass
class Planted:
    name: str
    source: str
    variant: str
    call: str
    prefix: bytes  # the planted file's bytes before the call
    suffix: bytes  # and after it


@dataclass
class Report:
    files: int = 0
    by_variant: dict[str, int] = field(default_factory=dict)
    by_call: dict[str, int] = field(default_factory=dict)
    with_tabs: int = 0
    with_fstrings: int = 0
    with_gap: int = 0
    unparsable: list[str] = field(default_factory=list)
    not_idempotent: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    not_fixed: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)


def candidate_files() -> list[Path]:
    roots = {os.path.realpath(p) for p in (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"])}
    files = []
    for root in sorted(roots):
        for path in sorted(Path(root).rglob("*.py")):
            if "test" not in path.name and path.is_file():
                files.append(path)
    return files


def round_trips(data: bytes) -> bool:
    import libcst

    try:
        return libcst.parse_module(data).bytes == data
    except Exception:  # noqa: BLE001 - syntax LibCST does not support
        return True


def parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def decoded(data: bytes) -> str | None:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def plant(text: str, rng: random.Random, call_kind: str, at_end: bool) -> tuple[str, int, int] | None:
    """``text`` with the call after a random statement (``at_end``: after the last top-level one,
    so that it follows every round-trip gap of the file); the planted text's (start, end) offsets."""
    if not parses(text) or "\r" in text or "\x0c" in text:
        return None
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    if not lines:
        return None
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
        text += "\n"
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.stmt) and n.end_lineno is not None]
    rng.shuffle(statements)
    if at_end:
        statements = tree.body[-1:]
    for node in statements[:20]:
        first = lines[node.lineno - 1]
        indent = first[:len(first) - len(first.lstrip(" \t"))]
        if node.col_offset != len(indent.encode()):
            continue  # a statement after a semicolon or on a decorator line: not at a line start
        end_line = lines[node.end_lineno - 1]
        if end_line.rstrip("\r\n").rstrip().endswith("\\"):
            continue
        # The call's client comes from an import planted with it, under a name no real file binds, so
        # the receiver traces to the SDK whatever the file imports (an `openai` bound twice is unknown).
        call = ("import openai as planted_sdk\n" + CALLS[call_kind]).replace("\n", "\n" + indent)
        at = sum(len(line) for line in lines[:node.end_lineno])
        planted = text[:at] + indent + call + "\n" + text[at:]
        if parses(planted):
            return planted, at, at + len(indent + call + "\n")
    return None


def variant_text(text: str, variant: str) -> tuple[str, str] | None:
    """The text to write and the encoding to write it in."""
    if variant == "lf":
        return text, "utf-8"
    if variant == "crlf":
        return text.replace("\n", "\r\n"), "utf-8"
    if variant == "bom":
        return text, "utf-8-sig"
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    if CODING.search("\n".join(text.split("\n")[:2]).encode("utf-8")):
        return None
    return "# -*- coding: latin-1 -*-\n" + text, "latin-1"


def build(folder: Path, count: int) -> list[Planted]:
    rng = random.Random(SEED)
    files = candidate_files()
    contents = {p: p.read_bytes() for p in files}
    gap_files = [p for p in files if GAP_HINT.search(contents[p]) and not round_trips(contents[p])]
    tab_files = [p for p in files if p not in set(gap_files) and TAB_INDENT.search(contents[p])]
    gap_set = set(gap_files)
    first = gap_files[:count // 5] + tab_files[:count // 10]
    others = [p for p in files if p not in set(first)]
    rng.shuffle(others)
    planted: list[Planted] = []
    kinds = list(CALLS)
    for index, path in enumerate(first + others):
        if len(planted) >= count:
            break
        text = decoded(contents[path])
        if text is None or len(text) > 300_000:
            continue
        variant = VARIANTS[index % len(VARIANTS)]
        kind = kinds[index % len(kinds)]
        widened = index % 3 == 0 and EXCEPT_CLAUSE.search(text)
        if widened:  # the gap LibCST does not round-trip, made where the file has an except clause
            text = EXCEPT_CLAUSE.sub(r"\1" + ("   " if index % 2 else "\t") + r"\2", text)
        with_call = plant(text, rng, kind, at_end=path in gap_set or bool(widened) or rng.random() < 0.3)
        if with_call is None:
            continue
        body, start, end = with_call
        written = variant_text(body, variant)
        if written is None:
            continue
        final, encoding = written
        if variant == "latin-1":
            start, end = start + len("# -*- coding: latin-1 -*-\n"), end + len("# -*- coding: latin-1 -*-\n")
        elif variant == "crlf":
            start, end = start + body.count("\n", 0, start), end + body.count("\n", 0, end)
        data = final.encode(encoding)
        prefix = final[:start].encode(encoding)
        suffix = final[end:].encode("utf-8" if encoding == "utf-8-sig" else encoding)
        name = f"f{len(planted):04}_{path.stem}.py"
        (folder / name).write_bytes(data)
        planted.append(Planted(name, str(path), variant, kind, prefix, suffix))
    return planted


def run_fix(folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "sora_lint", "fix", "--unsafe-fixes", "--exit-zero", "."],
                          cwd=str(folder), capture_output=True, text=True, env=env, timeout=3600)


def evaluate(folder: Path, planted: Sequence[Planted], before: dict[str, bytes]) -> Report:
    report = Report(files=len(planted))
    first = {p.name: (folder / p.name).read_bytes() for p in planted}
    second_run = run_fix(folder)
    for p in planted:
        report.by_variant[p.variant] = report.by_variant.get(p.variant, 0) + 1
        report.by_call[p.call] = report.by_call.get(p.call, 0) + 1
        original = before[p.name]
        text = decoded(original) or ""
        report.with_tabs += "\n\t" in text
        report.with_fstrings += bool(re.search(r"\bf['\"]", text))
        report.with_gap += bool(GAP_HINT.search(original)) and not round_trips(original)
        fixed = first[p.name]
        fixed_text = decoded(fixed)
        if fixed_text is None or not parses(fixed_text):
            report.unparsable.append(p.name)
        if (folder / p.name).read_bytes() != fixed:
            report.not_idempotent.append(p.name)
        if not (
            fixed.startswith(p.prefix) and fixed.endswith(p.suffix) and len(p.prefix) + len(p.suffix) <= len(fixed)
        ):
            report.outside.append(p.name)
        if fixed == original:
            report.not_fixed.append(p.name)
    for line in second_run.stdout.splitlines():
        if " SOR000 " in line:
            report.not_checked.append(line.split(":")[0])
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=600, help="how many files to plant a call into (default 600)")
    parser.add_argument("--keep", metavar="FOLDER", help="build the tree here (an empty or missing folder) and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    args = parser.parse_args(argv)
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            parser.error(f"{folder} is not empty")
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="sora-planted-")
        folder = Path(cleanup.name)
    try:
        planted = build(folder, args.files)
        before = {p.name: (folder / p.name).read_bytes() for p in planted}
        first_run = run_fix(folder)
        if first_run.returncode != 0:
            print(first_run.stderr, file=sys.stderr)
        report = evaluate(folder, planted, before)
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    print(f"planted a bad Sora call into {report.files} real files "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(report.by_variant.items()))}; "
          f"{', '.join(f'{k} call: {v}' for k, v in sorted(report.by_call.items()))}; "
          f"{report.with_tabs} with tab indentation, {report.with_fstrings} with f-strings, "
          f"{report.with_gap} with an `except ... :` LibCST does not round-trip)")
    print(f"fixed outputs that do not parse: {len(report.unparsable)}")
    print(f"not idempotent: {len(report.not_idempotent)}")
    print(f"a byte changed outside the planted call: {len(report.outside)}")
    print(f"planted call left as it was: {len(report.not_fixed)}; files sora-lint could not check: "
          f"{len(report.not_checked)}")
    for label, names in (("unparsable", report.unparsable), ("not idempotent", report.not_idempotent),
                         ("outside", report.outside), ("not fixed", report.not_fixed),
                         ("not checked", report.not_checked)):
        for name in names[:20]:
            source = next((p.source for p in planted if p.name == name), "")
            print(f"  {label}: {name} ({source})")
    if args.json:
        Path(args.json).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return 1 if (report.unparsable or report.not_idempotent or report.outside) else 0


if __name__ == "__main__":
    sys.exit(main())
