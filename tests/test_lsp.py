"""``sora-lint server`` driven over stdio, as an editor would: raw JSON-RPC to the real process in CI and the
slow run; in the fast loop the same server runs in a thread of this process, over a pair of pipes."""
from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

import conftest
import pytest

needs_pygls = pytest.mark.skipif(importlib.util.find_spec("pygls") is None,
                                 reason="pygls is not installed (pip install '.[lsp]')")

TIMEOUT = 20  # seconds for any one answer: a hang fails the test instead of blocking it

# The emoji is outside the BMP: one character, two UTF-16 code units, four UTF-8 bytes.
SOURCE = (
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.apiyi.com/v1")\n'
    'video = client.videos.create(prompt="\U0001F3AC cat", model="sora-2", seconds=10)\n'
)
FIXED = (
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.apiyi.com/v1")\n'
    'video = client.videos.create(prompt="\U0001F3AC cat", model="sora-2", seconds=12)\n'
)
MESSAGE = ("seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); use 8 or 12, "
           'or model="sora-2-pro" [profile apiyi: auto: base_url api.apiyi.com]')
SAFE_TITLE = "sora-lint (SOR001): Replace with 12, the nearest supported duration"
UNSAFE_TITLE = 'sora-lint (SOR001, unsafe): Use model="sora-2-pro" (changes price and output)'
DISABLE_TITLE = "sora-lint (SOR001): Disable SOR001 for this line"

# Line 3 of SOURCE: `10` is at characters 69-71 and `"sora-2"` at 51-59 (code points);
# the emoji before them adds one unit in UTF-16 and three in UTF-8.
COLUMNS = {
    "utf-16": {"seconds": (70, 72), "model": (52, 60)},
    "utf-32": {"seconds": (69, 71), "model": (51, 59)},
    "utf-8": {"seconds": (72, 74), "model": (54, 62)},
}


def _range(line: int, cols) -> dict[str, Any]:
    return {"start": {"line": line, "character": cols[0]}, "end": {"line": line, "character": cols[1]}}


def _stderr_file() -> IO[bytes]:
    """Where the server's stderr goes (a pipe nobody reads could fill and block it); the client closes it."""
    return tempfile.TemporaryFile()


class ServerThread:
    """What :class:`Client` uses of a server process (its pipes, ``poll``, ``wait``, ``kill``), for a server
    built in this process and serving in a thread."""

    def __init__(self, server: Any = None) -> None:
        handlers = None
        if server is None:
            from sora_lint.frontends import lsp_server

            server, handlers = lsp_server.build_server()
        to_server_r, to_server_w = os.pipe()
        from_server_r, from_server_w = os.pipe()
        self.stdin = os.fdopen(to_server_w, "wb")
        self.stdout = os.fdopen(from_server_r, "rb")
        self.thread = threading.Thread(target=self._serve, daemon=True, args=(
            server, handlers, os.fdopen(to_server_r, "rb"), os.fdopen(from_server_w, "wb")))
        self.thread.start()

    @staticmethod
    def _serve(server: Any, handlers: Any, given: IO[bytes], answers: IO[bytes]) -> None:
        try:
            server.start_io(given, answers)
        finally:  # as sora_lint.frontends.lsp.main does; then the reader sees the end of the output
            if handlers is not None:
                handlers.scheduler.stop()
            answers.close()

    def poll(self) -> int | None:
        return None if self.thread.is_alive() else 0

    def wait(self, timeout: float | None = None) -> int:
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise subprocess.TimeoutExpired("the server thread", timeout or 0)
        return 0  # what lsp.main returns once the loop ends

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.stdin.close()  # the end of its input ends the server's loop


