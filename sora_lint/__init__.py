"""sora-lint: find and fix invalid OpenAI Sora video parameters before they ship.

The library API is :mod:`sora_lint.frontends.api`, re-exported here. The names are loaded on first use:
``sora-lint`` imports this package on every start, and the API pulls in the engine and runner.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .contracts.catalog import nearest_seconds, suggest_model
    from .frontends.api import (
        ConfigError,
        Diagnostic,
        Edit,
        Fix,
        FixOutcome,
        Location,
        Problem,
        Settings,
        check_paths,
        check_source,
        fix_source,
        validate,
    )

__all__ = [
    "check_source",
    "fix_source",
    "check_paths",
    "validate",
    "Settings",
    "Diagnostic",
    "Fix",
    "Edit",
    "Location",
    "ConfigError",
    "FixOutcome",
    "Problem",
    "nearest_seconds",
    "suggest_model",
]
_FROM_CATALOG = ("nearest_seconds", "suggest_model")


def __getattr__(name: str) -> object:
    if name in _FROM_CATALOG:
        from .contracts import catalog

        return getattr(catalog, name)
    if name in __all__:
        from .frontends import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
