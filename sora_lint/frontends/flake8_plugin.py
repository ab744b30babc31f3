"""The flake8 front end: same diagnostics, flake8's noqa and output.

Kept light on purpose: flake8 loads this module for every run, so LibCST is only
imported (by the engine) for files that pass the text prefilter.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from ..analysis.prefilter import might_contain_sora_call
from ..contracts.catalog import AUTO
from ..core.types import PARSE_ERROR


class SoraChecker:
    name = "sora-lint"
    version = "0"
    profile: str | None = None
    config: str | None = None

    def __init__(self, tree: Any = None, lines: list[str] | None = None, filename: str = "stdin") -> None:
        self.lines = lines or []
        self.filename = filename

    @classmethod
    def add_options(cls, parser: Any) -> None:
        parser.add_option("--sora-profile", default=None, parse_from_config=True,
                          help="sora-lint contract: auto (default), apiyi, openai or a configured profile")
        parser.add_option("--sora-config", default=None, parse_from_config=True,
                          help="pyproject.toml to read [tool.sora-lint] from (default: the nearest one)")

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        cls.profile = getattr(options, "sora_profile", None)
        cls.config = getattr(options, "sora_config", None)
        cls._resolver = None

    _resolver: Any = None

    @classmethod
    def resolver(cls) -> Any:
        """Each file's own settings (as ``sora-lint check`` finds them), with the flake8 options on top."""
        if cls._resolver is None:
            from ..run.resolve import Overrides, SettingsResolver

            profile = cls.profile if cls.profile and cls.profile != AUTO else None
            on_command_line = any(a == "--sora-profile" or a.startswith("--sora-profile=") for a in sys.argv[1:])
            origin = "set by --sora-profile" if on_command_line else "set by sora-profile in the flake8 configuration"
            cls._resolver = SettingsResolver(
                cls.config, Overrides(profile=profile, where="--sora-profile", profile_origin=origin)
            )
        return cls._resolver

    def settings(self) -> Any:
        """This file's settings; None when its configuration excludes it."""
        from ..run.files import excluded_by_config

        resolver = self.resolver()
        if self.filename in ("stdin", "-"):
            return resolver.for_folder(resolver.cwd)
        settings = resolver.for_path(self.filename)
        return None if excluded_by_config(self.filename, settings) else settings

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        source = "".join(self.lines)
        if not might_contain_sora_call(source):
            return
        from ..run.config import ConfigError

        try:
            from ..engine import lint_source

            settings = self.settings()
            if settings is None:
                return
            diagnostics = lint_source(source.lstrip("\ufeff"), self.filename, settings, apply_noqa=False)
        except ConfigError as exc:
            yield (1, 0, f"{PARSE_ERROR} sora-lint is not configured correctly, "
                         f"so this file was not checked: {exc}", type(self))
            return
        except Exception as exc:  # noqa: BLE001 - never raise into flake8: say so and let it go on
            yield (1, 0, f"{PARSE_ERROR} sora-lint failed on this file ({_one_line(exc)}); please report this as a bug",
                   type(self))
            return
        for d in diagnostics:
            yield (d.location.row, d.location.column - 1, f"{d.code} {d.message}", type(self))


def _one_line(exc: BaseException, limit: int = 200) -> str:
    """``Type: message`` on one line (flake8 prints one finding per line), even when the text
    has newlines or ``str(exc)`` itself fails."""
    try:
        text = " ".join(str(exc).split())
    except Exception:  # noqa: BLE001 - an exception whose __str__ raises
        text = "its message could not be printed"
    if len(text) > limit:
        text = text[:limit - 3] + "..."
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__
