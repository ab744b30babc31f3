"""Issue 12: a fix changes only the value's characters, and a message is one line.

Every case has its exact bytes before and after, checked through every way a user fixes
a file: ``sora-lint fix`` and ``fix --diff`` (as processes), the LibCST codemod (as a
process) and the language server's code action (over stdio), each in an LF file, a CRLF
file and a file with a UTF-8 BOM.
"""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from conftest import lines, run, sora_lint
from test_lsp import Client, apply_text_edits, needs_pygls

from sora_lint.run.runner import unified_diff_bytes

OPENAI = "from openai import OpenAI\n\nclient = OpenAI()\n"


def _case(body: str, after: str) -> tuple[str, str]:
    return OPENAI + textwrap.dedent(body), OPENAI + textwrap.dedent(after)


# name: (before, after). Safe fixes: `sora-lint fix`.
SAFE: dict[str, tuple[str, str]] = {
    "single_quotes": _case("client.videos.create(model='sora-2', prompt='p', seconds='6')\n",
                           "client.videos.create(model='sora-2', prompt='p', seconds='8')\n"),
    "raw_prefix": _case("client.videos.create(model='sora-2', prompt='p', seconds=r'10')\n",
                        "client.videos.create(model='sora-2', prompt='p', seconds=r'12')\n"),
    "triple_quotes": _case("client.videos.create(model='sora-2', prompt='p', seconds='''10''')\n",
                           "client.videos.create(model='sora-2', prompt='p', seconds='''12''')\n"),
    "unicode_prefix": _case("client.videos.create(model='sora-2', prompt='p', seconds=u'10')\n",
                            "client.videos.create(model='sora-2', prompt='p', seconds=u'12')\n"),
    "parenthesised": _case('''\
        def render(prompt):
            return client.videos.create(
                model="sora-2",
                prompt=prompt,
                seconds=(
                    "10"  # marketing wants ten
                ),
            )
        ''', '''\
        def render(prompt):
            return client.videos.create(
                model="sora-2",
                prompt=prompt,
                seconds=(
                    "12"  # marketing wants ten
                ),
            )
        '''),
    "concatenated": _case('''\
        video = client.videos.create(
            model="sora-2",
            prompt="p",
            size=("1792"
                  "x1024"),  # wide
        )
        ''', '''\
        video = client.videos.create(
            model="sora-2",
            prompt="p",
            size=("1280x720"),  # wide
        )
        '''),
    # SOR001 and SOR002 on one value: the type fix alone already writes a supported duration.
    "int_and_unsupported": _case('client.videos.create(model="sora-2", prompt="p", seconds=10)\n',
                                 'client.videos.create(model="sora-2", prompt="p", seconds="12")\n'),
    "nearest_size": _case('client.videos.create(model="sora-2-pro", prompt="p", size="1920x1080")\n',
                          'client.videos.create(model="sora-2-pro", prompt="p", size="1792x1024")\n'),
    "nearest_portrait_size": _case("client.videos.create(model='sora-2-pro', prompt='p', size='1080x1920')\n",
                                   "client.videos.create(model='sora-2-pro', prompt='p', size='1024x1792')\n"),
    "dict_value": _case('client.videos.create(prompt="p", **{"model": "sora-2", "seconds": "9"})\n',
                        'client.videos.create(prompt="p", **{"model": "sora-2", "seconds": "8"})\n'),
}

# Unsafe fixes: `sora-lint fix --unsafe-fixes` adds model="sora-2-pro" in the call's own layout.
UNSAFE: dict[str, tuple[str, str]] = {
    "model_after_trailing_comma": _case('''\
        def render(prompt):
            return client.videos.create(
                prompt=prompt,  # the prompt
                size="1024x1792",  # portrait
            )
        ''', '''\
        def render(prompt):
            return client.videos.create(
                prompt=prompt,  # the prompt
                size="1024x1792",  # portrait
                model="sora-2-pro",
            )
        '''),
    "model_without_trailing_comma": _case('''\
        def render(prompt):
            return client.videos.create(
                prompt=prompt,
                size="1024x1792"  # portrait
            )
        ''', '''\
        def render(prompt):
            return client.videos.create(
                prompt=prompt,
                size="1024x1792",  # portrait
                model="sora-2-pro"
            )
        '''),
    "model_in_one_line_call": _case('client.videos.create(prompt="p", size="1024x1792")\n',
                                    'client.videos.create(prompt="p", size="1024x1792", model="sora-2-pro")\n'),
    "model_in_hanging_call": _case('''\
        video = client.videos.create(prompt="p",
                                     size="1024x1792")
        ''', '''\
        video = client.videos.create(prompt="p",
                                     size="1024x1792",
                                     model="sora-2-pro")
        '''),
}

