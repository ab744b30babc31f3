"""Fuzzing: generated Python programs through check and fix, under every profile, safe and unsafe.

Two sources of programs:

* ``sora_programs()``, a grammar of our own that mixes Sora calls (every entry point, awaited or
  not; values as literals, names bound once or twice, ``**params`` dicts, ``dict(...)``, raw HTTP
  requests) with ordinary statements, odd whitespace (tabs, backslash continuations, parentheses,
  trailing commas, form feeds), comments between arguments, nesting (functions, classes, if/for/
  while/with/try/match, lambdas, comprehensions, f-strings), ``noqa`` comments and every line ending;
* hypothesmith's ``from_grammar()`` and ``from_node()`` programs (odd but valid Python) with a
  Sora call spliced in after a random statement.

Every program must satisfy, for profiles auto/openai/apiyi and safe/unsafe fixes:
no exception escapes; a fix of a file that parses still parses (LibCST and, when it did before,
CPython) and is reported without error; fix is idempotent and leaves nothing fixable; a file with
no diagnostics comes back byte-identical. Metamorphic checks: CRLF and CR line endings change
nothing but the line endings, and ``# noqa`` on a reported line silences that report.

The budget comes from tests/conftest.py: profile ``ci`` (default, derandomised) keeps CI bounded;
``HYPOTHESIS_PROFILE=deep pytest tests/test_fuzz.py --hypothesis-show-statistics`` runs many more.
"""
import ast
import io
import os
import re
import tempfile
import tokenize
import warnings

import libcst
import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source
from sora_lint.run.runner import DIFF, Job, decode, process

pytestmark = pytest.mark.slow

PROFILES = ("auto", "openai", "apiyi")
SETTINGS = {name: Settings(profile=name) for name in PROFILES}


# --- the properties -------------------------------------------------------------

