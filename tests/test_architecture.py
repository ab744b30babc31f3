"""The package's shape: layers import downwards only, no cycles, no private names across modules,
no module much over 400 lines. A failure names the import or the module that breaks it."""
from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sora_lint"
MAX_LINES = 400

# The folders are the layers, lowest first: a module imports its own folder or lower ones only.
LAYERS: tuple[str, ...] = (
    "core",  # plain records every layer passes around (diagnostics, fixes, locations); no LibCST
    "contracts",  # the Sora contracts, lifecycle dates, a run's settings and the choice of a profile per call
    "analysis",  # where the Sora calls are, what their arguments resolve to
    "rules",  # what is wrong with a call, and the value a fix asks for
    "engine",  # parse, lint, noqa, fix: positions and the bytes of every edit
    "run",  # configuration, per-file settings, file discovery, the runner and its cache: the only I/O
    "frontends",  # the CLI, flake8 plugin, language server, codemod, output formats, docs, the Python API
)
# The only modules at the package's root: the lazy public names, and ``python -m sora_lint``.
ROOT_MODULES = ("__init__", "__main__")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        found[".".join(parts) or "__init__"] = path
    assert len(found) > 20, f"no package found at {PACKAGE}"  # never pass on nothing
    return found


def _layer(module: str) -> int:
    top = module.split(".")[0]
    if top in ROOT_MODULES:
        return len(LAYERS)  # the root stands on every layer
    if top not in LAYERS:
        raise AssertionError(f"sora_lint/{module.replace('.', '/')}: {top!r} is no layer folder: move it into one "
                             f"of {', '.join(LAYERS)} (or add the folder to LAYERS, in its place)")
    return LAYERS.index(top)


def test_every_folder_of_the_package_is_a_layer_and_the_root_holds_no_other_module():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(LAYERS)
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted(ROOT_MODULES)


@functools.cache
def _tree(path: Path) -> ast.Module:
    """Each module parsed once for all the tests here (the package's parse is most of their time)."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module inside the package, names imported from it, line) for every import, at any depth."""
    tree = _tree(path)
    package_parts = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    if module == "__init__":
        package_parts = []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("sora_lint"):
                target = node.module[len("sora_lint"):].lstrip(".")
            else:
                continue
            names = [a.name for a in node.names]
            if not target:  # ``from . import x``: each name is a module
                out.extend((name, [], node.lineno) for name in names)
            else:
                out.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sora_lint."):
                    out.append((alias.name[len("sora_lint."):], [], node.lineno))
    return out


def test_every_module_is_placed_and_imports_only_its_own_layer_or_below():
    wrong = []
    for module, path in _modules().items():
        if module.split(".")[0] in ROOT_MODULES:
            continue
        for target, _names, line in _imports(module, path):
            if target and target.split(".")[0] != module.split(".")[0] and _layer(target) > _layer(module):
                wrong.append(f"sora_lint/{path.relative_to(PACKAGE)}:{line} imports {target} (a higher layer)")
    assert wrong == []


def test_no_private_name_is_imported_across_modules():
    wrong = []
    for module, path in _modules().items():
        for target, names, line in _imports(module, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                wrong.append(f"sora_lint/{path.relative_to(PACKAGE)}:{line} imports {', '.join(private)} from {target}")
    assert wrong == []


def test_the_import_graph_has_no_cycle():
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for target, names, _line in _imports(module, path):
            for candidate in [target] + [f"{target}.{n}" for n in names]:
                if candidate in modules and candidate != module:
                    graph[module].add(candidate)
    visiting: list[str] = []
    done: set[str] = set()
    cycles: list[str] = []

    def visit(node: str) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append(" -> ".join(visiting[visiting.index(node):] + [node]))
            return
        visiting.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        visiting.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert cycles == []


def test_no_module_is_much_over_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


# Calls that touch the file system. Below the run layer, only the package's own data may be read.
_IO_CALLS = {"open", "os.walk", "os.stat", "os.scandir", "os.listdir", "os.path.isfile", "os.path.isdir",
             "os.path.exists", "Path.read_text", "Path.read_bytes"}
_OWN_DATA = {"contracts.catalog": "contracts.json", "rules": "the rule modules' own source, for rule_codes()"}


def _called_name(node: ast.Call) -> str:
    parts = []
    func = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def test_the_run_layer_does_the_io():
    """The analysis, rules and engine read no file: another module of a project comes through a reader the run
    layer passes in (analysis.project.ProjectReader, sora_lint.run.project_files)."""
    below_run = {m: p for m, p in _modules().items() if _layer(m) < LAYERS.index("run") and m not in _OWN_DATA}
    assert "analysis.project" in below_run
    found = []
    for module, path in below_run.items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                name = _called_name(node)
                if name in _IO_CALLS or name.endswith((".read_text", ".read_bytes")):
                    found.append(f"sora_lint/{module.replace('.', '/')}.py:{node.lineno}: {name}(...)")
    assert found == []
