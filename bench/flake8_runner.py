"""flake8 with or without the sora-lint plugin, in otherwise identical processes.

Usage: ``python flake8_runner.py {with,without} FLAKE8-ARGS...``

Why not ``--select E,F,W`` against ``--select E,F,W,SOR``: flake8 (checked on 7.x) runs
every installed tree plugin on every file and only filters the *reports* by code, so
both commands would pay for the plugin. The honest "without" is flake8 with the plugin
not registered at all; the entry point is dropped here, before flake8 loads plugins.
Both variants go through this script so they pay the same start-up.
"""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    variant, args = argv[0], argv[1:]
    if variant not in ("with", "without"):
        raise SystemExit("usage: flake8_runner.py {with,without} FLAKE8-ARGS...")
    from flake8.main import cli
    from flake8.plugins import finder

    if variant == "without":
        find_plugins = finder.find_plugins

        def without_sora(*a, **kw):  # type: ignore[no-untyped-def]
            return [p for p in find_plugins(*a, **kw) if not p.entry_point.value.startswith("sora_lint.")]

        finder.find_plugins = without_sora
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