def parses_with_cpython(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def parses_with_libcst(source: str) -> bool:
    try:
        libcst.parse_module(source)
    except Exception:  # noqa: BLE001 - libcst.ParserSyntaxError and friends
        return False
    return True


def assert_robust(source: str) -> None:
    """Every property, for every profile and both fix modes."""
    by_cpython = parses_with_cpython(source)
    by_libcst = parses_with_libcst(source)
    event(f"parses: cpython={by_cpython} libcst={by_libcst}")
    found_any = False
    for name, settings_ in SETTINGS.items():
        diagnostics = lint_source(source, "gen.py", settings_)
        found_any |= bool(diagnostics)
        for unsafe in (False, True):
            outcome = apply_fixes(source, "gen.py", settings_, unsafe_fixes=unsafe)
            context = f"profile={name} unsafe={unsafe}\n--- source\n{source}\n--- fixed\n{outcome.source}"
            if not diagnostics:
                assert outcome.source == source, context
                continue
            if by_libcst:
                assert outcome.error is None, context
                assert parses_with_libcst(outcome.source), context
            if by_cpython:
                assert parses_with_cpython(outcome.source), context
            again = apply_fixes(outcome.source, "gen.py", settings_, unsafe_fixes=unsafe)
            assert again.source == outcome.source, context + f"\n--- fixed again\n{again.source}"
            assert [d for d in lint_source(outcome.source, "gen.py", settings_) if d.fix_for(unsafe)] == [], context
            if outcome.source != source:
                event("fixed")
    event("has diagnostics" if found_any else "no diagnostics")


def assert_line_endings_do_not_matter(source: str, profile: str) -> None:
    """The same program with CRLF or CR endings gets the same findings and the same fixes."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    settings_ = SETTINGS[profile]
    expected = [(d.code, d.location, d.message) for d in lint_source(source, "gen.py", settings_)]
    fixed = apply_fixes(source, "gen.py", settings_, unsafe_fixes=True).source
    for newline in ("\r\n", "\r"):
        other = source.replace("\n", newline)
        assert [(d.code, d.location, d.message) for d in lint_source(other, "gen.py", settings_)] == expected, (
            f"{newline!r}\n{source}")
        assert apply_fixes(other, "gen.py", settings_, unsafe_fixes=True).source == fixed.replace("\n", newline), (
            f"{newline!r}\n{source}")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def lines_with_endings(text: str) -> list:
    """Lines as Python counts them (ended by \\r\\n, \\r or \\n only), each with its ending."""
    return [line for line in _LINE.findall(text) if line]


def comment_rows(source: str) -> dict:
    """Row -> text of each comment token (rows counted as Python counts them)."""
    rows = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            rows[tok.start[0]] = tok.string
    return rows


def assert_noqa_silences_the_reported_line(source: str) -> None:
    """``# noqa`` appended to the line a finding is reported on silences the findings on that line."""
    if not parses_with_cpython(source):
        return
    settings_ = SETTINGS["auto"]
    diagnostics = lint_source(source, "gen.py", settings_)
    lines = lines_with_endings(source)
    for target in diagnostics:
        row = target.location.row
        line = lines[row - 1]
        body = line.rstrip("\r\n")
        if "#" in body or body.rstrip().endswith("\\"):
            continue
        silenced = "".join(lines[:row - 1] + [body + "  # noqa" + line[len(body):]] + lines[row:])
        try:
            if comment_rows(silenced).get(row) != "# noqa":  # text inside a string, not a comment
                continue
        except (tokenize.TokenError, SyntaxError):
            continue
        after = lint_source(silenced, "gen.py", settings_)
        assert [d for d in after if d.location.row == row] == [], f"row {row}\n{silenced}"
        assert len(after) == len([d for d in diagnostics if d.location.row != row]), silenced
        event("noqa checked")
        return
    event("no line to put a noqa on")


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def apply_patch(original: str, patch: str) -> str:
    """``patch`` applied to ``original`` as `patch`/`git apply` read it: lines end at \\n only."""
    old = original.split("\n")
    old = [line + "\n" for line in old[:-1]] + ([old[-1]] if old[-1] else [])
    rows = patch.split("\n")
    assert rows[-1] == "", "a patch ends with a newline"
    rows = rows[:-1]
    assert rows[0].startswith("--- a/") and rows[1].startswith("+++ b/"), rows[:2]
    new, cursor, i = [], 0, 2
    while i < len(rows):
        match = _HUNK.match(rows[i])
        assert match, f"not a hunk header: {rows[i]!r}"
        start, count = int(match.group(1)), int(match.group(2) or 1)
        added = int(match.group(4) or 1)
        start = start - 1 if count else start
        new.extend(old[cursor:start])
        cursor, i = start, i + 1
        seen_old = seen_new = 0
        while i < len(rows) and not rows[i].startswith("@@"):
            kind, text = rows[i][:1], rows[i][1:] + "\n"
            if i + 1 < len(rows) and rows[i + 1] == "\\ No newline at end of file":
                text = text[:-1]
                i += 1
            assert kind in " -+", f"not a patch line: {rows[i]!r}"
            if kind in " -":
                assert old[cursor] == text, f"context does not match at line {cursor + 1}: {rows[i]!r}"
                cursor += 1
                seen_old += 1
            if kind in " +":
                new.append(text)
                seen_new += 1
            i += 1
        assert (seen_old, seen_new) == (count, added), "hunk line counts do not match its header"
    return "".join(new + old[cursor:])


def assert_diff_reproduces_the_fix(source: str) -> None:
    """`fix --diff` prints a patch that turns the file into exactly what `fix` writes."""
    settings_ = SETTINGS["auto"]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "gen.py")
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(source)
        result = process(path, None, Job(DIFF, settings_))
    fixed = apply_fixes(source, path, settings_).source
    assert bool(result.diff) == (fixed != source)
    if result.diff:
        assert apply_patch(source, result.diff) == fixed, result.diff


# --- our own grammar --------------------------------------------------------------

MODELS = ["sora-2", "sora-2-pro", "sora2", "Sora-2-Pro", "sora-2pro", "sora-2-2025-10-06",
          "sora-2-pro-2025-10-06", "sora-2-2025-12-08", "my-sora-deployment", "gpt-4o", "", "SORA-2"]