BOM = b"\xef\xbb\xbf"
VARIANTS = {"lf": lambda text: text.encode(), "crlf": lambda text: text.replace("\n", "\r\n").encode(),
            "bom": lambda text: BOM + text.encode()}


def write_cases(folder: Path, cases: dict[str, tuple[str, str]]) -> dict[Path, tuple[bytes, bytes]]:
    """Every case in every variant, as files in ``folder``; each file's bytes before and after."""
    folder.mkdir()
    files = {}
    for name, (before, after) in cases.items():
        for variant, encode in VARIANTS.items():
            path = folder / f"{name}_{variant}.py"
            path.write_bytes(encode(before))
            files[path] = (encode(before), encode(after))
    return files


@pytest.mark.parametrize("cases, flags", [(SAFE, ()), (UNSAFE, ("--unsafe-fixes",))], ids=["safe", "unsafe"])
def test_fix_writes_exactly_the_expected_bytes(cli, tmp_path, cases, flags):
    files = write_cases(tmp_path / "src", cases)
    result = cli("fix", *flags, "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p.name: p.read_bytes() for p in files} == {p.name: after for p, (_before, after) in files.items()}


@pytest.mark.parametrize("cases, flags", [(SAFE, ()), (UNSAFE, ("--unsafe-fixes",))], ids=["safe", "unsafe"])
def test_fix_diff_shows_exactly_the_expected_change(tmp_path, cases, flags):
    files = write_cases(tmp_path / "src", cases)
    # bytes: text mode would turn the CRLF files' \r\n into \n
    result = sora_lint(["fix", "--diff", *flags, "src"], tmp_path, stdin=b"")
    assert result.returncode == 1
    # Each patch is in its file's own encoding (a BOM file's first line keeps the BOM), so it applies.
    expected = b"".join(
        unified_diff_bytes(before.removeprefix(BOM).decode(), after.removeprefix(BOM).decode(), f"src/{path.name}",
                           "utf-8-sig" if before.startswith(BOM) else "utf-8")
        for path, (before, after) in sorted(files.items()))
    assert result.stdout == expected
    assert all(path.read_bytes() == before for path, (before, _after) in files.items())  # nothing written


@pytest.mark.slow
@pytest.mark.parametrize("cases, flags", [(SAFE, ()), (UNSAFE, ("--unsafe-fixes",))], ids=["safe", "unsafe"])
def test_codemod_writes_the_same_bytes(tmp_path, cases, flags):
    files = write_cases(tmp_path / "src", cases)
    (tmp_path / "pyproject.toml").write_text("[tool.sora-lint]\n")
    result = run([sys.executable, "-m", "libcst.tool", "codemod", "--no-format", "-x",
                  "sora_lint.frontends.codemod.FixSoraParameters", *flags, "src"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Transformed {len(files)} files successfully." in result.stderr
    assert {p.name: p.read_bytes() for p in files} == {p.name: after for p, (_before, after) in files.items()}


def _code_actions(client: Client, path: Path, text: str) -> list[dict]:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                            "version": 1, "text": text}})
    published = client.notification("textDocument/publishDiagnostics")
    assert published["diagnostics"], text
    actions = []
    for diagnostic in published["diagnostics"]:
        actions += client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}})
    return actions


