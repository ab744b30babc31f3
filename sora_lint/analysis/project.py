"""Constants a module imports from another module of the same project.

``from .settings import DURATION``, ``from sora_settings import DEFAULT_SECONDS`` and
``import config; config.HERO_SIZE`` are read when the module is found next to the importing
file or under the project root (the nearest folder above it holding ``pyproject.toml``).
Only its module-level literal bindings count (bound once, never under ``global``), read with
:mod:`ast` (cheap: no LibCST parse); its calls are never run. A value found there is reported at
the call that uses it, and never fixed in the other file.

The other way round: a module-level binding of this module may be imported by another file, where a
fix made for this module's call could break a valid call. :meth:`ProjectConstants.importers` finds
those files with a cheap text scan (the name as a word, the module's name in an import, ``import *``).

This module reads no file: what it needs of the project comes through a :class:`ProjectReader`, which
the run layer provides (``sora_lint.run.project_files``) with its caches; this module says what a
file's bytes mean (:func:`read_constants`, :func:`read_words`).
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ..core.cpython import parse_python
from .shapes import CLIENT_CLASSES

if TYPE_CHECKING:
    from .scopes import Binding

Constants = dict[str, tuple[object, int]]  # name -> (value, line)
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# An import statement: ``from X import ...`` / ``import ...``, to the end of its line or its parentheses.
_IMPORT = re.compile(rb"(?:^|[\n;])[ \t]*(?:from[ \t]+([\w. \t]+?)[ \t]+)?import[ \t]*(\([^)]*\)|[^\n;]*)")


class Words(NamedTuple):
    all: frozenset[bytes]  # every identifier in the file
    imported: frozenset[bytes]  # the identifiers of its import statements (module paths and names)
    star: bool  # it has an ``import *``


class ImportIndex(NamedTuple):
    """Which files of a listing may import a module, without reading each one's words again: every word of
    an import statement -> the files (indexes in the listing) whose imports hold it; the files with ``import *``."""

    by_word: dict[bytes, tuple[int, ...]]
    star: tuple[int, ...]


def index_imports(listed: Sequence[Words]) -> ImportIndex:
    """The :class:`ImportIndex` of the words of a listing's files, in its order."""
    by_word: dict[bytes, list[int]] = {}
    for i, words in enumerate(listed):
        for word in words.imported:
            by_word.setdefault(word, []).append(i)
    return ImportIndex({w: tuple(found) for w, found in by_word.items()},
                       tuple(i for i, words in enumerate(listed) if words.star))


class ProjectReader(Protocol):
    """The other files of a project, as the analysis asks for them (the run layer reads and caches them)."""

    def is_file(self, path: str) -> bool: ...

    def import_index(self, root: str) -> tuple[list[str], ImportIndex] | None:
        """The .py files a module under ``root`` may be imported by, and :func:`index_imports` of their words;
        None when the project is too large to scan."""
        ...

    def constants(self, path: str) -> Constants:
        """:func:`read_constants` of the file at ``path``."""
        ...

    def words(self, path: str) -> Words:
        """:func:`read_words` of the file at ``path``."""
        ...


class ProjectConstants:
    """The constants the module at ``path`` can import from its project, and the files it used."""

    def __init__(self, path: str, files: ProjectReader) -> None:
        self.files = files
        self.file = os.path.abspath(path)
        self.folder = os.path.dirname(self.file)
        self._root: str | None = None
        self._root_known = False  # found on the first lookup: most modules never need it
        self.used: set[str] = set()

    @property
    def root(self) -> str | None:
        if not self._root_known:
            self._root, self._root_known = _project_root(self.folder, self.files), True
        return self._root

    def lookup(self, qualified: str) -> tuple[object, str] | None:
        """(value, "settings.py:3") of ``module.NAME`` (``".settings.DURATION"`` for a relative import):
        a number or a string."""
        found = self.lookup_any(qualified)
        return found if found is not None and isinstance(found[0], (int, float, str)) else None

    def lookup_any(self, qualified: str) -> tuple[object, str] | None:
        """:meth:`lookup`, also for a dict of literals (a ``dict``) or a client built there (a
        :class:`ProjectClient`)."""
        if "." not in qualified.lstrip("."):
            return None
        module, name = qualified.rsplit(".", 1)
        path = self._module_path(module)
        if path is None or path == self.file:
            return None
        # Consulted, found or not: a change there can change this module's results.
        self.used.add(path)
        found = self.files.constants(path).get(name)
        if found is None:
            return None
        return found[0], f"{os.path.relpath(path, self.folder)}:{found[1]}"

    def importers(self, name: str) -> list[str]:
        """The other files of the project that may import ``name`` from this module, relative to its
        folder (empty when none may). A file may when it holds two of: ``name`` as a word, this
        module's name as a word in an import statement, an ``import *``. Over-cautious by design: a
        fix to a binding another file imports could break that file's valid call. The files found
        count as used (the cache)."""
        if not self.files.is_file(self.file):
            return []  # not on disk (stdin, a buffer, a test's name): nothing can import it
        module = os.path.basename(self.folder) if os.path.basename(self.file) == "__init__.py" else (
            os.path.splitext(os.path.basename(self.file))[0])
        listed = self.files.import_index(self.root or self.folder)
        if listed is None:
            return ["the project is too large to check"]
        files, index = listed
        wanted, module_word = name.encode(), module.encode()
        found = []
        # Only a file that imports this module's name, or has an ``import *``, can pass the test below.
        for at in sorted({*index.by_word.get(module_word, ()), *index.star}):
            path = files[at]
            if path == self.file:
                continue
            words = self.files.words(path)
            # ``from .clips import *`` may re-export the name under another module's name: it counts alone.
            imported = module_word in words.imported
            if (imported and (wanted in words.all or words.star)) or (wanted in words.all and words.star):
                found.append(path)
                self.used.add(path)
        return [os.path.relpath(path, self.folder) for path in found]

    def _module_path(self, module: str) -> str | None:
        level = len(module) - len(module.lstrip("."))
        parts = [p for p in module[level:].split(".") if p]
        if level:
            base = self.folder
            for _ in range(level - 1):
                base = os.path.dirname(base)
            bases: list[str] = [base]
        else:
            bases = [self.folder] + ([self.root] if self.root and self.root != self.folder else [])
        if not parts:
            return None
        for base in bases:
            stem = os.path.join(base, *parts)
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                if self.files.is_file(candidate):
                    return candidate
        return None


