"""Offsets in LibCST's generated code mapped onto the source across the whitespace LibCST rewrites.

LibCST does not reproduce every source byte for byte (``except ValueError   :`` comes back as
``except ValueError:``; docs/libcst-roundtrip.md lists the gaps): where the generated text is not
the source's, runs of equal text are paired across the gaps, which are whitespace only
(scripts/scan_roundtrip.py checks that claim on real code).
"""
from __future__ import annotations

import re
from bisect import bisect_right

Span = tuple[int, int]

# What LibCST may drop, add or rewrite between two tokens it keeps.
_GAP = re.compile(r"[ \t\x0c\r\n\\]*")


def _common_length(a: str, i: int, b: str, j: int) -> int:
    """How many characters ``a[i:]`` and ``b[j:]`` share at their start (string compares at C speed)."""
    low, high = 0, min(len(a) - i, len(b) - j)
    if a[i:i + high] == b[j:j + high]:
        return high
    while low < high:  # invariant: the first ``low`` characters agree, the first ``high`` do not
        middle = (low + high + 1) // 2
        if a[i:i + middle] == b[j:j + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def align(generated: str, source: str) -> list[tuple[int, int, int]]:
    """Runs ``(generated offset, source offset, length)`` of equal text, in order.

    Between two runs, LibCST dropped, added or rewrote whitespace. Where the texts differ in
    anything else (no such gap is known), the runs stop: nothing after it is mapped.
    """
    runs: list[tuple[int, int, int]] = []
    i = j = 0
    while i < len(generated):
        same = _common_length(generated, i, source, j)
        if same:
            runs.append((i, j, same))
            i += same
            j += same
        if i >= len(generated):
            break
        skip_generated = _GAP.match(generated, i).end() - i  # type: ignore[union-attr]
        skip_source = _GAP.match(source, j).end() - j  # type: ignore[union-attr]
        if not skip_generated and not skip_source:
            break
        i += skip_generated
        j += skip_source
    return runs


def map_spans(generated: str, source: str, spans: dict[int, Span]) -> dict[int, Span]:
    """``spans`` in ``generated`` as spans in ``source``; a span that cannot be mapped exactly is left out."""
    runs = align(generated, source)
    run_starts = [run[0] for run in runs]

    def mapped(offset: int, inside: int) -> int | None:
        """``offset`` in the source, through the run holding the generated character at ``inside``."""
        at = bisect_right(run_starts, inside) - 1
        if at < 0:
            return None
        start, source_start, length = runs[at]
        if not start <= inside < start + length:
            return None
        return source_start + offset - start

    out: dict[int, Span] = {}
    for key, (start, end) in spans.items():
        if start == end:
            continue
        # A node starts with its first character and ends after its last: each is mapped
        # through the run that holds that character, never through a whitespace gap.
        source_start, source_end = mapped(start, start), mapped(end, end - 1)
        if source_start is not None and source_end is not None:
            out[key] = (source_start, source_end)
    return out