@pytest.mark.slow
@needs_pygls
def test_language_server_quick_fix_is_the_same_minimal_edit(tmp_path):
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        for unsafe, cases in ((False, SAFE), (True, UNSAFE)):
            for name, (before, after) in cases.items():
                for variant, encode in VARIANTS.items():
                    text = encode(before).decode("utf-8")  # an editor keeps a BOM as U+FEFF
                    expected = encode(after).decode("utf-8")
                    path = tmp_path / f"{name}_{variant}.py"
                    actions = _code_actions(client, path, text)
                    # Every action on its own (SOR001's or SOR002's) gives the fixed text.
                    fixes = [a for a in actions if "Disable" not in a["title"]]
                    chosen = [a for a in fixes if ("unsafe" in a["title"]) == unsafe]
                    assert chosen, (name, variant, actions)
                    # The "disable for this line" actions (issue 13) only insert their comment.
                    for action in actions:
                        if "Disable" in action["title"]:
                            [edits] = action["edit"]["changes"].values()
                            assert all(e["range"]["start"] == e["range"]["end"] and "# noqa: SOR" in e["newText"]
                                       for e in edits), (name, variant, edits)
                    for action in chosen:
                        [edits] = action["edit"]["changes"].values()
                        assert apply_text_edits(text, edits) == expected, (name, variant, action["title"])
                        if unsafe:  # an insertion, never a rewrite of the call
                            assert all(e["range"]["start"] == e["range"]["end"] for e in edits)
        assert client.close() == 0
    finally:
        client.kill()


@pytest.mark.parametrize("unsafe, name", [(False, n) for n in SAFE] + [(True, n) for n in UNSAFE])
def test_every_case_is_fixed_in_one_pass_and_then_stable(unsafe, name):
    from sora_lint.contracts.settings import Settings
    from sora_lint.engine import apply_fixes

    before, after = (UNSAFE if unsafe else SAFE)[name]
    for variant in ("\n", "\r\n", "\r"):
        outcome = apply_fixes(before.replace("\n", variant), "t.py", Settings(), unsafe_fixes=unsafe)
        assert (outcome.error, outcome.source) == (None, after.replace("\n", variant))
        assert apply_fixes(outcome.source, "t.py", Settings(), unsafe_fixes=unsafe).applied == 0


def test_insertion_is_minimal_edits():
    from sora_lint.engine import lint_source

    before, _after = UNSAFE["model_without_trailing_comma"]
    [finding] = lint_source(before, "t.py")
    unsafe = finding.fix_for(unsafe_fixes=True)
    assert [(e.content, (e.location.row, e.location.column), (e.end_location.row, e.end_location.column))
            for e in unsafe.edits] == [
        (",", (7, 25), (7, 25)),
        ('        model="sora-2-pro"\n', (8, 1), (8, 1)),
    ]


# --- messages: one line, the value as its literal ------------------------------------------

ONE_LINE = OPENAI + textwrap.dedent('''\
    video = client.videos.create(
        model="sora-2",
        prompt="p",
        seconds=(
            "10"
        ),
    )
    client.videos.create(prompt="p", **{"model": "sora-2", "seconds": "9"})
    client.videos.create(model="sora-2", prompt="p", size=("1792"
                                                          "x1024"))
''')
TAG = " [profile openai: auto: client has no base_url]"
SUPPORTED = "(Supported values are: '4', '8', and '12')"
CONCISE = [
    f'm.py:7:13: SOR001 [*] seconds="10" is not supported by sora-2 {SUPPORTED}; use "8" or "12"{TAG}',
    f'm.py:11:67: SOR001 [*] seconds="9" is not supported by sora-2 {SUPPORTED}; use "8" or "12"{TAG}',
    "m.py:12:55: SOR003 [*] size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and "
    f"'720x1280'); use \"1280x720\" (same orientation), or model=\"sora-2-pro\"{TAG}",
]


def test_messages_are_one_line_in_concise_output(cli, tmp_path):
    (tmp_path / "m.py").write_text(ONE_LINE)
    result = cli("check", "--output-format", "concise", "m.py")
    assert result.returncode == 1
    assert lines(result.stdout) == CONCISE + ["Found 3 errors.", "[*] 3 fixable with `sora-lint fix`."]


def test_messages_are_one_line_through_flake8(flake8, tmp_path):
    (tmp_path / "m.py").write_text(ONE_LINE)
    result = flake8("m.py")
    assert lines(result.stdout) == [line.replace(" [*]", "") for line in CONCISE]


