"""Issue 15: files LibCST does not reproduce byte for byte, and the faults around writing a fix.

The fixtures (fixtures/roundtrip_*.py, fixtures/latin1_declared.py) go through every front end:
`check`, `fix`, `fix --diff` applied by `git apply` and `patch`, the LibCST codemod and the
language server, with exact positions and exact bytes. docs/libcst-roundtrip.md lists the gaps.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import libcst
import pytest
from conftest import FIXTURES, codemod, lines, run, sora_lint

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source, positions
from sora_lint.engine.gaps import align
from sora_lint.engine.positions import LineIndex, locate
from sora_lint.run.runner import FIX, Job, process
from sora_lint.run.writes import ChangedOnDisk, snapshot, write_atomically

APIYI_TAG = "[profile apiyi: auto: base_url api.apiyi.com]"
OPENAI_TAG = "[profile openai: auto: client has no base_url]"

# name -> (the findings `check --output-format concise` prints, the values `fix` rewrites)
CASES = {
    "roundtrip_except_spaces.py": (
        [f"roundtrip_except_spaces.py:12:78: SOR001 [*] seconds=10 is not supported by sora-2 (Supported values "
         f"are: '4', '8', and '12'); use 8 or 12, or model=\"sora-2-pro\" {APIYI_TAG}"],
        [("seconds=10)", "seconds=12)")],
    ),
    "roundtrip_except_tuple.py": (
        [f"roundtrip_except_tuple.py:12:69: SOR003 [*] size=\"1792x1024\" is not supported by sora-2 (Supported "
         f"values are: '1280x720' and '720x1280'); use \"1280x720\" (same orientation) {OPENAI_TAG}",
         f"roundtrip_except_tuple.py:12:90: SOR001 [*] seconds=\"10\" is not supported by sora-2 (Supported values "
         f"are: '4', '8', and '12'); use \"8\" or \"12\" {OPENAI_TAG}"],
        [('size="1792x1024"', 'size="1280x720"'), ('seconds="10"', 'seconds="12"')],
    ),
    "latin1_declared.py": (
        [f"latin1_declared.py:7:72: SOR002 [*] seconds=\"8\" is a string, but profile apiyi expects an int: use 8 "
         f"(the official OpenAI API expects a string; if this code calls it, set profile = \"openai\") {APIYI_TAG}"],
        [('seconds="8"', "seconds=8")],
    ),
}
GAP_FIXTURES = ["roundtrip_except_spaces.py", "roundtrip_except_tuple.py"]


def original(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def expected_fix(name: str) -> bytes:
    data = original(name)
    for before, after in CASES[name][1]:
        assert data.count(before.encode("latin-1")) == 1
        data = data.replace(before.encode("latin-1"), after.encode("latin-1"))
    return data


def copy(name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / name, folder / name)
    return folder / name


def test_gap_fixtures_do_not_round_trip_through_libcst():
    """The premise: LibCST gives these files back with bytes changed (if it ever stops, the fixtures
    no longer test anything and docs/libcst-roundtrip.md needs a look)."""
    for name in GAP_FIXTURES:
        source = original(name).decode("utf-8")
        assert libcst.parse_module(source).code != source


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_at_the_value(cli, tmp_path, name):
    copy(name, tmp_path)
    result = cli("check", "--output-format", "concise", name)
    assert result.returncode == 1
    assert lines(result.stdout)[:-2] == CASES[name][0]
    assert result.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_flake8_reports_at_the_value(flake8, tmp_path, name):
    copy(name, tmp_path)
    result = flake8(name)
    assert result.returncode == 1
    # flake8 prints the same rows and columns; its lines have no "[*]" fix marker.
    assert lines(result.stdout) == [line.replace(" [*]", "") for line in CASES[name][0]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_writes_only_the_fixed_values(cli, tmp_path, name):
    path = copy(name, tmp_path)
    result = cli("fix", name)
    fixes = len(CASES[name][1])
    assert (result.returncode, result.stderr) == (0, "")
    assert lines(result.stdout) == [f"{fixes} fix{'es' if fixes > 1 else ''} applied in 1 file, "
                                    f"0 findings left."]
    assert path.read_bytes() == expected_fix(name)
    assert cli("fix", name).stdout == "0 fixes applied in 0 files, 0 findings left.\n"  # idempotent


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("tool", ["git apply", "patch -p1"])
def test_diff_applies_to_the_files_bytes(cli, tmp_path, name, tool):
    if shutil.which(tool.split()[0]) is None:
        pytest.skip(f"{tool} is not installed")
    path = copy(name, tmp_path)
    result = sora_lint(["fix", "--diff", name], tmp_path, stdin=b"")  # bytes: the patch as written
    assert result.returncode == 1  # it would change something
    assert path.read_bytes() == original(name)  # --diff writes nothing
    if name == "latin1_declared.py":
        assert b"\"un caf\xe9 \xe0 Paris\"" in result.stdout  # latin-1 bytes, not UTF-8
    (tmp_path / "fix.patch").write_bytes(result.stdout)
    if tool == "git apply":
        applied = subprocess.run(["git", "apply", "--unsafe-paths", "fix.patch"], cwd=tmp_path, capture_output=True)
    else:
        applied = subprocess.run(["patch", "-p1", "-i", "fix.patch"], cwd=tmp_path, capture_output=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert path.read_bytes() == expected_fix(name)


def test_codemod_leaves_gap_files_alone_and_fixes_the_others(tmp_path):
    for name in sorted(CASES):
        copy(name, tmp_path / "src")
    result = codemod("src", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Transformed 1 files successfully." in result.stderr
    assert "Skipped 2 files." in result.stderr
    assert "LibCST does not write this file back byte for byte" in result.stderr
    for name in GAP_FIXTURES:
        assert (tmp_path / "src" / name).read_bytes() == original(name)
    assert (tmp_path / "src" / "latin1_declared.py").read_bytes() == expected_fix("latin1_declared.py")


needs_pygls = pytest.mark.skipif(importlib.util.find_spec("pygls") is None, reason="pygls is not installed")


@pytest.mark.slow
@needs_pygls
@pytest.mark.parametrize("name", GAP_FIXTURES)
def test_language_server_ranges_and_quick_fixes(tmp_path, name):
    from test_lsp import Client, apply_text_edits, open_document

    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        text = original(name).decode("utf-8")
        doc = tmp_path / name
        published = open_document(client, doc, text)
        got = [(d["code"], d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1)
               for d in published["diagnostics"]]
        assert got == [(line.split(": ")[1].split()[0], int(line.split(":")[1]), int(line.split(":")[2]))
                       for line in CASES[name][0]]
        edits = []
        for d in published["diagnostics"]:
            actions = client.request("textDocument/codeAction", {
                "textDocument": {"uri": doc.as_uri()}, "range": d["range"], "context": {"diagnostics": [d]}})
            preferred = [a for a in actions if a.get("isPreferred")]
            assert len(preferred) == 1
            edits.extend(preferred[0]["edit"]["changes"][doc.as_uri()])
        # Each edit is a range of the original text that holds only its own value: apply them together.
        assert apply_text_edits(text, edits).encode("utf-8") == expected_fix(name)
        assert client.close() == 0
    finally:
        client.kill()


# --- the guard: a span whose text is not the value is never edited ---------------------------

def test_a_misplaced_edit_leaves_the_file_untouched_and_says_so(monkeypatch, tmp_path, capsys):
    """With positions taken from generated code (the bug of issue 15), the guard catches the shift."""
    def generated_offsets(module, nodes, source=None, tree=None, starts=None):
        return locate(module, nodes)  # no source: offsets in LibCST's code, not in the file

    monkeypatch.setattr(positions, "locate", generated_offsets)
    source = original("roundtrip_except_spaces.py").decode("utf-8")
    outcome = apply_fixes(source, "x.py")
    assert outcome.source == source
    assert outcome.applied == 0
    assert [(d.code, d.fixes) for d in outcome.remaining] == [("SOR001", ())]  # its safe and unsafe fix withheld
    assert outcome.error == ("2 fixes were withheld: the source text at the value is not the text sora-lint parsed "
                             "there (a LibCST round-trip gap); the file was left unchanged - please report this as a "
                             "bug")

    path = copy("roundtrip_except_spaces.py", tmp_path)
    from sora_lint.frontends.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["fix", "--jobs", "1", path.name]) == 1
    out, err = capsys.readouterr()
    assert err == f"sora-lint: error: {path.name}: {outcome.error}\n"
    assert path.read_bytes() == original("roundtrip_except_spaces.py")
    assert main(["check", "--jobs", "1", path.name]) == 1
    assert capsys.readouterr().err == f"sora-lint: error: {path.name}: {outcome.error}\n"


def test_a_finding_without_a_trusted_position_is_not_reported_at_a_wrong_one(monkeypatch):
    """Where the mapping stops (a gap that is not whitespace; none is known), nothing is guessed."""
    monkeypatch.setattr(positions, "locate", lambda module, nodes, *rest: positions.Spans({}, {}))
    source = original("roundtrip_except_spaces.py").decode("utf-8")
    outcome = apply_fixes(source, "x.py")
    assert (outcome.source, outcome.applied, outcome.remaining) == (source, 0, [])
    assert outcome.error == ("1 finding could not be placed on the source text and was not reported (a LibCST "
                             "round-trip gap); the file was left unchanged - please report this as a bug")


def test_locate_maps_offsets_across_whitespace_gaps():
    source = "try:\n    pass\nexcept (A, B)   :\n    pass\nf(seconds=10,  size='x')\n"
    module = libcst.parse_module(source)
    call = module.body[1].body[0].value
    seconds, size = call.args[0].value, call.args[1].value
    spans = locate(module, [size, seconds], source)
    assert source[slice(*spans[id(seconds)])] == "10"
    assert source[slice(*spans[id(size)])] == "'x'"
    assert (spans.text(id(seconds)), spans.text(id(size))) == ("10", "'x'")
    assert LineIndex(source).position(spans[id(seconds)][0]) == (5, 11)


def test_align_pairs_equal_text_around_each_gap():
    assert align("a:b", "a   :b") == [(0, 0, 1), (1, 4, 2)]
    assert align("a :b\\\n", "a  :b\\\n") == [(0, 0, 2), (2, 3, 4)]
    assert align("ab", "xb") == []  # not a whitespace gap: nothing is mapped


# --- the faults around writing ------------------------------------------------------------------

NUL_SOURCE = (
    b'import openai\nclient = openai.OpenAI()\nname = "a\x00b"\nclient.videos.create(model="sora-2", seconds="10")\n'
)


def test_nul_byte_file_is_sor000_and_never_written(cli, tmp_path):
    path = tmp_path / "nul.py"
    path.write_bytes(NUL_SOURCE)
    result = cli("check", "--output-format", "concise", "nul.py")
    assert lines(result.stdout)[0] == ("nul.py:1:1: SOR000 could not parse this file, so it was not checked: "
                                       "SyntaxError: source code string cannot contain null bytes")
    result = cli("fix", "nul.py")
    assert (
        lines(result.stdout)[-1]
        == "0 fixes applied in 0 files, 0 findings left, 1 file could not be checked."
    )
    assert result.returncode == 1
    assert cli("fix", "--diff", "nul.py").stdout.count("+++") == 0
    assert path.read_bytes() == NUL_SOURCE


def test_fix_counts_files_it_could_not_check_apart(cli, tmp_path):
    (tmp_path / "broken.py").write_text('import openai\nclient.videos.create(seconds="10"\n')
    (tmp_path / "undecodable.py").write_bytes(b'import openai\nx = "\xff"\nclient.videos.create(seconds="10")\n')
    (tmp_path / "bad.py").write_text('import openai\nclient = openai.OpenAI()\n'
                                     'client.videos.create(model="sora-2", prompt="p", seconds="10", size=SIZE)\n')
    result = cli("fix", ".")
    assert lines(result.stdout)[-1] == ("1 fix applied in 1 file, 0 findings left, "
                                       "2 files could not be checked.")
    result = cli("fix", "--diff", ".")
    assert lines(result.stderr)[-1] == ("0 fixes would be applied in 0 files, 0 findings left, "
                                       "2 files could not be checked.")


def test_file_changed_after_it_was_read_is_not_overwritten(tmp_path):
    path = tmp_path / "a.py"
    read = b'import openai\nclient = openai.OpenAI()\nclient.videos.create(model="sora-2", seconds="10")\n'
    saved_meanwhile = read.replace(b'"10"', b'"4"')  # an editor saved a change after sora-lint read the file
    path.write_bytes(saved_meanwhile)
    result = process(str(path), read, Job(FIX, Settings()))
    assert result.error == (f"{path}: changed on disk while it was being fixed, so it was left as it is now; "
                            "run fix again")
    assert (result.applied, result.changed) == (0, False)
    assert path.read_bytes() == saved_meanwhile


def test_write_checks_the_file_again_just_before_the_rename(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\n")
    seen = snapshot(str(path), b"x = 1\n")
    path.write_bytes(b"x = 2\n")  # a second writer, between the snapshot and the rename
    with pytest.raises(ChangedOnDisk):
        write_atomically(str(path), "x = 3\n", "utf-8", seen)
    assert path.read_bytes() == b"x = 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]  # no temporary file left behind
    write_atomically(str(path), "x = 3\n", "utf-8", snapshot(str(path), b"x = 2\n"))
    assert path.read_bytes() == b"x = 3\n"


def test_sor000_snippet_cuts_a_long_line_around_the_column(cli, tmp_path):
    numbers = ", ".join(str(i) for i in range(300))
    line = f"x = [{numbers}]] + [{numbers}]"  # 2,300 characters, the stray bracket in the middle
    (tmp_path / "long.py").write_text("import openai\n" + line + "\nclient.videos.create(seconds=10)\n")
    result = cli("check", "long.py")
    column = line.index("]]") + 2
    headline, source_line, carets = lines(result.stdout)[:3]
    assert (
        headline
        == f"long.py:2:{column}: SOR000 could not parse this file, so it was not checked: SyntaxError: unmatched ']'"
    )
    start = column - 1 - 40
    assert source_line == "2 | ..." + line[start:start + 120] + "..."
    assert carets == "  | " + " " * (3 + 40) + "^"


def test_check_and_fix_positions_are_exact_in_every_gap_pattern():
    """Each round-trip gap of docs/libcst-roundtrip.md, with a Sora call after it."""
    call = 'client.videos.create(model="sora-2", prompt="p", seconds=10)\n'
    for gap in GAPS:
        source = "import openai\nclient = openai.OpenAI(base_url='https://api.apiyi.com/v1')\n" + gap + call
        assert libcst.parse_module(source).code != source, gap
        [d] = lint_source(source, "g.py")
        assert (d.code, d.location.row, d.location.column) == ("SOR001", source.count("\n"), 58), gap
        assert apply_fixes(source, "g.py").source == source.replace("seconds=10)", "seconds=12)"), gap


# The gaps scripts/scan_roundtrip.py finds (LibCST 1.9.0), in each form; docs/libcst-roundtrip.md has them.
GAPS = [
    "try:\n    pass\nexcept ValueError   :\n    pass\n",
    "try:\n    pass\nexcept ValueError\t:\n    pass\n",
    "try:\n    pass\nexcept ValueError\x0c:\n    pass\n",
    "try:\n    pass\nexcept ValueError \\\n:\n    pass\n",
    "try:\n    pass\nexcept (KeyError, ValueError) :\n    pass\n",
    "try:\n    pass\nexcept* ValueError :\n    pass\n",
    "try:\n    pass\nexcept* (KeyError, ValueError)\\\n  :\n    pass\n",
    "def f():\n    try:\n        pass\n    except ValueError :\n        pass\n    except KeyError  :\n        pass\n",
]


@pytest.mark.slow
def test_planted_calls_in_real_files_change_nothing_else(tmp_path):
    """bench/planted.py on a small sample: 0 unparsable, 0 not idempotent, 0 bytes changed outside the call."""
    result = run([sys.executable, str(FIXTURES.parent / "bench" / "planted.py"), "--files", "40",
                  "--json", str(tmp_path / "planted.json")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "planted.json").read_text())
    assert report["files"] == 40
    assert set(report["by_variant"]) == {"lf", "crlf", "bom", "latin-1"}
    assert (report["unparsable"], report["not_idempotent"], report["outside"]) == ([], [], [])
    # With offsets from LibCST's code, the gap files' fixes would break them and be left out: all are fixed.
    assert (report["not_fixed"], report["not_checked"]) == ([], [])
    assert report["with_gap"] >= 3 and report["with_tabs"] >= 1 and report["with_fstrings"] >= 1


def test_the_documented_reproduction_still_reproduces():
    """docs/libcst-roundtrip.md's snippet is what gets filed upstream: it must stay true for our LibCST."""
    text = (FIXTURES.parent / "docs" / "libcst-roundtrip.md").read_text(encoding="utf-8")
    snippet = text.split("```python\n", 1)[1].split("```", 1)[0]
    result = run([sys.executable, "-c", snippet], FIXTURES.parent)
    assert result.returncode == 0, result.stderr
    assert len(lines(result.stdout)) == 6


