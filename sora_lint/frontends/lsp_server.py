"""The language server's handlers and their state (imports pygls 2: see :mod:`.lsp` for the protocol notes).

Every request gets an answer. pygls structures a message's params before any handler runs; when
that fails (a negative line, a line of 2^31, a forged diagnostic) it logs a traceback per failure and
answers nothing, and the client waits forever. :class:`AnsweringProtocol` structures the params
itself and answers such a request with ``InvalidParams``, in one log line. A handler that fails
answers with its empty result and logs one line; a request for a document that was never opened
gets the empty result.

Requests are answered on pygls's event loop while documents are linted in a thread (or a child
process for big ones: see :mod:`.lsp_worker`); results come back to the loop, where the newest
version of a document wins. ``codeAction`` waits for the findings of the text it is asked about
without blocking the loop, so ``$/cancelRequest`` cancels it.
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..contracts.settings import Settings
from ..core.types import PARSE_ERROR, SAFE, Diagnostic, Fix
from ..engine import apply_fixes
from ..run.project_files import shared_project_files
from .docs import rule_url, tool_version
from .editor_actions import TextChange, carried_over, disable_comment, minimal_change
from .lsp_protocol import AnsweringProtocol, answering, quietly
from .lsp_text import (
    FIX_ALL_KIND,
    SOURCE,
    LineMap,
    Linted,
    Range,
    SettingsCache,
    action_title,
    is_excluded,
    lintable_text,
    overlaps,
    severity,
)
from .lsp_worker import IN_PROCESS_LIMIT, LintJob, LintScheduler, lint_job

logger = logging.getLogger("sora_lint.server")


def to_range(r: Range) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=r[0][0], character=r[0][1]),
                     end=lsp.Position(line=r[1][0], character=r[1][1]))


def to_diagnostic(d: Diagnostic, r: Range, uri: str, linted: Linted) -> lsp.Diagnostic:
    # The calls that send a value reported away from them (a dict entry, a default, a field).
    related = [lsp.DiagnosticRelatedInformation(
        location=lsp.Location(uri=uri, range=to_range(linted.lines.range(loc, loc))),
        message="the call that sends this value") for loc in d.related] or None
    return lsp.Diagnostic(range=to_range(r), message=d.message, severity=lsp.DiagnosticSeverity(severity(d.code)),
                          code=d.code, source=SOURCE, code_description=lsp.CodeDescription(href=rule_url(d.code)),
                          related_information=related)


def wanted_kinds(only: Sequence[str] | None) -> tuple[bool, bool]:
    """Whether the client asks for quick fixes, and for the fix-all source action."""
    if not only:
        return True, False  # source actions only when asked for by kind, as editors do on save
    quickfix = lsp.CodeActionKind.QuickFix.value

    def asked(kind: str) -> bool:
        return any(kind == k or kind.startswith(f"{k}.") for k in only)

    return asked(quickfix), asked(FIX_ALL_KIND)


class SoraServer:
    """The handlers of ``sora-lint server`` and everything they share: one object, one event loop."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.settings_cache = SettingsCache()
        self.results: dict[str, Linted] = {}  # the findings published for each open document
        # The last check of each document that parsed: while the user types through a syntax error,
        # its findings stay (moved with the edits) instead of one SOR000 the Python server already shows.
        self.last_good: dict[str, Linted] = {}
        self.shown_errors: set[tuple[str, Any]] = set()
        self.waiters: dict[str, list[asyncio.Future[None]]] = {}  # code actions waiting for fresh findings
        self.loop: asyncio.AbstractEventLoop | None = None
        self.scheduler = LintScheduler(self._from_linter, lint=self._lint)

    def register(self) -> None:
        feature = self.server.feature
        feature(lsp.TEXT_DOCUMENT_DID_OPEN)(quietly(self.did_open))
        feature(lsp.TEXT_DOCUMENT_DID_CHANGE)(quietly(self.did_change))
        feature(lsp.TEXT_DOCUMENT_DID_SAVE)(quietly(self.did_save))
        feature(lsp.TEXT_DOCUMENT_DID_CLOSE)(quietly(self.did_close))
        options = lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND])
        feature(lsp.TEXT_DOCUMENT_CODE_ACTION, options)(answering(list)(self.code_action))

    # Documents -----------------------------------------------------------------------------------

    def encoding(self) -> str:
        encoding = self.server.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16").lower()

    def document(self, uri: str) -> Any | None:
        """The open document ``uri``; None for one the client never opened (nothing is read from disk)."""
        return self.server.workspace.text_documents.get(unquote(uri))

    def settings_for(self, uri: str) -> tuple[Settings | None, str | None]:
        path = to_fs_path(uri)
        folder = os.path.dirname(path) if path else self.server.workspace.root_path
        if not folder:
            return Settings(), path
        entry = self.settings_cache.get(Path(folder))
        if entry.error is not None and (entry.error, entry.stamp) not in self.shown_errors:
            # Once per state of the configuration files, not once per document.
            self.shown_errors.add((entry.error, entry.stamp))
            self.server.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Error, message=f"sora-lint: {entry.error} (no diagnostics until it is fixed)"))
        if entry.settings is not None and path and is_excluded(path, entry.settings):
            return None, path
        return (entry.for_path(path) if path else entry.settings), path

    def schedule(self, uri: str, saved: bool = False) -> None:
        """Lint the document's current text in the background; its findings are published when done."""
        self.loop = asyncio.get_running_loop()
        doc = self.document(uri)
        if doc is None:
            return
        settings, path = self.settings_for(uri)
        if settings is None:
            self.results.pop(uri, None)
            self._publish(uri, [], doc.version)
            self._wake(uri)
            return
        self.scheduler.submit(LintJob(uri, doc.version, doc.source, path or uri, settings, self.encoding(), saved))

    def did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        self.schedule(params.text_document.uri)

    def did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        self.schedule(params.text_document.uri)

    def did_save(self, params: lsp.DidSaveTextDocumentParams) -> None:
        self.schedule(params.text_document.uri, saved=True)

    def did_close(self, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        self.scheduler.forget(uri)
        self.results.pop(uri, None)
        self.last_good.pop(uri, None)
        self._publish(uri, [], None)
        self._wake(uri)

    # Results, from the linter's thread back to the loop ---------------------------------------------

    def _lint(self, job: LintJob, cancelled: Any) -> Linted | None:
        try:
            return lint_job(job, cancelled)
        except Exception as exc:  # noqa: BLE001 - a bug must not take the editor's server down
            logger.error("checking %s failed: %r", job.uri, exc)
            return None

    def _from_linter(self, job: LintJob, linted: Linted | None) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._deliver, job, linted)

    def _deliver(self, job: LintJob, linted: Linted | None) -> None:
        doc = self.document(job.uri)
        if doc is None or doc.version != job.version or doc.source != job.text:
            return  # closed, or a newer version is on its way
        if linted is None:  # the check failed (logged): no findings for this text
            self.results[job.uri] = Linted(job.text, job.encoding, LineMap(job.text, job.encoding), [])
            self._publish(job.uri, [], doc.version)
        else:
            if not job.saved:
                linted = self.while_typing(job.uri, linted)
            elif not any(d.code == PARSE_ERROR for d, _r in linted.findings):
                self.last_good[job.uri] = linted
            self.results[job.uri] = linted
            self._publish(job.uri, [to_diagnostic(d, r, job.uri, linted) for d, r in linted.findings], doc.version)
        self._wake(job.uri)

    def _publish(self, uri: str, found: list[lsp.Diagnostic], version: int | None) -> None:
        self.server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version))

    def _wake(self, uri: str) -> None:
        for waiter in self.waiters.pop(uri, []):
            if not waiter.done():
                waiter.set_result(None)

    def while_typing(self, uri: str, linted: Linted) -> Linted:
        """The findings to show for a buffer that may not parse for the moment."""
        unparsable = any(d.code == PARSE_ERROR for d, _r in linted.findings)
        if not unparsable:
            self.last_good[uri] = linted
            return linted
        good = self.last_good.get(uri)
        if good is None:
            return linted  # never parsed: SOR000 is all there is to say
        kept = carried_over(lintable_text(good.text), lintable_text(linted.text), [d for d, _r in good.findings])
        return Linted(linted.text, linted.encoding, linted.lines,
                      [(d, linted.lines.range(d.location, d.end_location)) for d in kept])

    async def current(self, uri: str) -> Linted | None:
        """The findings of the document's text as it is now, waiting for the linter if need be."""
        while True:
            doc = self.document(uri)
            if doc is None:
                return None
            linted = self.results.get(uri)
            if linted is not None and linted.text == doc.source and linted.encoding == self.encoding():
                return linted
            if not self.scheduler.busy(uri):
                if self.settings_for(uri)[0] is None:
                    return None  # excluded, or a broken configuration: nothing to offer
                self.schedule(uri)
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.setdefault(uri, []).append(waiter)
            await waiter

    # Code actions ---------------------------------------------------------------------------------

    async def code_action(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        want_quickfix, want_fix_all = wanted_kinds(params.context.only)
        uri = params.text_document.uri
        if not (want_quickfix or want_fix_all) or self.document(uri) is None:
            return []
        linted = await self.current(uri)
        doc = self.document(uri)
        if linted is None or doc is None:
            return []
        actions = await self.fix_all(uri, doc.version, linted) if want_fix_all else []
        return actions + (self.quick_fixes(params, uri, doc.version, linted) if want_quickfix else [])

    def edit(self, uri: str, version: int | None, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
        if get_capability(self.server.client_capabilities, "workspace.workspace_edit.document_changes", False):
            ident = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(text_document=ident, edits=edits)])
        return lsp.WorkspaceEdit(changes={uri: edits})

    def fix_edit(self, uri: str, version: int | None, linted: Linted, fix: Fix) -> lsp.WorkspaceEdit:
        return self.edit(uri, version, [
            lsp.TextEdit(range=to_range(linted.lines.range(e.location, e.end_location)), new_text=e.content)
            for e in fix.edits])

    def change_edit(self, uri: str, version: int | None, linted: Linted, change: TextChange) -> lsp.WorkspaceEdit:
        edit = lsp.TextEdit(range=to_range(linted.lines.range(change.start, change.end)), new_text=change.new_text)
        return self.edit(uri, version, [edit])

    async def fix_all(self, uri: str, version: int | None, linted: Linted) -> list[lsp.CodeAction]:
        """source.fixAll.sora-lint: every safe fix, as one edit of the changed span (for fix on save).

        Fixed in a thread, so the loop goes on answering; a document too big to lint in the server's
        own process gets no fix-all (``sora-lint fix`` fixes it)."""
        settings, path = self.settings_for(uri)
        text = lintable_text(linted.text)
        if settings is None or len(text) > IN_PROCESS_LIMIT:
            return []
        fixed = await asyncio.to_thread(apply_fixes, text, path or uri, settings, files=shared_project_files())
        change = minimal_change(text, fixed.source)
        if change is None:
            return []
        return [lsp.CodeAction(title=f"{SOURCE}: fix all safe fixes", kind=FIX_ALL_KIND,
                               edit=self.change_edit(uri, version, linted, change))]

    def quick_fixes(self, params: lsp.CodeActionParams, uri: str, version: int | None,
                    linted: Linted) -> list[lsp.CodeAction]:
        wanted = ((params.range.start.line, params.range.start.character),
                  (params.range.end.line, params.range.end.character))
        actions = []
        for d, r in linted.findings:
            if overlaps(r, wanted):
                actions.extend(self.actions_for(uri, version, linted, d, [to_diagnostic(d, r, uri, linted)]))
        return actions

    def actions_for(self, uri: str, version: int | None, linted: Linted, d: Diagnostic,
                    attached: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
        actions = [lsp.CodeAction(title=action_title(d.code, fix), kind=lsp.CodeActionKind.QuickFix,
                                  diagnostics=attached, is_preferred=fix.applicability == SAFE,
                                  edit=self.fix_edit(uri, version, linted, fix))
                   for fix in d.fixes]
        comment = disable_comment(lintable_text(linted.text), d) if d.code != PARSE_ERROR else None
        if comment is not None:
            actions.append(lsp.CodeAction(
                title=f"{SOURCE} ({d.code}): Disable {d.code} for this line", kind=lsp.CodeActionKind.QuickFix,
                diagnostics=attached, is_preferred=False, edit=self.change_edit(uri, version, linted, comment)))
        return actions


def build_server() -> tuple[LanguageServer, SoraServer]:
    """The pygls server with sora-lint's handlers registered, and the object that holds their state."""
    server = LanguageServer(SOURCE, tool_version(), protocol_cls=AnsweringProtocol,
                            text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
    handlers = SoraServer(server)
    handlers.register()
    return server, handlers
