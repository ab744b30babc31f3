"""The Sora contracts: every model, duration, size and type the linter knows.

This is the only module that holds the numbers (see ``shared/sora-params.md``).
It imports nothing heavy, so programs can use it at run time::

    >>> from sora_lint.catalog import validate
    >>> [p.code for p in validate(model="sora-2", seconds=10, profile="apiyi")]
    ['seconds-unsupported']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

DEFAULT_MODEL = "sora-2"
PRO_MODEL = "sora-2-pro"
SOR_TYPE_INT = "int"
SOR_TYPE_STR = "str"

_SIZE_CANONICAL = re.compile(r"^([1-9][0-9]*)x([1-9][0-9]*)$")
_SIZE_LOOSE = re.compile(r"^\s*([1-9][0-9]*)\s*[xX\u00d7*,:/]\s*([1-9][0-9]*)\s*$")
_SNAPSHOT = re.compile(r"^(?P<family>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class ModelSpec:
    """What one model family accepts under one contract."""

    name: str
    seconds: Tuple[int, ...]
    sizes: Tuple[str, ...]
    default_seconds: int
    default_size: str = "720x1280"


@dataclass(frozen=True)
class Profile:
    """A contract: the models a gateway serves and the wire type of ``seconds``."""

    name: str
    description: str
    seconds_type: str  # SOR_TYPE_INT or SOR_TYPE_STR
    models: Mapping[str, ModelSpec]
    aliases: Mapping[str, str] = field(default_factory=dict)
    hosts: Tuple[str, ...] = ()
    extend_seconds: Tuple[int, ...] = ()
    extends: Optional[str] = None  # the profile a user profile builds on, shown by `sora-lint profiles`

    def model(self, name: str) -> Optional[ModelSpec]:
        """The spec for a model name, its alias or a dated snapshot of it."""
        if name in self.models:
            return self.models[name]
        if name in self.aliases:
            return self.models.get(self.aliases[name])
        snapshot = _SNAPSHOT.match(name)
        if snapshot and snapshot.group("family") in self.models:
            return self.models[snapshot.group("family")]
        return None

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)


_SORA2_SIZES = ("1280x720", "720x1280")
_PRO_SIZES = ("1280x720", "720x1280", "1792x1024", "1024x1792")

APIYI = Profile(
    name="apiyi",
    description="APIYI gateway: seconds is an int; sora-2 takes 4/8/12 s, sora-2-pro 10/15/25 s",
    seconds_type=SOR_TYPE_INT,
    models={
        "sora-2": ModelSpec("sora-2", (4, 8, 12), _SORA2_SIZES, default_seconds=4),
        "sora-2-pro": ModelSpec("sora-2-pro", (10, 15, 25), _PRO_SIZES, default_seconds=10),
    },
    hosts=("api.apiyi.com", "apiyi.com"),
    # The gateway documents no extension lengths; only the type is checked there.
    extend_seconds=(),
)

OPENAI = Profile(
    name="openai",
    description='official OpenAI API (openai SDK types): seconds is a string "4"/"8"/"12" for every model',
    seconds_type=SOR_TYPE_STR,
    models={
        "sora-2": ModelSpec("sora-2", (4, 8, 12), _SORA2_SIZES, default_seconds=4),
        "sora-2-pro": ModelSpec("sora-2-pro", (4, 8, 12), _PRO_SIZES, default_seconds=4),
    },
    hosts=("api.openai.com", "openai.azure.com", "cognitiveservices.azure.com", "services.ai.azure.com"),
    # videos.extend: the SDK docstring lists these extension lengths.
    extend_seconds=(4, 8, 12, 16, 20),
)

SHIPPED_PROFILES: Dict[str, Profile] = {p.name: p for p in (APIYI, OPENAI)}
AUTO = "auto"


# --- value helpers -----------------------------------------------------------

def nearest_seconds(value: float, supported: Sequence[int]) -> int:
    """The supported duration closest to ``value``; a tie rounds up.

    >>> nearest_seconds(10, (4, 8, 12))
    12
    """
    return min(supported, key=lambda s: (abs(s - value), -s))


def neighbours(value: float, supported: Sequence[int]) -> Tuple[int, ...]:
    """The supported values just below and above ``value`` (one at either end)."""
    ordered = sorted(supported)
    below = [s for s in ordered if s < value]
    above = [s for s in ordered if s > value]
    return tuple(x for x in ((below[-1] if below else None), (above[0] if above else None)) if x is not None)


def suggest_model(seconds: int, profile: Union[str, Profile] = APIYI) -> str:
    """The model to use for a wanted duration (APIYI's rule of thumb)."""
    prof = get_profile(profile)
    for name in (DEFAULT_MODEL, PRO_MODEL):
        spec = prof.model(name)
        if spec and seconds in spec.seconds:
            return name
    return DEFAULT_MODEL if seconds <= 12 else PRO_MODEL


def canonical_size(value: str) -> Optional[str]:
    """``"1280 x 720"`` -> ``"1280x720"``; ``None`` when it is no size at all."""
    m = _SIZE_LOOSE.match(value)
    return f"{int(m.group(1))}x{int(m.group(2))}" if m else None


def is_canonical_size(value: str) -> bool:
    return bool(_SIZE_CANONICAL.match(value))


def same_orientation_size(size: str, supported: Sequence[str]) -> Optional[str]:
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


def model_candidates(name: str, profile: Profile) -> List[str]:
    """Known models that ``name`` looks like a typo of; empty when it does not look like one.

    Deployment names and gateway aliases are common, so a name only counts as a
    typo when it mentions Sora and a 2 and is within two edits of a known model
    (case and punctuation aside).
    """
    low = name.lower()
    if profile.model(name) or "sora" not in low or "2" not in low:
        return []
    norm = _normalise_model(name)
    exact = [m for m in profile.models if _normalise_model(m) == norm]
    if exact:
        return exact
    scored = sorted((_edit_distance(low, m), m) for m in profile.models)
    return [m for d, m in scored if d <= 2]


# --- profiles ------------------------------------------------------------------

def get_profile(profile: Union[str, Profile], extra: Optional[Mapping[str, Profile]] = None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    known = dict(SHIPPED_PROFILES, **(extra or {}))
    try:
        return known[profile]
    except KeyError:
        raise ValueError(f"unknown profile {profile!r} (known: {', '.join(sorted(known))})") from None


def profile_for_base_url(url: str, profiles: Sequence[Profile]) -> Optional[Profile]:
    """The profile whose hosts include the host of ``url``; ``None`` when none does."""
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    for prof in profiles:
        if prof.matches_host(host):
            return prof
    return None


# --- run-time validation -------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One reason a request would be rejected (``code`` names the kind)."""

    code: str
    param: str
    message: str
    suggestion: Optional[object] = None


def validate(
    model: Optional[str] = None,
    seconds: object = None,
    size: Optional[str] = None,
    profile: Union[str, Profile] = OPENAI,
) -> List[Problem]:
    """Check one request's parameters the way the linter does, at run time."""
    prof = get_profile(profile)
    problems: List[Problem] = []
    model_name = model if model is not None else DEFAULT_MODEL
    spec = prof.model(model_name)
    if spec is None:
        cands = model_candidates(model_name, prof)
        if cands:
            problems.append(Problem("model-unknown", "model", f"unknown model {model_name!r}; did you mean {' or '.join(cands)}?", cands[0] if len(cands) == 1 else None))
        return problems
    if seconds is not None:
        wanted_type = int if prof.seconds_type == SOR_TYPE_INT else str
        number: Optional[float] = None
        if isinstance(seconds, bool):
            number = None
        elif isinstance(seconds, (int, float)):
            number = float(seconds)
        elif isinstance(seconds, str):
            try:
                number = float(seconds.strip())
            except ValueError:
                number = None
        if not isinstance(seconds, wanted_type) or isinstance(seconds, bool):
            problems.append(Problem("seconds-type", "seconds", f"seconds must be {'an int' if wanted_type is int else 'a string'} under profile {prof.name}"))
        if number is not None and number not in spec.seconds:
            best = nearest_seconds(number, spec.seconds)
            problems.append(Problem("seconds-unsupported", "seconds", f"seconds={number:g} is not supported by {spec.name}; Supported values are: {', '.join(map(str, spec.seconds))}", best))
    if size is not None:
        canon = canonical_size(size)
        if canon is None or canon != size:
            problems.append(Problem("size-malformed", "size", f"size {size!r} is not WIDTHxHEIGHT", canon))
        if canon is not None and canon not in spec.sizes:
            problems.append(Problem("size-unsupported", "size", f"size {canon} is not supported by {spec.name}; Supported values are: {', '.join(spec.sizes)}", same_orientation_size(canon, spec.sizes)))
    return problems


def profile_from_table(name: str, table: Mapping[str, object], base: Optional[Profile]) -> Profile:
    """Build a user profile from its ``[tool.sora-lint.profiles.NAME]`` table (validated by config)."""
    models = dict(base.models) if base else {}
    for model_name, spec_table in dict(table.get("models", {}) or {}).items():  # type: ignore[union-attr]
        inherited = models.get(model_name)
        spec_table = dict(spec_table)
        seconds = tuple(spec_table.get("seconds", inherited.seconds if inherited else ()))
        sizes = tuple(spec_table.get("sizes", inherited.sizes if inherited else ()))
        default = spec_table.get("default-seconds", inherited.default_seconds if inherited else (seconds[0] if seconds else 4))
        models[model_name] = ModelSpec(model_name, seconds, sizes, int(default))  # type: ignore[arg-type]
    fields = dict(
        name=name,
        description=str(table.get("description", f"user profile {name}" + (f" (extends {base.name})" if base else ""))),
        seconds_type=str(table.get("seconds-type", base.seconds_type if base else SOR_TYPE_INT)),
        models=models,
        aliases=dict(base.aliases if base else {}, **dict(table.get("aliases", {}) or {})),  # type: ignore[arg-type]
        hosts=tuple(table.get("hosts", ())),  # type: ignore[arg-type]
        extend_seconds=tuple(table.get("extend-seconds", base.extend_seconds if base else ())),  # type: ignore[arg-type]
        extends=base.name if base else None,
    )
    return replace(base, **fields) if base else Profile(**fields)  # type: ignore[arg-type]