def _project_root(folder: str, files: ProjectReader) -> str | None:
    current = folder
    while True:
        if files.is_file(os.path.join(current, "pyproject.toml")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def read_words(data: bytes | None) -> Words:
    """The words of a file's bytes (None: it could not be read), for :meth:`ProjectConstants.importers`."""
    text = data or b""
    imports = import_statements(text)
    return Words(frozenset(_WORD.findall(text)),
                 frozenset(w for module, names in imports for w in _WORD.findall(module + b" " + names)),
                 any(names.startswith(b"*") for _module, names in imports))


def import_statements(text: bytes) -> list[tuple[bytes, bytes]]:
    """(module, names) of each ``_IMPORT.finditer(text)`` match, the regex tried only where ``import`` occurs.

    Tried at every line start, the regex was most of the cost of reading a project's words. A match
    starts at the last newline or ``;`` before its ``import`` (nothing between may be one), or at the
    start of the text, and never inside the match before it: the same matches, in the same order
    (tests/test_project_constants.py compares the two on the standard library)."""
    found: list[tuple[bytes, bytes]] = []
    end = 0
    tried = -2
    at = text.find(b"import")
    while at != -1:
        if at >= end:
            start = max(text.rfind(b"\n", end, at), text.rfind(b";", end, at))
            if start == -1 and end == 0:
                start = 0  # the regex's ^
            if start != -1 and start != tried:
                tried = start
                match = _IMPORT.match(text, start)
                if match is not None:
                    found.append((match.group(1) or b"", match.group(2)))
                    end = match.end()
        at = text.find(b"import", at + 1)
    return found


def read_constants(data: bytes | None) -> Constants:
    """The module-level literal bindings of a file's bytes (None: it could not be read)."""
    if data is None:
        return {}
    try:
        tree = parse_python(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    return _module_literals(tree)


def _module_literals(tree: ast.Module) -> dict[str, tuple[object, int]]:
    """Names bound exactly once in the module, at its top level, to a literal number or string."""
    counts: dict[str, int] = {}
    literals: dict[str, tuple[object, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                counts[name] = counts.get(name, 0) + 2  # rebound from a function: never a constant
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            counts[node.id] = counts.get(node.id, 0) + 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            counts[node.name] = counts.get(node.name, 0) + 1
        elif isinstance(node, ast.alias):
            local = (node.asname or node.name).split(".")[0]
            counts[local] = counts.get(local, 0) + 1
    imported = _imported_names(tree)
    for statement in tree.body:
        target, value = None, None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        if isinstance(target, ast.Name) and value is not None:
            literal = _literal(value) if not isinstance(value, ast.Call) else _client(value, imported)
            if literal is not None:
                literals[target.id] = (literal, statement.lineno)
    # Names bound in functions count too (ast.walk sees them): only module-wide single bindings stay.
    return {name: found for name, found in literals.items() if counts.get(name) == 1}


class ProjectClient(NamedTuple):
    """A client another module of the project builds at its top level (``sora_client = OpenAI(...)``)."""

    qualified: str  # its class, "openai.OpenAI"


def _literal(node: ast.expr) -> object | None:
    if isinstance(node, ast.Dict):
        # A table of literals (``CINEMA = {"model": "sora-2", "seconds": "8"}``): string keys, scalar values.
        keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
        values = [_literal(v) for v in node.values]
        if all(isinstance(k, str) for k in keys) and all(v is not None and not isinstance(v, dict) for v in values):
            return dict(zip(keys, values))
        return None
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        return -inner if isinstance(inner, (int, float)) else None
    return None


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """The qualified name each top-level import binds (``OpenAI`` -> ``openai.OpenAI``)."""
    names: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            names.update({a.asname or a.name: f"{statement.module}.{a.name}" for a in statement.names})
        elif isinstance(statement, ast.Import):
            names.update({a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0]
                          for a in statement.names})
    return names


def _client(call: ast.Call, imported: dict[str, str]) -> ProjectClient | None:
    parts: list[str] = []
    func: ast.expr = call.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in imported:
        return None
    qualified = ".".join([imported[func.id], *reversed(parts)])
    return ProjectClient(qualified) if qualified in CLIENT_CLASSES else None


def import_blocker(constants: ProjectConstants | None, binding: Binding) -> str | None:
    """Why a literal bound at module level (or in a module-level class) may not be rewritten:
    another file of the project may import it, and a fix made for this module's call could break
    that file's valid call. Asked only when nothing else blocks the fix (it scans the project)."""
    scope, name = binding.scope, binding.name
    while scope.kind == "class" and scope.parent is not None:
        name = scope.node.name.value  # type: ignore[union-attr]  # what another file imports
        scope = scope.parent
    if scope.kind != "module" or constants is None:
        return None
    files = constants.importers(name)
    return f"{name} may be imported by another module ({', '.join(files)})" if files else None