SIZES = ["1280x720", "720x1280", "1792x1024", "1024x1792", "1280*720", "1792 x 1024", "720p",
         "1024x1024", "1280X720", " 1280x720 ", "0x0", "", "1280\u00d7720"]
RECEIVERS = ["client", "self.client", "openai.OpenAI()", "OpenAI()", 'OpenAI(base_url="https://api.apiyi.com/v1")',
             "AsyncOpenAI()", "get_client()", "clients[0]", "(client)", "client \\\n    ",
             "client.with_options(timeout=5)"]
METHODS = ["create", "create_and_poll", "extend", "with_raw_response.create", "with_streaming_response.create",
           "with_raw_response.create_and_poll", "remix", "edit", "retrieve"]
NAMES = ["DURATION", "MODEL", "SIZE", "seconds", "model", "params", "P", "cfg"]
CLIENTS = ["client = OpenAI()", 'client = OpenAI(base_url="https://api.apiyi.com/v1")',
           'client = OpenAI(base_url="https://api.openai.com/v1")', 'client = OpenAI(base_url=os.environ["URL"])',
           'client = AzureOpenAI(azure_endpoint="https://x.openai.azure.com")', "client = AsyncOpenAI()",
           'client = OpenAI(base_url="https://gateway.example/v1")', "client = OpenAI(**opts)"]
IMPORTS = ["import openai", "from openai import OpenAI", "from openai import AsyncOpenAI, OpenAI",
           "from openai import OpenAI as O", "import os", "import requests", "import httpx", "import json",
           "import openai as oa"]
COMMENTS = ["# c", "#", "# noqa", "# noqa: SOR001", "#noqa:SOR002,SOR003", "# sora", "# \x0c form feed",
            "# \u00e9t\u00e9 \u2603", "# videos.create(seconds=10)", "# type: ignore", "# sora-lint: noqa", "#\t\ttabs"]


@st.composite
def string_literal(draw, text: str) -> str:
    quote = draw(st.sampled_from([q for q in ('"', "'", '"""', "'''") if q[0] not in text]))
    prefix = draw(st.sampled_from(["", "", "", "r", "u", "R", "U"]))
    if text and draw(st.integers(0, 9)) == 0:  # implicit concatenation
        cut = draw(st.integers(0, len(text)))
        return f"{prefix}{quote}{text[:cut]}{quote} {quote}{text[cut:]}{quote}"
    if draw(st.integers(0, 14)) == 0:
        return f"b{quote}{text.encode('ascii', 'replace').decode()}{quote}"
    return f"{prefix}{quote}{text}{quote}"


@st.composite
def number_literal(draw, n: int) -> str:
    forms = [str(n), str(n), f"{n}.0", f"-{n}", f"0x{n:x}", f"{n}_0" if n else "0", f"0o{n:o}", f"{n}.5", f"{n}e0",
             "True", "None"]
    return draw(st.sampled_from(forms))


@st.composite
def literal(draw, param: str) -> str:
    if param == "model":
        return draw(string_literal(draw(st.sampled_from(MODELS))))
    if param == "size":
        if draw(st.integers(0, 9)) == 0:
            return draw(number_literal(draw(st.integers(0, 2000))))
        return draw(string_literal(draw(st.sampled_from(SIZES))))
    if param == "seconds":
        n = draw(st.one_of(st.sampled_from([4, 8, 10, 12, 15, 16, 20, 25]), st.integers(0, 40)))
        if draw(st.booleans()):
            return draw(number_literal(n))
        return draw(string_literal(draw(st.sampled_from([str(n), f" {n}", f"{n}.0", "ten", "", "8s"]))))
    return draw(string_literal(draw(st.sampled_from(["a cat", "sora", "", "it's", "videos"]))))


@st.composite
def value(draw, param: str, names: list, inline: bool = False) -> str:
    kind = draw(st.sampled_from(["literal"] * 6 + ["paren", "name", "name", "attr", "call", "cond", "fstring"]))
    if kind == "literal":
        return draw(literal(param))
    if kind == "paren":
        ws = draw(st.sampled_from(["", " "] if inline else ["", " ", "\n    ", "  # why\n  "]))
        return f"({ws}{draw(literal(param))}{ws})"
    if kind == "name":
        name = draw(st.sampled_from(NAMES))
        names.append((name, param))
        return name
    if kind == "attr":
        return f"args.{param}"
    if kind == "call":
        return f"int({draw(literal(param))})"
    if kind == "cond":
        return f"{draw(literal(param))} if flag else {draw(literal(param))}"
    return 'f"{n}"'


