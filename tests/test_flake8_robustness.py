"""The flake8 plugin never raises into flake8 (issue 5, item 4).

The real flake8 runs in a subprocess through a small wrapper that makes sora-lint's engine fail
on files whose name contains ``boom``: flake8 must print one SOR000 line for each of those, asking
for a bug report, check every other file as usual, and never show a traceback.
"""
import os
import subprocess
import sys
import textwrap

import libcst
import pytest
from conftest import lines

# Crash safety of the plugin (flake8 processes with a failing engine): in the full run only.
pytestmark = pytest.mark.slow

BAD_CALL = 'import openai\nclient.videos.create(model="sora-2", prompt="p", seconds="10")\n'
SOR001 = ("SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
          "use \"8\" or \"12\" [profile openai: auto: no client is built in this file]")
FAILED = "SOR000 sora-lint failed on this file ({}); please report this as a bug"

WRAPPER = textwrap.dedent('''\
    """flake8, with sora-lint's engine failing on files named *boom*, as $BOOM says."""
    import multiprocessing
    import os
    import sys

    import sora_lint.engine as engine

    real_lint_source = engine.lint_source


    class Unprintable(Exception):
        def __str__(self):
            raise ValueError("and neither can this")


    def lint_source(source, filename="<string>", *args, **kwargs):
        if "boom" in os.path.basename(filename):
            kind = os.environ.get("BOOM", "plain")
            if kind == "multiline":
                raise RuntimeError("first line\\n    second line")
            if kind == "unprintable":
                raise Unprintable()
            if kind == "long":
                raise RuntimeError("x" * 5000)
            if kind == "recursion":
                raise RecursionError("maximum recursion depth exceeded")
            raise RuntimeError("injected failure")
        return real_lint_source(source, filename, *args, **kwargs)


    engine.lint_source = lint_source
    if __name__ == "__main__":
        # flake8's workers must see the patch, whatever this Python's default start method.
        multiprocessing.set_start_method("fork")
        from flake8.main.cli import main

        raise SystemExit(main(sys.argv[1:]))
''')


@pytest.fixture
def broken_flake8(tmp_path):
    (tmp_path / "run_flake8.py").write_text(WRAPPER)

    def run(*args: str, boom: str = "plain", stdin: str = "") -> subprocess.CompletedProcess:
        env = dict(os.environ, BOOM=boom, NO_COLOR="1", PYTHONIOENCODING="utf-8")
        return subprocess.run([sys.executable, "run_flake8.py", "--select", "SOR", *args], cwd=str(tmp_path),
                              capture_output=True, text=True, input=stdin, env=env, timeout=300)

    return run


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the wrapper patches the engine in forked workers")


@needs_fork
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_is_one_sor000_line_and_flake8_goes_on(broken_flake8, tmp_path, jobs):
    for name in ("a_boom.py", "b_ok.py", "c_boom.py", "d_ok.py"):
        (tmp_path / name).write_text(BAD_CALL)
    result = broken_flake8("--jobs", jobs, "a_boom.py", "b_ok.py", "c_boom.py", "d_ok.py")
    failed = FAILED.format("RuntimeError: injected failure")
    assert lines(result.stdout) == [
        f"a_boom.py:1:1: {failed}",
        f"b_ok.py:2:58: {SOR001}",
        f"c_boom.py:1:1: {failed}",
        f"d_ok.py:2:58: {SOR001}",
    ]
    assert (result.returncode, result.stderr) == (1, "")


@needs_fork
@pytest.mark.parametrize("boom, shown", [
    ("multiline", "RuntimeError: first line second line"),
    ("unprintable", "Unprintable: its message could not be printed"),
    ("long", "RuntimeError: " + "x" * 197 + "..."),
    ("recursion", "RecursionError: maximum recursion depth exceeded"),
])
def test_whatever_the_error_the_finding_is_one_line(broken_flake8, tmp_path, boom, shown):
    (tmp_path / "boom.py").write_text(BAD_CALL)
    (tmp_path / "ok.py").write_text(BAD_CALL)
    result = broken_flake8("boom.py", "ok.py", boom=boom)
    assert result.stdout.splitlines() == [f"boom.py:1:1: {FAILED.format(shown)}", f"ok.py:2:58: {SOR001}"]
    assert (result.returncode, result.stderr) == (1, "")


def test_a_message_with_newlines_is_folded_onto_one_line():
    from sora_lint.frontends.flake8_plugin import _one_line

    assert _one_line(RuntimeError("Syntax Error @ 2:1.\n\n    print(\n    "
                                  "^")) == "RuntimeError: Syntax Error @ 2:1. print( ^"
    assert _one_line(RuntimeError()) == "RuntimeError"


@needs_fork
def test_an_internal_error_on_stdin_as_editors_run_flake8(broken_flake8):
    result = broken_flake8("--stdin-display-name", "editor_boom.py", "-", stdin=BAD_CALL)
    assert lines(result.stdout) == [f"editor_boom.py:1:1: {FAILED.format('RuntimeError: injected failure')}"]
    assert (result.returncode, result.stderr) == (1, "")


# Valid Python with more implicitly joined strings than LibCST's parser takes.
LIBCST_REJECTS = "x = (" + " ".join(['"ab"'] * 50_000) + ")\n"
# LibCST 1.9's node validation raises TypeError on this valid Python (LibCST issue #1061); sora-lint skips
# that validation for a source CPython accepts (engine/parse.py), so the file is checked.
LIBCST_VALIDATION_BUG = "x = () if 0 else(lambda:())\n"


def _libcst_rejects() -> bool:
    try:
        libcst.parse_module(LIBCST_REJECTS)
    except Exception:  # noqa: BLE001
        return True
    return False


@pytest.mark.skipif(not _libcst_rejects(), reason="this LibCST parses the example: nothing to test")
def test_a_file_libcst_rejects_reaches_the_plugin_and_is_named(flake8, tmp_path):
    compile(LIBCST_REJECTS, "x.py", "exec")  # valid Python, so flake8 hands it to the plugin
    (tmp_path / "a_rejected.py").write_text(BAD_CALL + LIBCST_REJECTS)
    (tmp_path / "b_ok.py").write_text(BAD_CALL)
    result = flake8("--select", "SOR,E9", "a_rejected.py", "b_ok.py")
    assert lines(result.stdout) == [
        "a_rejected.py:3:250006: SOR000 could not parse this file, so it was not checked: LibCST does not support "
        'this syntax (parser error: error at 3:250005: expected one of STRING, f", t")',
        f"b_ok.py:2:58: {SOR001}",
    ]
    assert (result.returncode, result.stderr) == (1, "")


def _libcst_validation_fails() -> bool:
    try:
        libcst.parse_module(LIBCST_VALIDATION_BUG)
    except TypeError:
        return True
    return False


@pytest.mark.skipif(not _libcst_validation_fails(), reason="this LibCST validates the example: nothing to test")
def test_a_file_only_libcsts_validation_rejects_is_checked(flake8, tmp_path):
    (tmp_path / "validated.py").write_text(BAD_CALL + LIBCST_VALIDATION_BUG)
    result = flake8("--select", "SOR,E9", "validated.py")
    assert lines(result.stdout) == [f"validated.py:2:58: {SOR001}"]
    assert (result.returncode, result.stderr) == (1, "")
