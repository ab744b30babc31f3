"""One settings resolution for every front end (CLI, flake8 plugin, codemod, language server).

Each file gets the configuration nearest above it (ruff's rule), or the one named with
``--config`` for every file; then the front end's overrides (``--profile``, ``--select``...)
apply on top, validated here so that a bad name is a :class:`ConfigError` with a message
wherever it comes from.
"""
from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from ..contracts.auto import AUTO
from ..contracts.settings import ConfigError, RuleLayer, Settings
from .config_files import CONFIG_NAMES, config_in_folder
from .files import matches_glob, settings_root


@dataclass(frozen=True)
class Overrides:
    """What a front end sets for every file, whatever its configuration says."""

    profile: str | None = None
    fallback_profile: str | None = None
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    cache_dir: str | None = None
    where: str = "command line"  # how error messages and show-settings name these values
    profile_origin: str = "set by --profile"


class SettingsResolver:
    """Settings per folder and per file, each configuration file read once."""

    def __init__(self, config: str | None = None, overrides: Overrides = Overrides(),
                 cwd: str | None = None) -> None:
        self.overrides = overrides
        for code in overrides.select + overrides.extend_select + overrides.ignore:
            from .config import check_code  # the configuration parser, only where there is something to check

            check_code(code, overrides.where)
        if overrides.fallback_profile == AUTO:
            raise ConfigError(f"{overrides.where}: --fallback-profile cannot be auto")
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self.fixed_config: str | None = None
        if config is not None:
            if not os.path.isfile(config):
                raise ConfigError(f"{config}: no such configuration file")
            self.fixed_config = os.path.abspath(config)
        self._config_of_folder: dict[str, str | None] = {}
        self._loaded: dict[str | None, Settings] = {}
        self._by_folder: dict[str, Settings] = {}  # keyed by the folder as given, to skip abspath

    def config_file(self, folder: str, names: Collection[str] | None = None) -> str | None:
        """The configuration file that governs ``folder``: ``--config``, or the nearest one above it.

        ``names``, the names in ``folder`` (a walk's listing of it), spares the lookups of configuration
        files it does not hold: three failing stats for almost every folder of a walk."""
        if self.fixed_config is not None:
            return self.fixed_config
        current = os.path.normpath(os.path.join(self.cwd, folder))
        walked = []
        result: str | None = None
        while current not in self._config_of_folder:
            walked.append(current)
            # Names compared without case: on a case-insensitive file system "PyProject.toml" is found too.
            absent = names is not None and len(walked) == 1 and not any(n.lower() in CONFIG_NAMES for n in names)
            found = None if absent else config_in_folder(current)
            if found is not None:
                result = str(found)
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        else:
            result = self._config_of_folder[current]
        for seen in walked:
            self._config_of_folder[seen] = result
        return result

    def for_folder(self, folder: str, names: Collection[str] | None = None) -> Settings:
        """The settings of files in ``folder`` (without per-file ignores); ``names`` as for :meth:`config_file`."""
        known = self._by_folder.get(folder)
        if known is not None:
            return known
        config = self.config_file(os.path.join(self.cwd, folder), names)
        if config not in self._loaded:
            if config is not None:
                from .config import load_file  # with the catalog and the rules: only for a configuration file

                base = load_file(Path(config))
            else:
                base = Settings()
            self._loaded[config] = self._apply(base)
        self._by_folder[folder] = self._loaded[config]
        return self._loaded[config]

    def for_path(self, path: str) -> Settings:
        """The settings of one file, its per-file ignores included."""
        settings = self.for_folder(os.path.dirname(path) or os.curdir)
        if not settings.per_file_ignores:
            return settings
        rel = os.path.relpath(os.path.abspath(path), settings_root(settings) or self.cwd)
        codes = tuple(code for glob, codes in settings.per_file_ignores if matches_glob(rel, (glob,)) for code in codes)
        return settings.with_layer(RuleLayer(ignore=codes, label=f"per-file-ignores of {rel}")) if codes else settings

    def project_root(self) -> str:
        """Where the cache lives by default: the folder of the configuration governing the current folder."""
        config = self.config_file(self.cwd)
        return os.path.dirname(config) if config else self.cwd

    def _apply(self, base: Settings) -> Settings:
        o = self.overrides
        for name in (o.profile, o.fallback_profile):
            if name is not None and name != AUTO and name not in base.profiles:  # the catalog, only for a name
                known = base.profiles
                raise ConfigError(f"{o.where}: unknown profile {name!r} (known: {', '.join(sorted([AUTO, *known]))})")
        origins = dict(base.origins)
        settings = base.with_overrides(
            profile=o.profile,
            profile_origin=o.profile_origin if o.profile else None,
            fallback_profile=o.fallback_profile,
            cache_dir=o.cache_dir,
        )
        for key, value in (("fallback_profile", o.fallback_profile), ("cache_dir", o.cache_dir)):
            if value is not None:
                origins[key] = o.where
        if o.select or o.extend_select or o.ignore:
            settings = settings.with_layer(RuleLayer(o.select or None, o.extend_select, o.ignore, label=o.where))
        return replace(settings, origins=origins)
