"""The prefilter may skip a file only when no Sora call can be in it."""
import pytest

from sora_lint.engine import check_source
from sora_lint.prefilter import might_contain_sora_call, might_contain_sora_call_bytes

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
    assert check_source(source, "t.py")  # the call is really reported...
    assert might_contain_sora_call(source)  # ...so the prefilter must let it through
    assert might_contain_sora_call_bytes(source.encode())


@pytest.mark.parametrize("source", SKIPPED)
def test_files_without_one_are_skipped(source):
    assert not might_contain_sora_call(source)
    assert not might_contain_sora_call_bytes(source.encode())
