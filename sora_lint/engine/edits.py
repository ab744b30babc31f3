"""Every edit a fix makes is built here: a rule asks for a value, this module decides the bytes.

A fix must change only the characters of the value it fixes. So a rewritten literal keeps
what the user wrote in and around it: its quote character (triple quotes too), its ``r`` or
``u`` prefix, the parentheses, line breaks and comments around it; an implicit concatenation
(``("1792" "x1024")``) becomes one string inside the same parentheses. A value with a comment inside
it (between the parts of a concatenation) gets no edit at all: one string has no place for the comment,
and a fix never deletes one. A keyword argument is
added by inserting text where the call's own layout puts a new argument, never by rewriting
the call, so the language server's quick fix is that same small edit.

Inside an f-string quoted with ``'`` or ``"``, Python before 3.12 does not allow that quote
in the replacement fields: a new string literal there takes the other quote, and when
neither fits (nested f-strings using both) there is no edit rather than a broken one.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from ..analysis.syntax import comment_inside, new_string
from ..core.types import Edit, Location
from ..rules.base import AddKeyword, Change, ReplaceValue

if TYPE_CHECKING:
    from .positions import LineIndex

Span = tuple[int, int]
Spans = Mapping[int, Span]



# What may sit between "(" and the value inside it: blanks, comments, line breaks, continuations.
_BLANK = re.compile(r"(?:[ \t\f\r\n]+|#[^\r\n]*|\\(?:\r\n|\r|\n))*")
# The rest of an argument's line after its value: an optional comma, an optional comment, the line break.
_REST_OF_LINE = re.compile(r"[ \t\f]*(?P<comma>,)?[ \t\f]*(?:#[^\r\n]*)?(?P<newline>\r\n|\r|\n)")


def nodes_to_locate(change: Change) -> list[cst.CSTNode]:
    """The nodes whose spans :class:`EditBuilder` needs to build ``change``."""
    if isinstance(change, ReplaceValue):
        target = change.target
        if isinstance(target, cst.ConcatenatedString):
            return [target, target.left, target.right]
        if isinstance(target, cst.UnaryOperation):
            return [target, target.expression]
        return [target]
    args = change.call.args
    if not args:
        return [change.call.func]
    starter = _line_starter(change.call)
    return [args[-1].value] + ([args[starter]] if starter is not None else [args[-1]])


def forbidden_quotes(span: Span, fstrings: Sequence[cst.FormattedString], spans: Spans) -> frozenset[str]:
    """The quotes of the single-quoted f-strings that enclose ``span``."""
    return frozenset(f.end for f in fstrings if spans[id(f)][0] < span[0] and span[1] <= spans[id(f)][1])


def _string_like(template: cst.BaseExpression, value: str) -> str | None:
    """``value`` in the quotes and prefix of ``template`` (its first part, for a concatenation)."""
    while isinstance(template, cst.ConcatenatedString):
        template = template.left
    if not isinstance(template, cst.SimpleString) or "b" in template.prefix.lower():
        return None
    quote = template.quote
    one_line = len(quote) == 1
    if "\\" in value or quote[0] in value or (one_line and ("\n" in value or "\r" in value)):
        return None  # would need escapes the original style (raw, say) cannot write
    prefix = "".join(c for c in template.prefix if c in "rRuU")
    return f"{prefix}{quote}{value}{quote}"


def _line_starter(call: cst.Call) -> int | None:
    """The index of the last argument that begins a line of its own, if any."""
    found = None
    before: Sequence[object] = (call.whitespace_before_args,)
    for i, arg in enumerate(call.args):
        if any(isinstance(ws, cst.ParenthesizedWhitespace) for ws in before):
            found = i
        comma = arg.comma
        before = (comma.whitespace_after if isinstance(comma, cst.Comma) else None, arg.whitespace_after_arg)
    return found


def _after_last_argument(call: cst.Call) -> cst.BaseParenthesizableWhitespace:
    last = call.args[-1]
    if isinstance(last.comma, cst.Comma) and isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace):
        return last.comma.whitespace_after
    return last.whitespace_after_arg


class EditBuilder:
    """Edits for one module's source text, given the spans of the nodes the changes name."""

    def __init__(self, source: str, spans: Spans, fstrings: Sequence[cst.FormattedString],
                 index: LineIndex, default_indent: str = "    ") -> None:
        self.source = source
        self.spans = spans
        self.fstrings = fstrings
        self.index = index
        self.default_indent = default_indent

    def build(self, changes: Sequence[Change]) -> tuple[Edit, ...] | None:
        """The edits for every change, or None when one of them cannot be written safely."""
        pieces: list[tuple[int, int, str]] = []
        for change in changes:
            built = self._replace(change) if isinstance(change, ReplaceValue) else self._add_keyword(change)
            if built is None:
                return None
            pieces.extend(built)
        return tuple(self._edit(*piece) for piece in pieces)

    def _edit(self, start: int, end: int, content: str) -> Edit:
        return Edit(content, start, end, Location(*self.index.position(start)), Location(*self.index.position(end)))

    def _forbidden(self, span: Span) -> frozenset[str]:
        return forbidden_quotes(span, self.fstrings, self.spans)

    # --- a literal's value -------------------------------------------------------

    def _replace(self, change: ReplaceValue) -> list[tuple[int, int, str]] | None:
        if comment_inside(change.target):
            return None  # the rules say so in the message (rules.base.fix_blocker); this is the last guard
        span = self._value_span(change.target)
        if span is None:
            return None
        value = change.value
        if isinstance(value, str):
            text = _string_like(change.target, value) or new_string(value, self._forbidden(span))
            if text is None:
                return None
        else:
            text = str(value)
        return [(span[0], span[1], text)]

    def _value_span(self, target: cst.BaseExpression) -> Span | None:
        """Where the value itself is: inside its parentheses and the blanks and comments they hold."""
        start, end = self.spans[id(target)]
        source = self.source
        pos = start
        for _paren in target.lpar:
            if source[pos:pos + 1] != "(":
                return None
            match = _BLANK.match(source, pos + 1)
            pos = match.end() if match else pos + 1
        if isinstance(target, (cst.SimpleString, cst.Integer, cst.Float)):
            value_end = pos + len(target.value)
            if source[pos:value_end] != target.value:
                return None
        elif isinstance(target, cst.ConcatenatedString):
            if self.spans[id(target.left)][0] != pos:
                return None
            value_end = self.spans[id(target.right)][1]
        elif isinstance(target, cst.UnaryOperation):
            value_end = self.spans[id(target.expression)][1]
        else:
            return None
        return (pos, value_end) if value_end <= end else None

    # --- a new keyword argument ----------------------------------------------------

    def _add_keyword(self, change: AddKeyword) -> list[tuple[int, int, str]] | None:
        call, source = change.call, self.source
        args = call.args
        if args and not any(a.keyword is not None or a.star == "**" for a in args):
            return None  # only positional arguments: not an SDK-shaped call
        if not args:
            func_end = self.spans[id(call.func)][1]
            match = _BLANK.match(source, func_end)
            paren = match.end() if match else func_end
            if source[paren:paren + 1] != "(":
                return None
            value = self._keyword_value(change, (paren + 1, paren + 1))
            return None if value is None else [(paren + 1, paren + 1, value)]
        last = args[-1]
        value_end = self.spans[id(last.value)][1]
        argument = self._keyword_value(change, (value_end, value_end))
        if argument is None:
            return None
        trailing_comma = isinstance(last.comma, cst.Comma)
        starter = _line_starter(call)
        if isinstance(_after_last_argument(call), cst.ParenthesizedWhitespace):
            # ")" on a line of its own: the argument gets a new line after the last one.
            rest = _REST_OF_LINE.match(source, value_end)
            if rest is None or bool(rest.group("comma")) != trailing_comma:
                return None
            indent = self._indent(args[starter] if starter is not None else last, extra=starter is None)
            if indent is None:
                return None
            line = f"{indent}{argument}{',' if trailing_comma else ''}{rest.group('newline')}"
            edits = [] if trailing_comma else [(value_end, value_end, ",")]
            return edits + [(rest.end(), rest.end(), line)]
        if starter is not None:
            # Arguments on lines of their own, ")" after the last one: a new line, no new ")".
            start = self.spans[id(args[starter])][0]
            indent = self._indent(args[starter])
            line_start = self._line_start(start)
            newline = "\r\n" if source[line_start - 2:line_start] == "\r\n" else source[line_start - 1:line_start]
            if indent is None or newline not in ("\n", "\r", "\r\n"):
                return None
            return [(value_end, value_end, f",{newline}{indent}{argument}")]
        return [(value_end, value_end, f", {argument}")]

    def _keyword_value(self, change: AddKeyword, at: Span) -> str | None:
        value = new_string(change.value, self._forbidden(at))
        return None if value is None else f"{change.keyword}={value}"

    def _line_start(self, offset: int) -> int:
        return max(self.source.rfind("\n", 0, offset), self.source.rfind("\r", 0, offset)) + 1

    def _indent(self, arg: cst.Arg, extra: bool = False) -> str | None:
        """The blanks that start ``arg``'s line (one level more when ``extra``); None if code comes first."""
        start = self.spans[id(arg)][0]
        line_start = self._line_start(start)
        indent = self.source[line_start:start]
        if extra:
            indent = re.match(r"[ \t\f]*", indent).group(0) + self.default_indent  # type: ignore[union-attr]
        elif indent.strip(" \t\f"):
            return None
        return indent
