"""The catalogue of bad input: each case names the file, says what happened, and the run goes on.

Every case runs the CLI as a process; the flake8 plugin runs through the real flake8
where flake8 gets that far (flake8 reports syntax errors itself, as E999).
"""
import os

import pytest
from conftest import lines

CALL = 'client.videos.create(model="sora-2", prompt="p", seconds="10")\n'
GOOD = "import openai\n" + CALL.replace('"10"', '"8"')
SOR001_TAIL = ("SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
               "use \"8\" or \"12\" [profile openai: auto: no client is built in this file]")
BAD = "import openai\n" + CALL


def check(cli, *paths):
    result = cli("check", "--output-format", "concise", *paths)
    return result.returncode, lines(result.stdout), lines(result.stderr)


def test_syntax_error(cli, flake8, tmp_path):
    (tmp_path / "a.py").write_text("import openai\ndef f(:\n    " + CALL)
    (tmp_path / "b.py").write_text(BAD)
    code, out, err = check(cli, ".")
    assert (code, out[:2], err) == (1, [
        "a.py:2:7: SOR000 could not parse this file, so it was not checked: SyntaxError: invalid syntax",
        f"b.py:2:58: {SOR001_TAIL}"], [])
    result = flake8("--select", "SOR,E9", "a.py")
    assert lines(result.stdout) == ["a.py:2:8: E999 SyntaxError: invalid syntax"]  # flake8's own column


def test_undecodable_bytes(cli, tmp_path):
    (tmp_path / "latin.py").write_bytes(b"import openai\nname = 'caf\xe9'\n" + CALL.encode())
    assert check(cli, "latin.py") == (1, [
        "latin.py:1:1: SOR000 could not read this file, so it was not checked: not valid utf-8: invalid continuation "
        "byte",
        "Found 1 error."], [])


def test_wrong_encoding_declaration(cli, tmp_path):
    (tmp_path / "enc.py").write_text("# -*- coding: klingon -*-\n" + BAD)
    assert (
        check(cli, "enc.py")[1][0]
        == "enc.py:1:1: SOR000 could not read this file, so it was not checked: unknown encoding: klingon"
    )


def test_bom_crlf_mixed_endings_and_tabs_keep_exact_positions(cli, flake8, tmp_path):
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + BAD.encode())
    (tmp_path / "crlf.py").write_bytes(BAD.replace("\n", "\r\n").encode())
    (tmp_path / "mixed.py").write_bytes(("import openai\r\nx = 1\n\r\n" + CALL).encode())
    (tmp_path / "tabs.py").write_text("import openai\nif True:\n\t" + CALL)
    code, out, _ = check(cli, ".")
    assert out[:-2] == [f"bom.py:2:58: {SOR001_TAIL}", f"crlf.py:2:58: {SOR001_TAIL}",
                        f"mixed.py:4:58: {SOR001_TAIL}", f"tabs.py:3:59: {SOR001_TAIL}"]
    flake8_out = lines(flake8(".").stdout)
    assert [line.split(": SOR")[0] for line in flake8_out] == [
        "./bom.py:2:58",
        "./crlf.py:2:58",
        "./mixed.py:4:58",
        "./tabs.py:3:59",
    ]


def test_empty_file(cli, flake8, tmp_path):
    (tmp_path / "empty.py").write_text("")
    assert check(cli, "empty.py") == (0, ["All checks passed!"], [])
    assert flake8("empty.py").returncode == 0


def test_several_megabytes(cli, tmp_path):
    blob = "\n".join("A" * 76 for _ in range(45_000))  # ~3.4 MB of embedded data, as generated modules have
    (tmp_path / "data.py").write_text(f'import openai\nBLOB = """\n{blob}\n"""\n' + CALL)
    code, out, _ = check(cli, "data.py")
    assert out[0] == f"data.py:45004:58: {SOR001_TAIL}"


