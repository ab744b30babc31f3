"""The position pass relies on LibCST's private code generation: fail loudly if it changes shape."""
import libcst as cst

from sora_lint.analysis.positions import LineIndex, locate


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
