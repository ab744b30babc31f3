"""The language server under a big document (issue 24): a small request's latency while it lints, and memory.

    python bench/server.py --lines 300000        # standalone; bench/run.py runs it too (--server-lines)

The real server over stdio: a small document is opened and linted, then a big one (``lines`` lines,
each a Sora call: 300,000 lines are about 5 MB), and while the big one is being linted a ``codeAction``
on the small one is timed (five times). The server's peak resident memory (``VmHWM``) is read just
before it exits; the child that lints the big document is sampled separately. The run is bounded: the
big document's findings are waited for at most ``timeout`` seconds, then the server is shut down
(which kills the child).
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
from typing import Any

SMALL = ('from openai import OpenAI\nclient = OpenAI()\n'
         'client.videos.create(model="sora-2", prompt="p", seconds=10)\n')


class Client:
    def __init__(self, cwd: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "sora_lint", "server"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def wait_for(self, test: Any, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                return None
            if message is None:
                return None
            if "id" in message and "method" in message:
                self.send({"id": message["id"], "result": None})
            elif test(message):
                return message
        return None

    def request(self, method: str, params: Any, timeout: float = 60) -> dict[str, Any] | None:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait_for(lambda m: m.get("id") == rid, timeout)

    def open(self, uri: str, text: str) -> None:
        self.send({"method": "textDocument/didOpen",
                   "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})


def big_document(lines: int) -> str:
    """``lines`` lines of about 16 bytes (300,000 are 4.9 MB, the size that once took the server to 3.5 GB),
    a Sora call every thousandth."""
    body = "".join(f"client.videos.create(model='sora-2', prompt='p', seconds=10)  # {i}\n" if i % 1000 == 0
                   else f"value_{i:06d} = {i % 97}\n" for i in range(lines))
    return "from openai import OpenAI\nclient = OpenAI()\n" + body


def _status_kb(pid: int, field: str) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (the server starts its big-document child from a thread)."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                found.extend(int(p) for p in fh.read().split())
    except OSError:
        pass
    return found


def measure(folder: str, lines: int, timeout: float = 120.0) -> dict[str, Any]:
    os.makedirs(folder, exist_ok=True)
    client = Client(folder)
    try:
        client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        client.send({"method": "initialized", "params": {}})
        small, big = f"file://{folder}/small.py", f"file://{folder}/big.py"
        client.open(small, SMALL)
        client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics", 60)
        text = big_document(lines)
        started = time.monotonic()
        client.open(big, text)
        params = {"textDocument": {"uri": small}, "context": {"diagnostics": []},
                  "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 80}}}
        # The first request waits for the server to read the didOpen before it (messages are handled in
        # order): reported apart, it is the cost of receiving the big document, not of linting it.
        asked = time.monotonic()
        client.request("textDocument/codeAction", params)
        behind_open = (time.monotonic() - asked) * 1000
        latencies = []
        for _ in range(5):
            time.sleep(0.2)
            asked = time.monotonic()
            answer = client.request("textDocument/codeAction", params)
            latencies.append((time.monotonic() - asked) * 1000 if answer and "result" in answer else None)
        child_peak = 0.0
        done = None
        while done is None and time.monotonic() - started < timeout:
            for child in _children(client.proc.pid):
                child_peak = max(child_peak, _status_kb(child, "VmHWM") or 0.0)
            done = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                   and m["params"]["uri"] == big, 0.2)
        server_peak = _status_kb(client.proc.pid, "VmHWM")
        client.request("shutdown", None)
        client.send({"method": "exit"})
        client.proc.wait(timeout=30)
        return {
            "document_lines": lines + 2, "document_mb": round(len(text.encode()) / 1e6, 2),
            "first_request_behind_the_open_ms": round(behind_open, 1),
            "small_request_ms": [None if ms is None else round(ms, 1) for ms in latencies],
            "server_peak_mb": None if server_peak is None else round(server_peak / 1024, 1),
            "child_peak_mb": round(child_peak / 1024, 1) if child_peak else None,
            "big_lint_seconds": round(time.monotonic() - started, 1) if done else None,
            "big_findings": len(done["params"]["diagnostics"]) if done else None,
            "timeout_seconds": timeout,
        }
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def markdown(result: dict[str, Any]) -> str:
    """The server's figures as a small Markdown table."""
    latencies = [ms for ms in result["small_request_ms"] if ms is not None]
    lint = result["big_lint_seconds"]
    rows = [
        ("document", f"{result['document_lines']:,} lines, {result['document_mb']} MB"),
        ("first codeAction, queued behind the big didOpen (ms)", f"{result['first_request_behind_the_open_ms']:.0f}"),
        ("codeAction on a small document while the big one lints (ms, 5 requests)",
         ", ".join(f"{ms:.0f}" for ms in latencies) or "no answer"),
        ("server's peak resident memory (MB)", str(result["server_peak_mb"])),
        ("peak of the child that lints the big document (MB)", str(result["child_peak_mb"])),
        ("big document's findings published after (s)",
         str(lint) if lint is not None else f"not within {result['timeout_seconds']:.0f} s"),
    ]
    return "| language server | |\n|---|---|\n" + "\n".join(f"| {name} | {value} |" for name, value in rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lines", type=int, default=300_000)
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the big document's findings")
    p.add_argument("--out", default="/tmp/sora-lint-bench-server")
    args = p.parse_args()
    result = measure(os.path.abspath(args.out), args.lines, args.timeout)
    print(json.dumps(result, indent=2))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
