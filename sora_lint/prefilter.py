"""The cheap test that decides whether a file is worth parsing at all.

Every call sora-lint reports needs ``videos`` in its callee (an SDK call:
``videos.create``, with or without spaces, parentheses or a line continuation
before the dot) or at the end of a URL string (a raw HTTP request to
``.../videos``), and evidence that it is Sora: a ``sora`` model value, an
``openai`` import or an ``OpenAI`` client, or, for a raw request, a ``prompt``
field in its body; each of these is spelled out in the file's text. A file
without both cannot produce a diagnostic, so it is never parsed.
"""
from __future__ import annotations

import re

_EVIDENCE = ("sora", "openai", "prompt")
# `videos` then `.` (SDK attribute), or then an optional `/` and a quote or `?` (URL end).
_SHAPE = r"""videos(?:(?:[\s\\)]|#[^\r\n]*)*\.|/?["'?])"""
_SHAPE_TEXT = re.compile(_SHAPE)
_SHAPE_BYTES = re.compile(_SHAPE.encode())


def might_contain_sora_call(text: str) -> bool:
    if "videos" not in text or _SHAPE_TEXT.search(text) is None:
        return False
    lowered = text.lower()
    return any(word in lowered for word in _EVIDENCE)


def might_contain_sora_call_bytes(data: bytes) -> bool:
    """The same test on raw bytes, before any decoding (ASCII words survive every common encoding)."""
    if b"videos" not in data or _SHAPE_BYTES.search(data) is None:
        return False
    lowered = data.lower()
    return any(word.encode() in lowered for word in _EVIDENCE)