class Client:
    """A minimal LSP client: Content-Length framing over the server's pipes, a reader thread, timeouts."""

    def __init__(self, cwd: Path, in_process: bool = False) -> None:
        self.stderr = _stderr_file()
        self.proc: Any
        if in_process:
            self.proc = ServerThread()
        else:
            self.proc = subprocess.Popen([sys.executable, "-m", "sora_lint", "server"], cwd=str(cwd),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            self.inbox.put(json.loads(out.read(int(headers["content-length"])).decode("utf-8")))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def _next(self, what: str) -> dict[str, Any]:
        try:
            message = self.inbox.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no {what} from the server within {TIMEOUT}s; stderr:\n"
                                 f"{self.server_stderr()}") from None
        if message is None:
            raise AssertionError(f"the server closed its output while we waited for {what}; stderr:\n"
                                 f"{self.server_stderr()}")
        if "id" in message and "method" in message:  # a request from the server (registrations, progress)
            self._send({"id": message["id"], "result": None})
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        rid = self.next_id
        self._send({"id": rid, "method": method, "params": params})
        while True:
            message = self._next(f"answer to {method}")
            if message.get("id") == rid and "method" not in message:
                assert "error" not in message, message["error"]
                return message["result"]

    def notification(self, method: str) -> dict[str, Any]:
        while True:
            message = self._next(method)
            if message.get("method") == method and "id" not in message:
                return message["params"]

    def server_stderr(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def close(self) -> int:
        """shutdown, exit, and the server's exit status."""
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
        self.stderr.close()


@pytest.fixture
def start(tmp_path):
    clients: list[Client] = []

    def _start(encodings=None, document_changes=False) -> tuple[Client, dict[str, Any]]:
        client = Client(tmp_path, in_process=not conftest.TOOLS_IN_PROCESSES)
        clients.append(client)
        capabilities: dict[str, Any] = {
            "textDocument": {"publishDiagnostics": {"versionSupport": True},
                             "codeAction": {"isPreferredSupport": True}},
            "workspace": {"workspaceEdit": {"documentChanges": document_changes}},
        }
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        result = client.request(
            "initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": capabilities}
        )
        client.notify("initialized", {})
        return client, result

    yield _start
    for client in clients:
        client.kill()


def apply_text_edits(text: str, edits: list[dict[str, Any]]) -> str:
    """What an editor does with TextEdits, on a text whose positions are UTF-16 code units."""
    lines = text.split("\n")

    def offset(pos: dict[str, int]) -> int:
        before = sum(len(line) + 1 for line in lines[:pos["line"]])
        line = lines[pos["line"]].encode("utf-16-le")
        return before + len(line[:2 * pos["character"]].decode("utf-16-le"))

    for edit in sorted(
        edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True
    ):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def open_document(client: Client, path: Path, text: str, version: int = 1) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "python",
                                                            "version": version, "text": text}})
    return client.notification("textDocument/publishDiagnostics")


@needs_pygls
def test_diagnostics_code_actions_and_the_preferred_edit(start, tmp_path):
    client, init = start()
    caps = init["capabilities"]
    assert caps.get("positionEncoding", "utf-16") == "utf-16"
    assert caps["codeActionProvider"] == {"codeActionKinds": ["quickfix", "source.fixAll.sora-lint"]}
    assert caps["textDocumentSync"]["change"] == 1  # full text on every change
    assert init["serverInfo"]["name"] == "sora-lint"

    doc = tmp_path / "app" / "render.py"
    uri = doc.as_uri()
    published = open_document(client, doc, SOURCE)
    finding = {
        "range": _range(3, COLUMNS["utf-16"]["seconds"]),
        "severity": 1,
        "code": "SOR001",
        "source": "sora-lint",
        "message": MESSAGE,
        "codeDescription": {"href": "https://github.com/sora-lint/sora-lint/blob/main/docs/rules/SOR001.md"},
    }
    assert published == {"uri": uri, "version": 1, "diagnostics": [finding]}

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": _range(3, (71, 71)),  # a cursor inside `10`
        "context": {"diagnostics": [finding], "triggerKind": 1},
    })
    assert [(a["title"], a["kind"], a["isPreferred"], a["diagnostics"]) for a in actions] == [
        (SAFE_TITLE, "quickfix", True, [finding]),
        (UNSAFE_TITLE, "quickfix", False, [finding]),
        (DISABLE_TITLE, "quickfix", False, [finding]),
    ]
    safe, unsafe, disable = actions
    assert apply_text_edits(SOURCE, disable["edit"]["changes"][uri]) == SOURCE.replace("seconds=10)", "seconds=10)  # "
                                                                                                      "noqa: SOR001")
    assert safe["edit"] == {"changes": {uri: [{"range": _range(3, COLUMNS["utf-16"]["seconds"]), "newText": "12"}]}}
    assert unsafe["edit"] == {
        "changes": {uri: [{"range": _range(3, COLUMNS["utf-16"]["model"]), "newText": '"sora-2-pro"'}]}
    }
    assert apply_text_edits(SOURCE, safe["edit"]["changes"][uri]) == FIXED
    assert apply_text_edits(SOURCE, unsafe["edit"]["changes"][uri]) == SOURCE.replace(
        'model="sora-2"', 'model="sora-2-pro"'
    )

    # Elsewhere on the line, or for a kind we do not offer, there is nothing to do.
    assert client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(0, (0, 4)), "context": {"diagnostics": []}}) == []
    assert client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(3, (71, 71)),
        "context": {"diagnostics": [finding], "only": ["source.organizeImports"]}}) == []

    # The user applies the fix: the change clears the finding, a change back brings it back.
    client.notify(
        "textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": FIXED}]}
    )
    assert client.notification("textDocument/publishDiagnostics") == {"uri": uri, "version": 2, "diagnostics": []}
    client.notify(
        "textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": SOURCE}]}
    )
    assert client.notification("textDocument/publishDiagnostics") == {
        "uri": uri,
        "version": 3,
        "diagnostics": [finding],
    }
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.notification("textDocument/publishDiagnostics") == {
        "uri": uri,
        "version": 3,
        "diagnostics": [finding],
    }
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.notification("textDocument/publishDiagnostics") == {"uri": uri, "diagnostics": []}

    assert client.close() == 0


