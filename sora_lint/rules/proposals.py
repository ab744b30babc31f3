"""What a rule proposes: a finding at a node, and fixes as changes to make (a value to write, a keyword to add
or rename); :mod:`sora_lint.engine.edits` decides their bytes. Re-exported by :mod:`.base`, which rules import."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import libcst as cst

Value = Union[int, str]


@dataclass(frozen=True)
class ReplaceValue:
    """Write ``value`` in place of the literal ``target`` (a string, number or concatenation)."""

    target: cst.BaseExpression
    value: Value


@dataclass(frozen=True)
class AddKeyword:
    """Add ``keyword="value"`` to ``call`` after its last argument."""

    call: cst.Call
    keyword: str
    value: str


@dataclass(frozen=True)
class RenameKeyword:
    """Write ``name`` in place of the keyword ``keyword`` of an argument (``duration=`` -> ``seconds=``)."""

    keyword: cst.Name
    name: str


Change = Union[ReplaceValue, AddKeyword, RenameKeyword]


@dataclass(frozen=True)
class FixProposal:
    applicability: str
    message: str
    changes: tuple[Change, ...]


@dataclass
class Finding:
    code: str
    message: str
    anchor: cst.CSTNode
    fixes: list[FixProposal] = field(default_factory=list)
    # Set for a finding said once for every call it stands for (the engine counts the calls):
    # what they share, as the run's summary says it after "N calls go".
    group: str | None = None