SEPARATORS = [", ", ",", " , ", ",\n    ", ",  # c\n    ", ", \\\n    ", ",\n\t", ",\n\n    ", ",  # noqa\n    ",
              ",\x0c ", ",  # \x0c\n  "]
EQUALS = ["=", "=", "=", " = ", "=\n        ", "=\t"]


@st.composite
def sora_call(draw, names: list, is_async: bool, inline: bool = False) -> str:
    """One call of a videos method; ``inline`` keeps it on one line without comments (for f-strings)."""
    receiver = draw(st.sampled_from([r for r in RECEIVERS if not inline or "\n" not in r]))
    method = draw(st.sampled_from(METHODS))
    params = draw(st.lists(st.sampled_from(["model", "seconds", "size", "prompt", "input_reference", "video"]),
                           unique=True, max_size=5))
    first, args = [], []
    for param in params:
        equals = draw(st.sampled_from([e for e in EQUALS if not inline or "\n" not in e]))
        args.append(f"{param}{equals}{draw(value(param, names, inline))}")
    extra = draw(st.sampled_from(["none"] * 5 + ["dict", "dict-call", "name", "star", "positional", "dict-star"]))
    if extra == "dict":
        keys = draw(st.lists(st.sampled_from(["model", "seconds", "size", "prompt"]), unique=True, max_size=3))
        args.append("**{" + ", ".join(f'"{k}": {draw(value(k, names))}' for k in keys) + "}")
    elif extra == "dict-call":
        keys = draw(st.lists(st.sampled_from(["model", "seconds", "size", "prompt"]), unique=True, max_size=3))
        args.append("**dict(" + ", ".join(f"{k}={draw(value(k, names))}" for k in keys) + ")")
    elif extra == "name":
        names.append(("params", "dict"))
        args.append("**params")
    elif extra == "star":
        first.append("*extra")
    elif extra == "positional":
        first.append('"video_123"')
    elif extra == "dict-star":
        args.append('**{**base, "seconds": 10}')
    args = first + draw(st.permutations(args))
    text = ""
    for i, arg in enumerate(args):
        text += arg if i == 0 else draw(st.sampled_from([s for s in SEPARATORS if not inline or "\n" not in s])) + arg
    opening = draw(st.sampled_from(["", "", " "] if inline else ["", "", "\n    ", "  # why\n    ", " "]))
    closings = ["", "", ",", " "] if inline else ["", "", ",", ",\n", "\n", " ", "  # end\n"]
    closing = draw(st.sampled_from(closings)) if args else ""
    call = f"{receiver}.videos.{method}({opening}{text}{closing})"
    if is_async and draw(st.booleans()):
        call = f"await {call}"
    return call


@st.composite
def http_call(draw, names: list) -> str:
    sender = draw(st.sampled_from(["requests.post", "httpx.post", 'requests.request("POST", ', "session.post"]))
    url = draw(st.sampled_from(['"https://api.openai.com/v1/videos"', '"https://api.apiyi.com/v1/videos"',
                                'f"{BASE}/videos"', '"https://api.openai.com/v1/videos/x/remix"', "URL"]))
    keys = draw(st.lists(st.sampled_from(["model", "seconds", "size", "prompt"]), unique=True, max_size=4))
    body = "{" + ", ".join(f'"{k}": {draw(value(k, names))}' for k in keys) + "}"
    keyword = draw(st.sampled_from(["json", "data", "files"]))
    if sender.endswith(", "):
        return f"{sender}{url}, {keyword}={body})"
    return f"{sender}({url}, {keyword}={body})"