def test_scan_script_reduces_the_fixtures_to_their_pattern():
    result = run([sys.executable, str(FIXTURES.parent / "scripts" / "scan_roundtrip.py"),
                  *(str(FIXTURES / name) for name in GAP_FIXTURES)], FIXTURES.parent)
    assert result.returncode == 0, result.stderr
    assert [line.strip() for line in lines(result.stdout)] == [
        f"2 files parsed by LibCST {libcst_version()}, 2 not reproduced byte for byte",
        "1  NAME ['   ' -> ''] :   whitespace-only: yes",
        f"{FIXTURES / 'roundtrip_except_spaces.py'}:10 (except ...)",
        "1  ) [' ' -> ''] :   whitespace-only: yes",
        f"{FIXTURES / 'roundtrip_except_tuple.py'}:10 (except ...)",
        "every gap is whitespace only: yes",
    ]


def libcst_version() -> str:
    from importlib.metadata import version

    return version("libcst")


@pytest.mark.slow
def test_nul_byte_file_through_the_codemod_and_the_language_server(tmp_path):
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "nul.py"
    path.write_bytes(NUL_SOURCE)
    result = codemod("src", cwd=tmp_path)
    assert "Transformed 0 files successfully." in result.stderr, result.stderr
    assert path.read_bytes() == NUL_SOURCE
    if importlib.util.find_spec("pygls") is None:
        return
    from test_lsp import Client, open_document

    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        published = open_document(client, tmp_path / "doc.py", NUL_SOURCE.decode("utf-8"))
        assert [(d["code"], d["severity"], d["range"]["start"], d["message"]) for d in published["diagnostics"]] == [
            ("SOR000", 2, {"line": 0, "character": 0}, "could not parse this file, so it was not checked: "
                                                      "SyntaxError: source code string cannot contain null bytes")]
        assert client.close() == 0
    finally:
        client.kill()


@pytest.mark.slow
@pytest.mark.parametrize("encoding, newline", [("utf-8-sig", "\r\n"), ("utf-8-sig", "\n"), ("cp1252", "\n")])
def test_diff_of_a_bom_crlf_or_cp1252_file_applies_with_git(tmp_path, encoding, newline):
    header = "# -*- coding: cp1252 -*-\n" if encoding == "cp1252" else ""
    text = (header + 'import openai\nclient = openai.OpenAI()\nclient.videos.create(model="sora-2", '
            'prompt="\u20ac caf\u00e9", seconds="10")\n').replace("\n", newline)
    path = tmp_path / "a.py"
    path.write_bytes(text.encode(encoding))
    result = sora_lint(["fix", "--diff", "a.py"], tmp_path, stdin=b"")
    (tmp_path / "fix.patch").write_bytes(result.stdout)
    applied = subprocess.run(["git", "apply", "--unsafe-paths", "fix.patch"], cwd=tmp_path, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    assert path.read_bytes() == text.replace('seconds="10"', 'seconds="12"').encode(encoding)
