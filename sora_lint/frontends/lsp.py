"""``sora-lint server``: the diagnostics and fixes of ``sora-lint check`` in any editor that speaks LSP.

The server runs on stdin/stdout (pygls 2, the optional extra ``sora-lint[lsp]``). It publishes
the diagnostics of an open document on didOpen, didChange and didSave, clears them on didClose,
and offers every fix as a ``quickfix`` code action: safe fixes are preferred (the editor's
"apply the preferred fix" picks them), unsafe ones (switching the model) are listed but never
preferred.

pygls is imported only by :func:`build_server`, so this module and the CLI load without it.

Positions: sora-lint reports 1-based rows and 1-based columns counted in characters (code
points). LSP positions are 0-based, with columns counted in the code units of the negotiated
``positionEncoding`` (UTF-16 unless the client offers utf-8 or utf-32; pygls picks the first
one the client lists). Lines are split on ``\\r\\n``, ``\\r`` and ``\\n`` only, as LSP and
sora-lint's own line index do (``str.splitlines`` would also split on form feeds and U+2028).
The document is synchronised in full on every change, so pygls's incremental patching (which
splits lines with ``str.splitlines``) never touches the text we lint.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .lsp_text import (  # the server's pygls-free parts, importable from here as before
    FIX_ALL_KIND,
    INSTALL_HINT,
    SOURCE,
    LineMap,
    Linted,
    SettingsCache,
    action_title,
    code_units,
    is_excluded,
    lint_text,
    lintable_text,
    overlaps,
    severity,
)

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

__all__ = ["FIX_ALL_KIND", "SOURCE", "LineMap", "Linted", "SettingsCache", "action_title", "build_server",
           "code_units", "is_excluded", "lint_text", "lintable_text", "main", "overlaps", "severity"]


def build_server() -> LanguageServer:
    """The language server, with its handlers registered. Raises ImportError without pygls 2."""
    from .lsp_server import build_server as build

    return build()[0]


def main() -> int:
    """Serve on stdin/stdout until the client says exit; 2 without pygls."""
    try:
        from .lsp_protocol import log_to_stderr
        from .lsp_server import build_server as build
    except ImportError as exc:
        print(f"sora-lint: error: the language server needs pygls 2 ({exc}): {INSTALL_HINT}", file=sys.stderr)
        return 2
    log_to_stderr()
    server, handlers = build()
    try:
        server.start_io()
    finally:
        handlers.scheduler.stop()  # and with it any child process linting a big document
    return 0