@needs_pygls
@pytest.mark.parametrize(
    "offered, chosen", [(["utf-32", "utf-16"], "utf-32"), (["utf-8"], "utf-8"), (["utf-16"], "utf-16")]
)
@pytest.mark.slow
def test_negotiated_position_encoding(start, tmp_path, offered, chosen):
    client, init = start(encodings=offered, document_changes=True)
    assert init["capabilities"]["positionEncoding"] == chosen
    doc = tmp_path / "render.py"
    uri = doc.as_uri()
    published = open_document(client, doc, SOURCE, version=7)
    assert [d["range"] for d in published["diagnostics"]] == [_range(3, COLUMNS[chosen]["seconds"])]
    start_col = COLUMNS[chosen]["seconds"][0]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(3, (start_col, start_col)), "context": {"diagnostics": []}})
    assert [a["isPreferred"] for a in actions] == [True, False, False]
    # The client supports documentChanges: the edit names the version it was computed for.
    assert actions[0]["edit"] == {"documentChanges": [{
        "textDocument": {"uri": uri, "version": 7},
        "edits": [{"range": _range(3, COLUMNS[chosen]["seconds"]), "newText": "12"}],
    }]}
    assert client.close() == 0


@needs_pygls
def test_settings_come_from_the_nearest_pyproject(start, tmp_path):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "pyproject.toml").write_text(
        '[tool.sora-lint]\nprofile = "apiyi"\nexclude = ["generated"]\n', encoding="utf-8")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "pyproject.toml").write_text('[tool.sora-lint]\nprofile = "nope"\n', encoding="utf-8")
    client, _ = start()
    text = 'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="x", seconds="8")\n'

    # No base_url: auto picks the official contract, where a string is right.
    assert open_document(client, tmp_path / "official" / "a.py", text)["diagnostics"] == []
    # The gateway project pins apiyi, where seconds is an int.
    found = open_document(client, tmp_path / "gateway" / "pkg" / "b.py", text)["diagnostics"]
    assert [(d["code"], d["range"]) for d in found] == [("SOR002", _range(1, (59, 62)))]
    # Its excludes hold in the editor too, relative to that pyproject.toml.
    assert open_document(client, tmp_path / "gateway" / "generated" / "c.py", text)["diagnostics"] == []
    # Editing the configuration takes effect on the next check, without a restart.
    gateway_config = tmp_path / "gateway" / "pyproject.toml"
    # (the new text is longer: the change is seen even where the clock is too coarse to move the mtime)
    gateway_config.write_text(
        '[tool.sora-lint]\nprofile = "apiyi"\nexclude = ["generated"]\nignore = ["SOR002"]\n', encoding="utf-8")
    uri = (tmp_path / "gateway" / "pkg" / "b.py").as_uri()
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.notification("textDocument/publishDiagnostics")["diagnostics"] == []
    # A broken configuration is reported to the user, and nothing is guessed.
    client.notify("textDocument/didOpen", {"textDocument": {"uri": (tmp_path / "broken" / "c.py").as_uri(),
                                                            "languageId": "python", "version": 1, "text": text}})
    shown = client.notification("window/showMessage")
    assert shown["type"] == 1 and "unknown profile 'nope'" in shown["message"]
    assert client.notification("textDocument/publishDiagnostics")["diagnostics"] == []
    assert client.close() == 0


def test_server_without_pygls_says_how_to_install_it(tmp_path):
    # None in sys.modules makes the import fail, as if the extra were not installed.
    script = (
        "import sys\n"
        "sys.modules['pygls'] = None\n"
        "sys.modules['lsprotocol'] = None\n"
        "from sora_lint.frontends.cli import main\n"
        "sys.exit(main(['server']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=str(tmp_path), capture_output=True, text=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sora-lint: error: ")
    assert lines[0].endswith("pip install 'pygls>=2', or pip install '.[lsp]' in a clone of sora-lint")