@st.composite
def expression_with_call(draw, names: list, is_async: bool) -> str:
    form = draw(st.sampled_from(["bare"] * 6 + ["paren", "arg", "lambda", "listcomp", "fstring", "fstring", "ternary",
                                               "dictval"]))
    call = draw(sora_call(names, is_async, inline=form == "fstring"))
    if form == "bare":
        return call
    if form == "paren":
        return f"(\n    {call}\n)"
    if form == "arg":
        return f"print({call}, sep='')"
    if form == "lambda":
        return f"(lambda: {call.replace('await ', '')})"
    if form == "listcomp":
        return f"[{call} for _ in range(2) if _]"
    if form == "fstring":
        fitting = [q for q in ('"', "'", '"""', "'''") if q[0] not in call]  # CPython < 3.12 needs one
        quote = draw(st.sampled_from(fitting if fitting and draw(st.integers(0, 3)) else ['"', "'", '"""']))
        return f"f{quote}{{{call}}}{quote}"
    if form == "ternary":
        return f"{call} if flag else None"
    return f"{{'v': {call}}}"


@st.composite
def simple_statement(draw, names: list, is_async: bool, in_function: bool) -> str:
    kind = draw(st.sampled_from(["call"] * 5 + ["assign-call", "binding", "binding", "ordinary", "ordinary",
                                                  "client", "import", "http", "semicolons", "return"]))
    if kind == "call":
        return draw(expression_with_call(names, is_async))
    if kind == "assign-call":
        target = draw(st.sampled_from(["video", "video: Video", "a, b", "self.video", "videos[0]"]))
        return f"{target} = {draw(expression_with_call(names, is_async))}"
    if kind == "binding":
        name = draw(st.sampled_from(NAMES))
        if name in ("params", "P", "cfg"):
            keys = draw(st.lists(st.sampled_from(["model", "seconds", "size", "prompt"]), unique=True, max_size=4))
            if draw(st.booleans()):
                return f"{name} = {{" + ", ".join(f'"{k}": {draw(literal(k))}' for k in keys) + "}"
            return f"{name} = dict(" + ", ".join(f"{k}={draw(literal(k))}" for k in keys) + ")"
        param = {"DURATION": "seconds", "seconds": "seconds", "MODEL": "model", "model": "model"}.get(name, "size")
        annotation = draw(st.sampled_from(["", "", ": int", ": str", ": Final"]))
        operator = draw(st.sampled_from(["=", "=", "=", "+=", ":="])) if not annotation else "="
        if operator == ":=":
            return f"({name} := {draw(literal(param))})"
        return f"{name}{annotation} {operator} {draw(literal(param))}"
    if kind == "ordinary":
        return draw(st.sampled_from([
            "pass", "x = 1", "del x", "global G", "x += 1", "assert x, 'msg'", "print('videos')", "*a, b = c",
            "raise ValueError('sora')", "y = [i for i in range(3) if i]", "z = {k: v for k, v in d.items()}",
            "for_ = lambda a, *b, c=1, **d: a", "x = yield", "...", "import os.path as osp", "x = a[1:2, ::3]",
            "print(*args, **kwargs)", "nonlocal_ = 1", "x = not a or b and c", "s = 'videos' 'create'",
            "x = (yield from g)", "x = [*a, *b]", "x = {**a, 'b': 1}", "x = -1 ** 2", "x = a @ b",
        ]))
    if kind == "client":
        return draw(st.sampled_from(CLIENTS))
    if kind == "import":
        return draw(st.sampled_from(IMPORTS))
    if kind == "http":
        return draw(http_call(names))
    if kind == "semicolons":
        first = draw(st.sampled_from(["x = 1", "pass", "import openai"]))
        return f"{first}; {draw(sora_call(names, is_async))}" + draw(st.sampled_from(["", ";"]))
    if in_function:
        return f"return {draw(expression_with_call(names, is_async))}"
    return "pass"


HEADERS = [
    ("def f(a, b=1, *args, **kwargs):", "function"), ("async def g(x):", "async"), ("class C(Base):", "class"),
    ("if flag:", "block"), ("for s in (4, 8):", "block"), ("while running:", "block"),
    ("with open(p) as fh, lock:", "with"), ("try:", "try"), ("match command:", "match"),
    ("def method(self, *, seconds=10):", "function"), ("@decorator(model='sora-2')\ndef h():", "function"),
    ("if x:  # comment", "block"), ("async def main():  # \x0c", "async"),
]


