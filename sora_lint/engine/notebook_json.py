"""A notebook's JSON text, read with the place of every cell source string in it, and edited in place.

``json.loads`` says what a notebook holds, not where: a fix that re-serialised the whole notebook
would change its indent, key order, escapes and trailing newline whenever they differ from the
writer's. So the JSON is scanned here (strings by ``json.decoder.scanstring``, the C scanner the
``json`` module uses: a notebook's bulk is its outputs' strings), each ``cells[i].source`` string
keeps its span in the text, and a fix replaces characters inside those string literals only.
Every other byte of the file is the one that was read.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CONSTANTS = {"true": True, "false": False, "null": None,
              "NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}  # json.loads takes them
# An escape of a code point above 0x7f: a file written with ensure_ascii (as json.dump does by default).
_NON_ASCII_ESCAPE = re.compile(r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]|[1-9a-fA-F][0-9a-fA-F]{2})[0-9a-fA-F]")


class BadJSON(ValueError):
    """Not JSON; ``args[0]`` says where and why."""


@dataclass(frozen=True)
class Literal:
    """One JSON string literal of a cell's source: its span in the text (quotes included) and its value."""

    start: int
    end: int
    value: str


def load(text: str) -> tuple[Any, dict[int, list[Literal]]]:
    """The JSON value of ``text``, and the source literals of each cell (by its index in ``cells``)."""
    try:
        json.loads(text)  # the standard module's verdict and message on what is not JSON
    except ValueError as exc:
        raise BadJSON(str(exc)) from None
    sources: dict[int, list[Literal]] = {}
    value, end = _value(text, _skip(text, 0), (), sources)
    return value, sources


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int, path: tuple, sources: dict[int, list[Literal]]) -> tuple[Any, int]:
    char = text[pos]
    if char == '"':
        value, end = scanstring(text, pos + 1)
        if _is_source(path):
            sources.setdefault(path[1], []).append(Literal(pos, end, value))
        return value, end
    if char == "{":
        obj: dict[str, Any] = {}
        pos = _skip(text, pos + 1)
        while text[pos] != "}":
            key, pos = scanstring(text, pos + 1)
            pos = _skip(text, _skip(text, pos) + 1)  # the colon
            obj[key], pos = _value(text, pos, (*path, key), sources)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
        return obj, pos + 1
    if char == "[":
        items: list[Any] = []
        pos = _skip(text, pos + 1)
        while text[pos] != "]":
            item, pos = _value(text, pos, (*path, len(items)), sources)
            items.append(item)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
        return items, pos + 1
    for word, constant in _CONSTANTS.items():
        if text.startswith(word, pos):
            return constant, pos + len(word)
    match = _NUMBER.match(text, pos)
    assert match is not None  # json.loads accepted the text
    return json.loads(match.group()), match.end()


def _is_source(path: tuple) -> bool:
    """``cells[i].source`` (a string) or ``cells[i].source[j]`` (a list of lines)."""
    return (len(path) in (3, 4) and path[0] == "cells" and isinstance(path[1], int) and path[2] == "source"
            and (len(path) == 3 or isinstance(path[3], int)))


def raw_offsets(text: str, literal: Literal) -> list[int]:
    """For each character of the literal's value, and one past its end: its offset in ``text``."""
    offsets = []
    pos = literal.start + 1
    while pos < literal.end - 1:
        offsets.append(pos)
        if text[pos] != "\\":
            pos += 1
        elif text[pos + 1] != "u":
            pos += 2
        elif 0xD800 <= int(text[pos + 2:pos + 6], 16) < 0xDC00 and text.startswith("\\u", pos + 6):
            pos += 12  # a surrogate pair: one character of the value
        else:
            pos += 6
    offsets.append(literal.end - 1)
    return offsets


def escapes_non_ascii(text: str) -> bool:
    """Whether the file writes non-ASCII characters as ``\\uXXXX`` escapes (json.dump's default),
    rather than as themselves (nbformat's and Jupyter's way)."""
    return text.isascii() and _NON_ASCII_ESCAPE.search(text) is not None


def encode(value: str, ascii_only: bool) -> str:
    """``value`` as the inside of a JSON string literal, in the file's style."""
    return json.dumps(value, ensure_ascii=ascii_only)[1:-1]
