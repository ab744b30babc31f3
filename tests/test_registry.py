"""The rule registry: every code, name and list is derived from the rule classes in sora_lint/rules/."""
import os
import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT, lines

from sora_lint.core.types import PARSE_ERROR
from sora_lint.rules import ALL_RULES, RULES_BY_CODE, rule_codes
from sora_lint.rules.base import Rule


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
        why = example = use_instead = fix_safety = reports = fix_summary = "-"
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
