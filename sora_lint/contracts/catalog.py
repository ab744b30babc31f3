"""The Sora contracts: every model, duration, size, type and date the linter knows.

The facts themselves are data, in ``contracts.json`` beside this module (see
``shared/sora-params.md``); this module reads them once and answers questions about
them. It imports nothing heavy, so programs can use it at run time::

    >>> from sora_lint.contracts.catalog import nearest_seconds, suggest_model
    >>> nearest_seconds(10, (4, 8, 12)), suggest_model(20, "apiyi")
    (12, 'sora-2-pro')
"""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .auto import AUTO as AUTO  # its home since the settings stopped importing the catalog
from .lifecycle import Dates, Server, parse_date

SOR_TYPE_INT = "int"
SOR_TYPE_STR = "str"
CONTRACTS_FILE = Path(__file__).with_name("contracts.json")

_SIZE_CANONICAL = re.compile(r"^([1-9][0-9]*)x([1-9][0-9]*)$")
_SIZE_LOOSE = re.compile(r"^\s*([1-9][0-9]*)\s*[xX\u00d7*,:/]\s*([1-9][0-9]*)\s*$")
_SNAPSHOT = re.compile(r"^(?P<family>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")
_FAMILY_STEM = re.compile(r"[a-z]+")
_NUMBERS = re.compile(r"[0-9]+")
_VERSIONED = re.compile(r"^([a-z]+)[-_ ]?v?(?=[0-9])")


@dataclass(frozen=True)
class ModelSpec:
    """What one model family accepts under one contract."""

    name: str
    seconds: tuple[int, ...]
    sizes: tuple[str, ...]
    default_seconds: int
    default_size: str = "720x1280"
    # The models of the same profile an unsafe fix may switch to, in order of preference,
    # for a duration or size this one lacks (sora-2 -> sora-2-pro). Never a downgrade.
    upgrades: tuple[str, ...] = ()
    dates: Dates | None = None  # a user profile's shutdown of this model alone


@dataclass(frozen=True)
class Profile:
    """A contract: the models a gateway serves and the wire type of ``seconds``."""

    name: str
    description: str
    seconds_type: str  # SOR_TYPE_INT or SOR_TYPE_STR
    models: Mapping[str, ModelSpec]
    aliases: Mapping[str, str] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()
    extend_seconds: tuple[int, ...] = ()
    extends: str | None = None  # the profile a user profile builds on, shown by `sora-lint profiles`
    default_model: str = ""  # the model a call without `model` gets; "" for the first model
    contract_name: str = ""  # how a message names the contract: "the APIYI gateway"
    server: Server | None = None  # a user profile's own lifecycle, for its hosts
    # Body parameters the server documents besides the SDK's (a gateway's own ``duration``): a library that
    # forwards unknown keywords (litellm) may send them, and the SDK sends them in ``extra_body``.
    parameters: tuple[str, ...] = ()

    def model(self, name: str) -> ModelSpec | None:
        """The spec for a model name, its alias or a dated snapshot of it."""
        if name in self.models:
            return self.models[name]
        if name in self.aliases:
            return self.models.get(self.aliases[name])
        snapshot = _SNAPSHOT.match(name)
        if snapshot and snapshot.group("family") in self.models:
            return self.models[snapshot.group("family")]
        return None

    @property
    def default_model_name(self) -> str:
        return self.default_model or next(iter(self.models), "")

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def _spec_from_data(name: str, data: Mapping[str, Any]) -> ModelSpec:
    return ModelSpec(name, tuple(data["seconds"]), tuple(data["sizes"]), int(data["default-seconds"]),
                     upgrades=tuple(data.get("upgrades", ())))


def _profile_from_data(name: str, data: Mapping[str, Any]) -> Profile:
    return Profile(
        name=name,
        description=data["description"],
        seconds_type=data["seconds-type"],
        models={m: _spec_from_data(m, spec) for m, spec in data["models"].items()},
        hosts=tuple(data.get("hosts", ())),
        extend_seconds=tuple(data.get("extend-seconds", ())),
        default_model=data["default-model"],
        contract_name=data.get("contract-name", ""),
        parameters=tuple(data.get("parameters", ())),
    )


