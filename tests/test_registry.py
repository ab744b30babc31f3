"""The rule registry: every code, name and list is derived from the rule classes in sora_lint/rules/."""
import subprocess
import sys

from sora_lint.rule import Rule
from sora_lint.rules import ALL_RULES, RULES_BY_CODE, rule_codes
from sora_lint.types import PARSE_ERROR


def test_the_light_declarations_are_the_classes_codes():
    """rule_codes() reads `code = "..."` from the modules' text; it must find exactly what importing them finds."""
    assert rule_codes() == (PARSE_ERROR, *(rule.code for rule in ALL_RULES))
    assert rule_codes()[:2] == ("SOR000", "SOR001")


def test_every_rule_is_found_once_in_code_order():
    codes = [rule.code for rule in ALL_RULES]
    assert codes == sorted(set(codes)) and PARSE_ERROR not in codes
    assert all(issubclass(rule, Rule) and rule.__module__.startswith("sora_lint.rules.") for rule in ALL_RULES)
    assert RULES_BY_CODE == {rule.code: rule for rule in ALL_RULES}
    names = [rule.name for rule in ALL_RULES]
    assert len(set(names)) == len(names)


def test_validating_codes_does_not_import_the_rules_or_libcst():
    program = (
        "import sys\n"
        "from sora_lint.config import ConfigError, check_code\n"
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
