"""The resolved configuration of a run (no I/O here: see config.py and resolve.py)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from .auto import AUTO

# typing is not imported at run time: a run's walk needs these settings, and typing (~3 ms) can wait until
# the files are being read in a second process (run/screen.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .catalog import Profile

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox", ".pants.d",
    ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out",
    "dist", "node_modules", "site-packages", "venv", "__pycache__", ".sora_lint_cache",
)


# The largest file sora-lint parses (bytes). LibCST needs about 250 bytes of memory per byte of a
# many-line file (a 55 MB file drove a check to 13.3 GB), so 8 MiB is about 2 GiB at the parser's peak
# per worker; real Python files, generated ones included, stay well below it. Larger files get SOR000.
DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class RuleLayer:
    """One source of rule selection (the configuration, the command line, a per-file ignore).

    As in ruff, layers apply in order: a layer with ``select`` starts from scratch, one without
    it adjusts what the layers before it chose. Within a layer the longest matching prefix
    decides, and an ignore wins a tie.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    label: str = field(default="", compare=False, repr=False)  # where it came from, for show-settings

    def decide(self, code: str, before: bool) -> bool:
        chosen = max((len(p) for p in (*(self.select or ()), *self.extend_select) if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        if chosen < 0 and ignored < 0:
            return before if self.select is None else False
        return chosen > ignored


@dataclass(frozen=True)
class Settings:
    profile: str = AUTO
    fallback_profile: str = "openai"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    user_profiles: Mapping[str, Profile] = field(default_factory=dict)
    source: str | None = None  # the configuration file the settings came from
    profile_origin: str = "pinned"
    extend_select: tuple[str, ...] = ()
    # (glob, codes): files matching the glob, relative to the configuration's folder, skip those codes.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Selection layers after the configuration's own: the command line, then per-file ignores.
    later_layers: tuple[RuleLayer, ...] = ()
    cache_dir: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; a larger file is SOR000 "too large to check"
    # Where each value came from ("default", a file path, "--select"...), for show-settings.
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def profiles(self) -> dict[str, Profile]:
        from .catalog import SHIPPED_PROFILES  # only when a profile is looked up: a run without Sora calls never is

        return dict(SHIPPED_PROFILES, **self.user_profiles)

    @property
    def layers(self) -> tuple[RuleLayer, ...]:
        first = RuleLayer(self.select or None, self.extend_select, self.ignore)
        return (first, *self.later_layers)

    def enabled(self, code: str) -> bool:
        """ruff's rule: layer after layer, the longest matching prefix of select/ignore decides."""
        state = True
        for layer in self.layers:
            state = layer.decide(code, state)
        return state

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def with_layer(self, layer: RuleLayer) -> Settings:
        return replace(self, later_layers=(*self.later_layers, layer))

    def fingerprint(self) -> str:
        """A stable text of everything that changes a file's results (for the cache)."""
        profiles = sorted((name, repr(p)) for name, p in self.user_profiles.items())
        return repr((self.profile, self.fallback_profile, self.profile_origin, self.layers, profiles,
                     self.max_file_size))


def parse_codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