def _server_from_data(data: Mapping[str, Any]) -> Server:
    dates = Dates(*(parse_date(data[k], f"{CONTRACTS_FILE.name}: {data['name']} {k}") if k in data else None
                    for k in ("deprecated", "shutdown")))
    return Server(name=data["name"], hosts=tuple(data["hosts"]), dates=dates, models=tuple(data.get("models", ())),
                  source=data.get("source", ""), sdk_default=bool(data.get("sdk-default")),
                  clients=tuple(data.get("clients", ())))


_CONTRACTS = json.loads(CONTRACTS_FILE.read_text(encoding="utf-8"))
SHIPPED_PROFILES: dict[str, Profile] = {n: _profile_from_data(n, d) for n, d in _CONTRACTS["profiles"].items()}
SHIPPED_SERVERS: tuple[Server, ...] = tuple(_server_from_data(d) for d in _CONTRACTS["servers"])
PARAMETER_ALIASES: dict[str, str] = {k: v for k, v in _CONTRACTS["parameter-aliases"].items() if not k.startswith("_")}
APIYI = SHIPPED_PROFILES["apiyi"]
OPENAI = SHIPPED_PROFILES["openai"]
# Kept for code written against earlier versions; rules use each profile's own data.
DEFAULT_MODEL = OPENAI.default_model_name
PRO_MODEL = OPENAI.models[DEFAULT_MODEL].upgrades[0]


# --- value helpers -----------------------------------------------------------

def nearest_seconds(value: float, supported: Sequence[int]) -> int:
    """The supported duration closest to ``value``; a tie rounds up.

    >>> nearest_seconds(10, (4, 8, 12))
    12
    """
    return min(supported, key=lambda s: (abs(s - value), -s))


def neighbours(value: float, supported: Sequence[int]) -> tuple[int, ...]:
    """The supported values just below and above ``value`` (one at either end)."""
    ordered = sorted(supported)
    below = [s for s in ordered if s < value]
    above = [s for s in ordered if s > value]
    return tuple(x for x in ((below[-1] if below else None), (above[0] if above else None)) if x is not None)


def suggest_model(seconds: float, profile: str | Profile = APIYI) -> str:
    """The model to use for a wanted duration.

    The profile's default model when it accepts the duration, else the first model of its
    upgrade path that does; otherwise the first whose longest duration covers it (APIYI's
    rule of thumb: sora-2 up to 12 s, sora-2-pro above), else the last of the path.
    """
    order = model_ladder(get_profile(profile))
    specs = [s for s in order if s.seconds]
    for spec in specs:
        if seconds in spec.seconds:
            return spec.name
    for spec in specs:
        if seconds <= max(spec.seconds):
            return spec.name
    return order[-1].name if order else ""


def model_ladder(profile: Profile) -> list[ModelSpec]:
    """The profile's default model, then the models its upgrade paths lead to, nearest first."""
    start = profile.model(profile.default_model_name)
    order: list[ModelSpec] = [start] if start else []
    for spec in order:  # grows while it is walked: a breadth-first walk of the upgrade paths
        for name in spec.upgrades:
            nxt = profile.models.get(name)
            if nxt is not None and nxt not in order:
                order.append(nxt)
    return order


def upgrades_of(spec: ModelSpec, profile: Profile) -> list[ModelSpec]:
    """The models an unsafe fix may switch a call of ``spec`` to, in order of preference."""
    return [profile.models[n] for n in spec.upgrades if n in profile.models]


def contract_for_seconds_type(seconds_type: str) -> Profile | None:
    """The shipped contract that wants ``seconds`` of this type (named by SOR002's hint)."""
    return next((p for p in SHIPPED_PROFILES.values() if p.seconds_type == seconds_type), None)


def canonical_size(value: str) -> str | None:
    """``"1280 x 720"`` -> ``"1280x720"``; ``None`` when it is no size at all."""
    m = _SIZE_LOOSE.match(value)
    return f"{int(m.group(1))}x{int(m.group(2))}" if m else None


