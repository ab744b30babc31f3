"""Which calls are Sora calls, and what their arguments resolve to (seen through the diagnostics)."""
import textwrap

import pytest

from sora_lint.contracts.settings import Settings
from sora_lint.engine import lint_source

HEAD = "import openai\nclient = openai.OpenAI()\n"  # a receiver traced to a client


def codes(source: str, profile: str = "apiyi") -> list:
    return [(d.location.row, d.code) for d in lint_source(textwrap.dedent(source), "t.py", Settings(profile=profile))]


class TestPrecision:
    def test_orm_and_other_sdks_are_silent(self):
        assert codes("""
            def upload(channel):
                channel.videos.create(title="Launch", seconds=10, size="1792x1024")
                youtube.videos.create(name="x", size="4k", model="lite")
        """) == []

    def test_sora_model_is_evidence_on_any_receiver(self):
        assert codes('get_client().videos.create(model="sora-2", prompt="p", seconds=10)\n') == [(1, "SOR001")]

    def test_openai_import_alone_is_not_evidence(self):
        # Issue 10: an untraced receiver needs a Sora model; the import says nothing about it.
        assert codes("""
            import openai
            class Worker:
                def go(self):
                    return self.client.videos.create(prompt="p", seconds=10)
        """) == []

    def test_receiver_held_on_self_is_traced(self):
        assert codes("""
            import openai
            class Worker:
                def __init__(self):
                    self.client = openai.OpenAI()
                def go(self):
                    return self.client.videos.create(prompt="p", seconds=10)
        """) == [(7, "SOR001")]

    def test_receiver_traced_to_a_client(self):
        assert codes("""
            from openai import OpenAI
            c = OpenAI()
            c.videos.create(prompt="p", seconds=10)
        """) == [(4, "SOR001")]

    def test_a_users_own_class_called_openai_is_not_a_client(self):
        assert codes("""
            from .compat import OpenAI
            c = OpenAI()
            c.videos.create(prompt="p", seconds=10)
        """) == []

    @pytest.mark.parametrize("callee", [
        "client.videos.create", "client.videos.create_and_poll", "client.videos.with_raw_response.create",
        "client.videos.with_streaming_response.create", "client.with_raw_response.videos.create",
    ])
    def test_entry_points(self, callee):
        assert codes(f'import openai\nclient = openai.OpenAI()\n{callee}(prompt="p", seconds=10)\n') == [(3, "SOR001")]

    def test_other_video_methods_are_not_checked(self):
        # Their values are not checked as create's; remix's seconds= itself is SOR008's (tests/test_shapes_v3.py).
        found = codes('import openai\nclient = openai.OpenAI()\nclient.videos.remix("id", prompt="p", seconds=10)\n'
                      'client.videos.list(size=3)\n')
        assert [c for c in found if c[1] != "SOR008"] == []

    def test_async_await(self):
        assert codes("""
            from openai import AsyncOpenAI
            async def main(client: AsyncOpenAI):
                await client.videos.create(model="sora-2", prompt="p", seconds=5)
        """) == [(4, "SOR001")]


