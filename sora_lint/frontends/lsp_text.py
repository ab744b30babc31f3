"""What the language server shows, computed without pygls: LSP positions, findings, settings per folder.

See :mod:`.lsp` for the protocol notes (positions, encodings, lines).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..contracts.settings import Settings
from ..core.types import NEWLINE, PARSE_ERROR, SAFE, Diagnostic, Fix, Location
from ..engine import lint_source
from ..run.config import ConfigError
from ..run.config_files import CONFIG_NAMES
from ..run.files import excluded
from ..run.project_files import shared_project_files
from ..run.resolve import SettingsResolver

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
    diagnostics = lint_source(lintable_text(text), filename, settings, files=shared_project_files())
    return Linted(text, encoding, lines, [(d, lines.range(d.location, d.end_location)) for d in diagnostics])
