"""The language server answers every request, lints off its request loop, and keeps big documents out of
its own memory (issue 24, items 1-3).

The malformed-request suite drives the real server process over stdio. The order tests drive the same
server in this process over a pair of pipes, with a lint that blocks until the test releases it, so the
order is forced, not timed; the 300,000-line document over stdio is the slow equivalent.
"""
from __future__ import annotations

import json
import queue
import threading
from pathlib import Path
from typing import Any

import pytest
from test_lsp import SOURCE, TIMEOUT, Client, ServerThread, needs_pygls, open_document

pytestmark = needs_pygls

INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}
INVALID_PARAMS, REQUEST_CANCELLED = -32602, -32800


def _action_params(uri: str, start_line: int, diagnostics: list | None = None) -> dict[str, Any]:
    return {"textDocument": {"uri": uri},
            "range": {"start": {"line": start_line, "character": 0},
                      "end": {"line": start_line if 0 <= start_line < 2**31 else 0, "character": 200}},
            "context": {"diagnostics": diagnostics or []}}


class RawClient(Client):
    """The stdio client, with requests whose answer may be an error."""

    def ask(self, method: str, params: Any) -> dict[str, Any]:
        """The answer (a result or an error); ``self.before`` gets the messages that came before it."""
        self.next_id += 1
        rid = self.next_id
        self.before: list[dict[str, Any]] = []
        self._send({"id": rid, "method": method, "params": params})
        while True:
            message = self._next(f"answer to {method} (id {rid})")
            if message.get("id") == rid and "method" not in message:
                return message
            self.before.append(message)


def test_every_malformed_request_gets_an_answer_and_one_log_line(tmp_path):
    client = RawClient(tmp_path)
    try:
        client.request("initialize", INITIALIZE)
        client.notify("initialized", {})
        doc = tmp_path / "render.py"
        uri = doc.as_uri()
        published = open_document(client, doc, SOURCE)
        assert [d["code"] for d in published["diagnostics"]] == ["SOR001"]
        forged = {"range": {"start": {"line": -3, "character": 0}, "end": {"line": 0, "character": 0}},
                  "message": "x"}
        malformed = [
            _action_params(uri, -1),
            _action_params(uri, 2**31),
            _action_params(uri, 0, [forged]),
            {"textDocument": {"uri": uri}},  # no range, no context
            None,
        ]
        for params in malformed:
            answer = client.ask("textDocument/codeAction", params)
            assert answer["error"]["code"] == INVALID_PARAMS, answer
            assert answer["error"]["message"].startswith("invalid params for textDocument/codeAction: ")
        # A notification with bad params has nobody to answer: the server logs it and goes on.
        client.notify("textDocument/didOpen", {"textDocument": {"uri": 5}})
        # A document the client never opened: nothing to offer, and no traceback in an error.
        never = (tmp_path / "never.py").as_uri()
        assert client.ask("textDocument/codeAction", _action_params(never, 0)) == {
            "jsonrpc": "2.0", "id": client.next_id, "result": []}
        # The server still works: the quick fixes of the open document.
        titles = [a["title"] for a in client.request("textDocument/codeAction", _action_params(uri, 3))]
        assert "sora-lint (SOR001): Replace with 12, the nearest supported duration" in titles
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
        stderr = client.server_stderr()
        assert "Traceback" not in stderr and "ExceptionGroup" not in stderr and "exception group" not in stderr
        lines = stderr.splitlines()
        assert len([line for line in lines if "invalid params for textDocument/codeAction" in line]) == 5
        assert len([line for line in lines if "invalid params for textDocument/didOpen" in line]) == 1
        assert all(line.startswith("sora-lint server: ") for line in lines), lines
    finally:
        client.kill()


class PipeClient(RawClient):
    """The client of a server running in this process, over two pipes."""

    def __init__(self, server: Any) -> None:  # noqa: D107 - no subprocess: the parent's __init__ is not used
        import tempfile

        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop(), as the parent's is by kill()
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        self.proc = ServerThread(server)
        threading.Thread(target=self._read, daemon=True).start()

    def stop(self) -> None:
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        self.proc.wait(timeout=TIMEOUT)
        self.stderr.close()


@pytest.fixture
def in_process(monkeypatch):
    """A server in this process whose lint of any file named big*.py waits for ``release``."""
    from sora_lint.frontends import lsp_server, lsp_worker

    release = threading.Event()
    started = threading.Event()
    real = lsp_worker.lint_job

    def lint(job, cancelled):
        if Path(job.filename).name.startswith("big"):
            started.set()
            while not release.wait(0.01):
                if cancelled.is_set():
                    return None
        return real(job, cancelled)

    monkeypatch.setattr(lsp_server, "lint_job", lint)
    server, handlers = lsp_server.build_server()
    client = PipeClient(server)
    client.request("initialize", INITIALIZE)
    client.notify("initialized", {})
    yield client, release, started
    release.set()
    client.stop()
    handlers.scheduler.stop()


