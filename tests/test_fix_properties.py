"""Property: whatever the model, seconds and size, `fix --unsafe-fixes` leaves no fixable finding."""
import libcst
from hypothesis import given
from hypothesis import strategies as st

from sora_lint.engine import check_source, fix_source
from sora_lint.settings import Settings

MODELS = [None, "sora-2", "sora-2-pro", "sora2", "Sora-2-Pro", "sora-2pro", "sora-2-2025-10-06", "my-deployment"]
SIZES = [None, "1280x720", "720x1280", "1792x1024", "1024x1792", "1280*720", "1792 x 1024", "720p", "1024x1024"]
HEADS = {
    "openai": "from openai import OpenAI\nclient = OpenAI()\n",
    "apiyi": 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.apiyi.com/v1")\n',
    "gateway": "import os\nfrom openai import OpenAI\nclient = OpenAI(base_url=os.environ['URL'])\n",
}

seconds_values = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=40).map(str),
    st.integers(min_value=0, max_value=40).map(lambda n: f'"{n}"'),
    st.sampled_from(["8.0", "10.0", "7.5", '"ten"']),
)


@st.composite
def programs(draw):
    head = HEADS[draw(st.sampled_from(sorted(HEADS)))]
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
    how = draw(st.sampled_from(["inline", "multiline", "params", "names"]))
    method = draw(st.sampled_from(["create", "create_and_poll", "with_raw_response.create"]))
    if how == "inline":
        body = f"client.videos.{method}({', '.join(f'{k}={v}' for k, v in args)})\n"
    elif how == "multiline":
        inner = "".join(f"    {k}={v},  # {k}\n" for k, v in args)
        body = f"video = client.videos.{method}(\n{inner})\n"
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
    outcome = fix_source(source, "gen.py", settings, unsafe_fixes=True)
    assert outcome.error is None
    libcst.parse_module(outcome.source)
    assert [d for d in check_source(outcome.source, "gen.py", settings) if d.fix_for(True)] == []
    assert fix_source(outcome.source, "gen.py", settings, unsafe_fixes=True).source == outcome.source


@given(programs(), st.sampled_from(["auto", "openai", "apiyi"]))
def test_safe_fix_is_idempotent_and_clean_files_are_untouched(source, profile):
    settings = Settings(profile=profile)
    outcome = fix_source(source, "gen.py", settings)
    libcst.parse_module(outcome.source)
    assert [d for d in check_source(outcome.source, "gen.py", settings) if d.fix_for(False)] == []
    if not check_source(source, "gen.py", settings):
        assert outcome.source == source
