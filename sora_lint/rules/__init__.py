"""Every rule, in code order. Each module imports only :mod:`sora_lint.rule`."""
from __future__ import annotations

from typing import Dict, Tuple, Type

from ..rule import Rule
from .lifecycle import ApiShutDown
from .model import ModelUnknown
from .seconds import SecondsType, SecondsUnsupported
from .size import SizeMalformed, SizeUnsupported

ALL_RULES: Tuple[Type[Rule], ...] = (SecondsUnsupported, SecondsType, SizeUnsupported, SizeMalformed, ModelUnknown,
                                      ApiShutDown)
RULES_BY_CODE: Dict[str, Type[Rule]] = {r.code: r for r in ALL_RULES}
