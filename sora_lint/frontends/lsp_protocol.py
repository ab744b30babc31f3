"""pygls's protocol with an answer for every request, and handlers that fail in one log line.

pygls structures a message's params before any handler runs; when that fails (a negative line, a line
of 2^31, a forged diagnostic) it logs a traceback per failure and answers nothing, and the client waits
forever. :class:`AnsweringProtocol` structures the params itself and answers such a request with
``InvalidParams``, in one log line.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol

logger = logging.getLogger("sora_lint.server")


class Rejected:
    """A message whose params do not have the shape its method needs."""

    def __init__(self, msg_id: Any, method: str, reason: str) -> None:
        self.id, self.method, self.reason = msg_id, method, reason


def _reason(exc: Exception) -> str:
    """The first of cattrs's errors, in one line (``$.params.range.start.line: ...``)."""
    try:
        import cattrs

        details = cattrs.transform_error(exc)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - not a cattrs error: its own text will do
        details = [str(exc)]
    return (details[0] if details else repr(exc)).replace("\n", " ")[:300]


class AnsweringProtocol(LanguageServerProtocol):
    """pygls's protocol, with an answer for every request whose params it cannot structure."""

    def __init__(self, server: Any, converter: Any) -> None:
        super().__init__(server, converter)
        self.converter = converter

    def structure_message(self, data: dict[str, Any]) -> Any:
        method = data.get("method")
        message_type = self.get_message_type(method) if "jsonrpc" in data and isinstance(method, str) else None
        if message_type is None:
            return super().structure_message(data)
        try:
            return self.converter.structure(data, message_type)
        except Exception as exc:  # noqa: BLE001 - any failure to structure is the client's malformed params
            return Rejected(data.get("id"), str(method), _reason(exc))

    def handle_message(self, message: Any) -> None:
        if isinstance(message, Rejected):
            logger.warning("invalid params for %s (id %s): %s", message.method, message.id, message.reason)
            if message.id is not None:
                error = JsonRpcInvalidParams(f"invalid params for {message.method}: {message.reason}")
                # pygls has no public way to answer a request outside a handler.
                self._send_response(message.id, error=error.to_response_error())
            return
        if not hasattr(message, "jsonrpc"):  # JSON, but no JSON-RPC message (an array, a bare value, no version)
            msg_id = message.get("id") if isinstance(message, dict) else None
            logger.warning("not a JSON-RPC 2.0 message (id %s): ignored", msg_id)
            if isinstance(msg_id, (int, str)):
                self._send_response(msg_id, error=JsonRpcInvalidRequest("not a JSON-RPC 2.0 message")
                                    .to_response_error())
            return
        super().handle_message(message)


Handler = Callable[..., Awaitable[Any]]


def answering(empty: Callable[[], Any]) -> Callable[[Handler], Handler]:
    """An async handler that logs one line and answers ``empty()`` when it fails (cancellation passes)."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def answer(*args: Any) -> Any:
            try:
                return await handler(*args)
            except Exception as exc:  # noqa: BLE001 - a bug must not leave the client without an answer
                logger.error("%s failed: %r", handler.__name__, exc)
                return empty()
        return answer
    return wrap


def quietly(handler: Callable[..., None]) -> Callable[..., None]:
    """A notification handler that logs one line when it fails."""

    @functools.wraps(handler)
    def run(*args: Any) -> None:
        try:
            handler(*args)
        except Exception as exc:  # noqa: BLE001 - a bug must not take the editor's server down
            logger.error("%s failed: %r", handler.__name__, exc)
    return run


class OneLine(logging.Formatter):
    """Log records on one line each: a traceback (or a group of them) becomes its exception's repr."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage().splitlines()[0] if record.getMessage() else ""
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {record.exc_info[1]!r}"[:300]
        return f"sora-lint server: {record.levelname.lower()}: {text}"


def log_to_stderr() -> None:
    """pygls's and sora-lint's warnings on stderr, one line each (editors show it as the server's log)."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLine())
    for name in ("pygls", "sora_lint"):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(logging.WARNING)
        log.propagate = False
