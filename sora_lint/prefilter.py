"""The cheap test that decides whether a file is worth parsing at all.

Every call sora-lint reports needs ``videos`` in its callee (an SDK call) or in its
URL (a raw HTTP request to ``.../videos``), and evidence that it is Sora: a ``sora``
model value, an ``openai`` import or an ``OpenAI`` client, or, for a raw request, a
``prompt`` field in its body; each of these is spelled out in the file's text. A file
without both cannot produce a diagnostic, so it is never parsed.
"""
from __future__ import annotations

_EVIDENCE = ("sora", "openai", "prompt")


def might_contain_sora_call(text: str) -> bool:
    if "videos" not in text:
        return False
    lowered = text.lower()
    return any(word in lowered for word in _EVIDENCE)


def might_contain_sora_call_bytes(data: bytes) -> bool:
    """The same test on raw bytes, before any decoding (ASCII words survive every common encoding)."""
    if b"videos" not in data:
        return False
    lowered = data.lower()
    return any(word.encode() in lowered for word in _EVIDENCE)
