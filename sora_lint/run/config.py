"""Read a configuration file (``[tool.sora-lint]`` in pyproject.toml, or sora-lint.toml) into :class:`Settings`."""
from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from ..contracts.catalog import (
    AUTO,
    SHIPPED_PROFILES,
    SOR_TYPE_INT,
    SOR_TYPE_STR,
    Profile,
    canonical_size,
    profile_from_table,
)
from ..contracts.lifecycle import parse_date
from ..contracts.settings import DEFAULT_MAX_FILE_SIZE, ConfigError, RuleLayer, Settings
from ..rules import rule_codes
from .config_files import config_in_folder, load_toml

_TOP_KEYS = {"profile", "fallback-profile", "select", "extend-select", "ignore", "per-file-ignores", "exclude",
             "extend-exclude", "profiles", "cache-dir", "max-file-size"}
_LIFECYCLE_KEYS = {"deprecated", "shutdown"}
_PROFILE_KEYS = {"extends", "description", "seconds-type", "hosts", "parameters", "aliases", "models",
                 "extend-seconds", "default-model", "lifecycle-source", *_LIFECYCLE_KEYS}
_MODEL_KEYS = {"seconds", "sizes", "default-seconds", "upgrades", *_LIFECYCLE_KEYS}


def find_pyproject(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (see run/config_files.py's ``CONFIG_NAMES``)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        found = config_in_folder(folder)
        if found is not None:
            return found
    return None


def table_of(path: Path) -> Mapping[str, Any]:
    """The sora-lint table of a configuration file: [tool.sora-lint], or the whole of a sora-lint.toml."""
    data = load_toml(path)
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("sora-lint", {})
    return data


def _per_file_ignores(path: Path, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [tool.sora-lint] per-file-ignores must be a table of \"glob\" = [\"SOR001\"]")
    return tuple((glob, _codes(path, f"per-file-ignores.\"{glob}\"", codes)) for glob, codes in value.items())


def _codes(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.sora-lint] {key} must be a list of rule codes, such as [\"SOR001\"]")
    codes = tuple(v.strip().upper() for v in value)
    for code in codes:
        check_code(code, f"{path}: [tool.sora-lint] {key}")
    return codes


def check_code(code: str, where: str) -> None:
    known = rule_codes()
    if not any(k.startswith(code) for k in known) or not code.startswith("SOR"):
        raise ConfigError(f"{where}: unknown rule code {code!r} (known: {', '.join(known)})")


def _str_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def _int_list(path: Path, key: str, value: Any) -> tuple[int, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise ConfigError(f"{path}: {key} must be a non-empty list of positive whole numbers of seconds")
    return tuple(value)


def _user_profiles(path: Path, table: Any) -> dict[str, Profile]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.sora-lint.profiles] must be a table of profiles")
    built: dict[str, Profile] = {}
    for name, spec in table.items():
        where = f"[tool.sora-lint.profiles.{name}]"
        if name == AUTO:
            raise ConfigError(f"{path}: {where}: 'auto' is reserved for the automatic choice")
        base = _checked_profile_table(path, where, spec, built)
        built[name] = profile_from_table(name, spec, base, path.name)
        _model_choices(path, where, built[name], spec)
    return built


def _checked_profile_table(path: Path, where: str, spec: Any, built: Mapping[str, Profile]) -> Profile | None:
    """Check one ``[tool.sora-lint.profiles.NAME]`` table; the profile it extends (shipped, or defined above it)."""
    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    _known_keys(path, where, spec, _PROFILE_KEYS)
    base = None
    if "extends" in spec:
        known = dict(SHIPPED_PROFILES, **built)
        if spec["extends"] not in known:
            raise ConfigError(f"{path}: {where} extends: unknown profile {spec['extends']!r} (known: "
                              f"{', '.join(sorted(known))})")
        base = known[spec["extends"]]
    if spec.get("seconds-type", SOR_TYPE_INT) not in (SOR_TYPE_INT, SOR_TYPE_STR):
        raise ConfigError(f"{path}: {where} seconds-type: must be \"int\" or \"str\"")
    if "hosts" in spec:
        _str_list(path, f"{where} hosts", spec["hosts"])
    if "parameters" in spec:
        _str_list(path, f"{where} parameters", spec["parameters"])
    if "extend-seconds" in spec:
        _int_list(path, f"{where} extend-seconds", spec["extend-seconds"])
    aliases = spec.get("aliases", {})
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise ConfigError(f"{path}: {where} aliases: must be a table of alias = \"model\"")
    models = spec.get("models", {})
    if not isinstance(models, dict):
        raise ConfigError(f"{path}: {where} models: must be a table of models")
    for model_name, model in models.items():
        _check_model_table(path, f"{where[:-1]}.models.{model_name}]", model, base is not None and
                           base.model(model_name) is not None)
    for alias, target in aliases.items():
        if target not in models and (base is None or base.model(target) is None):
            raise ConfigError(f"{path}: {where} aliases: {alias!r} points to unknown model {target!r}")
    _lifecycle(path, where, spec)
    if "lifecycle-source" in spec and not isinstance(spec["lifecycle-source"], str):
        raise ConfigError(f"{path}: {where} lifecycle-source: must be a string")
    return base


def _known_keys(path: Path, where: str, table: Mapping[str, Any], known: Collection[str]) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(f"{path}: {where} {key}: unknown key (known: {', '.join(sorted(known))})")


def _check_model_table(path: Path, where: str, model: Any, inherited: bool) -> None:
    """One model of a profile: ``seconds`` and ``sizes`` are required unless the profile inherits the model."""
    if not isinstance(model, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    _known_keys(path, where, model, _MODEL_KEYS)
    if "seconds" in model:
        _int_list(path, f"{where} seconds", model["seconds"])
    elif not inherited:
        raise ConfigError(f"{path}: {where} seconds: required for a model the profile does not inherit")
    if "sizes" in model:
        for size in _str_list(path, f"{where} sizes", model["sizes"]):
            if canonical_size(size) != size:
                raise ConfigError(f"{path}: {where} sizes: {size!r} is not WIDTHxHEIGHT")
    elif not inherited:
        raise ConfigError(f"{path}: {where} sizes: required for a model the profile does not inherit")
    _lifecycle(path, where, model)


def _lifecycle(path: Path, where: str, table: Mapping[str, Any]) -> None:
    """``deprecated`` and ``shutdown``: dates, the announcement not after the shutdown."""
    dates = {}
    for key in sorted(_LIFECYCLE_KEYS & set(table)):
        try:
            dates[key] = parse_date(table[key], f"{where} {key}")
        except ValueError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    if len(dates) == 2 and dates["deprecated"] > dates["shutdown"]:
        raise ConfigError(f"{path}: {where} deprecated: {dates['deprecated']} is after shutdown {dates['shutdown']}")


def _model_choices(path: Path, where: str, profile: Profile, spec: Mapping[str, Any]) -> None:
    """``default-model`` and each model's ``upgrades`` name models of the profile."""
    if "default-model" in spec and (
        not isinstance(spec["default-model"], str) or spec["default-model"] not in profile.models
    ):
        raise ConfigError(f"{path}: {where} default-model: {spec['default-model']!r} is not a model of the profile "
                          f"(known: {', '.join(profile.models)})")
    for model_name, model in (spec.get("models") or {}).items():
        if "upgrades" not in model:
            continue
        mwhere = f"{where[:-1]}.models.{model_name}]"
        upgrades = _str_list(path, f"{mwhere} upgrades", model["upgrades"])
        for target in upgrades:
            if target not in profile.models or target == model_name:
                raise ConfigError(f"{path}: {mwhere} upgrades: {target!r} is not another model of the profile "
                                  f"(known: {', '.join(profile.models)})")


def _max_file_size(path: Path, table: Mapping[str, Any]) -> int:
    size = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if type(size) is not int or size < 1:
        raise ConfigError(f"{path}: [tool.sora-lint] max-file-size must be a positive number of bytes")
    return size


def settings_from_table(path: Path, table: Mapping[str, Any]) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.sora-lint] must be a table")
    for key in table:
        if key not in _TOP_KEYS:
            raise ConfigError(f"{path}: [tool.sora-lint] {key}: unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    user = _user_profiles(path, table.get("profiles", {}))
    known = dict(SHIPPED_PROFILES, **user)
    profile = table.get("profile", AUTO)
    if profile != AUTO and profile not in known:
        raise ConfigError(f"{path}: [tool.sora-lint] profile: unknown profile {profile!r} (known: "
                          f"{', '.join(sorted([AUTO, *known]))})")
    fallback = table.get("fallback-profile", "openai")
    if fallback not in known:
        raise ConfigError(f"{path}: [tool.sora-lint] fallback-profile: unknown profile {fallback!r} (known: "
                          f"{', '.join(sorted(known))})")
    if "cache-dir" in table and not isinstance(table["cache-dir"], str):
        raise ConfigError(f"{path}: [tool.sora-lint] cache-dir must be a path")
    cache_dir = table.get("cache-dir")
    if cache_dir is not None:
        cache_dir = str(path.parent / os.path.expanduser(cache_dir))
    exclude = _str_list(path, "[tool.sora-lint] exclude", table["exclude"]) if "exclude" in table else ()
    if "extend-exclude" in table:
        exclude += _str_list(path, "[tool.sora-lint] extend-exclude", table["extend-exclude"])
    return Settings(
        profile=profile,
        fallback_profile=fallback,
        select=_codes(path, "select", table["select"]) if "select" in table else (),
        extend_select=_codes(path, "extend-select", table["extend-select"]) if "extend-select" in table else (),
        ignore=_codes(path, "ignore", table["ignore"]) if "ignore" in table else (),
        per_file_ignores=_per_file_ignores(path, table["per-file-ignores"]) if "per-file-ignores" in table else (),
        exclude=exclude,
        user_profiles=user,
        source=str(path),
        profile_origin=f"set in {path.name}" if profile != AUTO else "pinned",
        cache_dir=cache_dir,
        max_file_size=_max_file_size(path, table),
        origins={key.replace("-", "_"): str(path) for key in table if key != "profiles"},
    )


def load_file(path: Path) -> Settings:
    """The settings of one configuration file."""
    return settings_from_table(path, table_of(path))


def load_settings(config: str | None = None, start: Path | None = None) -> Settings:
    """Settings from ``config`` (a configuration file) or the nearest one above ``start``."""
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{config}: no such configuration file")
    else:
        found = find_pyproject(start or Path(os.getcwd()))
        if found is None:
            return Settings()
        path = found
    return load_file(path)


def _profile_origin(settings: Settings) -> str:
    """Where the profile came from; ``auto`` that nobody set is the default, not a pin."""
    if settings.profile == AUTO and settings.profile_origin == Settings().profile_origin:
        where = settings.origins.get("profile")
        return f"set in {os.path.basename(where)}" if where else "default"
    return settings.profile_origin


def settings_lines(settings: Settings) -> list[str]:
    """What ``sora-lint show-settings`` prints: each value, and where it came from."""

    def origin(key: str) -> str:
        return f"  [{settings.origins.get(key, 'default')}]"

    per_file = "; ".join(f"{glob} = {', '.join(codes)}" for glob, codes in settings.per_file_ignores)
    layers = [layer for layer in settings.later_layers
              if layer.select is not None or layer.extend_select or layer.ignore]
    lines = [
        f"config file: {settings.source or '(none: defaults)'}",
        f"profile: {settings.profile}  [{_profile_origin(settings)}]",
        f"fallback-profile: {settings.fallback_profile}{origin('fallback_profile')}",
        f"select: {', '.join(settings.select) or '(all)'}{origin('select')}",
        f"extend-select: {', '.join(settings.extend_select) or '(none)'}{origin('extend_select')}",
        f"ignore: {', '.join(settings.ignore) or '(none)'}{origin('ignore')}",
        f"per-file-ignores: {per_file or '(none)'}{origin('per_file_ignores')}",
        f"exclude: {', '.join(settings.exclude) or '(none)'}{origin('exclude')}",
        f"cache-dir: {settings.cache_dir or '(default)'}{origin('cache_dir')}",
        f"profiles: {', '.join(sorted(settings.profiles))}",
    ]
    lines += [_layer_line(layer) for layer in layers]
    lines.append("enabled: " + (", ".join(code for code in rule_codes() if settings.enabled(code)) or "(none)"))
    return lines


def _layer_line(layer: RuleLayer) -> str:
    """A command-line layer of the selection, as show-settings prints it."""
    parts = [f"select {', '.join(layer.select)}" if layer.select is not None else "",
             f"extend-select {', '.join(layer.extend_select)}" if layer.extend_select else "",
             f"ignore {', '.join(layer.ignore)}" if layer.ignore else ""]
    return f"then {layer.label}: {'; '.join(p for p in parts if p)}"
