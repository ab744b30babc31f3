import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import libcst
import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# SOR006 depends on the date. The suite runs on a fixed day before OpenAI announced the
# shutdown (2026-03-24), so the tests of the parameter rules assert their own findings
# whatever day they run on; tests of SOR006 and of what a user sees today set the date
# themselves (AFTER_SHUTDOWN). Set here, it reaches every CLI, flake8 and server subprocess.
BEFORE_LIFECYCLE = "2026-01-01"
AFTER_SHUTDOWN = "2026-12-01"
os.environ["SORA_LINT_TODAY"] = BEFORE_LIFECYCLE


def tool_environment(today: str = "") -> dict[str, str]:
    """The environment a test runs a tool in: no colour, no CI, UTF-8, and the date when given."""
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    if today:
        env["SORA_LINT_TODAY"] = today
    env.pop("CI", None)
    return env


def run(args: Sequence[str], cwd: Path, stdin: str | bytes = "", today: str = "") -> subprocess.CompletedProcess:
    """``args`` as a process in ``cwd``: text in, text out; bytes in, bytes out."""
    return subprocess.run(list(args), cwd=str(cwd), capture_output=True, text=not isinstance(stdin, bytes),
                          input=stdin, env=tool_environment(today), timeout=300)


def run_in_process(args: Sequence[str], cwd: Path, stdin: str | bytes = "", today: str = "",
                   tool: str = "sora_lint") -> subprocess.CompletedProcess:
    """What ``python -m TOOL ARGS`` gives (``sora_lint``, ``flake8`` or ``libcst.tool``), run through the same
    entry point inside this process.

    The same environment as :func:`run` (NO_COLOR, no CI, the date), the same working folder, byte streams
    without a terminal, ``SystemExit`` as the exit code and an escaping exception as a traceback on stderr
    with exit code 1, as the interpreter would print it. Process start-up (about half a second, most of it
    importing LibCST) is what it saves. Text in, text out (decoded as ``subprocess.run(text=True)`` does);
    bytes in, bytes out.
    """
    import io
    import traceback

    from sora_lint.run import project_files

    project_files._SHARED.clear()  # a new process starts without the files an earlier run read
    env = tool_environment(today)
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams, saved_argv = (sys.stdin, sys.stdout, sys.stderr), sys.argv
    out, err = io.BytesIO(), io.BytesIO()
    data = stdin if isinstance(stdin, bytes) else stdin.encode()
    # Held here too: a wrapper closes its buffer when it is collected, which would be as soon as it is replaced.
    streams = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.argv = [tool, *args]
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        _ENTRY_POINTS[tool]()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    except Exception:
        sys.stderr.write(traceback.format_exc())
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        (sys.stdin, sys.stdout, sys.stderr), sys.argv = saved_streams, saved_argv
    shown = out.getvalue(), err.getvalue()
    del streams
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    if isinstance(stdin, bytes):
        return subprocess.CompletedProcess([tool, *args], returncode, *shown)

    def text(data: bytes) -> str:  # as subprocess.run(text=True) decodes: universal newlines
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess([tool, *args], returncode, text(shown[0]), text(shown[1]))


def _sora_lint_entry() -> None:
    from sora_lint.frontends.cli import entry

    entry()


def _flake8_entry() -> None:
    from flake8.main.cli import main

    # One job: a pool would fork this test process (the processes' runs keep flake8's default).
    sys.exit(main([*sys.argv[1:], "--jobs", "1"]))


def _codemod_entry() -> None:
    from libcst.tool import main

    # One job, for the same reason (LibCST runs one job in this process).
    command, *rest = sys.argv[1:]
    sys.exit(main("libcst.tool", [command, *rest, "--jobs=1"]))


_ENTRY_POINTS = {"sora_lint": _sora_lint_entry, "flake8": _flake8_entry, "libcst.tool": _codemod_entry}


# Whether the tests' runs of sora-lint and flake8 start processes: in CI and the slow run (full strength),
# or with SORA_LINT_TEST_PROCESSES=1; in the fast loop they go through the same entry points in process
# (docs/development.md). Set in pytest_configure.
TOOLS_IN_PROCESSES = True


def python_m(tool: str, args: Sequence[str], cwd: Path, stdin: str | bytes = "",
             today: str = "") -> subprocess.CompletedProcess:
    """``python -m TOOL ARGS`` in ``cwd`` (``sora_lint``, ``flake8`` or ``libcst.tool``): a process or in
    process, as :data:`TOOLS_IN_PROCESSES` says."""
    if not TOOLS_IN_PROCESSES:
        return run_in_process(args, cwd, stdin, today, tool=tool)
    return run([sys.executable, "-m", tool, *args], cwd, stdin, today)


def sora_lint(args: Sequence[str], cwd: Path, stdin: str | bytes = "", today: str = "") -> subprocess.CompletedProcess:
    """``sora-lint ARGS`` in ``cwd``: a process or in process, as :data:`TOOLS_IN_PROCESSES` says."""
    return python_m("sora_lint", args, cwd, stdin, today)