def test_positions_follow_lsp_lines_and_the_negotiated_encoding():
    from sora_lint.core.types import UNSAFE, Fix, Location
    from sora_lint.frontends.lsp import LineMap, action_title

    # LSP lines end at \r\n, \r or \n only: a form feed or U+2028 inside a line does not split it.
    text = "a\x0cb\r\nx = '\u2028\U0001F3AC' + y\rz\n"
    assert LineMap(text, "utf-16").position(Location(2, 12)) == (1, 12)
    assert LineMap(text, "utf-32").position(Location(2, 12)) == (1, 11)
    assert LineMap(text, "utf-8").position(Location(2, 12)) == (1, 16)
    assert LineMap(text, "utf-16").position(Location(3, 2)) == (2, 1)
    # sora-lint checks the text without its BOM; the editor's text may still carry one.
    assert LineMap("\ufeffab\ncd", "utf-16").range(Location(1, 1), Location(2, 2)) == ((0, 1), (1, 1))
    # An unsafe fix always says it changes the model and its price, whatever the rule wrote.
    assert action_title("SOR003", Fix(UNSAFE, 'Use model="sora-2-pro"', ())) == (
        'sora-lint (SOR003, unsafe): Use model="sora-2-pro" (changes the model and its price)')


@needs_pygls
def test_fix_all_on_save_applies_the_safe_fixes_only(start, tmp_path):
    client, _ = start()
    doc = tmp_path / "render.py"
    uri = doc.as_uri()
    text = SOURCE + 'client.videos.create(prompt="x", model="sora-2", size="1792x1024")\n'
    open_document(client, doc, text)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(0, (0, 0)),
        "context": {"diagnostics": [], "only": ["source.fixAll"], "triggerKind": 2}})
    assert [(a["title"], a["kind"]) for a in actions] == [("sora-lint: fix all safe fixes", "source.fixAll.sora-lint")]
    edits = actions[0]["edit"]["changes"][uri]
    # Only the changed span is replaced; the unsafe model switch is not applied.
    fixed = apply_text_edits(text, edits)
    assert fixed == FIXED + 'client.videos.create(prompt="x", model="sora-2", size="1280x720")\n'
    assert edits[0]["range"]["start"]["line"] == 3
    # A file with nothing to fix offers no fix-all action; quick fixes are not mixed into a source request.
    open_document(client, tmp_path / "clean.py", FIXED)
    assert client.request("textDocument/codeAction", {
        "textDocument": {"uri": (tmp_path / "clean.py").as_uri()}, "range": _range(0, (0, 0)),
        "context": {"diagnostics": [], "only": ["source.fixAll.sora-lint"]}}) == []
    assert client.close() == 0


@needs_pygls
def test_typing_through_a_syntax_error_keeps_the_findings(start, tmp_path):
    client, _ = start()
    doc = tmp_path / "render.py"
    uri = doc.as_uri()
    first = open_document(client, doc, SOURCE)["diagnostics"]
    assert [(d["code"], d["range"]["start"]["line"]) for d in first] == [("SOR001", 3)]
    # The user starts a new line above the call: the buffer does not parse for a moment.
    broken = SOURCE.replace("\nclient = ", "\nx = (\n\nclient = ")
    client.notify(
        "textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": broken}]}
    )
    shown = client.notification("textDocument/publishDiagnostics")
    assert shown["version"] == 2
    # The same finding, moved down with its line; no SOR000 while typing.
    assert [(d["code"], d["range"]) for d in shown["diagnostics"]] == [
        ("SOR001", _range(5, COLUMNS["utf-16"]["seconds"]))
    ]
    # On save the syntax error is reported.
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    saved = client.notification("textDocument/publishDiagnostics")["diagnostics"]
    assert [d["code"] for d in saved] == ["SOR000"]
    # Parsing again: the real findings are back.
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": broken.replace("x = (\n", "x = ()\n")}]})
    back = client.notification("textDocument/publishDiagnostics")["diagnostics"]
    assert [(d["code"], d["range"]) for d in back] == [("SOR001", _range(5, COLUMNS["utf-16"]["seconds"]))]
    # A file that never parsed says so at once.
    never = open_document(client, tmp_path / "never.py", "import openai\nclient.videos.create(seconds=10\n")
    assert [d["code"] for d in never["diagnostics"]] == ["SOR000"]
    assert client.close() == 0
