"""``sora-lint fix`` as a LibCST codemod, for teams that run codemods with LibCST's own tool::

    python -m libcst.tool codemod --no-format -x sora_lint.frontends.codemod.FixSoraParameters src/

(``--no-format`` keeps LibCST from piping the result through black.) The
transformation is the fix engine's own, so the codemod and ``sora-lint fix``
produce the same bytes.
"""
from __future__ import annotations

import argparse
import os

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from ..contracts.settings import Settings
from ..engine import apply_fixes
from ..run.config import ConfigError
from ..run.resolve import Overrides, SettingsResolver


class FixSoraParameters(VisitorBasedCodemodCommand):
    DESCRIPTION = "Fix invalid OpenAI Sora video parameters (model, seconds, size) with sora-lint's fixes."

    def __init__(self, context: CodemodContext, profile: str | None = None, unsafe_fixes: bool = False,
                 config: str | None = None) -> None:
        super().__init__(context)
        self.profile = profile
        self.unsafe_fixes = unsafe_fixes
        self.config = config
        self._resolver: SettingsResolver | None = None

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--profile", dest="profile", default=None,
                                help="contract: auto (default), apiyi, openai or a configured profile")
        arg_parser.add_argument("--unsafe-fixes", dest="unsafe_fixes", action="store_true",
                                help="also switch the model to sora-2-pro where that is the fix")
        arg_parser.add_argument("--sora-config", dest="config", default=None,
                                help="pyproject.toml to read [tool.sora-lint] from")

    def _settings_for(self, filename: str | None) -> Settings:
        """The file's own settings, resolved as ``sora-lint fix`` resolves them."""
        if self._resolver is None:
            self._resolver = SettingsResolver(self.config, Overrides(profile=self.profile, where="--profile"))
        if not filename:
            return self._resolver.for_folder(os.getcwd())
        return self._resolver.for_path(filename)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename or "<stdin>"
        if self.context.filename and not _round_trips(self.context.filename, tree):
            # LibCST's tool writes the tree's code, which would change bytes of this file that
            # no fix touches (docs/libcst-roundtrip.md): leave it to `sora-lint fix`.
            self.warn("LibCST does not write this file back byte for byte, so the codemod leaves it alone; "
                      "`sora-lint fix` fixes it")
            raise SkipFile("LibCST does not reproduce this file byte for byte")
        try:
            settings = self._settings_for(self.context.filename)
        except ConfigError as exc:
            self.warn(str(exc))
            raise SkipFile(f"sora-lint is not configured correctly: {exc}") from None
        outcome = apply_fixes(tree.code, filename, settings, unsafe_fixes=self.unsafe_fixes)
        if outcome.error:
            self.warn(outcome.error)
        for d in outcome.remaining:
            self.warn(f"{d.location.row}:{d.location.column}: {d.code} {d.message}")
        if outcome.source == tree.code:
            raise SkipFile("no Sora parameter to fix")
        # LibCST writes ``Module.bytes``: the file's own encoding (a BOM is "utf-8-sig", a
        # coding cookie its codec) keeps the bytes the same as ``sora-lint fix`` writes.
        return cst.parse_module(outcome.source).with_changes(encoding=tree.encoding)


def _round_trips(path: str, tree: cst.Module) -> bool:
    """Whether the file's bytes are exactly what LibCST generates for its tree."""
    try:
        with open(path, "rb") as fh:
            return fh.read() == tree.bytes
    except OSError:
        return False
