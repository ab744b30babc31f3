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

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..contracts.settings import Settings
from ..core.types import NEWLINE, PARSE_ERROR, SAFE, Diagnostic, Fix, Location
from ..engine import apply_fixes, lint_source
from ..run.config import CONFIG_NAMES, ConfigError
from ..run.files import excluded
from ..run.resolve import SettingsResolver
from .editor_actions import TextChange, carried_over, disable_comment, minimal_change

if TYPE_CHECKING:
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer

SOURCE = "sora-lint"
FIX_ALL_KIND = "source.fixAll.sora-lint"
# sora-lint is not on PyPI yet: the extra installs from a clone.
INSTALL_HINT = "pip install 'pygls>=2', or pip install '.[lsp]' in a clone of sora-lint"

# LSP DiagnosticSeverity values.
ERROR, WARNING = 1, 2

_BOM = "\ufeff"

Position = tuple[int, int]  # (line, character), 0-based, character in client code units
Range = tuple[Position, Position]


def severity(code: str) -> int:
    """Error for every rule finding, Warning for SOR000.

    Each rule finding is a request the API rejects when the code runs (or, for SOR002 under
    the official SDK, a type error), so it is a bug of the same weight as a type checker's
    error, not a style nit. SOR000 only says sora-lint could not parse the file and so did
    not check it: while typing, a file is often unparsable for a moment, and the Python
    language server already reports the syntax error itself, so a second red squiggle would
    be noise.
    """
    return WARNING if code == PARSE_ERROR else ERROR


def code_units(text: str, encoding: str) -> int:
    """The length of ``text`` in the code units of an LSP position encoding."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class LineMap:
    """sora-lint's 1-based (row, character column) to LSP positions in one document's text."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in NEWLINE.finditer(text)]
        # sora-lint checks the text without its BOM: on the first line, columns shift by one.
        self.bom = 1 if text.startswith(_BOM) else 0

    def _line(self, index: int) -> str:
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return NEWLINE.sub("", self.text[self.starts[index]:end])

    def position(self, location: Location) -> Position:
        line = min(max(location.row - 1, 0), len(self.starts) - 1)
        chars = max(location.column - 1, 0) + (self.bom if line == 0 else 0)
        return line, code_units(self._line(line)[:chars], self.encoding)

    def range(self, start: Location, end: Location) -> Range:
        return self.position(start), self.position(end)


def overlaps(a: Range, b: Range) -> bool:
    """Ranges touch or overlap (a cursor at either end of a finding still gets its fixes)."""
    return a[0] <= b[1] and b[0] <= a[1]


def action_title(code: str, fix: Fix) -> str:
    if fix.applicability == SAFE:
        return f"{SOURCE} ({code}): {fix.message}"
    note = "" if "price" in fix.message.lower() else " (changes the model and its price)"
    return f"{SOURCE} ({code}, unsafe): {fix.message}{note}"


def lintable_text(text: str) -> str:
    return text[1:] if text.startswith(_BOM) else text


@dataclass(frozen=True)
class _CachedSettings:
    stamp: tuple[tuple[str, int, int], ...]
    resolver: SettingsResolver
    settings: Settings | None  # the folder's settings; None when its configuration is broken
    error: str | None

    def for_path(self, path: str) -> Settings | None:
        """A file's own settings (its per-file ignores included), resolved as ``sora-lint check`` does."""
        if self.settings is None:
            return None
        try:
            return self.resolver.for_path(path)
        except ConfigError:
            return self.settings


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every configuration file from ``folder`` up, with its mtime and size: any edit changes it."""
    found = []
    for parent in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            try:
                st = (parent / name).stat()
            except OSError:
                continue
            found.append((str(parent / name), st.st_mtime_ns, st.st_size))
    return tuple(found)


class SettingsCache:
    """Settings per folder from the nearest configuration file, reloaded when one of them changes."""

    def __init__(self) -> None:
        self._entries: dict[Path, _CachedSettings] = {}

    def get(self, folder: Path) -> _CachedSettings:
        folder = folder.resolve()
        stamp = _stamp(folder)
        entry = self._entries.get(folder)
        if entry is None or entry.stamp != stamp:
            resolver = SettingsResolver(cwd=str(folder))
            try:
                entry = _CachedSettings(stamp, resolver, resolver.for_folder(str(folder)), None)
            except ConfigError as exc:
                entry = _CachedSettings(stamp, resolver, None, str(exc))
            self._entries[folder] = entry
        return entry


def is_excluded(path: str, settings: Settings) -> bool:
    """The configuration's excludes, matched on the path relative to its pyproject.toml (as ``check`` does)."""
    if not settings.source:
        return False
    rel = os.path.relpath(path, os.path.dirname(settings.source))
    return not rel.startswith("..") and excluded(rel, settings)


