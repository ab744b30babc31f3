"""Constants a module imports from another module of the same project.

``from .settings import DURATION``, ``from sora_settings import DEFAULT_SECONDS`` and
``import config; config.HERO_SIZE`` are read when the module is found next to the importing
file or under the project root (the nearest folder above it holding ``pyproject.toml``).
Only its module-level literal bindings count (bound once, never under ``global``), read with
:mod:`ast` (cheap: no LibCST parse) once per run per file version; its calls are never run.
A value found there is reported at the call that uses it, and never fixed in the other file.
"""
from __future__ import annotations

import ast
import os

# path -> ((mtime_ns, size), {name: (value, line)}): each file is read once per run and version.
_CONSTANTS: dict[str, tuple[tuple[int, int], dict[str, tuple[object, int]]]] = {}


class ProjectConstants:
    """The constants the module at ``path`` can import from its project, and the files it used."""

    def __init__(self, path: str) -> None:
        self.file = os.path.abspath(path)
        self.folder = os.path.dirname(self.file)
        self._root: str | None = None
        self._root_known = False  # found on the first lookup: most modules never need it
        self.used: set[str] = set()

    @property
    def root(self) -> str | None:
        if not self._root_known:
            self._root, self._root_known = _project_root(self.folder), True
        return self._root

    def lookup(self, qualified: str) -> tuple[object, str] | None:
        """(value, "settings.py:3") of ``module.NAME`` (``".settings.DURATION"`` for a relative import)."""
        if "." not in qualified.lstrip("."):
            return None
        module, name = qualified.rsplit(".", 1)
        path = self._module_path(module)
        if path is None or path == self.file:
            return None
        # Consulted, found or not: a change there can change this module's results.
        self.used.add(path)
        found = _constants(path).get(name)
        if found is None:
            return None
        return found[0], f"{os.path.relpath(path, self.folder)}:{found[1]}"

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
                if os.path.isfile(candidate):
                    return candidate
        return None


def _project_root(folder: str) -> str | None:
    current = folder
    while True:
        if os.path.isfile(os.path.join(current, "pyproject.toml")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _constants(path: str) -> dict[str, tuple[object, int]]:
    try:
        stat = os.stat(path)
    except OSError:
        return {}
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _CONSTANTS.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    constants = _module_literals(tree) if tree is not None else {}
    _CONSTANTS[path] = (version, constants)
    return constants


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
    for statement in tree.body:
        target, value = None, None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        if isinstance(target, ast.Name) and value is not None:
            literal = _literal(value)
            if literal is not None:
                literals[target.id] = (literal, statement.lineno)
    # Names bound in functions count too (ast.walk sees them): only module-wide single bindings stay.
    return {name: found for name, found in literals.items() if counts.get(name) == 1}


def _literal(node: ast.expr) -> object | None:
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float, str))
        and not isinstance(node.value, bool)
    ):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        return -inner if isinstance(inner, (int, float)) else None
    return None