def codemod(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m libcst.tool codemod --no-format -x sora_lint.frontends.codemod.FixSoraParameters ARGS``."""
    return python_m("libcst.tool", ["codemod", "--no-format", "-x", "sora_lint.frontends.codemod.FixSoraParameters",
                                    *args], cwd)


@pytest.fixture
def cli_process(tmp_path):
    """Run ``sora-lint`` as a process always: for what only a process has (``python -m`` puts the working
    folder first on ``sys.path``; signals, terminals, exit on a closed pipe)."""

    def _run(*args: str, cwd: Path = tmp_path, today: str = "") -> subprocess.CompletedProcess:
        return run([sys.executable, "-m", "sora_lint", *args], cwd, today=today)

    return _run


@pytest.fixture
def cli(tmp_path):
    """Run ``sora-lint`` in ``tmp_path`` unless told otherwise (see :func:`sora_lint`)."""

    def _run(*args: str, cwd: Path = tmp_path, today: str = "") -> subprocess.CompletedProcess:
        return sora_lint(args, cwd, today=today)

    return _run


@pytest.fixture
def flake8(tmp_path):
    """Run ``flake8 --select SOR ARGS`` in ``tmp_path`` unless told otherwise: a process or in process, as
    :data:`TOOLS_IN_PROCESSES` says."""

    def _run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess:
        return python_m("flake8", ["--select", "SOR", *args], cwd)

    return _run


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# The codes the exact-output helpers below report: the rules the tests that call them were written about.
# A newer rule's tests name its code (``diags(source, select=("SOR042",))``), so adding a rule changes no
# existing test's output; tests/test_registry.py checks it with an extra rule that reports every call.
CODES_UNDER_TEST = ("SOR000", "SOR001", "SOR002", "SOR003", "SOR004", "SOR005", "SOR006", "SOR007", "SOR008")


def diags(source: str, profile: str = "auto", **settings: Any) -> list[str]:
    """``ROW:COLUMN CODE MESSAGE`` for each diagnostic of the dedented ``source``, checked in process as t.py."""
    settings.setdefault("select", CODES_UNDER_TEST)
    return [f"{d.location.row}:{d.location.column} {d.code} {d.message}"
            for d in lint_source(textwrap.dedent(source), "t.py", Settings(profile=profile, **settings))]


def fixed(source: str, unsafe: bool = False, profile: str = "auto") -> str:
    """The dedented ``source`` after its fixes; the result parses and a second run changes nothing."""
    source = textwrap.dedent(source)
    settings = Settings(profile=profile, select=CODES_UNDER_TEST)
    outcome = apply_fixes(source, "t.py", settings, unsafe_fixes=unsafe)
    assert outcome.error is None
    libcst.parse_module(outcome.source)
    assert apply_fixes(outcome.source, "t.py", settings, unsafe_fixes=unsafe).source == outcome.source  # idempotent
    return outcome.source


def run_on_a_terminal(args: Sequence[str], cwd: Path, env: Mapping[str, str],
                      stream: str = "stdout") -> tuple[int, bytes]:
    """Run ``args`` with a pseudo-terminal as its ``stream`` ("stdout" or "stderr"; the other is discarded):
    its exit code and every byte the terminal received."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(list(args), cwd=str(cwd), env=dict(env), stdin=subprocess.DEVNULL,
                            stdout=follower if stream == "stdout" else subprocess.DEVNULL,
                            stderr=follower if stream == "stderr" else subprocess.DEVNULL)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc.wait(timeout=120), shown


# How hard the property, fuzz and crash tests push. Full strength in CI (the CI variable: GitHub Actions and
# .ci/run set it) and when the slow tests run alone (`pytest -m slow`); a quick, still derandomised budget in
# a local run of everything, so the whole suite stays within minutes on two cores. HYPOTHESIS_PROFILE=deep
# runs many more examples by hand.
def full_strength(config: pytest.Config) -> bool:
    return bool(os.environ.get("CI")) or config.getoption("markexpr", "") == "slow"


def pytest_configure(config: pytest.Config) -> None:
    global TOOLS_IN_PROCESSES
    TOOLS_IN_PROCESSES = full_strength(config) or bool(os.environ.get("SORA_LINT_TEST_PROCESSES"))
    try:
        from hypothesis import HealthCheck
        from hypothesis import settings as hypothesis_settings
    except ImportError:  # pragma: no cover - hypothesis is in the test extra
        return
    common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    hypothesis_settings.register_profile("ci", max_examples=150, derandomize=True, **common)
    hypothesis_settings.register_profile("quick", max_examples=30, derandomize=True, **common)
    hypothesis_settings.register_profile("deep", max_examples=5000, **common)
    default = "ci" if full_strength(config) else "quick"
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", default))


@pytest.fixture
def strength(request: pytest.FixtureRequest) -> str:
    """``"full"`` or ``"quick"``: see :func:`full_strength`."""
    return "full" if full_strength(request.config) else "quick"
