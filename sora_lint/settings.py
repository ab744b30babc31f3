"""The resolved configuration of a run (no I/O here: see config.py)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, Mapping, Optional, Sequence, Tuple

from .catalog import AUTO, SHIPPED_PROFILES, Profile

DEFAULT_EXCLUDES: Tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox", ".pants.d",
    ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out",
    "dist", "node_modules", "site-packages", "venv", "__pycache__",
)


@dataclass(frozen=True)
class Settings:
    profile: str = AUTO
    fallback_profile: str = "openai"
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = ()
    user_profiles: Mapping[str, Profile] = field(default_factory=dict)
    source: Optional[str] = None  # the pyproject.toml the settings came from
    profile_origin: str = "pinned"

    @property
    def profiles(self) -> Dict[str, Profile]:
        return dict(SHIPPED_PROFILES, **self.user_profiles)

    def enabled(self, code: str) -> bool:
        """ruff's rule: the longest matching prefix of --select/--ignore decides."""
        if self.select:
            selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
            if selected < 0:
                return False
        else:
            selected = 0
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return ignored < selected

    def with_overrides(self, **changes: object) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_codes(values: Sequence[str]) -> Tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
