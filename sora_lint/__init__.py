"""sora-lint: find and fix invalid OpenAI Sora video parameters before they ship."""
from .catalog import nearest_seconds, suggest_model
from .runtime import validate

__all__ = ["nearest_seconds", "suggest_model", "validate"]