def test_int_and_unsupported_is_one_finding_that_says_a_valid_value():
    from sora_lint.engine import lint_source

    before, _after = SAFE["int_and_unsupported"]
    # One value, one finding (SOR001 wins over SOR002), whose advice and fix are in the contract's type.
    assert [(d.code, d.message, [f.edits[0].content for f in d.fixes]) for d in lint_source(before, "t.py")] == [
        ("SOR001", f'seconds=10 is not supported by sora-2 {SUPPORTED}; use "8" or "12"{TAG}', ['"12"']),
    ]


def test_nearest_size_says_how_it_was_chosen():
    from sora_lint.engine import lint_source

    before, _after = SAFE["nearest_size"]
    [finding] = lint_source(before, "t.py")
    assert finding.message == (
        "size=\"1920x1080\" is not supported by sora-2-pro (Supported values are: '1280x720', '720x1280', "
        f"'1792x1024', and '1024x1792'); use \"1792x1024\" (same orientation, nearest in area){TAG}")
    assert [f.message for f in finding.fixes] == ['Replace with "1792x1024" (same orientation, nearest in area)']


def test_a_value_written_over_lines_is_shown_on_one_line():
    from sora_lint.engine import lint_source

    source = OPENAI + 'client.videos.create(model="sora-2", prompt="p", seconds="""1\n0""")\n'
    assert [d.message for d in lint_source(source, "t.py")] == [
        f'seconds="1\\n0" is not a number of seconds: write one supported by sora-2 {SUPPORTED}{TAG}']


# --- a comment inside a value: never deleted, so no fix ------------------------------------

COMMENT_INSIDE = OPENAI + textwrap.dedent('''\
    video = client.videos.create(
        model="sora-2",
        prompt="p",
        size=("1792"  # width
              "x1024"),  # height
    )
    PARAMS = {
        "model": "sora-2",
        "size": (
            "1792"  # wide
            "x1024"  # short
        ),
    }
    client.videos.create(prompt="p", **PARAMS)
''')
NOT_FIXED = " (not fixed automatically: a comment sits inside the value)"
SIZE_ON_SORA_2 = ("is not supported by sora-2 (Supported values are: '1280x720' and '720x1280'); "
                  'use "1280x720" (same orientation), or model="sora-2-pro"')


def test_a_comment_inside_a_value_is_reported_without_a_fix(cli, tmp_path):
    (tmp_path / "m.py").write_text(COMMENT_INSIDE)
    result = cli("check", "--output-format", "concise", "m.py")
    assert result.returncode == 1
    # No [*]: `fix` would have to delete "# width" / "# wide" to write one string.
    assert lines(result.stdout) == [
        f'm.py:7:10: SOR003 size="1792x1024" {SIZE_ON_SORA_2}{NOT_FIXED}{TAG}',
        f'm.py:12:13: SOR003 size="1792x1024" (in **PARAMS) {SIZE_ON_SORA_2}{NOT_FIXED}{TAG}'
        ' (sent by the call at line 17)',
        "Found 2 errors.",
        "2 more fixable with `sora-lint fix --unsafe-fixes`.",
    ]
    fixed = cli("fix", "m.py")
    assert fixed.returncode == 1
    assert lines(fixed.stdout)[-1] == "0 fixes applied in 0 files, 2 findings left (2 fixable with `--unsafe-fixes`)."
    assert (tmp_path / "m.py").read_text() == COMMENT_INSIDE


def test_the_model_switch_beside_a_commented_value_keeps_every_comment(cli, tmp_path):
    (tmp_path / "m.py").write_text(COMMENT_INSIDE)
    result = cli("fix", "--unsafe-fixes", "m.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "m.py").read_text() == COMMENT_INSIDE.replace('"sora-2"', '"sora-2-pro"')


def test_comments_around_a_value_in_its_parentheses_are_no_reason_to_withhold_its_fix():
    import libcst as cst

    from sora_lint.rules.base import comment_inside

    around = cst.parse_expression('(  # ten\n    "10"  # seconds\n)')
    inside = cst.parse_expression('("1792"  # wide\n "x1024")')
    assert (comment_inside(around), comment_inside(inside)) == (False, True)