@st.composite
def block(draw, level: int, unit: str, names: list, is_async: bool, in_function: bool, depth: int) -> list:
    lines = []
    for _ in range(draw(st.integers(1, 4 if depth else 6))):
        pad = unit * level
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            header, kind = draw(st.sampled_from(HEADERS))
            inner_async = kind == "async" or (is_async and kind not in ("function", "class"))
            inner_function = kind in ("function", "async") or (in_function and kind != "class")
            header_lines = header.split("\n")
            lines.extend(pad + h for h in header_lines)
            if kind == "match":
                lines.append(pad + unit + "case {'seconds': 10, **rest} | [1, *_]:")
                lines.extend(draw(block(level + 2, unit, names, inner_async, inner_function, depth + 1)))
                lines.append(pad + unit + "case _:")
                lines.extend(draw(block(level + 2, unit, names, inner_async, inner_function, depth + 1)))
                continue
            lines.extend(draw(block(level + 1, unit, names, inner_async, inner_function, depth + 1)))
            if kind == "try":
                lines.append(pad + draw(st.sampled_from(["except Exception as exc:", "except (A, B):", "finally:"])))
                lines.extend(draw(block(level + 1, unit, names, inner_async, inner_function, depth + 1)))
            elif kind == "block" and draw(st.booleans()):
                lines.append(pad + "else:")
                lines.extend(draw(block(level + 1, unit, names, inner_async, inner_function, depth + 1)))
            continue
        statement = draw(simple_statement(names, is_async, in_function))
        comment = draw(st.sampled_from(COMMENTS))
        trailing = draw(st.sampled_from(["", "", "", "", "", " ", "\t", "  # c", "  " + comment]))
        lines.append(pad + statement + trailing)
        filler = draw(st.sampled_from(["none"] * 6 + ["blank", "spaces", "comment", "deep-comment", "formfeed"]))
        if filler == "blank":
            lines.append("")
        elif filler == "spaces":
            lines.append("   \t")
        elif filler == "comment":
            lines.append(pad + draw(st.sampled_from(COMMENTS)))
        elif filler == "deep-comment":
            lines.append(unit * (level + 3) + draw(st.sampled_from(COMMENTS)))
        elif filler == "formfeed":
            lines.append("\x0c")
    return lines


@st.composite
def sora_programs(draw, with_finding: bool = False) -> str:
    """A module; ``with_finding`` ends it with a call every profile reports (after all the noise)."""
    unit = draw(st.sampled_from(["    ", "  ", "\t", "        ", " \t"]))
    names: list = []
    head = draw(st.lists(st.sampled_from(IMPORTS + CLIENTS + ["# -*- coding: utf-8 -*-", '"""Module docstring."""',
                                                              "# sora-lint: noqa", "#!/usr/bin/env python"]),
                         max_size=4))
    body = draw(block(0, unit, names, False, False, 0))
    # Bind the names the calls used, once or twice, somewhere the call can see (or not).
    bindings = []
    for name, param in names:
        for _ in range(draw(st.sampled_from([1, 1, 1, 2, 0]))):
            if param == "dict":
                keys = draw(st.lists(st.sampled_from(["model", "seconds", "size", "prompt"]), unique=True, max_size=4))
                bindings.append(f"{name} = {{" + ", ".join(f'"{k}": {draw(literal(k))}' for k in keys) + "}")
            else:
                bindings.append(f"{name} = {draw(literal(param))}")
    lines = [h for h in head if h != "# sora-lint: noqa" or draw(st.integers(0, 4)) == 0] + bindings + body
    if with_finding:
        lines = ["import openai"] + [line for line in lines if line != "# sora-lint: noqa"]
        lines.append(f'client.videos.create(model="sora-2"{draw(st.sampled_from(SEPARATORS))}seconds=10)')
    text = "\n".join(lines)
    text += draw(st.sampled_from(["\n", "\n", "\n", "", "\n\n"]))
    newline = draw(st.sampled_from(["\n"] * 5 + ["\r\n", "\r", "mixed"]))
    if newline == "mixed":
        parts = text.split("\n")
        text = "".join(p + (draw(st.sampled_from(["\n", "\r\n", "\r"])) if i < len(parts) - 1 else "")
                       for i, p in enumerate(parts))
    elif newline != "\n":
        text = text.replace("\n", newline)
    return text


