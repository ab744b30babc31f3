"""A check builds positions, edits and related locations only for what it reports or writes (issue 23):
the calls that hold their own values, the f-strings no fix touches, and the findings a noqa comment
silences cost nothing past the analysis. Each test also checks the diagnostics are what a user sees."""
from __future__ import annotations

import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.engine import edits, positions
from sora_lint.engine.lint import lint_source

HEADER = "from openai import OpenAI\n\nclient = OpenAI(base_url='https://api.apiyi.com/v1')\n"


@pytest.fixture
def located(monkeypatch):
    """Every node the engine asks positions for, by type name."""
    seen: list[str] = []

    real = positions.locate

    def spy(module, nodes, *args, **kwargs):
        seen.extend(type(n).__name__ for n in nodes)
        return real(module, nodes, *args, **kwargs)

    monkeypatch.setattr(positions, "locate", spy)
    return seen


def rows(diagnostics):
    return [(d.code, d.location.row, d.location.column) for d in diagnostics]


def test_a_call_holding_its_own_value_is_not_located(located):
    source = HEADER + "client.videos.create(model='sora-2', prompt='p', seconds='10')\n"
    assert rows(lint_source(source, "a.py", Settings())) == [("SOR001", 4, 58)]
    assert "Call" not in located


def test_a_call_sending_a_value_from_elsewhere_is_located_and_related(located):
    source = HEADER + ("def make(seconds='10'):\n"
                       "    return client.videos.create(model='sora-2', prompt='p', seconds=seconds)\n\nmake()\n")
    [d] = lint_source(source, "a.py", Settings())
    assert (d.code, d.location.row, d.location.column) == ("SOR001", 4, 18)
    assert [(r.row, r.column) for r in d.related] == [(5, 12)]
    assert "Call" in located


def test_only_the_f_strings_around_a_fixed_value_are_located(located):
    untouched = HEADER + "label = f'{1}'\nclient.videos.create(model='sora-2', prompt='p', seconds='10')\n"
    assert rows(lint_source(untouched, "a.py", Settings())) == [("SOR001", 5, 58)]
    assert "FormattedString" not in located
    located.clear()
    around = HEADER + "label = f\"{client.videos.create(model='sora-2', prompt='p', seconds='10')}\"\n"
    [d] = lint_source(around, "a.py", Settings())
    assert d.code == "SOR001" and d.fixes and "FormattedString" in located


def test_a_silenced_finding_gets_no_edit(monkeypatch):
    built: list[object] = []
    real = edits.EditBuilder.build

    def spy(self, changes):
        built.append(changes)
        return real(self, changes)

    monkeypatch.setattr(edits.EditBuilder, "build", spy)
    loud = HEADER + "client.videos.create(model='sora-2', prompt='p', seconds='10')\n"
    assert rows(lint_source(loud, "a.py", Settings())) == [("SOR001", 4, 58)]
    assert len(built) == 2  # seconds to 12, and the unsafe switch to sora-2-pro
    built.clear()
    quiet = HEADER + "client.videos.create(model='sora-2', prompt='p', seconds='10')  # noqa: SOR001\n"
    assert lint_source(quiet, "a.py", Settings()) == []
    assert built == []
