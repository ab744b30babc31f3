"""core.collector: the cyclic collector is paused while a file is checked, and resumed once."""
from __future__ import annotations

import gc
import threading

import pytest

from sora_lint.core.collector import COLLECTOR_PAUSED, CollectorPause
from sora_lint.engine.lint import lint_source


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    gc.enable()


def test_paused_inside_and_resumed_after_even_when_the_check_raises():
    pause = CollectorPause()
    with pytest.raises(ValueError), pause:
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with CollectorPause():
        pass
    assert not gc.isenabled()


def test_nested_and_overlapping_pauses_resume_once_at_the_last_exit():
    pause = CollectorPause()
    inside, leave = threading.Barrier(3), threading.Event()
    states: list[bool] = []

    def hold() -> None:
        with pause:
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()  # both threads hold the pause
    with pause:
        states.append(gc.isenabled())
    states.append(gc.isenabled())  # this thread left; the others still hold it
    leave.set()
    for t in threads:
        t.join()
    assert states == [False, False]
    assert gc.isenabled()


def test_a_check_runs_paused_and_leaves_the_collector_on():
    seen: list[bool] = []
    real = COLLECTOR_PAUSED.__class__.__enter__

    def spy(self: CollectorPause) -> None:
        real(self)
        seen.append(gc.isenabled())

    source = ("import openai\nclient = openai.OpenAI(base_url='https://api.apiyi.com/v1')\n"
              "client.videos.create(model='sora-2', prompt='p', seconds='10')\n")
    try:
        COLLECTOR_PAUSED.__class__.__enter__ = spy  # type: ignore[method-assign]
        [d] = lint_source(source, "a.py")
    finally:
        COLLECTOR_PAUSED.__class__.__enter__ = real  # type: ignore[method-assign]
    assert (d.code, d.location.row) == ("SOR001", 3)
    assert seen == [False]
    assert gc.isenabled()


def test_a_checked_file_leaves_no_cyclic_garbage():
    """Its tree dies by reference counting (analysis.facts.ModuleFacts.release): nothing waits for the collector."""
    from pathlib import Path

    from sora_lint.contracts.settings import Settings

    fixtures = sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*.py"))
    sources = [(p.read_text(encoding="utf-8", errors="replace"), str(p)) for p in fixtures]
    found = 0
    gc.collect()
    gc.disable()
    try:
        for text, path in sources:
            found += len(lint_source(text, path, Settings()))
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert found > 0  # the fixtures hold findings: the check did run
