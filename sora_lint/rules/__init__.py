"""The rule registry: every :class:`~sora_lint.rules.base.Rule` subclass defined in a module of this package.

A rule is one file: a new module here is found, imported and ordered by code, and the codes,
docs, README table and test lists are all derived from the classes. Nothing is listed by hand.

Importing the rules imports LibCST (about 140 ms), which a run only needs once a file may hold a
Sora call. The configuration validates ``--select`` / ``ignore`` codes before that, so
:func:`rule_codes` reads each class's ``code = "SOR..."`` declaration from the modules' text
instead (under a millisecond); a test checks it finds exactly the imported classes' codes.
"""
from __future__ import annotations

import os
import re
from functools import cache
from typing import TYPE_CHECKING

from ..core.types import PARSE_ERROR

if TYPE_CHECKING:
    from .base import Rule

    ALL_RULES: tuple[type[Rule], ...]  # provided by __getattr__ below
    RULES_BY_CODE: dict[str, type[Rule]]

# A rule class's own declaration, `    code = "SOR001"`, in the body of a class.
_CODE_DECLARATION = re.compile(r"""^[ \t]+code[ \t]*(?::[^=\n]*)?=[ \t]*["'](SOR\d+)["']""", re.MULTILINE)


@cache
def _load() -> tuple[type[Rule], ...]:
    # Imported here, not above: this is the path that imports LibCST, and only it needs them.
    import importlib
    import pkgutil

    from .base import Rule

    found: dict[str, type[Rule]] = {}
    # Every module of the package, in name order; a module whose name starts with "_" holds helpers.
    for name in sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")):
        module = importlib.import_module(f"{__name__}.{name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__
                    and "code" in vars(value)):
                if value.code == PARSE_ERROR or value.code in found:
                    raise RuntimeError(f"rule {value.__qualname__} in {name}.py: code {value.code} is taken")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def __getattr__(name: str) -> object:
    # ALL_RULES and RULES_BY_CODE are built on first use, so importing this package stays cheap.
    if name == "ALL_RULES":
        return _load()
    if name == "RULES_BY_CODE":
        return {rule.code: rule for rule in _load()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def rule_codes() -> tuple[str, ...]:
    """Every code sora-lint can emit (SOR000 first), read without importing the rules or LibCST."""
    folder = os.path.dirname(__file__)
    codes = set()
    sources = [name for name in os.listdir(folder) if name.endswith(".py") and not name.startswith("_")]
    for name in sources:
        with open(os.path.join(folder, name), encoding="utf-8") as source:
            codes.update(_CODE_DECLARATION.findall(source.read()))
    if not sources:  # installed without sources (only .pyc files): ask the classes themselves
        return (PARSE_ERROR, *(rule.code for rule in _load()))
    return (PARSE_ERROR, *sorted(codes))
