"""Issue 18 item 6 in the editor: a finding away from its call carries the call as relatedInformation."""
from __future__ import annotations

from test_lsp import needs_pygls, open_document, start  # noqa: F401 - ``start`` is a fixture

SHARED = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "PRESET = {\"model\": \"sora-2\", \"size\": \"1792x1024\"}\n"
    "def teaser(prompt):\n"
    "    return client.videos.create(prompt=prompt, **PRESET)\n"
    "def hero(prompt):\n"
    "    return client.videos.create_and_poll(prompt=prompt, **PRESET)\n"
)


@needs_pygls
def test_the_calls_that_send_a_value_are_related_information(start, tmp_path):  # noqa: F811
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "openai"\n', encoding="utf-8")
    client, _ = start()
    path = tmp_path / "app.py"
    found = open_document(client, path, SHARED)["diagnostics"]
    assert [(d["code"], d["range"]["start"]) for d in found] == [("SOR003", {"line": 2, "character": 37})]
    assert found[0]["relatedInformation"] == [
        {"location": {"uri": path.as_uri(), "range": {"start": {"line": row, "character": 11},
                                                        "end": {"line": row, "character": 11}}},
         "message": "the call that sends this value"} for row in (4, 6)]
    assert client.close() == 0
