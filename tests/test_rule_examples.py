"""Each rule's VALID and INVALID examples, kept beside the rule, are its first tests (as in Fixit).

Every example of every rule runs here: a VALID one gets no finding of its rule; an INVALID one
gets exactly the finding it describes (code, message, range), and its safe fix writes exactly
its ``fixed`` bytes (or nothing, where it has none). Only the example's own rule runs, so an
example says what that rule does whatever the others say about the same call.
"""
import libcst
import pytest
from conftest import AFTER_SHUTDOWN

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source
from sora_lint.rules import ALL_RULES

VALID = [(rule.code, i, ex) for rule in ALL_RULES for i, ex in enumerate(rule.VALID)]
INVALID = [(rule.code, i, ex) for rule in ALL_RULES for i, ex in enumerate(rule.INVALID)]


@pytest.fixture(autouse=True)
def after_the_official_shutdown(monkeypatch):
    """The examples are read as on a day after the official API's shutdown (SOR006's need it)."""
    monkeypatch.setenv("SORA_LINT_TODAY", AFTER_SHUTDOWN)


def test_every_rule_has_examples_and_docs():
    for rule in ALL_RULES:
        assert rule.VALID and rule.INVALID, rule.code
        for attr in ("name", "summary", "why", "example", "use_instead", "fix_safety", "reports", "fix_summary"):
            assert getattr(rule, attr).strip(), (rule.code, attr)
        if not rule.fixable:
            assert all(example.fixed is None for example in rule.INVALID), rule.code


@pytest.mark.parametrize("code, index, example", VALID, ids=[f"{c}-valid-{i}" for c, i, _ in VALID])
def test_valid_example_is_not_reported(code, index, example):
    settings = Settings(profile=example.profile, select=(code,))
    assert lint_source(example.source, "example.py", settings) == []
    assert apply_fixes(example.source, "example.py", settings).source == example.source


@pytest.mark.parametrize("code, index, example", INVALID, ids=[f"{c}-invalid-{i}" for c, i, _ in INVALID])
def test_invalid_example_is_reported_as_written_and_fixed(code, index, example):
    settings = Settings(profile=example.profile, select=(code,))
    found = [(d.code, d.message, (d.location.row, d.location.column), (d.end_location.row, d.end_location.column))
             for d in lint_source(example.source, "example.py", settings)]
    assert found == [(code, example.message, example.start, example.end)]
    outcome = apply_fixes(example.source, "example.py", settings)
    if example.fixed is None:
        assert (outcome.source, outcome.applied) == (example.source, 0)
    else:
        assert outcome.source == example.fixed
        libcst.parse_module(outcome.source)
        assert apply_fixes(outcome.source, "example.py", settings).source == outcome.source