@dataclass
class Linted:
    """One document's text and its findings, each with its LSP range."""

    text: str
    encoding: str
    lines: LineMap
    findings: list[tuple[Diagnostic, Range]]


def lint_text(text: str, filename: str, settings: Settings, encoding: str) -> Linted:
    lines = LineMap(text, encoding)
    diagnostics = lint_source(lintable_text(text), filename, settings)
    return Linted(text, encoding, lines, [(d, lines.range(d.location, d.end_location)) for d in diagnostics])


def _encoding_name(value: object) -> str:
    return str(getattr(value, "value", value) or "utf-16").lower()


def build_server() -> LanguageServer:
    """The language server, with its handlers registered. Raises ImportError without pygls 2."""
    from lsprotocol import types as lsp  # installed with pygls
    from pygls.capabilities import get_capability
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from .docs import rule_url, tool_version

    server = LanguageServer(SOURCE, tool_version(), text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
    settings_cache = SettingsCache()
    results: dict[str, Linted] = {}
    # The last check of each document that parsed: while the user types through a syntax error,
    # its findings stay (moved with the edits) instead of one SOR000 the Python server already shows.
    last_good: dict[str, Linted] = {}
    shown_errors = set()

    def encoding() -> str:
        return _encoding_name(server.workspace.position_encoding)

    def settings_for(uri: str) -> tuple[Settings | None, str | None]:
        path = to_fs_path(uri)
        folder = os.path.dirname(path) if path else server.workspace.root_path
        if not folder:
            return Settings(), path
        entry = settings_cache.get(Path(folder))
        if entry.error is not None and (entry.error, entry.stamp) not in shown_errors:
            # Once per state of the configuration files, not once per document.
            shown_errors.add((entry.error, entry.stamp))
            server.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Error, message=f"sora-lint: {entry.error} (no diagnostics until it is fixed)"))
        if entry.settings is not None and path and is_excluded(path, entry.settings):
            return None, path
        return (entry.for_path(path) if path else entry.settings), path

    def lint(uri: str, text: str) -> Linted | None:
        settings, path = settings_for(uri)
        if settings is None:
            return None
        try:
            return lint_text(text, path or uri, settings, encoding())
        except Exception as exc:  # noqa: BLE001 - a bug must not take the editor's server down
            server.window_log_message(lsp.LogMessageParams(
                type=lsp.MessageType.Error, message=f"sora-lint: checking {uri} failed: {exc!r}"))
            return None

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

    def while_typing(uri: str, linted: Linted) -> Linted:
        """The findings to show for a buffer that may not parse for the moment."""
        unparsable = any(d.code == PARSE_ERROR for d, _r in linted.findings)
        if not unparsable:
            last_good[uri] = linted
            return linted
        good = last_good.get(uri)
        if good is None:
            return linted  # never parsed: SOR000 is all there is to say
        kept = carried_over(lintable_text(good.text), lintable_text(linted.text), [d for d, _r in good.findings])
        return Linted(linted.text, linted.encoding, linted.lines,
                      [(d, linted.lines.range(d.location, d.end_location)) for d in kept])

    def publish(uri: str, saved: bool = False) -> None:
        doc = server.workspace.get_text_document(uri)
        linted = lint(uri, doc.source)
        if linted is None:
            results.pop(uri, None)
            found: Sequence = []
        else:
            if not saved:
                linted = while_typing(uri, linted)
            elif not any(d.code == PARSE_ERROR for d, _r in linted.findings):
                last_good[uri] = linted
            results[uri] = linted
            found = [to_diagnostic(d, r, uri, linted) for d, r in linted.findings]
        server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=list(found), version=doc.version))

    def workspace_edit(uri: str, version: int | None, linted: Linted, fix: Fix) -> lsp.WorkspaceEdit:
        edits = [lsp.TextEdit(range=to_range(linted.lines.range(e.location, e.end_location)), new_text=e.content)
                 for e in fix.edits]
        if get_capability(server.client_capabilities, "workspace.workspace_edit.document_changes", False):
            ident = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(text_document=ident, edits=edits)])
        return lsp.WorkspaceEdit(changes={uri: edits})

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri, saved=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        results.pop(params.text_document.uri, None)
        last_good.pop(params.text_document.uri, None)
        server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    def change_edit(uri: str, version: int | None, linted: Linted, change: TextChange) -> lsp.WorkspaceEdit:
        edit = lsp.TextEdit(range=to_range(linted.lines.range(change.start, change.end)), new_text=change.new_text)
        if get_capability(server.client_capabilities, "workspace.workspace_edit.document_changes", False):
            ident = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(text_document=ident, edits=[edit])])
        return lsp.WorkspaceEdit(changes={uri: [edit]})

    def fix_all(uri: str, version: int | None, linted: Linted) -> list[lsp.CodeAction]:
        """source.fixAll.sora-lint: every safe fix, as one edit of the changed span (for fix on save)."""
        settings, path = settings_for(uri)
        if settings is None:
            return []
        text = lintable_text(linted.text)
        change = minimal_change(text, apply_fixes(text, path or uri, settings).source)
        if change is None:
            return []
        return [lsp.CodeAction(title=f"{SOURCE}: fix all safe fixes", kind=FIX_ALL_KIND,
                               edit=change_edit(uri, version, linted, change))]

    def wanted_kinds(only: Sequence[str] | None) -> tuple[bool, bool]:
        """Whether the client asks for quick fixes, and for the fix-all source action."""
        if not only:
            return True, False  # source actions only when asked for by kind, as editors do on save
        quickfix = lsp.CodeActionKind.QuickFix.value

        def asked(kind: str) -> bool:
            return any(kind == k or kind.startswith(f"{k}.") for k in only)

        return asked(quickfix), asked(FIX_ALL_KIND)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        want_quickfix, want_fix_all = wanted_kinds(params.context.only)
        if not want_quickfix and not want_fix_all:
            return []
        uri = params.text_document.uri
        doc = server.workspace.get_text_document(uri)
        linted = results.get(uri)
        if linted is None or linted.text != doc.source or linted.encoding != encoding():
            linted = lint(uri, doc.source)
            if linted is None:
                return []
        if want_fix_all:
            return fix_all(uri, doc.version, linted) + (
                [] if not want_quickfix else quick_fixes(params, uri, doc, linted)
            )
        return quick_fixes(params, uri, doc, linted)

    def quick_fixes(params: lsp.CodeActionParams, uri: str, doc: Any, linted: Linted) -> list[lsp.CodeAction]:
        wanted = ((params.range.start.line, params.range.start.character),
                  (params.range.end.line, params.range.end.character))
        actions = []
        for d, r in linted.findings:
            if not overlaps(r, wanted):
                continue
            attached = [to_diagnostic(d, r, uri, linted)]
            for fix in d.fixes:
                actions.append(lsp.CodeAction(
                    title=action_title(d.code, fix), kind=lsp.CodeActionKind.QuickFix, diagnostics=attached,
                    is_preferred=fix.applicability == SAFE, edit=workspace_edit(uri, doc.version, linted, fix)))
            comment = disable_comment(lintable_text(linted.text), d) if d.code != PARSE_ERROR else None
            if comment is not None:
                actions.append(lsp.CodeAction(
                    title=f"{SOURCE} ({d.code}): Disable {d.code} for this line", kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=attached, is_preferred=False, edit=change_edit(uri, doc.version, linted, comment)))
        return actions

    return server


def main() -> int:
    """Serve on stdin/stdout until the client says exit; 2 without pygls."""
    try:
        server = build_server()
    except ImportError as exc:
        print(f"sora-lint: error: the language server needs pygls 2 ({exc}): {INSTALL_HINT}", file=sys.stderr)
        return 2
    server.start_io()
    return 0
