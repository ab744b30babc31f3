"""Kept for the front ends' imports: the prefilter lives in :mod:`sora_lint.analysis.prefilter`."""
from .analysis.prefilter import might_contain_sora_call, might_contain_sora_call_bytes

__all__ = ["might_contain_sora_call", "might_contain_sora_call_bytes"]