def test_missing_path(cli, tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    code, out, err = check(cli, "nope.py", "a.py")
    assert (code, err) == (2, ["sora-lint: error: nope.py: no such file or directory"])
    assert out[0] == f"a.py:2:58: {SOR001_TAIL}"  # the other files are still checked


def test_symlink_loop(cli, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(BAD)
    os.symlink("..", tmp_path / "pkg" / "up")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "self")
    code, out, err = check(cli, ".")
    assert (code, out, err) == (1, [f"pkg/a.py:2:58: "
                                    f"{SOR001_TAIL}", "Found 1 error.", "[*] 1 fixable with `sora-lint fix`."], [])


def test_file_that_cannot_be_read(cli, tmp_path):
    os.symlink("gone.py", tmp_path / "dangling.py")
    (tmp_path / "ok.py").write_text(GOOD)
    assert check(cli, ".") == (1, ["All checks passed!"],
                               ["sora-lint: error: dangling.py: cannot be read: No such file or directory"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_file_without_read_permission(cli, tmp_path):
    path = tmp_path / "secret.py"
    path.write_text(BAD)
    path.chmod(0)
    assert check(cli, "secret.py") == (1, ["All checks passed!"],
                                       ["sora-lint: error: secret.py: cannot be read: Permission denied"])


def test_python2_file(cli, flake8, tmp_path):
    (tmp_path / "py2.py").write_text("import openai\nprint 'rendering'\n" + CALL)
    assert check(cli, "py2.py")[1][0] == (
        "py2.py:2:1: SOR000 could not parse this file, so it was not checked: "
        "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?")
    assert lines(flake8("--select", "SOR,E9", "py2.py").stdout)[0].startswith("py2.py:2:2: E999 SyntaxError")


def test_binary_file_named_py(cli, tmp_path):
    (tmp_path / "noise.py").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "nul.py").write_bytes(b"import openai\x00\n" + CALL.encode())
    assert check(cli, "noise.py") == (0, ["All checks passed!"], [])  # cannot hold a Sora call: not parsed
    assert check(cli, "nul.py")[1][0] == (
        "nul.py:1:1: SOR000 could not parse this file, so it was not checked: "
        "SyntaxError: source code string cannot contain null bytes")


@pytest.mark.parametrize("body, message", [
    ("x = " + "(" * 2000 + "1" + ")" * 2000,
     "could not parse this file, so it was not checked: SyntaxError: too many nested parentheses"),
    ("x = a" + ".b" * 50_000,
     "could not parse this file, so it was not checked: it is nested too deeply for Python's own parser"),
    # Code generation (positions) recurses: the deep expression sits before the value reported in its call,
    # whose text occurs twice in the statement (a unique one is placed by a search: see the next test).
    ('client.videos.create(prompt=("10" and ' + " and ".join(["a"] * 50_000) + '), model="sora-2", seconds="10")',
     "could not check this file: it is nested too deeply for sora-lint (Python's recursion limit)"),
])
@pytest.mark.slow
def test_deep_nesting_is_named_and_the_run_goes_on(cli, tmp_path, body, message):
    # LibCST's native parser would overflow the C stack on these and kill the process.
    (tmp_path / "deep.py").write_text("import openai\n" + body + "\n" + CALL)
    (tmp_path / "z.py").write_text(BAD)
    code, out, err = check(cli, ".")
    assert out[0].split(": SOR000 ")[1] == message
    assert out[1] == f"z.py:2:58: {SOR001_TAIL}"
    assert err == []


@pytest.mark.slow
def test_a_value_placed_by_its_text_is_reported_and_fixed_after_a_deep_expression(cli, tmp_path):
    deep = 'client.videos.create(prompt=(' + " and ".join(["a"] * 50_000) + '), model="sora-2", seconds="10")'
    (tmp_path / "deep.py").write_text("import openai\n" + deep + "\n")
    code, out, err = check(cli, ".")
    assert (code, out[0], err) == (1, f"deep.py:2:{len(deep) - 4}: {SOR001_TAIL}", [])
    assert cli("fix", ".").returncode == 0
    assert (tmp_path / "deep.py").read_text() == "import openai\n" + deep.replace('"10"', '"12"') + "\n"


def test_a_deep_statement_without_a_reported_value_is_never_generated_in_process():
    """Positions are generated only for the statements holding reported values: LibCST's code generation
    recurses past Python's limit on this statement (3,000 deep is enough), and the call after it is reported."""
    from sora_lint.contracts.settings import Settings
    from sora_lint.engine import lint_source

    source = "import openai\nx = " + " and ".join(["a"] * 3_000) + "\n" + CALL
    found = [f"{d.location.row}:{d.location.column}: {d.code} {d.message}" for d in lint_source(source, "deep.py",
                                                                                              Settings())]
    assert found == [f"3:58: {SOR001_TAIL.replace(' [*]', '')}"]


@pytest.mark.slow  # 50,000 deep through the CLI; the same behaviour runs in process above
def test_a_deep_statement_without_a_reported_value_does_not_stop_the_check(cli, tmp_path):
    """Positions are generated only for the statements holding reported values: the file is checked."""
    (tmp_path / "deep.py").write_text("import openai\nx = " + " and ".join(["a"] * 50_000) + "\n" + CALL)
    assert check(cli, "deep.py") == (1, [f"deep.py:3:58: {SOR001_TAIL}", "Found 1 error.",
                                         "[*] 1 fixable with `sora-lint fix`."], [])


def test_valid_python_libcst_rejects(cli, tmp_path):
    strings = " ".join(['"ab"'] * 50_000)  # valid Python; too many implicitly joined strings for LibCST
    (tmp_path / "joined.py").write_text(f"import openai\nx = ({strings})\n" + CALL)
    out = check(cli, "joined.py")[1][0]
    assert out.startswith("joined.py:2:250006: SOR000")
    assert ": SOR000 could not parse this file, so it was not checked: LibCST does not support this syntax (" in out
