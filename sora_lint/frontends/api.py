"""sora-lint as a library: the same diagnostics and fixes as the command line, from Python.

    from sora_lint import Settings, check_source, fix_source

    for d in check_source(text, "app.py", Settings(profile="openai")):
        print(d.location.row, d.location.column, d.code, d.message)
    fixed = fix_source(text, "app.py").source

Everything named in ``__all__`` is the supported API; the package ships ``py.typed``. Settings
that name an unknown profile or rule code raise :class:`ConfigError` (a message naming the
setting and what is known), never a bare ``KeyError``. LibCST is imported on the first call
that parses a file, not by importing this module.
"""
from __future__ import annotations

import os
from collections.abc import Iterable

from ..contracts.catalog import AUTO, SHIPPED_PROFILES, Problem, Profile
from ..contracts.settings import Settings
from ..core.types import Diagnostic, Edit, Fix, Location
from ..engine import FixOutcome, apply_fixes, lint_source
from ..engine.notebook import NOTEBOOK_SUFFIX
from ..engine.validate import request_problems
from ..run.config import ConfigError, check_code, load_settings

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
    # The types the functions above return.
    "FixOutcome",
    "Problem",
]


def check_source(source: str, filename: str = "<string>", settings: Settings | None = None) -> list[Diagnostic]:
    """Every diagnostic for one file's text, sorted by position, ``# noqa`` comments applied.

    ``settings`` defaults to ``Settings()`` (profile ``auto``, every rule); no configuration file is
    read. A text that cannot be parsed gives one SOR000 diagnostic rather than an exception.
    A ``filename`` ending in ``.ipynb`` reads ``source`` as a notebook's JSON: each diagnostic's
    ``cell`` is set and its rows are counted in that cell.
    """
    if filename.endswith(NOTEBOOK_SUFFIX):
        from ..run.notebooks import check_notebook_source

        return check_notebook_source(source, filename, _checked(settings))
    return lint_source(source, filename, _checked(settings))


def fix_source(source: str, filename: str = "<string>", settings: Settings | None = None,
               *, unsafe_fixes: bool = False) -> FixOutcome:
    """The text with every safe fix applied (and the unsafe ones, with ``unsafe_fixes``), round after
    round until it is stable, as ``sora-lint fix`` writes it.

    The outcome has the fixed ``source``, the number of edits ``applied``, the diagnostics
    ``remaining``, and ``error`` when a fix would have broken the code (the source is then returned
    unchanged). For a notebook (``filename`` ending in ``.ipynb``) ``source`` is its JSON, changed only
    inside the fixed cells' source strings.
    """
    if filename.endswith(NOTEBOOK_SUFFIX):
        from ..run.notebooks import fix_notebook

        return fix_notebook(source, filename, _checked(settings), unsafe_fixes=unsafe_fixes)
    return apply_fixes(source, filename, _checked(settings), unsafe_fixes=unsafe_fixes)


def check_paths(paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None,
                *, jobs: int = 1) -> list[Diagnostic]:
    """Every diagnostic in the Python files of ``paths`` (files, or folders walked as the CLI walks them).

    ``settings`` defaults to the ``[tool.sora-lint]`` table of the nearest ``pyproject.toml`` above
    the current directory, as ``sora-lint check`` reads it. ``jobs`` above 1 spreads the files over
    that many processes. Raises ``FileNotFoundError`` for a path that does not exist or names a file
    that is not Python (a suffix other than ``.py`` / ``.pyi`` / ``.ipynb``) and ``OSError`` for a file that cannot
    be read; a file that cannot be decoded or parsed is a SOR000 diagnostic.
    """
    from ..run.files import discover
    from ..run.runner import CHECK, Job, run

    resolved = _checked(settings if settings is not None else load_settings())
    files, missing = discover([os.fspath(p) for p in paths], resolved)
    if missing:
        raise FileNotFoundError("; ".join(missing))
    results = run(files, Job(CHECK, resolved), jobs=jobs)
    errors = [r.error for r in results if r.error]
    if errors:
        raise OSError("; ".join(errors))
    return sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)


def validate(
    model: str | None = None,
    seconds: object = None,
    size: str | None = None,
    profile: str | Profile = "openai",
    extra_profiles: dict[str, Profile] | None = None,
) -> list[Problem]:
    """The linter's findings on one request's parameters under ``profile``; ``[]`` when it is valid.

    ``None`` means the parameter is not sent. Each :class:`Problem` has the ``code``, the ``param``,
    the linter's ``message`` and the safe fix's value as ``suggestion`` (or None). An unknown
    ``profile`` raises :class:`ConfigError`.
    """
    if isinstance(profile, str):
        known = sorted({*SHIPPED_PROFILES, *(extra_profiles or {})})
        if profile not in known:
            raise ConfigError(f"validate: unknown profile {profile!r} (known: {', '.join(known)})")
    return request_problems(model, seconds, size, profile, extra_profiles)


def _checked(settings: Settings | None) -> Settings:
    """``settings`` (or the defaults), after checking every profile and code it names."""
    settings = settings if settings is not None else Settings()
    known = settings.profiles
    if settings.profile != AUTO and settings.profile not in known:
        raise ConfigError(f"Settings.profile: unknown profile {settings.profile!r} "
                          f"(known: {', '.join(sorted([AUTO, *known]))})")
    if settings.fallback_profile not in known:
        raise ConfigError(f"Settings.fallback_profile: unknown profile {settings.fallback_profile!r} "
                          f"(known: {', '.join(sorted(known))})")
    for field_name, codes in (("select", settings.select), ("ignore", settings.ignore)):
        if isinstance(codes, str):  # select="SOR001" would be read letter by letter
            raise ConfigError(f"Settings.{field_name}: must be a tuple of codes, such as ('SOR001',), not a string")
        for code in codes:
            check_code(code, f"Settings.{field_name}")
    return settings
