"""The cheap test that decides whether a file is worth parsing at all.

Every call sora-lint reports matches one of the call shapes in :mod:`.shapes` (``videos.``
in an SDK callee, ``/videos`` ending a URL string, a litellm video function) and needs
evidence spelled out in the file's text (an ``openai`` or ``portkey`` import, a ``sora``
model, a ``prompt`` field). Both lists are derived from the registry; a file without both
cannot produce a diagnostic, so it is never parsed.
"""
from __future__ import annotations

from .shapes import CALL_BYTES, CALL_TEXT, CALL_WORD, EVIDENCE_WORDS

_EVIDENCE_BYTES = tuple(w.encode() for w in EVIDENCE_WORDS)
_CALL_WORD_BYTES = CALL_WORD.encode()


def might_contain_sora_call(text: str) -> bool:
    if CALL_WORD not in text or CALL_TEXT.search(text) is None:
        return False
    lowered = text.lower()
    return any(word in lowered for word in EVIDENCE_WORDS)


def might_contain_sora_call_bytes(data: bytes) -> bool:
    """The same test on raw bytes, before any decoding (ASCII words survive every common encoding)."""
    if _CALL_WORD_BYTES not in data or CALL_BYTES.search(data) is None:
        return False
    lowered = data.lower()
    return any(word in lowered for word in _EVIDENCE_BYTES)