def is_canonical_size(value: str) -> bool:
    return bool(_SIZE_CANONICAL.match(value))


def same_orientation_size(size: str, supported: Sequence[str]) -> str | None:
    """Among the supported sizes with the orientation of ``size``, the nearest to it in area;
    on a tie the larger, as a duration rounds up (none for a square)."""
    w, h = (int(x) for x in size.split("x"))
    if w == h:
        return None
    same = []
    for s in supported:
        sw, sh = (int(x) for x in s.split("x"))
        if sw != sh and (sw > sh) == (w > h):
            same.append((abs(sw * sh - w * h), -sw * sh, s))
    return min(same)[2] if same else None


def _normalise_model(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def model_families(profile: Profile) -> dict[str, tuple[str, ...]]:
    """The profile's models grouped by the word their names start with (``sora`` -> sora-2, sora-2-pro)."""
    families: dict[str, list[str]] = {}
    for name in profile.models:
        stem = _FAMILY_STEM.match(name.lower())
        if stem:
            families.setdefault(stem.group(), []).append(name)
    return {stem: tuple(names) for stem, names in families.items()}


def model_candidates(name: str, profile: Profile) -> list[str]:
    """Known models that ``name`` looks like a typo of; empty when it does not look like one.

    Deployment names and gateway aliases are common, so a name only counts as a typo
    when it mentions a family's word (``sora``), carries the same numbers as the model
    (``sora-3`` is another version, not a typo of ``sora-2``), and is within two edits
    of it (case and punctuation aside).
    """
    low = name.lower()
    if profile.model(name):
        return []
    family = [m for stem, models in model_families(profile).items() if stem in low for m in models]
    numbers = _NUMBERS.findall(low)
    family = [m for m in family if _NUMBERS.findall(m.lower()) == numbers]
    norm = _normalise_model(name)
    exact = [m for m in family if _normalise_model(m) == norm]
    if exact:
        return exact
    scored = sorted((_edit_distance(low, m.lower()), m) for m in family)
    return [m for d, m in scored if d <= 2]


def is_unknown_version(name: str, profile: Profile) -> bool:
    """Whether ``name`` is a version of a known family that no model of ``profile`` has (``sora-1.0``,
    ``sora-3``): the family's word, then a version number none of its models starts with. A name with a
    known version and more (``sora-2-hd``) may be a gateway's own variant: not this."""
    low = name.lower()
    start = _VERSIONED.match(low)
    if start is None or profile.model(name) is not None:
        return False
    family = model_families(profile).get(start.group(1), ())
    version = _NUMBERS.findall(low)[:1]
    return bool(family) and all(_NUMBERS.findall(m.lower())[:1] != version for m in family)


# --- profiles ------------------------------------------------------------------

def parameter_alias(keyword: str) -> str | None:
    """The Sora parameter a keyword the API does not take stands for (``duration`` -> ``seconds``)."""
    return PARAMETER_ALIASES.get(keyword.lower())


def get_profile(profile: str | Profile, extra: Mapping[str, Profile] | None = None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    known = dict(SHIPPED_PROFILES, **(extra or {}))
    try:
        return known[profile]
    except KeyError:
        raise ValueError(f"unknown profile {profile!r} (known: {', '.join(sorted(known))})") from None


def profile_for_base_url(url: str, profiles: Sequence[Profile]) -> Profile | None:
    """The profile whose hosts include the host of ``url``; ``None`` when none does."""
    host = host_of(url)
    for prof in profiles:
        if prof.matches_host(host):
            return prof
    return None


def host_of(url: str) -> str:
    """``https://API.example.com:8443/v1`` -> ``api.example.com`` (a bare host is accepted)."""
    return urlsplit(url if "//" in url else "//" + url).hostname or ""


def server_for_host(host: str, profiles: Sequence[Profile] = ()) -> Server | None:
    """The lifecycle entry of a host: a profile's own (a user's gateway) first, then the shipped servers."""
    for prof in profiles:
        if prof.server is not None and prof.matches_host(host):
            return prof.server
    return next((s for s in SHIPPED_SERVERS if s.matches_host(host)), None)


def sdk_default_server() -> Server:
    """The server an openai client talks to when it is given no base_url."""
    return next(s for s in SHIPPED_SERVERS if s.sdk_default)


def server_for_client(class_name: str) -> Server | None:
    """The server a client class talks to whatever its URL (an Azure client, to Azure)."""
    short = class_name.rsplit(".", 1)[-1]
    return next((s for s in SHIPPED_SERVERS if short in s.clients), None)


# --- run-time validation -------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One finding of the linter's rules on a request's parameters, as ``validate`` returns it."""

    code: str  # the rule's code, as the linter prints it: "SOR001"
    param: str  # "model", "seconds" or "size"
    message: str  # the linter's message
    suggestion: object | None = None  # the value the safe fix writes, when there is one


def profile_from_table(name: str, table: Mapping[str, Any], base: Profile | None, origin: str = "") -> Profile:
    """Build a user profile from its ``[tool.sora-lint.profiles.NAME]`` table (validated by config).

    ``hosts`` and the lifecycle dates are not inherited: they describe one server.
    """
    models = {n: replace(spec, dates=None) for n, spec in base.models.items()} if base else {}
    for model_name, spec_table in dict(table.get("models", {}) or {}).items():
        inherited = models.get(model_name)
        spec_table = dict(spec_table)
        seconds = tuple(spec_table.get("seconds", inherited.seconds if inherited else ()))
        sizes = tuple(spec_table.get("sizes", inherited.sizes if inherited else ()))
        default = spec_table.get(
            "default-seconds", inherited.default_seconds if inherited else (seconds[0] if seconds else 4)
        )
        upgrades = tuple(spec_table.get("upgrades", inherited.upgrades if inherited else ()))
        models[model_name] = ModelSpec(model_name, seconds, sizes, int(default), upgrades=upgrades,
                                       dates=_dates(spec_table, f"{name}.models.{model_name}"))
    fields: dict[str, Any] = dict(
        name=name,
        description=str(table.get("description", f"user profile {name}" + (f" (extends {base.name})" if base else ""))),
        seconds_type=str(table.get("seconds-type", base.seconds_type if base else SOR_TYPE_INT)),
        models=models,
        aliases=dict(base.aliases if base else {}, **dict(table.get("aliases", {}) or {})),
        hosts=tuple(table.get("hosts", ())),
        extend_seconds=tuple(table.get("extend-seconds", base.extend_seconds if base else ())),
        extends=base.name if base else None,
        default_model=str(table.get("default-model", base.default_model_name if base else "")),
        contract_name=f"profile {name}",
        parameters=tuple(table.get("parameters", base.parameters if base else ())),
    )
    built = replace(base, **fields) if base else Profile(**fields)
    return replace(built, server=_user_server(built, table, origin))


def _dates(table: Mapping[str, Any], where: str) -> Dates | None:
    if "shutdown" not in table and "deprecated" not in table:
        return None
    return Dates(*(parse_date(table[k], f"{where} {k}") if k in table else None for k in ("deprecated", "shutdown")))


def _not_after(day: datetime.date | None, limit: datetime.date | None) -> datetime.date | None:
    return day if day is not None and (limit is None or day <= limit) else None


def _user_server(profile: Profile, table: Mapping[str, Any], origin: str) -> Server | None:
    """A user profile's lifecycle, as a server entry for its hosts (None when it declares no date)."""
    dates = _dates(table, profile.name)
    announced = dates.deprecated if dates else None
    # A model's own shutdown is announced with the profile's, unless the model says otherwise.
    model_dates = {
        n: replace(spec.dates, deprecated=spec.dates.deprecated or _not_after(announced, spec.dates.shutdown))
        for n, spec in profile.models.items()
        if spec.dates is not None
    }
    if dates is None and not model_dates:
        return None
    source = str(table.get("lifecycle-source", f"profile {profile.name}" + (f" in {origin}" if origin else "")))
    return Server(name=f"the Sora API of profile {profile.name}", hosts=profile.hosts, dates=dates or Dates(),
                  models=tuple(model_dates), source=source, model_dates=model_dates)
