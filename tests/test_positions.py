"""The position pass relies on LibCST's private code generation: fail loudly if it changes shape."""
import libcst as cst

from sora_lint.engine.positions import LineIndex, locate, locate_in_statements


def test_private_codegen_api_still_gives_exact_spans():
    source = 'import openai\nx = 1\nclient.videos.create(model="sora-2", seconds=10)\n'
    module = cst.parse_module(source)
    call = module.body[2].body[0].value
    seconds = call.args[1].value
    model = call.args[0].value
    spans = locate(module, [seconds, model])
    assert source[slice(*spans[id(seconds)])] == "10"
    assert source[slice(*spans[id(model)])] == '"sora-2"'


def test_line_index_counts_crlf_and_cr_as_one_line_end():
    index = LineIndex("a\r\nb\rc\nd")
    assert [index.position(o) for o in (0, 3, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]


# --- the pass through the statements that hold the nodes (CPython's tree gives their lines) -------

STATEMENT_SOURCES = [
    # decorators (one spread over lines, comments between them), a class, small statements on one line
    '#!/usr/bin/env python\n# header\n\nimport openai\n\n\n@decorate\n# between\n@other(\n    "arg",\n)\n'
    'def make():\n    return client.videos.create(model="sora-2", seconds=10)\n\n'
    'x = 1; y = client.videos.create(seconds="8")\n\nclass Jobs:\n    SIZE = "720x1280"\n\n'
    '    async def run(self):\n        await c.videos.create(size=self.SIZE, seconds=4)\n',
    # CRLF and lone CR line ends, a docstring over lines, a last line without its newline
    '"""Module\r\ndoc."""\r\nimport os\rDURATION = 8\r\nclient.videos.create(seconds=DURATION, size="1x1")',
    # a statement in parentheses over lines, a form feed, tabs, a string holding a line break
    'text = """a\nb"""\n\x0c\nif True:\n\tclient.videos.create(\n\t\tseconds = 12,  # twelve\n\t)\n'
    '(\n    client.videos.create(model="sora-2-pro")\n)\n',
]


def _literals(module):
    out = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node):
            if isinstance(node, (cst.SimpleString, cst.Integer, cst.Call, cst.Arg, cst.Name)):
                out.append(node)
            return True

    module.visit(Collect())
    return out


def test_statement_pass_gives_the_spans_of_the_whole_module_pass():
    import ast

    for source in STATEMENT_SOURCES:
        module = cst.parse_module(source)
        nodes = _literals(module)
        by_statement = locate_in_statements(module, nodes, source, ast.parse(source))
        whole = locate(module, nodes, source)
        assert by_statement is not None, source
        assert dict(by_statement) == dict(whole) and by_statement.texts == whole.texts
        assert len(by_statement) == len(nodes)
        for node in nodes:
            start, end = by_statement[id(node)]
            assert source[start:end] == by_statement.text(id(node))
        assert locate(module, nodes, source, ast.parse(source)) == whole


def test_statement_pass_gives_way_where_libcst_does_not_round_trip_the_statement():
    """``except (A, B)   :`` comes back without its spaces: a node after that gap is placed by the
    whole-module pass, which maps across it; a node before it, or in another statement, is not affected."""
    import ast

    source = "try:\n    pass\nexcept (A, B)   :\n    f(seconds=10)\ng(size='x')\n"
    module = cst.parse_module(source)
    handler = cst.ensure_type(module.body[0], cst.Try).handlers[0]
    before_gap = handler.type
    after_gap = handler.body.body[0].body[0].value  # the call: placed by code generation
    leaf = after_gap.args[0].value  # 10: its text occurs once in the statement, which places it without
    other = module.body[1].body[0].value.args[0].value
    tree = ast.parse(source)
    assert locate_in_statements(module, [after_gap], source, tree) is None
    assert locate_in_statements(module, [after_gap, other], source, tree) is None
    spans = locate_in_statements(module, [leaf], source, tree)
    assert spans is not None and spans[id(leaf)] == (source.index("10"), source.index("10") + 2)
    for node, text in ((before_gap, "(A, B)"), (other, "'x'")):
        spans = locate_in_statements(module, [node], source, tree)
        assert spans is not None and source[slice(*spans[id(node)])] == text
    spans = locate(module, [after_gap, leaf, other], source, tree)
    assert [source[slice(*spans[id(n)])] for n in (after_gap, leaf, other)] == ["f(seconds=10)", "10", "'x'"]
    assert spans.text(id(after_gap)) == "f(seconds=10)"


def test_a_leaf_whose_text_occurs_once_is_placed_without_code_generation(monkeypatch):
    from sora_lint.engine import positions

    source = 'import openai\nclient.videos.create(model="sora-2", seconds=10, size="1024x1024x")\nx = 1024\n'
    module = cst.parse_module(source)
    args = module.body[1].body[0].value.args
    model, seconds, size = (a.value for a in args)
    generated: list[list[str]] = []
    real = positions._generated

    def spy(module, nodes, *rest):
        generated.append([type(n).__name__ for n in nodes])
        return real(module, nodes, *rest)

    monkeypatch.setattr(positions, "_generated", spy)
    spans = locate(module, [model, seconds, size], source, (1, 2, 3))
    # "10" is also inside 1024 (twice) and the size: only that one is generated.
    assert generated == [["Integer"]]
    assert [source[slice(*spans[id(n)])] for n in (model, seconds, size)] == ['"sora-2"', "10", '"1024x1024x"']
    assert spans[id(seconds)] == (source.index("seconds=10") + 8, source.index("seconds=10") + 10)


def test_line_starts_are_the_newline_regex_ones_with_or_without_cr():
    import random

    from sora_lint.core.types import NEWLINE
    from sora_lint.engine.positions import line_starts

    rng = random.Random(0)
    for _ in range(5_000):
        text = "".join(rng.choice("ab\n\r ") for _ in range(rng.randint(0, 20)))
        for variant in (text, text.replace("\r", "")):
            assert line_starts(variant) == [0] + [m.end() for m in NEWLINE.finditer(variant)], repr(variant)
