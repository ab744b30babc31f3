"""Where the configuration files are, and reading their TOML: what a run needs in every folder it walks.

Apart from run/config.py, which turns a file's table into :class:`Settings` (and needs the catalog and
the rules for it): a run in a tree without configuration files never imports that.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..contracts.settings import ConfigError

TYPE_CHECKING = False  # typing waits for the runner (see contracts/settings.py)
if TYPE_CHECKING:
    from typing import Any

# In one folder the first of these that exists (a pyproject.toml only with [tool.sora-lint]) wins, as in ruff.
CONFIG_NAMES = (".sora-lint.toml", "sora-lint.toml", "pyproject.toml")


def load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None


def config_in_folder(folder: str | Path) -> Path | None:
    """The configuration file of ``folder`` itself, if it has one."""
    base = os.fspath(folder)
    for name in CONFIG_NAMES:
        # os.path on strings, and a Path only for a file found: this runs for every folder of a walk,
        # where pathlib costs 3x as much.
        if os.path.isfile(os.path.join(base, name)):
            candidate = Path(base, name)
            if name != "pyproject.toml" or "sora-lint" in load_toml(candidate).get("tool", {}):
                return candidate
    return None
