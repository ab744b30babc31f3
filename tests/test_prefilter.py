"""The prefilter may skip a file only when no Sora call can be in it."""
import re

import pytest
from conftest import ROOT

from sora_lint.analysis.prefilter import might_contain_sora_call, might_contain_sora_call_bytes
from sora_lint.analysis.shapes import CALL_WORD, EVIDENCE_WORDS, SHAPES
from sora_lint.engine import lint_source

REPORTED = [
    'import openai\nclient.videos.create(model="sora-2", seconds=10)\n',
    'import openai\n(client.videos).create(model="sora-2", seconds=10)\n',
    'import openai\nclient.videos \\\n    .create(model="sora-2", seconds=10)\n',
    'import openai\nv = (client.videos  # the resource\n     .create(model="sora-2", seconds=10))\n',
    'import openai\nclient.with_raw_response.videos.create(model="sora-2", seconds=10)\n',
    'import requests\nrequests.post("https://api.apiyi.com/v1/videos", json={"prompt": "p", "seconds": 10})\n',
]
SKIPPED = [
    "videos = []\nfor v in videos:\n    print(v)\n",  # the word, but no call shape
    'import openai\n"""Lists the user\'s videos and plays them."""\n',
    "client.videos.create(title='x', seconds=10)\n",  # a call shape, but nothing says Sora
]


@pytest.mark.parametrize("source", REPORTED)
def test_files_with_a_reportable_call_pass(source):
    assert lint_source(source, "t.py")  # the call is really reported...
    assert might_contain_sora_call(source)  # ...so the prefilter must let it through
    assert might_contain_sora_call_bytes(source.encode())


@pytest.mark.parametrize("source", SKIPPED)
def test_files_without_one_are_skipped(source):
    assert not might_contain_sora_call(source)
    assert not might_contain_sora_call_bytes(source.encode())


# --- the registry of call shapes: the prefilter's tokens come from it ---------------------



@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_every_shapes_own_example_passes_the_prefilter_and_is_reported(shape):
    assert might_contain_sora_call(shape.example)
    assert might_contain_sora_call_bytes(shape.example.encode())
    assert [d.code for d in lint_source(shape.example, "t.py")] == ["SOR001"]


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_every_call_pattern_starts_with_the_word_tested_first(shape):
    # The prefilter rules a file out on CALL_WORD before any regular expression runs.
    assert all(pattern.startswith(CALL_WORD) for pattern in shape.call_patterns)


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_a_shape_without_any_evidence_word_is_skipped(shape):
    text = shape.example
    for word in EVIDENCE_WORDS:
        text = re.sub(word, "x" * len(word), text, flags=re.IGNORECASE)
    assert might_contain_sora_call(shape.example)
    assert not might_contain_sora_call(text)
    assert not might_contain_sora_call_bytes(text.encode())


def test_the_docs_table_lists_every_shape():
    page = (ROOT / "docs" / "shapes.md").read_text()
    section = page.split("# What counts as a Sora call", 1)[1].split("**A client is", 1)[0]
    listed = re.findall(r"^\| `([a-z-]+)` \| ", section, re.MULTILINE)
    assert listed == [s.name for s in SHAPES]
