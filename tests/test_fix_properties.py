"""Properties: whatever the model, seconds and size, `fix --unsafe-fixes` leaves no fixable finding,
and a fix changes no byte outside the values it fixes (and an inserted ``model=`` argument), even
after whitespace LibCST does not reproduce (docs/libcst-roundtrip.md)."""
import ast
import re

import libcst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source

# Property-based (hypothesis, 150 examples each): the fuzzing of the fix's invariants, in the full run only;
# test_fix.py and test_rule_examples.py check the same invariants on chosen cases in the fast loop.
pytestmark = pytest.mark.slow

MODELS = [None, "sora-2", "sora-2-pro", "sora2", "Sora-2-Pro", "sora-2pro", "sora-2-2025-10-06", "my-deployment"]
SIZES = [None, "1280x720", "720x1280", "1792x1024", "1024x1792", "1280*720", "1792 x 1024", "720p", "1024x1024"]
HEADS = {
    "openai": "from openai import OpenAI\nclient = OpenAI()\n",
    "apiyi": 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.apiyi.com/v1")\n',
    "gateway": "import os\nfrom openai import OpenAI\nclient = OpenAI(base_url=os.environ['URL'])\n",
}

# Whitespace LibCST may not keep, before the call: a shifted offset lands a fix on the wrong bytes.
NOISE = [
    "",
    "try:\n    pass\nexcept ValueError   :\n    pass\n",
    "try:\n    pass\nexcept (KeyError, ValueError) :\n    pass\n",
    "try:\n    pass\nexcept* ValueError :\n    pass\n",
    "try:\n    pass\nexcept  :\n    pass\n",
    "\x0c\nx = 1  \x0c\n",
    "if True:\n\tx = [1,\n\t\t2]\n",
    "x = 1 + \\\n        2\n",
    "y = (1 +\n   \x0c  2)\n",
]

seconds_values = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=40).map(str),
    st.integers(min_value=0, max_value=40).map(lambda n: f'"{n}"'),
    st.sampled_from(["8.0", "10.0", "7.5", '"ten"']),
)


@st.composite
def programs(draw):
    head = HEADS[draw(st.sampled_from(sorted(HEADS)))] + draw(st.sampled_from(NOISE))
    args = [("prompt", '"a cat"')]
    model = draw(st.sampled_from(MODELS))
    if model is not None:
        args.append(("model", f'"{model}"'))
    seconds = draw(seconds_values)
    if seconds is not None:
        args.append(("seconds", seconds))
    size = draw(st.sampled_from(SIZES))
    if size is not None:
        args.append(("size", f'"{size}"'))
    args = draw(st.permutations(args))
    how = draw(st.sampled_from(["inline", "multiline", "continued", "params", "names"]))
    method = draw(st.sampled_from(["create", "create_and_poll", "with_raw_response.create"]))
    if how == "inline":
        body = f"client.videos.{method}({', '.join(f'{k}={v}' for k, v in args)})\n"
    elif how == "multiline":
        inner = "".join(f"    {k}={v},  # {k}\n" for k, v in args)
        body = f"video = client.videos.{method}(\n{inner})\n"
    elif how == "continued":  # odd continuation lines: a backslash, a tab, a form feed inside the brackets
        inner = ",\t\\\n\x0c ".join(f"{k} = {v}" for k, v in args)
        body = f"video = client.videos.{method}( \\\n\t{inner} )\n"
    elif how == "params":
        inner = ", ".join(f'"{k}": {v}' for k, v in args)
        body = f"params = {{{inner}}}\nclient.videos.{method}(**params)\n"
    else:
        names = "".join(f"{k.upper()}_VALUE = {v}\n" for k, v in args)
        body = names + f"client.videos.{method}({', '.join(f'{k}={k.upper()}_VALUE' for k, _ in args)})\n"
    return head + body


@given(programs(), st.sampled_from(["auto", "openai", "apiyi"]))
def test_unsafe_fix_leaves_nothing_fixable(source, profile):
    settings = Settings(profile=profile)
    outcome = apply_fixes(source, "gen.py", settings, unsafe_fixes=True)
    assert outcome.error is None
    libcst.parse_module(outcome.source)
    assert [d for d in lint_source(outcome.source, "gen.py", settings) if d.fix_for(True)] == []
    assert apply_fixes(outcome.source, "gen.py", settings, unsafe_fixes=True).source == outcome.source


