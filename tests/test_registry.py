"""The rule registry: every code, name and list is derived from the rule classes in sora_lint/rules/."""
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import CODES_UNDER_TEST, ROOT, diags, fixed, lines

import sora_lint.rules
from sora_lint.contracts.settings import Settings
from sora_lint.core.types import PARSE_ERROR
from sora_lint.engine import apply_fixes, lint_source
from sora_lint.frontends.docs import rule_doc
from sora_lint.rules import ALL_RULES, RULES_BY_CODE, rule_codes
from sora_lint.rules.base import Rule, RuleCodeTaken


def test_the_light_declarations_are_the_classes_codes():
    """rule_codes() reads `code = "..."` from the modules' text; it must find exactly what importing them finds."""
    assert rule_codes() == (PARSE_ERROR, *(rule.code for rule in ALL_RULES))
    assert rule_codes()[:2] == ("SOR000", "SOR001")


def test_every_rule_is_found_once_in_code_order():
    codes = [rule.code for rule in ALL_RULES]
    assert codes == sorted(set(codes)) and PARSE_ERROR not in codes
    assert all(issubclass(rule, Rule) and rule.__module__.startswith("sora_lint.rules.") for rule in ALL_RULES)
    assert {rule.code: rule for rule in ALL_RULES} == RULES_BY_CODE
    names = [rule.name for rule in ALL_RULES]
    assert len(set(names)) == len(names)


def test_validating_codes_does_not_import_the_rules_or_libcst():
    program = (
        "import sys\n"
        "from sora_lint.run.config import ConfigError, check_code\n"
        "check_code('SOR00', 'command line')\n"
        "try:\n"
        "    check_code('SOR999', 'command line')\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
        "print(sorted(m for m in sys.modules if m == 'libcst' or m.startswith('sora_lint.rule')))\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        f"command line: unknown rule code 'SOR999' (known: {', '.join(rule_codes())})",
        "['sora_lint.rules']",
    ]


PROBE = textwrap.dedent('''\
    from __future__ import annotations

    from typing import Iterable

    from .base import Context, Finding, Rule, SoraCall


    class Probe(Rule):
        code = "SOR099"
        name = "probe"
        summary = "a call that the probe sees"
        why = fix_safety = reports = fix_summary = "-"
        fixable = False

        def check(self, call: SoraCall, ctx: Context) -> Iterable[Finding]:
            yield self.finding(f"probe saw {call.method}{ctx.tag}", call.node.func)
''')