@given(sora_programs())
def test_own_grammar_programs(source):
    assert_robust(source)


@given(sora_programs(), st.sampled_from(PROFILES))
def test_line_endings_change_nothing_but_line_endings(source, profile):
    assert_line_endings_do_not_matter(source, profile)


@given(sora_programs(with_finding=True))
def test_noqa_silences_the_line_it_is_on(source):
    assert_noqa_silences_the_reported_line(source)


@given(sora_programs())
def test_diff_is_a_patch_that_gives_the_fixed_text(source):
    assert_diff_reproduces_the_fix(source)


@given(sora_programs(), st.sampled_from(["utf-8", "utf-8-sig"]))
def test_bytes_round_trip_through_decode_keep_bom_and_bytes(source, encoding):
    """The CLI's path: bytes (with or without a BOM) -> text -> fix -> the same encoding."""
    data = source.encode(encoding)
    text, detected = decode(data)
    assert "\ufeff" not in text[:1]
    assert text == source
    outcome = apply_fixes(text, "gen.py", SETTINGS["auto"])
    written = outcome.source.encode(detected)
    assert written.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if outcome.source == source:
        assert written == data


# --- hypothesmith programs with a Sora call spliced in ---------------------------

try:
    import hypothesmith
except ImportError:  # pragma: no cover - hypothesmith is in the test extra
    hypothesmith = None

needs_hypothesmith = pytest.mark.skipif(hypothesmith is None, reason="hypothesmith is not installed")
quiet_compile = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles odd code


@st.composite
def spliced(draw, programs) -> str:
    """A generated module with a Sora call inserted after one of its statements, at its indentation.

    Some of the call's values are names the module binds, however odd the binding.
    """
    source = draw(programs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        assume(False)
    lines = lines_with_endings(source)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    names = sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name)})
    if draw(st.integers(0, 2)):  # mostly a call with something to report or resolve
        args = []
        for param in draw(st.lists(st.sampled_from(["model", "seconds", "size"]), min_size=1, unique=True)):
            use_name = names and draw(st.integers(0, 3)) == 0
            args.append(f"{param}={draw(st.sampled_from(names)) if use_name else draw(literal(param))}")
        method = draw(st.sampled_from(["create", "create_and_poll", "extend", "with_raw_response.create"]))
        call = f"{draw(st.sampled_from(RECEIVERS))}.videos.{method}({', '.join(args)})"
    else:
        call = draw(sora_call([], False))
    statements = [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]
    if statements and draw(st.integers(0, 4)):
        node = draw(st.sampled_from(statements))
        first = lines[node.lineno - 1]
        indent = first[:len(first) - len(first.lstrip(" \t\x0c"))]
        assume(node.col_offset == len(indent.encode()))
        at = node.end_lineno
    else:
        indent, at = "", 0
    head = draw(st.sampled_from(["", "import openai\n", "from openai import OpenAI\nclient = OpenAI()\n"]))
    # Only the call's first line needs the indentation: the rest is inside brackets or after a backslash.
    result = head + "".join(lines[:at]) + indent + call + "\n" + "".join(lines[at:])
    assume(parses_with_cpython(result))
    return result


# Built once, on first use (compiling the grammar takes a while).
grammar_programs = st.deferred(lambda: spliced(hypothesmith.from_grammar()))
libcst_programs = st.deferred(lambda: spliced(hypothesmith.from_node()))


@needs_hypothesmith
@quiet_compile
@given(grammar_programs)
def test_hypothesmith_grammar_programs_with_a_sora_call(source):
    assert_robust(source)


@needs_hypothesmith
@quiet_compile
@given(libcst_programs)
def test_hypothesmith_libcst_programs_with_a_sora_call(source):
    assert_robust(source)