@given(programs(), st.sampled_from(["auto", "openai", "apiyi"]))
def test_safe_fix_is_idempotent_and_clean_files_are_untouched(source, profile):
    settings = Settings(profile=profile)
    outcome = apply_fixes(source, "gen.py", settings)
    libcst.parse_module(outcome.source)
    assert [d for d in lint_source(outcome.source, "gen.py", settings) if d.fix_for(False)] == []
    if not lint_source(source, "gen.py", settings):
        assert outcome.source == source


FIXED_KEYS = ("model", "seconds", "size")
_INSERTED_MODEL = re.compile(r'model\s*=\s*"sora-2-pro"\s*,?[ \t]*(?:\n[ \t]*)?')


def _offsets(text: str) -> list:
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _span(starts: list, node: ast.AST) -> tuple:
    return (starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset)


def call_spans(text: str) -> list:
    starts = _offsets(text)
    return [_span(starts, n) for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Call)]


def value_spans(text: str, double_star: bool = False) -> list:
    """Where CPython (not LibCST) puts every value a fix may rewrite: ``model=``, ``seconds=`` and
    ``size=`` arguments, dict entries with those keys, and the ``*_VALUE`` names bound to them
    (with ``double_star``: the ``params`` of ``**params`` instead)."""
    starts = _offsets(text)
    spans = []

    def span(node: ast.AST) -> tuple:
        return _span(starts, node)

    for node in ast.walk(ast.parse(text)):
        if double_star:
            if isinstance(node, ast.keyword) and node.arg is None:
                spans.append(span(node.value))
        elif isinstance(node, ast.keyword) and node.arg in FIXED_KEYS:
            spans.append(span(node.value))
        elif isinstance(node, ast.Dict):
            spans.extend(span(v) for k, v in zip(node.keys, node.values)
                         if isinstance(k, ast.Constant) and k.value in FIXED_KEYS)
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id.endswith("_VALUE")
        ):
            spans.append(span(node.value))
    return sorted(spans)


def skeleton(text: str, drop_inserted_model: bool) -> str:
    """``text`` with each value a fix may rewrite replaced by a mark (and an inserted ``model=`` removed)."""
    if drop_inserted_model:
        call = next(n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Call) and any(
            k.arg == "model" for k in n.keywords) and isinstance(n.func, ast.Attribute) and "create" in n.func.attr)
        keyword = next(k for k in call.keywords if k.arg == "model")
        starts = _offsets(text)
        start = starts[keyword.lineno - 1] + keyword.col_offset
        assert _INSERTED_MODEL.match(text, start) is not None, text
        # The model is added after the last argument, so the inserted text runs from the end of the
        # argument before it (its comma and line break are part of the insertion) to the end of the value.
        before = [a for a in [*call.args, *call.keywords] if _span(starts, a)[1] <= start]
        cut_from = max(_span(starts, a)[1] for a in before) if before else start
        text = text[:cut_from] + text[_span(starts, keyword.value)[1]:]
    out, cursor = [], 0
    for start, end in value_spans(text):
        out.append(text[cursor:start] + "\x00")
        cursor = end
    return "".join(out) + text[cursor:]


def has_model_argument(text: str) -> bool:
    return any(isinstance(n, ast.keyword) and n.arg == "model" for n in ast.walk(ast.parse(text))) or '"model":' in text


@given(programs(), st.sampled_from(["auto", "openai", "apiyi"]), st.booleans())
def test_fix_changes_only_the_values_it_fixes(source, profile, unsafe):
    """The bytes outside the fixed values are the input's, and every finding points at its value."""
    settings = Settings(profile=profile)
    values = set(value_spans(source))
    anchors = values | set(value_spans(source, double_star=True))
    calls = set(call_spans(source))
    starts = _offsets(source)
    for d in lint_source(source, "gen.py", settings):
        at = starts[d.location.row - 1] + d.location.column - 1
        end = starts[d.end_location.row - 1] + d.end_location.column - 1
        assert (at, end) in anchors, (d, source)
        for fix in d.fixes:
            for edit in fix.edits:
                # A value is rewritten in its own span; an added ``model=`` is an insertion inside its call.
                inserted_in_call = (edit.start == edit.end and "model=" in edit.content
                                    and any(start < edit.start < end for start, end in calls))
                assert (edit.start, edit.end) in values or inserted_in_call, (edit, source)
    outcome = apply_fixes(source, "gen.py", settings, unsafe_fixes=unsafe)
    assert outcome.error is None
    inserted = unsafe and has_model_argument(outcome.source) and not has_model_argument(source)
    assert skeleton(outcome.source, inserted) == skeleton(source, False), (source, outcome.source)