class TestResolution:
    def test_module_constant(self):
        assert codes(HEAD + 'S = 10\nclient.videos.create(prompt="p", seconds=S)\n') == [(4, "SOR001")]

    def test_function_local_shadows_module(self):
        assert codes("""
            import openai
            client = openai.OpenAI()
            S = 10
            def f():
                S = 8
                client.videos.create(prompt="p", seconds=S)
        """) == []

    def test_name_bound_twice_is_unknown(self):
        assert codes(HEAD + 'S = 10\nS = 12\nclient.videos.create(prompt="p", seconds=S)\n') == []

    def test_parameter_is_unknown(self):
        assert codes(HEAD + 'S = 10\ndef f(S):\n    client.videos.create(prompt="p", seconds=S)\n') == []

    def test_loop_and_augmented_bindings_are_unknown(self):
        assert codes(HEAD + 'S = 10\nS += 2\nclient.videos.create(prompt="p", seconds=S)\n') == []
        assert codes(HEAD + 'for S in durations():\n    client.videos.create(prompt="p", seconds=S)\n') == []

    def test_a_loop_over_a_literal_gives_each_item(self):
        # Issue 18: ``for S in (10, 20)`` sends 10, then 20: both are checked where written (before, skipped).
        assert codes(HEAD + 'for S in (10, 20):\n    client.videos.create(prompt="p", seconds=S)\n') == [
            (3, "SOR001"), (3, "SOR001")]

    def test_class_attribute_is_not_visible_from_a_method(self):
        assert codes("""
            import openai
            client = openai.OpenAI()
            class C:
                S = 10
                def f(self):
                    client.videos.create(prompt="p", seconds=S)
        """) == []

    def test_attribute_is_never_guessed(self):
        assert codes(HEAD + 'client.videos.create(prompt="p", seconds=args.seconds, model=cfg.model)\n') == []

    def test_params_dict_literal(self):
        assert codes("""
            import openai
            client = openai.OpenAI()
            params = {"model": "sora-2", "prompt": "p", "seconds": 10}
            client.videos.create(**params)
        """) == [(4, "SOR001")]  # at the value, in the dict

    def test_params_dict_call(self):
        assert codes(HEAD + 'params = dict(model="sora-2-pro", seconds=12)\n'
                            'client.videos.create(**params)\n') == [(3, "SOR001")]  # at the value

    def test_inline_dict(self):
        assert codes(HEAD + 'client.videos.create(**{"seconds": 5}, prompt="p")\n') == [(3, "SOR001")]

    def test_dict_completed_key_by_key_is_read_with_its_last_value(self):
        # Issue 10: keys written after the literal in straight-line code count (8 is valid here).
        assert codes("""
            import openai
            client = openai.OpenAI()
            params = {"model": "sora-2", "seconds": 10}
            params["seconds"] = 8
            client.videos.create(**params)
        """) == []

    def test_dict_changed_by_a_call_is_not_read(self):
        assert codes("""
            import openai
            client = openai.OpenAI()
            params = {"model": "sora-2", "seconds": 10}
            params.update(seconds=8)
            client.videos.create(**params)
        """) == []

    def test_unknown_kwargs_hide_the_model(self):
        # The model may be in **options: the duration cannot be judged against a model.
        assert codes(HEAD + 'client.videos.create(prompt="p", seconds=10, **options)\n') == []
        # The type rule does not depend on the model.
        assert codes(HEAD + 'client.videos.create(prompt="p", seconds="8", **options)\n') == [(3, "SOR002")]

    def test_model_through_a_name(self):
        assert codes(HEAD + 'MODEL = "sora-2-pro"\nclient.videos.create(model=MODEL, prompt="p", '
                            'seconds=12)\n') == [(4, "SOR001")]


class TestScopes:
    """Names resolve through module, class, function, lambda and comprehension scopes as Python does."""

    def test_a_comprehension_variable_does_not_rebind_the_module_name(self):
        assert codes(HEAD + 'S = 10\nlabels = [S for S in range(3)]\nclient.videos.create(prompt="p", seconds=S)\n') \
            == [(5, "SOR001")]

    def test_a_walrus_in_a_comprehension_rebinds_the_enclosing_name(self):
        assert codes(HEAD + 'S = 10\nlast = [(S := n) for n in range(3)]\nclient.videos.create(prompt="p", '
                            'seconds=S)\n') \
            == []

    def test_a_lambda_parameter_shadows_the_module_name(self):
        assert codes(HEAD + 'S = 8\nf = lambda S: client.videos.create(prompt="p", seconds=S)\n') == []

    def test_a_name_read_in_a_lambda_is_the_module_binding(self):
        assert codes(HEAD + 'S = 10\nf = lambda: client.videos.create(prompt="p", seconds=S)\n') == [(4, "SOR001")]

    def test_a_class_body_sees_its_own_names(self):
        assert codes(HEAD + 'class C:\n    S = 10\n    video = client.videos.create(prompt="p", seconds=S)\n') \
            == [(5, "SOR001")]

    def test_a_parameter_default_is_evaluated_in_the_enclosing_scope(self):
        # The default S is the module's, not the parameter S it initialises.
        assert codes(HEAD + 'S = 10\ndef f(S=S):\n    return S\nclient.videos.create(prompt="p", seconds=S)\n') \
            == [(6, "SOR001")]