def test_a_new_rule_is_one_new_file(tmp_path):
    """Drop a module into a copy of the package: the CLI lists it, accepts its code and runs it."""
    shutil.copytree(ROOT / "sora_lint", tmp_path / "sora_lint", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "sora_lint" / "rules" / "probe.py").write_text(PROBE)
    (tmp_path / "app.py").write_text('import openai\nclient = openai.OpenAI()\nclient.videos.create(model="sora-2")\n')
    env = dict(os.environ, PYTHONPATH=str(tmp_path), NO_COLOR="1")

    def sora_lint(*args):
        return subprocess.run([sys.executable, "-m", "sora_lint", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True)

    assert lines(sora_lint("rule", "--all").stdout)[-1] == "SOR099  probe                a call that the probe sees"
    found = sora_lint("check", "--select", "SOR099", "--output-format", "concise", "app.py")
    assert lines(found.stdout) == [
        "app.py:3:1: SOR099 probe saw create [profile openai: auto: client has no base_url]", "Found 1 error."]


def test_a_taken_code_fails_when_the_class_is_defined_naming_both_classes():
    with pytest.raises(RuleCodeTaken) as taken:
        class Twin(Rule):
            code = "SOR001"
            name = "twin"
    assert str(taken.value) == (
        f"{__name__}.test_a_taken_code_fails_when_the_class_is_defined_naming_both_classes.<locals>.Twin: "
        "code SOR001 is taken by sora_lint.rules.seconds.SecondsUnsupported; pick a free one "
        "(sora-lint rule --all lists the taken codes)")


@pytest.mark.parametrize("code, name, says", [
    ("SOR097", "seconds-unsupported", "name 'seconds-unsupported' is taken by sora_lint.rules.seconds."),
    ("SOR000", "parse", "code 'SOR000' must be SOR001 to SOR999 (SOR000 is the parse error)"),
    ("E501", "long", "code 'E501' must be SOR001 to SOR999"),
])
def test_a_taken_name_or_a_code_out_of_range_fails_too(code, name, says):
    with pytest.raises(RuleCodeTaken, match=re.escape(says)):
        type("Odd", (Rule,), {"code": code, "name": name})


def test_a_taken_code_in_a_new_file_stops_the_run_with_both_names(tmp_path):
    """The CLI says why, not an IndexError: a copy of the package with a second SOR001."""
    shutil.copytree(ROOT / "sora_lint", tmp_path / "sora_lint", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "sora_lint" / "rules" / "again.py").write_text(
        PROBE.replace("SOR099", "SOR001").replace('"probe"', '"again"'))
    env = dict(os.environ, PYTHONPATH=str(tmp_path), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "sora_lint", "rule", "--all"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert ("sora_lint.rules.base.RuleCodeTaken: sora_lint.rules.seconds.SecondsUnsupported: code SOR001 is taken "
            "by sora_lint.rules.again.Probe") in proc.stderr


# --- a new rule leaves the other rules' tests alone ---------------------------------------------------------

class EveryCall(Rule):
    """A rule that reports every Sora call: the worst neighbour an exact-output test can get."""

    code = "SOR098"
    name = "every-call"
    summary = why = fix_safety = reports = fix_summary = "-"
    fixable = False

    def check(self, call, ctx):
        yield self.finding(f"every call{ctx.tag}", call.node.func)


def _with_rules(monkeypatch, *extra):
    """The registry as if ``extra`` had been dropped into sora_lint/rules/ (in process, for this test)."""
    rules = (*ALL_RULES, *extra)
    monkeypatch.setattr(sora_lint.rules, "ALL_RULES", rules, raising=False)
    monkeypatch.setattr(sora_lint.rules, "RULES_BY_CODE", {r.code: r for r in rules}, raising=False)


def test_the_exact_output_helpers_report_only_the_codes_under_test(monkeypatch):
    assert set(CODES_UNDER_TEST) <= set(rule_codes())
    _with_rules(monkeypatch, EveryCall)
    source = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n'
    # The extra rule runs wherever every rule runs...
    assert [d.code for d in lint_source(source, "t.py", Settings(profile="openai"))] == ["SOR098", "SOR001"]
    # ...but the helpers the exact-output tests use report the codes those tests were written about.
    assert diags(source, "openai") == [
        "2:60 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); use \"8\" "
        "or \"12\" [profile openai: pinned]"]
    assert fixed(source, profile="openai") == source.replace('"10"', '"12"')
    assert diags(source, "openai", select=("SOR098",)) == ["2:1 SOR098 every call [profile openai: pinned]"]


def _contributing_rule():
    """The rule CONTRIBUTING.md walks through, defined from its text as a module of sora_lint.rules."""
    import types

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    [code] = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", text, re.S)
              if "(Rule):" in block]
    module = types.ModuleType("sora_lint.rules.contributing_example")
    module.__package__ = "sora_lint.rules"
    exec(compile(code, "CONTRIBUTING.md", "exec"), module.__dict__)  # noqa: S102
    [rule] = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Rule) and v is not Rule]
    return rule


def test_the_rule_contributing_walks_through_works_as_written(monkeypatch):
    rule = _contributing_rule()
    _with_rules(monkeypatch, rule)
    for example in rule.VALID:
        assert lint_source(example.source, "example.py", Settings(profile=example.profile, select=(rule.code,))) == []
    for example in rule.INVALID:
        settings = Settings(profile=example.profile, select=(rule.code,))
        found = [(d.code, d.message, (d.location.row, d.location.column), (d.end_location.row, d.end_location.column))
                 for d in lint_source(example.source, "example.py", settings)]
        assert found == [(rule.code, example.message, example.start, example.end)]
        assert apply_fixes(example.source, "example.py", settings).source == (example.fixed or example.source)
    page = rule_doc(rule.code)
    assert page is not None and page.startswith(f"# {rule.code} ({rule.name})\n") and "## Examples\n" in page
    # The other rules' exact-output helpers do not see it.
    assert diags(rule.INVALID[0].source, "openai") == []