def big_document(lines: int) -> str:
    """As bench/server.py builds it: lines of about 16 bytes, a Sora call every thousandth."""
    body = "".join(f"client.videos.create(model='sora-2', prompt='p', seconds=10)  # {i}\n" if i % 1000 == 0
                   else f"value_{i:06d} = {i % 97}\n" for i in range(lines))
    return "from openai import OpenAI\nclient = OpenAI()\n" + body


def _open(client: Client, path: Path, text: str) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": path.as_uri(), "languageId": "python", "version": 1, "text": text}})


def test_a_small_request_is_answered_while_a_big_document_is_linted(in_process, tmp_path):
    client, release, started = in_process
    small = tmp_path / "small.py"
    published = open_document(client, small, SOURCE)
    assert [d["code"] for d in published["diagnostics"]] == ["SOR001"]
    _open(client, tmp_path / "big.py", SOURCE)
    assert started.wait(TIMEOUT)
    # The big document's lint is running (and will not end until released): the loop answers anyway.
    titles = [a["title"] for a in client.request("textDocument/codeAction", _action_params(small.as_uri(), 3))]
    assert "sora-lint (SOR001): Replace with 12, the nearest supported duration" in titles
    assert client.inbox.empty()  # no diagnostics for big.py yet
    release.set()
    late = client.notification("textDocument/publishDiagnostics")
    assert late["uri"] == (tmp_path / "big.py").as_uri() and [d["code"] for d in late["diagnostics"]] == ["SOR001"]


def test_the_newest_version_wins_and_a_waiting_code_action_can_be_cancelled(in_process, tmp_path):
    client, release, started = in_process
    big = tmp_path / "big.py"
    _open(client, big, SOURCE)
    assert started.wait(TIMEOUT)
    client.next_id += 1
    rid = client.next_id
    client._send({"id": rid, "method": "textDocument/codeAction", "params": _action_params(big.as_uri(), 3)})
    client.notify("$/cancelRequest", {"id": rid})
    answer = client._next("the cancelled codeAction's answer")
    assert answer["id"] == rid and answer["error"]["code"] == REQUEST_CANCELLED
    # A new version while the first is being linted: only its findings are published.
    fixed = SOURCE.replace("seconds=10", "seconds=12")
    client.notify("textDocument/didChange", {"textDocument": {"uri": big.as_uri(), "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    # Messages are handled in order: once this is answered, the change has cancelled the running lint.
    assert client.request("textDocument/codeAction", _action_params((tmp_path / "x.py").as_uri(), 0)) == []
    release.set()
    published = client.notification("textDocument/publishDiagnostics")
    assert published == {"uri": big.as_uri(), "version": 2, "diagnostics": []}


def test_a_big_document_is_linted_in_a_child_process_and_a_huge_one_is_too_large(monkeypatch):
    import threading

    from sora_lint.contracts.settings import Settings
    from sora_lint.frontends import lsp_worker
    from sora_lint.frontends.lsp import lint_text

    job = lsp_worker.LintJob("file:///t/render.py", 1, SOURCE, "/t/render.py", Settings(), "utf-16")
    in_process = lint_text(SOURCE, "/t/render.py", Settings(), "utf-16")
    monkeypatch.setattr(lsp_worker, "IN_PROCESS_LIMIT", 10)
    in_child = lsp_worker.lint_job(job, threading.Event())
    assert in_child is not None and in_child.findings == in_process.findings and in_child.findings
    size = len(SOURCE.encode())
    huge = lsp_worker.LintJob("file:///t/render.py", 1, SOURCE, "/t/render.py", Settings(max_file_size=100), "utf-16")
    linted = lsp_worker.lint_job(huge, threading.Event())
    assert linted is not None and [(d.code, d.message) for d, _r in linted.findings] == [
        ("SOR000", f"this file was not checked: it is too large to check ({size:,} bytes; the limit is 100, "
                   "set by max-file-size)")]


@pytest.mark.slow
def test_a_300000_line_document_does_not_hold_up_a_small_request(tmp_path):
    """The real server over stdio: the small request's answer comes before the big document's findings."""
    client = RawClient(tmp_path)
    try:
        client.request("initialize", INITIALIZE)
        client.notify("initialized", {})
        small = tmp_path / "small.py"
        open_document(client, small, SOURCE)
        big = tmp_path / "big.py"
        text = big_document(300_000)
        assert 4_000_000 < len(text) < 8_000_000  # linted in a child process: under the size limit, over the rest
        _open(client, big, text)
        answer = client.ask("textDocument/codeAction", _action_params(small.as_uri(), 3))
        assert answer["result"], answer
        assert not [m for m in client.before if "big.py" in json.dumps(m)]  # nothing about big.py came first
        assert client.close() == 0  # and the child linting big.py goes with the server
    finally:
        client.kill()
